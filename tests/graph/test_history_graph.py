"""The history in the graph: every event of data/history.csv is listed once, used or not and why; the divisions and
committees the events link resolve, with lifetimes that agree with the tables as of a date; the SPARQL examples of
time travel answer."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from graph.kg import KnowledgeGraph
from graph.sources.history import divisions_as_of, load_history
from graph.sparql.examples import EXAMPLES

Row = dict[str, str]


def _select(kg: KnowledgeGraph, query: str) -> list[Row]:
    rows = kg.backend.select(kg.vocab.sparql_prologue() + query)
    return [{k: v.value for k, v in r.items() if v is not None} for r in rows]  # type: ignore[union-attr]


def _example(kg: KnowledgeGraph, title_start: str) -> list[Row]:
    (query,) = [q for title, q in EXAMPLES if title.startswith(title_start)]
    return _select(kg, query)


def test_every_event_is_listed_once_and_an_unused_one_says_why(kg: KnowledgeGraph) -> None:
    rows = _select(
        kg,
        """SELECT ?id ?type ?flag WHERE { GRAPH bmg:history {
             ?e a ?type ; bm:identifier ?id FILTER (?type IN (org:ChangeEvent, bm:UnusedChangeEvent))
             OPTIONAL { ?e bm:flag ?flag } } }""",
    )
    events = {e.id: e for e in load_history()}
    assert Counter(r["id"] for r in rows) == Counter(list(events))
    for r in rows:
        e, used = events[r["id"]], r["type"].endswith("#ChangeEvent")
        assert used == ("flag" not in r), r
        if e.flag:
            assert r.get("flag") == e.flag, r  # what the source marks, or what contradicts the table, is never used
        elif not used:
            assert r.get("flag") == "unresolved", r
    unresolved = [r for r in rows if r.get("flag") == "unresolved"]
    assert len(unresolved) < 0.02 * len(rows)


def test_every_division_and_committee_an_event_links_resolves(kg: KnowledgeGraph) -> None:
    dangling = _select(
        kg,
        """SELECT DISTINCT ?x WHERE {
             ?e a org:ChangeEvent ;
                org:originalOrganization|org:resultingOrganization|bm:originalRegion|bm:resultingRegion ?x .
             FILTER NOT EXISTS { ?x rdfs:label ?zh , ?en FILTER (LANG(?zh) = "zh" && LANG(?en) = "en") }
           }""",
    )
    assert dangling == []
    kinds = _select(
        kg,
        """SELECT ?type (COUNT(DISTINCT ?x) AS ?n) WHERE {
             ?e org:originalOrganization|org:resultingOrganization|bm:originalRegion|bm:resultingRegion ?x .
             ?x a ?type .
             FILTER (?type IN (bm:FormerRegion, bm:FormerCommittee, bm:AdministrativeRegion, bm:CountyCommittee))
           } GROUP BY ?type""",
    )
    counts = {r["type"].rsplit("#", 1)[1]: int(r["n"]) for r in kinds}
    assert counts["FormerRegion"] > 2000 and counts["FormerCommittee"] > 2000 and counts["AdministrativeRegion"] > 1000


@pytest.mark.parametrize("year", [1985, 1999, 2009, 2015, 2024])
def test_lifetimes_agree_with_the_table_as_of_the_end_of_a_year(kg: KnowledgeGraph, year: int) -> None:
    v = kg.vocab
    lives = {
        r["r"]: (int(r.get("from", 0)), int(r["until"]))
        for r in _select(
            kg,
            "SELECT ?r ?from ?until WHERE { ?r a bm:FormerRegion ; bm:validUntil ?until "
            "OPTIONAL { ?r bm:validFrom ?from } }",
        )
    }
    table = divisions_as_of(date(year, 12, 31)).divisions
    standing = {v.region(f"{d.code}~{d.name}") for d in table}
    seen = 0
    for iri, (start, end) in lives.items():
        if start <= year < end:
            assert iri in standing, (iri, start, end)
            seen += 1
        else:
            assert iri not in standing, (iri, start, end)
    assert seen, "some former divisions stood then"


def test_xiangfan_and_the_golden_divisions_end_when_the_history_says(kg: KnowledgeGraph) -> None:
    v = kg.vocab
    cases = {
        "420600~襄樊市": 2010,
        "110103~崇文区": 2010,
        "371200~莱芜市": 2018,
        "310108~闸北区": 2015,
        "500105~江北区": 2025,
    }
    for key, end in cases.items():
        rows = _select(
            kg,
            f"""SELECT ?until ?body ?bodyUntil ?name WHERE {{
                  <{v.region(key)}> a bm:FormerRegion ; bm:validUntil ?until .
                  ?body dct:spatial <{v.region(key)}> ; a bm:FormerCommittee ; bm:validUntil ?bodyUntil ;
                        rdfs:label ?name .
                  FILTER (LANG(?name) = "zh") }}""",
        )
        assert [(r["until"], r["body"], r["bodyUntil"]) for r in rows] == [(str(end), v.committee(key), str(end))], key
    assert _select(
        kg, f"SELECT ?n WHERE {{ <{v.committee('420600~襄樊市')}> rdfs:label ?n FILTER (LANG(?n) = 'zh') }}"
    ) == [{"n": "中共襄樊市委保密委员会"}]
    since = _select(kg, f"SELECT ?y WHERE {{ <{v.region('500157')}> bm:validFrom ?y }}")
    assert since == [{"y": "2025"}]  # 两江新区, set up in 2025 (announced 2025-11)


def test_the_time_travel_examples_answer(kg: KnowledgeGraph) -> None:
    xiangfan = _example(kg, "Time travel: what became of 襄樊市")
    assert [(r["year"], r["kind"], r["before"], r["after"], r["committee"]) for r in xiangfan] == [
        ("2010", "renamed", "襄樊市", "襄阳市", "中共襄阳市委保密委员会")
    ]
    chongqing = _example(kg, "The changes within 重庆 in 2025")
    assert {(r["kind"], r.get("from"), r["to"], r["document"]) for r in chongqing} == {
        ("established", None, "两江新区", "渝府发〔2025〕15号"),
        ("merged", "渝北区", "两江新区", "渝府发〔2025〕15号"),
        ("merged", "江北区", "两江新区", "渝府发〔2025〕15号"),
    }
    assert {r["precision"] for r in chongqing} == {"month", "year"}
    abolished = _example(kg, "The divisions abolished in 2011")
    assert ("341400", "巢湖市", "municipal", "split") in {
        (r["code"], r["name"], r["level"], r["kind"]) for r in abolished
    }
    assert {r["name"] for r in abolished} >= {"卢湾区", "居巢区"}


def test_a_redesignated_body_continues_and_a_merged_or_split_one_does_not(kg: KnowledgeGraph) -> None:
    v = kg.vocab
    rows = _select(
        kg,
        f"""SELECT ?before ?after ?type ?until WHERE {{ GRAPH <{v.graph("inference", "redesignation")}> {{
             ?before bm:continuedAs ?after }} ?before a ?type ; bm:validUntil ?until
             FILTER (?type IN (bm:FormerRegion, bm:FormerCommittee)) }}""",
    )
    links = {(r["before"], r["after"]) for r in rows}
    assert (v.committee("420600~襄樊市"), v.committee("420600")) in links  # renamed
    assert (v.region("110221~昌平县"), v.region("110114")) in links  # county to district
    assert (v.committee("340225~无为县"), v.committee("340281")) in links  # county to city (after a code change)
    for gone in ("110103~崇文区", "341400~巢湖市", "371200~莱芜市", "310108~闸北区", "500105~江北区"):
        assert not [b for b, _ in links if b in (v.region(gone), v.committee(gone))], gone  # merged or split
    assert len({b for b, _ in links}) == len(links) == len({a for _, a in links})  # one body before, one after
    events = _select(
        kg,
        """SELECT ?before ?after ?year WHERE { ?e a org:ChangeEvent ; bm:year ?year ;
             bm:changeKind/skos:notation ?kind ; bm:originalRegion ?before ; bm:resultingRegion ?after }""",
    )
    ended = {(r["before"], r["after"]): r["year"] for r in events}
    regions = [r for r in rows if r["type"].endswith("#FormerRegion")]
    assert len(regions) > 1000
    for r in regions:  # each ends in the year of the event that re-designates it
        assert ended[(r["before"], r["after"])] == r["until"], r
    earlier = _example(kg, "The committees 无为市's committee was before it")
    assert [r["name"] for r in earlier] == ["中共无为县委保密委员会"] * len(earlier) and earlier
