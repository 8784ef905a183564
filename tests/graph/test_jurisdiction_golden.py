"""Golden jurisdiction cases (tests/golden/jurisdiction/*.json) against the resolver and directory."""

from __future__ import annotations

from typing import Any

import pytest

from graph.errors import Ambiguous, NotFound
from graph.kg import KnowledgeGraph
from tests.helpers.golden import golden_cases


@pytest.mark.parametrize("case", golden_cases("jurisdiction"))
def test_golden_case(kg: KnowledgeGraph, case: dict[str, Any]) -> None:
    status = case["status"]
    if status == "found":
        answer = kg.lookup(case["query"])
        assert answer.region.code == case["region"]
        assert [c.id for c in answer.chain] == case["chain"]
        assert answer.chain[0] == answer.committee
        assert answer.chain[-1].id == "central"
        if "match" in case:
            assert answer.match == case["match"]
        if "committee" in case:
            assert answer.committee.name_zh == case["committee"]
        if "party_committee" in case:
            assert answer.party_committee is not None
            assert answer.party_committee.name_zh == case["party_committee"]
        if "subordinates" in case:
            assert len(kg.directory.subordinates.get(answer.committee.id, [])) == case["subordinates"]
    elif status == "ambiguous":
        with pytest.raises(Ambiguous) as info:
            kg.lookup(case["query"])
        codes = [c["code"] for c in info.value.candidates]
        if "candidates" in case:
            assert sorted(codes) == sorted(case["candidates"])
        for code in case.get("candidates_include", []):
            assert code in codes
        assert all("path" in c and "name" in c for c in info.value.candidates)
    else:
        with pytest.raises(NotFound) as missing:
            kg.lookup(case["query"])
        assert case.get("detail_contains", "") in str(missing.value)


def test_every_county_chain_ends_at_the_centre_through_higher_levels(kg: KnowledgeGraph) -> None:
    order = {"central": 0, "provincial": 1, "municipal": 2, "county": 3}
    for cid, committee in kg.directory.committees.items():
        if committee.departmental:
            continue
        chain = kg.directory.chain(cid)
        assert chain[-1].id == "central"
        levels = [order[c.level] for c in chain]
        assert levels == sorted(levels, reverse=True) and len(set(levels)) == len(levels), cid


def test_every_division_resolves_by_code_to_itself(kg: KnowledgeGraph) -> None:
    for code in kg.directory.regions:
        if code != "CN":
            assert kg.resolver.resolve(code).key == code


def test_every_full_committee_name_resolves_to_its_region(kg: KnowledgeGraph) -> None:
    for committee in kg.directory.committees.values():
        match = kg.resolver.resolve(committee.name_zh)
        expected = committee.id if committee.departmental or committee.special is not None else committee.region
        assert match.key == expected, committee.name_zh
