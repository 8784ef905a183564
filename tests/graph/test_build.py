"""The build: reproducible, complete, and every structural link traceable to its passage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from graph.build.assemble import load_inputs
from graph.build.prebuilt import BUILD_MODULES, build, write_outputs
from graph.kg import KnowledgeGraph
from graph.namespaces import Vocab
from graph.sources.special import load_outside, load_special_bodies

V = Vocab()


@pytest.mark.slow
def test_two_builds_give_identical_sorted_nquads() -> None:
    first = build(V, validate=False).nquads
    second = build(V, validate=False).nquads
    assert first == second
    lines = first.splitlines()
    assert lines == sorted(lines) and len(lines) > 100_000


@pytest.mark.slow
def test_the_cached_prebuilt_graph_is_the_build(kg: KnowledgeGraph) -> None:
    from graph.build.prebuilt import prebuilt_path

    assert prebuilt_path(V).read_bytes() == build(V, validate=False).nquads


def test_fingerprint_covers_every_module_the_build_imports() -> None:
    code = (
        "import sys, graph.build.prebuilt; print(' '.join(name for name, m in sys.modules.items() "
        "if name.startswith('graph.') and not m.__file__.endswith('__init__.py')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert set(out.split()) <= set(BUILD_MODULES)


def test_stats_match_the_division_table(kg: KnowledgeGraph) -> None:
    stats = kg.stats()
    levels = load_inputs().divisions.count_by_level()
    # 金门县 (data/outside_divisions.csv) is in the table but has no CPC body, so no committee
    outside = len(load_outside())
    assert stats["committees"] == {
        "central": 1,
        "provincial": levels["provincial"],
        "municipal": levels["municipal"],
        "county": levels["county"] - outside,
    }
    assert levels["provincial"] == 31 and levels["municipal"] == 333 and 2800 < levels["county"] < 2900
    committees = sum(stats["committees"].values())
    assert stats["party_committees"] == committees
    special = kg.directory.count_by_level()["special"]  # the inferred bodies of 兵团, 师, 党工委 (graph/special.py)
    assert special == len(load_special_bodies())
    assert stats["offices"] == committees + stats["departmental"] + special  # type: ignore[operator]
    assert stats["regions"] == committees + outside
    assert stats["triples"] == stats["quads"], "a triple asserted in two named graphs would be seen twice"


def test_each_committee_has_exactly_one_office_and_one_party_committee(kg: KnowledgeGraph) -> None:
    rows = kg.backend.select(
        V.sparql_prologue()
        + """
        SELECT ?c (COUNT(DISTINCT ?o) AS ?offices) (COUNT(DISTINCT ?p) AS ?parties) WHERE {
          ?c a bm:PartyConfidentialityCommittee .
          OPTIONAL { ?c bm:hasOffice ?o } OPTIONAL { ?c bm:ledBy ?p }
        } GROUP BY ?c HAVING (COUNT(DISTINCT ?o) != 1 || COUNT(DISTINCT ?p) != 1)"""
    )
    assert rows == []


@pytest.mark.slow
def test_every_structural_link_has_its_supporting_passage(kg: KnowledgeGraph) -> None:
    prologue = V.sparql_prologue()
    links = (
        "bm:guidedBy bm:guides bm:reportsTo bm:hasOffice bm:officeOf bm:formedBy bm:ledBy bm:responsibleTo "
        "bm:leadsWorkOf bm:hasDuty bm:withinJurisdictionOf bm:headPost bm:memberPost bm:usuallyFromLeadershipOf"
    )
    total = kg.backend.select(
        prologue
        + f"""
        SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {links} }} GRAPH ?g {{ ?s ?p ?o }} }}"""
    )
    missing = kg.backend.select(
        prologue
        + f"""
        SELECT ?s ?p ?o WHERE {{
          VALUES ?p {{ {links} }}
          ?s ?p ?o .
          FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} ?g prov:wasDerivedFrom ?source .
                               {{ ?source a bm:Passage }} UNION {{ ?source a bm:Source }}
                               UNION {{ ?source a bm:Inference }} }}
        }} LIMIT 10"""
    )
    assert int(total[0]["n"].value) > 30_000  # type: ignore[union-attr]
    assert missing == []


def test_the_passage_of_a_guidance_link_is_ch5_1_p2(kg: KnowledgeGraph) -> None:
    rows = kg.backend.select(
        V.sparql_prologue()
        + """
        SELECT ?id WHERE {
          GRAPH ?g { committee:330106 bm:guidedBy committee:330100 }
          ?g prov:wasDerivedFrom ?passage . ?passage bm:passageId ?id .
        }"""
    )
    assert [r["id"].value for r in rows] == ["ch5.1.p2"]  # type: ignore[union-attr]


def test_division_facts_rest_on_the_division_source(kg: KnowledgeGraph) -> None:
    rows = kg.backend.select(
        V.sparql_prologue()
        + """
        SELECT DISTINCT ?source WHERE { GRAPH ?g { ?r bm:parentRegion ?p } ?g prov:wasDerivedFrom ?source }"""
    )
    assert [r["source"].value for r in rows] == [V.source("divisions")]  # type: ignore[union-attr]


@pytest.mark.slow
def test_write_outputs_in_every_format(tmp_path: Path) -> None:
    result = build(V, validate=False)
    files = write_outputs(result, V, tmp_path)
    formats = {
        "nquads": RdfFormat.N_QUADS,
        "trig": RdfFormat.TRIG,
        "jsonld": RdfFormat.JSON_LD,
        "ntriples": RdfFormat.N_TRIPLES,
        "turtle": RdfFormat.TURTLE,
    }
    counts = {
        kind: len(
            {
                q.triple if kind in ("ntriples", "turtle") else q
                for q in parse(path=str(files[kind]), format=formats[kind])
            }
        )
        for kind in formats
    }
    assert counts["nquads"] == counts["trig"] == counts["jsonld"] == len(result.quads)
    assert counts["ntriples"] == counts["turtle"] == counts["nquads"], "each triple sits in one named graph"


@pytest.mark.slow
def test_the_store_is_also_reachable_through_the_rdflib_api(kg: KnowledgeGraph) -> None:
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import RDFS
    from rdflib.query import ResultRow

    ds = kg.rdflib()
    bm = Namespace(V.ns)
    committee = URIRef(V.committee("441900"))
    assert ds.value(committee, bm.guidedBy) == URIRef(V.committee("440000"))
    assert Literal("中共东莞市委保密委员会", lang="zh") in set(ds.objects(committee, RDFS.label))
    # Read to its end: a result left half-read keeps Oxigraph's answer in a reference cycle, which the garbage
    # collector may free on another thread, where pyoxigraph refuses to drop it.
    [row] = list(ds.query("SELECT (COUNT(?c) AS ?n) WHERE { ?c a bm:CountyCommittee }", initNs={"bm": bm}))
    committees = kg.stats()["committees"]
    assert isinstance(row, ResultRow) and isinstance(committees, dict)
    assert int(row[0]) == committees["county"]
