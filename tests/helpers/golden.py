"""Golden cases: one JSON file per case under ``tests/golden/<folder>``, handed to pytest as parameters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def golden_cases(folder: str) -> list[Any]:
    """One pytest param per golden file in ``tests/golden/<folder>``, named after the file."""
    files = sorted((GOLDEN / folder).glob("*.json"))
    return [pytest.param(json.loads(f.read_text(encoding="utf-8")), id=f.stem) for f in files]


def golden_values(folder: str) -> list[dict[str, Any]]:
    """The cases of ``tests/golden/<folder>`` themselves, for a test that runs them all in one go."""
    return [param.values[0] for param in golden_cases(folder)]
