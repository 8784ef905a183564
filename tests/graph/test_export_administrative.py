"""The administrative line in exports (``edges=administrative``): a secrecy bureau beside each committee of a
division and the centre, one body with its office (``bm:sameBodyAs``) and guided by the bureau of the next higher
division (``bm:bureauGuidedBy``), as the store holds them; read back from every format.  An export that does not
ask for the line is what it was before the line existed."""

from __future__ import annotations

import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

import networkx as nx
import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.namespace import RDF, RDFS

from graph.answers.jurisdiction import has_bureau
from graph.export.formats import export
from graph.export.projection import project
from graph.export.scope import make_scope
from graph.kg import KnowledgeGraph
from graph.vocab import DEFAULT_EDGE_KINDS, EDGE_KINDS, EdgeKind

PROVINCE = "330000"
SCOPE: dict[str, Any] = {"root": PROVINCE, "edges": "administrative"}
RDF_PARSERS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def province(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    return project(kg.directory, make_scope(**SCOPE))


def _kinds(g: Any) -> Counter[tuple[str, str, str]]:
    return Counter((u, v, d["kind"]) for u, v, d in g.edges(data=True))


def _bureaus(g: Any) -> set[str]:
    return {n for n, k in g.nodes(data="kind") if k == "bureau"}


# -- the scope and the projection -------------------------------------------------------------------------
def test_the_administrative_line_comes_only_when_asked_for() -> None:
    assert make_scope().edges == DEFAULT_EDGE_KINDS
    assert EdgeKind.ADMINISTRATIVE in EDGE_KINDS and EdgeKind.ADMINISTRATIVE not in DEFAULT_EDGE_KINDS
    both = make_scope(edges=["guidance", "administrative"])
    assert both.edges == ("guidance", "administrative")
    assert both.slug() == "all-guid-admi"
    assert make_scope(edges=",".join(EDGE_KINDS)).slug().endswith("-admi")
    assert EdgeKind.ADMINISTRATIVE.label("zh") == "行政管理（保密局）"


def test_a_bureau_beside_every_committee_of_a_province(kg: KnowledgeGraph, province: nx.MultiDiGraph) -> None:
    d = kg.directory
    committees = [c for c, _ in d.subtree(PROVINCE, 5)] + [d.committee(PROVINCE)]
    assert all(has_bureau(c) for c in committees)
    kinds = Counter(k for _, k in province.nodes(data="kind"))
    assert kinds == {"committee": len(committees), "office": len(committees), "bureau": len(committees)}
    for c in committees:
        data = province.nodes[f"bureau:{c.id}"]
        assert data["iri"] == kg.vocab.bureau(c.id)
        assert (data["name_zh"], data["name_en"]) == (c.office.nameplate_zh, c.office.nameplate_en)
        assert data["level"] == c.level and data["committee"] == c.id
    assert province.nodes["bureau:330100"]["short_zh"] == "杭州市保密局"
    assert province.nodes["bureau:330100"]["short_en"] == "Hangzhou Secrecy Bureau"
    expected: Counter[tuple[str, str, str]] = Counter()
    for c in committees:
        expected[(f"bureau:{c.id}", f"office:{c.id}", "administrative")] += 1
        if c.id != PROVINCE:  # the province's guiding bureau (国家保密局) is outside the scope
            expected[(f"bureau:{c.id}", f"bureau:{c.upper}", "administrative")] += 1
    assert _kinds(province) == expected
    predicates = Counter(p.rsplit("#", 1)[1] for _, _, p in province.edges(data="predicate"))
    assert predicates == {"sameBodyAs": len(committees), "bureauGuidedBy": len(committees) - 1}


def test_the_line_beside_the_party_line_in_a_chain(kg: KnowledgeGraph) -> None:
    g = project(kg.directory, make_scope(chain="330106", edges="guidance,office,administrative"))
    assert [n for n, k in g.nodes(data="kind") if k == "bureau"] == [
        "bureau:central",
        "bureau:330000",
        "bureau:330100",
        "bureau:330106",
    ]
    assert g.nodes["bureau:central"]["label"] == "国家保密局"
    guided = [(u, v) for u, v, p in g.edges(keys=True) if p == "bureauGuidedBy"]
    assert guided == [
        ("bureau:330000", "bureau:central"),
        ("bureau:330100", "bureau:330000"),
        ("bureau:330106", "bureau:330100"),
    ]
    assert {k for _, _, k in g.edges(data="kind")} == {"guidance", "office", "administrative"}


def test_the_whole_line_is_the_stores(kg: KnowledgeGraph) -> None:
    """Every bureau of the store is a node, and every sameBodyAs and bureauGuidedBy link of a bureau an edge: also
    where the line passes over a body off the division tree (a city of the corps is guided by the region's
    bureau)."""
    g = project(kg.directory, make_scope(edges="administrative"))
    v = kg.vocab
    rows = kg.backend.select(
        v.sparql_prologue()
        + "SELECT ?b ?p ?o WHERE { ?b a bm:SecrecyBureau ; ?p ?o . FILTER (?p IN (bm:sameBodyAs, bm:bureauGuidedBy)) }"
    )
    stored = {
        (b.value, p.value, o.value)
        for r in rows
        if isinstance(b := r["b"], NamedNode)
        and isinstance(p := r["p"], NamedNode)
        and isinstance(o := r["o"], NamedNode)
    }
    iri = {n: data["iri"] for n, data in g.nodes(data=True)}
    drawn = {(iri[u], p, iri[w]) for u, w, p in g.edges(data="predicate")}
    assert drawn == stored
    assert {iri[n] for n in _bureaus(g)} == {b for b, _, _ in stored}
    assert len(_bureaus(g)) == sum(1 for c in kg.directory.committees.values() if has_bureau(c))
    city = kg.directory.committee("659001")  # 石河子: its committee is guided by the corps division's
    assert city.upper and city.upper.startswith("xpcc")
    assert g.has_edge("bureau:659001", "bureau:650000", key="bureauGuidedBy")
    assert "bureau:xpcc" not in g and "bureau:xiongan" not in g  # bodies off the division tree: no bureau


# -- each format -------------------------------------------------------------------------------------------
_cache: dict[str, bytes] = {}


def exported(kg: KnowledgeGraph, fmt: str) -> bytes:
    if fmt not in _cache:
        _cache[fmt] = export(kg, fmt, make_scope(**SCOPE)).body
    return _cache[fmt]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "d3"])
