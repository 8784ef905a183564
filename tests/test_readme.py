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
    return text[start : end if end > 0 else None]


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


# -- the first start ----------------------------------------------------------------------------------------------
# What "The two commands" says of a start is tested where it lives: tests/test_dev_sh.py (pip skipped),
# tests/graph/test_validation_record.py (the record, the one line, any other build validated),
# tests/api/test_startup.py (lookups while the store fills, the rest waits, /readyz starting).  Here: the names
# it gives are the real ones, and its figures name the benchmark that measures them.
FIRST_START = _section("The two commands")
ROOT = README.parent


def test_the_first_start_names_the_real_record_cache_and_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli.main import _parser
    from graph.build import prebuilt, record
    from graph.namespaces import Vocab
    from graph.settings import cache_dir

    assert f"`data/{record.RECORD_NAME}`" in FIRST_START and (ROOT / "data" / record.RECORD_NAME).is_file()
    assert "`baomi-kg validate`" in FIRST_START and "validate" in _parser().format_help()
    monkeypatch.delenv("BAOMI_KG_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert "`~/.cache/baomi-kg/graph-<fingerprint>.nq`" in FIRST_START
    assert cache_dir() == Path.home() / ".cache" / "baomi-kg"
    path = prebuilt.prebuilt_path(Vocab(), build_if_missing=False)
    assert path.parent == cache_dir() and path.name == f"graph-{prebuilt.fingerprint(Vocab())}.nq"


def test_the_start_figures_name_the_bench_that_measures_them() -> None:
    bench = (ROOT / "bench" / "start.py").read_text(encoding="utf-8")
    assert "(`bench/start.py`" in FIRST_START and "`bench/start.py`" in _section("Benchmarks")
    assert "/api/v1/jurisdiction?q=330106" in FIRST_START and 'LOOKUP = "/api/v1/jurisdiction?q=330106"' in bench
    for kind in ("cold (empty cache)", "warm (second start)", "old cold path (SHACL)"):
        assert kind in bench
    assert '"dev.sh"' in bench, "the bench can start ./dev.sh serve, as the README times it"
