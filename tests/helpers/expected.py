"""Expected answers worked out from the directory itself, for the tests of the domain and of the API alike."""

from __future__ import annotations

from graph.kg import KnowledgeGraph


def named_after_hangzhou(kg: KnowledgeGraph) -> set[str]:
    """The committees whose names carry 杭州: the city's own and its districts' (a county or county-level city
    under it bears its own name only, 中共淳安县委保密委员会; see data/naming_rules.md)."""
    d = kg.directory
    return {c.id for c in d.within_region("330100") if c.id == "330100" or d.regions[c.region].type == "市辖区"}
