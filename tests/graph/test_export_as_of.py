"""Exports as of a past day: the committees of that day's divisions, their links of that day, in every format.

Every golden case of ``tests/golden/as_of`` is exported as the chain of its place on its day, and must draw the
chain the jurisdiction answer of that day gives; a place that did not exist that day is refused with the day in the
message.  The whole tree of a year-end is the division table of that day, committee for committee.  The RDF of a
past day says that day's links, not the store's.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import pytest
import rdflib

from graph.errors import InvalidExport
from graph.export.formats import export
from graph.export.scope import make_scope
from graph.kg import KnowledgeGraph
from graph.sources.history import divisions_as_of, parse_as_of
from graph.vocab import EXPORT_FORMATS, Level
from tests.helpers.golden import golden_values

BM = rdflib.Namespace("https://w3id.org/baomi-kg/ontology#")
RDFS = rdflib.RDFS


def _chain(kg: KnowledgeGraph, query: str, day: date) -> tuple[list[str], list[str]]:
    """The committees of the exported chain of ``query`` on ``day``, from the place up to the centre, and the changes
    of that period the export says it may not show yet."""
    data = json.loads(export(kg, "d3", make_scope(chain=query, edges=["guidance"]), as_of=day).body)
    committees = [n for n in data["nodes"] if n["kind"] == "committee"]
    undated = data["graph"].get("as_of_undated", "")
    assert bool(undated) == ("as_of_note" in data["graph"])
    return [n["name_zh"] for n in committees][::-1], undated.split(",") if undated else []


def test_every_golden_day_exports_the_chain_its_answer_gives(kg: KnowledgeGraph) -> None:
    cases = golden_values("as_of")
    assert len(cases) >= 40
    assert any(case.get("undated") for case in cases)
    for case in cases:
        day = parse_as_of(str(case["as_of"]))
        if case["status"] == 200:
            assert _chain(kg, case["query"], day) == (case["chain"], case["undated"]), case
        else:
            with pytest.raises(InvalidExport) as caught:
                export(kg, "d3", make_scope(chain=case["query"]), as_of=day)
            assert day.isoformat() in str(caught.value) and caught.value.parameter == "chain", case


def test_the_tree_of_a_year_end_is_the_division_table_of_that_day(kg: KnowledgeGraph) -> None:
    day = date(2010, 12, 31)
    data = json.loads(export(kg, "d3", make_scope(edges=["guidance"]), as_of=day).body)
    drawn = Counter(n["level"] for n in data["nodes"] if n["kind"] == "committee")
    table = divisions_as_of(day).divisions
    without = {code for code, r in kg.directory.regions.items() if r.no_body_reason}  # 金门县: no CPC body
    expected = Counter(d.level for d in table if d.code not in without)
    assert drawn[Level.CENTRAL] == 1
    for level in (Level.PROVINCIAL, Level.MUNICIPAL, Level.COUNTY):
        assert drawn[level] == expected[level], level
    assert data["graph"]["as_of"] == "2010-12-31" and "2010年12月31日" in data["graph"]["title"]
    assert "中共襄阳市委保密委员会" in {n["name_zh"] for n in data["nodes"]}
    before = json.loads(export(kg, "d3", make_scope(root="420000", depth=1), as_of=date(2009, 6, 30)).body)
    assert "中共襄阳市委保密委员会" not in {n["name_zh"] for n in before["nodes"]}


def test_departmental_bodies_are_not_in_a_past_day(kg: KnowledgeGraph) -> None:
    data = json.loads(export(kg, "d3", make_scope(depth=1), as_of=date(2009, 6, 30)).body)
    assert not [n for n in data["nodes"] if n["kind"] in ("departmental", "unit")]
    with pytest.raises(InvalidExport, match="as they are today"):
        export(kg, "d3", make_scope(root="u-mfa"), as_of=date(2009, 6, 30))


def _graph(body: bytes, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=fmt)


def test_the_rdf_of_a_past_day_says_the_links_of_that_day(kg: KnowledgeGraph) -> None:
    scope = make_scope(chain="襄樊市", edges=["guidance", "office"])
    result = export(kg, "turtle", scope, as_of=date(2009, 6, 30))
    g = _graph(result.body, "turtle")
    xiangfan = rdflib.URIRef(kg.vocab.committee("420600~襄樊市"))
    hubei = rdflib.URIRef(kg.vocab.committee("420000"))
    assert (xiangfan, RDFS.label, rdflib.Literal("中共襄樊市委保密委员会", lang="zh")) in g
    assert (xiangfan, BM.guidedBy, hubei) in g and (hubei, BM.guides, xiangfan) in g
    assert (xiangfan, BM.level, BM.LevelMunicipal) in g
    assert (xiangfan, rdflib.RDF.type, BM.ConfidentialityCommittee) in g
    office = rdflib.URIRef(kg.vocab.office("420600~襄樊市"))
    assert (xiangfan, BM.hasOffice, office) in g and (office, BM.officeOf, xiangfan) in g
    assert "襄阳" not in result.body.decode("utf-8")
    assert result.filename == "baomi-kg-chain-420600-guid-offi-as-of-2009-06-30.ttl"
    # Every node of the projection is described: the RDF and the graph tools' files draw the same bodies.
    d3 = json.loads(export(kg, "d3", scope, as_of=date(2009, 6, 30)).body)
    assert {rdflib.URIRef(n["iri"]) for n in d3["nodes"]} == set(g.subjects(RDFS.label, None))
    assert len(d3["links"]) * 2 == sum(1 for t in g if t[1] in (BM.guides, BM.guidedBy, BM.hasOffice, BM.officeOf))


@pytest.mark.parametrize("fmt", [f.name for f in EXPORT_FORMATS if not f.picture])
def test_every_format_exports_a_past_day(kg: KnowledgeGraph, fmt: str) -> None:
    result = export(kg, fmt, make_scope(chain="420600"), as_of=date(2009, 6, 30))
    text = result.body.decode("utf-8")
    assert "襄樊" in text and "襄阳" not in text, fmt
    assert result.filename.endswith(f"-as-of-2009-06-30.{result.format.extension}")


def test_today_is_the_export_without_a_day(kg: KnowledgeGraph) -> None:
    scope = make_scope(root="420000", depth=1)
    today = export(kg, "graphml", scope)
    assert b"as_of" not in today.body and "as-of" not in today.filename
    later: Any = export(kg, "d3", scope, as_of=date(2099, 1, 1))
    now = json.loads(export(kg, "d3", scope).body)
    past = json.loads(later.body)
    assert [n["name_zh"] for n in past["nodes"]] == [n["name_zh"] for n in now["nodes"]]
