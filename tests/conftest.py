"""Shared fixtures: the knowledge graph opened once per session from the prebuilt (cached) graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.kg import KnowledgeGraph
from graph.settings import Settings

GOLDEN = Path(__file__).parent / "golden"


def golden_cases(folder: str) -> list[Any]:
    """One pytest param per golden file in ``tests/golden/<folder>``, named after the file."""
    files = sorted((GOLDEN / folder).glob("*.json"))
    return [pytest.param(json.loads(f.read_text(encoding="utf-8")), id=f.stem) for f in files]


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph.open(Settings(store="memory"))
