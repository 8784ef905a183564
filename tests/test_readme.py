"""The README's threat model names real settings, and the limits it quotes are their defaults.

The behaviour behind each limit is tested where it lives (tests/security/, tests/api/test_http_hygiene.py,
tests/api/test_backends.py); this keeps the figures a reader sees from drifting away from the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


THREATS = _section("Threat model")

# setting -> how the README writes its default
QUOTED = {
    "MAX_QUERY_BYTES": "512,000 bytes",
    "MAX_REQUEST_BYTES": "1,000,000 bytes",
    "MAX_QUERY_DEPTH": "deeper than 64",
    "MAX_QUERY_GROUPS": "more than 2,000 groups",
    "HEADER_TIMEOUT": "within 10 s",
    "QUERY_TIMEOUT": "at most 10 s",
    "QUERY_MEMORY_MB": "2,048 MiB",
    "MAX_RESULT_BYTES": "64,000,000 bytes",
    "QUERY_WORKERS": "Two queries",
    "MAX_WAITING_QUERIES": "64 may wait",
    "HEAVY_SLOTS": "two worker processes",
    "HEAVY_TIMEOUT": "120 s",
    "HEAVY_MEMORY_MB": "`HEAVY_MEMORY_MB` 2,048",
    "MAX_WAITING_HEAVY": "32 may wait",
    "MAX_WAIT_HEAVY": "up to 30 s",
}
WORDS = {"Two": 2, "two": 2}


def _number(quoted: str) -> float:
    digits = re.findall(r"\d[\d,]*", quoted.replace("`HEAVY_MEMORY_MB`", ""))
    if digits:
        return float(digits[-1].replace(",", ""))
    return float(next(WORDS[w] for w in quoted.split() if w in WORDS))


NOT_SETTINGS = {"LOAD", "SERVICE", "FROM", "FROM NAMED", "RLIMIT_AS", "PR_SET_PDEATHSIG"}


def test_every_setting_the_threat_model_names_exists() -> None:
    named = {name.removeprefix("BAOMI_KG_") for name in re.findall(r"`([A-Z][A-Z_]+)`", THREATS)} - NOT_SETTINGS
    fields = {name.upper() for name in Settings.model_fields}
    assert named <= fields, named - fields
    assert set(QUOTED) <= named


@pytest.mark.parametrize("setting", sorted(QUOTED))
def test_the_quoted_limit_is_the_default(setting: str) -> None:
    quoted = QUOTED[setting]
    assert quoted in THREATS, f"the README no longer says {quoted!r}"
    default = Settings.model_fields[setting.lower()].default
    assert _number(quoted) == float(default), f"{setting}: README says {quoted!r}, the default is {default}"
