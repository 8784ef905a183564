"""Checks of a classification authority answer (定密权限) against a golden case of tests/golden/authority, shared by
the REST and the domain tests; and the check that an article the answers cite is one of data/legal/ read at a URL."""

from __future__ import annotations

import csv
from functools import cache
from typing import Any

from graph.paths import DATA_DIR

__all__ = ["authority_params", "check_authority", "check_cited_article", "ids"]


def authority_params(case: dict[str, Any]) -> dict[str, str]:
    """The query parameters of a case: organ, level and, if given, delegated."""
    return {k: case[k] for k in ("organ", "level", "delegated") if k in case}


def ids(iris: list[str]) -> list[str]:
    """The last segment of each IRI: an article or rule id."""
    return [iri.rsplit("/", 1)[1] for iri in iris]


def check_authority(body: dict[str, Any], case: dict[str, Any]) -> None:
    """The key fields the case expects, and what every answer holds to whatever the case."""
    assert body["organ"]["kind"] == case["kind"], body["organ"]
    assert body["may_classify"] is case["may_classify"], body["reasoning"]
    assert body["highest_level"] == case["highest_level"]
    assert body["settled"] is case["settled"], body["not_settled"]
    refer = body["refer_to"]
    refer_kind = refer["organ"]["kind"] if refer and refer["organ"] else None
    assert refer_kind == case["refer_to"], refer
    if "refer_to_region" in case:
        assert refer["organ"]["region"]["code"] == case["refer_to_region"]
    if "organ_id" in case:
        assert body["organ"]["id"] == case["organ_id"]
    if "can_be_extended" in case:
        assert body["delegation"]["can_be_extended"] is case["can_be_extended"]
    if "delegators" in case:
        assert [x["body"]["name_zh"] for x in body["delegation"]["from"]] == case["delegators"]
    if "not_settled_contains" in case:
        assert any(case["not_settled_contains"] in x for x in body["not_settled"]), body["not_settled"]
    rules = ids(body["rules"])
    assert set(case["rules"]) <= set(rules), rules
    cited = ids(body["basis"])
    assert set(case["articles"]) <= set(cited), cited
    # Whatever the case: null means open, open is said, and a referral is there exactly when the level is not held.
    assert (body["may_classify"] is None) == (not body["settled"])
    if not body["settled"]:
        assert body["not_settled"]
    assert (refer is None) == (body["may_classify"] is True or body["organ"]["kind"] == "central-organ")
    if refer is not None:
        assert ids(refer["basis"]) == ["bmf-2024-art17p3", "bmtl-2024-art17p2", "dmgl-2025-art11"]
        assert refer["how"]["zh"].startswith("先行采取保密措施，并立即报请") and "立即" in refer["within"]
        assert "exceeding-authority" in rules
    assert body["level_zh"] in ("绝密", "机密", "秘密") and body["reasoning"]
    assert body["delegation"]["can_be_extended"] is (body["highest_level"] != "top-secret")
    if body["delegation"]["from"]:
        assert "delegation-by-organs" in rules
    for x in body["delegation"]["from"]:
        assert set(ids(x["basis"])) <= set(cited)
    assert len(cited) == len(set(cited)) and len(rules) == len(set(rules))


@cache
def _rows(name: str) -> dict[str, dict[str, str]]:
    with (DATA_DIR / "legal" / name).open(encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def check_cited_article(article_id: str) -> None:
    """An article id is a row of data/legal/articles.csv whose instrument is in instruments.csv with a URL."""
    articles, instruments = _rows("articles.csv"), _rows("instruments.csv")
    assert article_id in articles, f"{article_id} is not in data/legal/articles.csv"
    instrument = articles[article_id]["instrument"]
    assert instrument in instruments, f"{article_id}: instrument {instrument} is not in instruments.csv"
    assert instruments[instrument]["url"].startswith(("http://", "https://")), instrument
