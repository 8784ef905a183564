"""The classification authority answer (graph.answers.authority) from the domain function: the golden cases, every
kind of organ in the directory, and every article cited exists in data/legal/ with an instrument read at a URL."""

from __future__ import annotations

from typing import Any

import pytest

from graph.answers.authority import classification_authority
from graph.directory.resolver import Match
from graph.errors import LookupFailed
from graph.kg import KnowledgeGraph
from graph.vocab import CLASSIFICATIONS, Classification, OrganKind
from tests.helpers.authority import check_authority, check_cited_article, ids
from tests.helpers.golden import golden_cases, golden_values


@pytest.mark.parametrize("case", golden_cases("authority"))
def test_golden_from_the_domain(kg: KnowledgeGraph, case: dict[str, Any]) -> None:
    if case["status"] == 422:
        return  # a missing parameter is the web skin's concern
    if case["status"] == 400:
        with pytest.raises(ValueError, match="unknown classification level"):
            for key in ("level", "delegated"):
                Classification.parse(case.get(key, "机密"))
        return
    if case["status"] in (300, 404):
        with pytest.raises(LookupFailed):
            classification_authority(
                kg.directory, kg.resolver.resolve(case["organ"]), case["organ"], Classification.parse(case["level"])
            )
        return
    delegated = Classification.parse(case["delegated"]) if "delegated" in case else None
    answer = classification_authority(
        kg.directory, kg.resolver.resolve(case["organ"]), case["organ"], Classification.parse(case["level"]), delegated
    )
    check_authority(answer.model_dump(mode="json"), case)
    assert answer == kg.classification_authority(case["organ"], Classification.parse(case["level"]), delegated)


def test_the_golden_cases_cover_every_kind_of_organ() -> None:
    kinds = {case["kind"] for case in golden_values("authority") if case["status"] == 200}
    assert kinds == {k.value for k in OrganKind} - {OrganKind.BUREAU}


def test_every_article_of_the_golden_cases_exists() -> None:
    cited = [a for case in golden_values("authority") for a in case.get("articles", [])]
    assert {"bmf-2024-art17p2", "bmf-2024-art17p3", "bmtl-2024-art16p1"} <= set(cited)
    for article_id in dict.fromkeys(cited):
        check_cited_article(article_id)


def test_every_organ_at_every_level_cites_only_articles_that_exist(kg: KnowledgeGraph) -> None:
    """Every region with a committee, every unit and special body, at each level: an answer, never an error, whose
    basis and rules exist; and the open cases are exactly the kinds the texts leave open."""
    d = kg.directory
    law_rules: set[str] = set()
    cited: set[str] = set()
    open_kinds: set[str] = set()
    matches = [("region", code) for code in d.committee_of_region] + [
        ("unit" if c.unit else "body", c.id) for c in d.committees.values() if c.unit or c.special
    ]
    for kind, key in matches:
        for level in CLASSIFICATIONS:
            answer = classification_authority(d, Match(kind, key), key, level)
            cited.update(ids(answer.basis))
            law_rules.update(ids(answer.rules))
            if answer.may_classify is None:
                open_kinds.add(answer.organ.kind)
            if answer.organ.kind == OrganKind.COUNTY:
                assert answer.may_classify is False and answer.settled and answer.refer_to is not None
    for article_id in cited:
        if ":" not in article_id:
            check_cited_article(article_id)
    assert open_kinds == {
        "city-without-districts",
        "autonomous-prefecture",
        "prefecture",
        "league",
        "special-body",
        "unit",
    }
    assert {"classify-top", "classify-districted-city", "classify-none-other", "exceeding-authority"} <= law_rules


def test_the_four_cities_without_districts(kg: KnowledgeGraph) -> None:
    d = kg.directory
    without = sorted(
        code
        for code in d.committee_of_region
        if classification_authority(d, Match("region", code), code, Classification.SECRET).organ.kind
        == OrganKind.CITY_WITHOUT_DISTRICTS
    )
    assert without == ["441900", "442000", "460400", "620200"]