def test_graph_tools_read_the_bureaus_back(kg: KnowledgeGraph, province: nx.MultiDiGraph, fmt: str) -> None:
    body = exported(kg, fmt)
    if fmt == "graphml":
        back = nx.read_graphml(io.BytesIO(body))
    elif fmt == "gexf":
        back = nx.read_gexf(io.BytesIO(body))
    else:
        back = nx.node_link_graph(json.loads(body), edges="links")
    assert _bureaus(back) == _bureaus(province)
    assert _kinds(back) == _kinds(province)
    assert {back.nodes[n]["label"] for n in _bureaus(back)} == {province.nodes[n]["label"] for n in _bureaus(province)}


def test_cytoscape_draws_the_bureaus(kg: KnowledgeGraph, province: nx.MultiDiGraph) -> None:
    doc = json.loads(exported(kg, "cytoscape"))
    nodes = doc["elements"]["nodes"]
    bureaus = [n for n in nodes if n["data"]["kind"] == "bureau"]
    assert {n["data"]["id"] for n in bureaus} == _bureaus(province)
    assert all("kind-bureau" in n["classes"].split() for n in bureaus)
    assert len({(n["position"]["x"], n["position"]["y"]) for n in nodes}) == len(nodes)  # none on another's spot
    edges = Counter((e["data"]["source"], e["data"]["target"], e["classes"]) for e in doc["elements"]["edges"])
    assert edges == _kinds(province)
    selectors = {rule["selector"] for rule in doc["style"]}
    assert {".kind-bureau", "edge.administrative"} <= selectors


def test_dot_and_mermaid_draw_the_bureaus(kg: KnowledgeGraph, province: nx.MultiDiGraph) -> None:
    dot = exported(kg, "dot").decode("utf-8")
    declared = set(re.findall(r'^  "(bureau:[^"]+)" \[id=', dot, flags=re.M))
    assert declared == _bureaus(province)
    links = Counter(re.findall(r'^  "([^"]+)" -> "([^"]+)" \[id="[^"]+", kind="([^"]+)"', dot, flags=re.M))
    assert links == _kinds(province)
    lines = exported(kg, "mermaid").decode("utf-8").splitlines()
    assert lines[1].endswith("==o administrative")
    shapes = [line for line in lines if re.match(r'^n[0-9a-f]+\[/"', line)]
    assert len(shapes) == len(_bureaus(province))
    arrows = [line for line in lines if re.match(r"^n[0-9a-f]+ ==o", line)]
    assert len(arrows) == province.number_of_edges()  # one arrow per linked pair: each pair has one link here
    assert any(line.startswith("classDef bureau ") for line in lines)


@pytest.mark.parametrize("fmt", list(RDF_PARSERS))
def test_rdf_describes_the_bureaus(kg: KnowledgeGraph, province: nx.MultiDiGraph, fmt: str) -> None:
    g = rdflib.Graph().parse(data=exported(kg, fmt), format=RDF_PARSERS[fmt])
    bm = rdflib.Namespace(kg.vocab.ns)
    bureaus = {rdflib.URIRef(province.nodes[n]["iri"]) for n in _bureaus(province)}
    assert set(g.subjects(RDF.type, bm.SecrecyBureau)) == bureaus
    for n in _bureaus(province):
        data = province.nodes[n]
        me, office = rdflib.URIRef(data["iri"]), rdflib.URIRef(kg.vocab.office(data["committee"]))
        assert (me, RDFS.label, rdflib.Literal(data["name_zh"], lang="zh")) in g
        assert (me, RDFS.label, rdflib.Literal(data["name_en"], lang="en")) in g
        assert (me, bm.sameBodyAs, office) in g and (office, bm.sameBodyAs, me) in g
        assert (me, bm.competentFor, rdflib.URIRef(kg.vocab.region(data["region"]))) in g
    guided = {(str(s), str(o)) for s, o in g.subject_objects(bm.bureauGuidedBy)}
    assert guided == {
        (province.nodes[u]["iri"], province.nodes[w]["iri"])
        for u, w, p in province.edges(keys=True)
        if p == "bureauGuidedBy"
    }
    assert not set(g.subject_objects(bm.guidedBy))  # the Party line's links were not asked for


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_a_picture_shows_the_bureaus(kg: KnowledgeGraph) -> None:
    scope = make_scope(root=PROVINCE, depth=1, edges="guidance,administrative")
    g = project(kg.directory, scope)
    svg = ET.fromstring(export(kg, "svg", scope).body)
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"浙江省保密局", "杭州市保密局"} <= texts
    assert any(t and t.endswith("行政管理（保密局）") for t in texts)  # the legend names the line
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(svg.findall(".//s:g[@class='node']", ns)) == g.number_of_nodes()
    assert len(svg.findall(".//s:g[@class='edge']", ns)) == g.number_of_edges()


# -- an export without the line ---------------------------------------------------------------------------
def test_an_export_that_does_not_ask_holds_no_bureau(kg: KnowledgeGraph) -> None:
    scope = make_scope(root=PROVINCE, depth=1)
    g = project(kg.directory, scope)
    assert not _bureaus(g) and "administrative" not in {k for _, _, k in g.edges(data="kind")}
    doc = json.loads(export(kg, "cytoscape", scope).body)
    assert not {".kind-bureau", "edge.administrative"} & {rule["selector"] for rule in doc["style"]}
    mermaid = export(kg, "mermaid", scope).body.decode("utf-8")
    assert "==o" not in mermaid and "classDef bureau" not in mermaid
    turtle = rdflib.Graph().parse(data=export(kg, "turtle", scope).body, format="turtle")
    assert not set(turtle.subject_objects(rdflib.URIRef(kg.vocab.term("sameBodyAs"))))
