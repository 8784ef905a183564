"""Exports read back by real consumers: networkx (GraphML, GEXF, D3), Graphviz (DOT), rdflib (RDF, compared as
graphs with the store's own triples of the same scope).  Every round trip runs on the whole graph and on a
subtree, in Chinese and in English; each export is made once per module."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

import networkx as nx
import pytest
import rdflib

from graph.errors import InvalidExport, InvalidRequest
from graph.export.formats import export
from graph.export.palette import LEVEL_COLOURS
from graph.export.projection import project
from graph.export.scope import make_scope
from graph.kg import KnowledgeGraph
from graph.vocab import EDGE_KINDS, EXPORT_FORMATS, LEVELS

FORMATS = {f.name: f for f in EXPORT_FORMATS}

SCOPES: dict[str, dict[str, Any]] = {
    "whole-zh": {"lang": "zh"},
    "whole-en": {"lang": "en"},
    "subtree-zh": {"root": "330000", "depth": 2, "lang": "zh"},
    "subtree-en": {"root": "330000", "depth": 2, "lang": "en"},
}
RDF_SCOPES: dict[str, dict[str, Any]] = {"whole": {}, "subtree": {"root": "330000", "depth": 2}}
RDF_PARSERS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def projections(kg: KnowledgeGraph) -> dict[str, Any]:
    return {name: project(kg.directory, make_scope(**args)) for name, args in SCOPES.items()}


_cache: dict[tuple[str, str], bytes] = {}


def exported(kg: KnowledgeGraph, fmt: str, scope: str) -> bytes:
    """Each (format, scope) exported once in this module."""
    key = (fmt, scope)
    if key not in _cache:
        args = SCOPES.get(scope) or RDF_SCOPES[scope]
        _cache[key] = export(kg, fmt, make_scope(**args)).body
    return _cache[key]


def _labels(g: Any) -> dict[str, str]:
    return {n: d["label"] for n, d in g.nodes(data=True)}


def _edge_kinds(g: Any) -> Counter[tuple[str, str, str]]:
    return Counter((u, v, d["kind"]) for u, v, d in g.edges(data=True))


# -- the projection -------------------------------------------------------------------------------------
def test_whole_graph_holds_every_committee_office_and_party_committee(
    kg: KnowledgeGraph, projections: dict[str, Any]
) -> None:
    g = projections["whole-zh"]
    kinds = Counter(k for _, k in g.nodes(data="kind"))
    d = kg.directory
    local = sum(1 for c in d.committees.values() if not c.departmental)
    departmental = len(d.committees) - local
    assert kinds == {
        "committee": local,
        "office": local + departmental,
        "party-committee": local,
        "departmental": departmental,
        "unit": departmental,
    }
    edges = Counter(k for _, _, k in g.edges(data="kind"))
    assert edges["guidance"] == local - 1  # every committee but the centre has one guiding committee
    special = sum(1 for c in d.committees.values() if c.special is not None)  # no duty to report (graph/special.py)
    assert edges["reporting"] == 2 * (local - 1 - special)  # to its Party committee and to the upper committee
    assert edges["leadership"] == 3 * local  # formed by, led by, responsible to
    assert edges["office"] == local + departmental


def test_subtree_is_the_root_and_its_committees_to_the_depth(kg: KnowledgeGraph, projections: dict[str, Any]) -> None:
    g = projections["subtree-en"]
    committees = {d["committee"] for _, d in g.nodes(data=True) if d["kind"] == "committee"}
    assert committees == {"330000"} | {c.id for c, _ in kg.directory.subtree("330000", 2)}
    assert g.nodes["committee:330106"]["label"] == kg.directory.committee("330106").short_en


def test_chain_scope_and_filters(kg: KnowledgeGraph) -> None:
    chain = project(kg.directory, make_scope(chain="330106"))
    assert [n for n, k in chain.nodes(data="kind") if k == "committee"] == [
        "committee:central",
        "committee:330000",
        "committee:330100",
        "committee:330106",
    ]
    only = project(kg.directory, make_scope(root="330000", depth=1, edges="guidance", levels=["municipal"]))
    assert {d["kind"] for _, d in only.nodes(data=True)} == {"committee"}
    assert only.number_of_edges() == 0  # the province is filtered out, so no guidance link is left
    offices = project(kg.directory, make_scope(root="330100", depth=1, edges=["office"]))
    assert {d["kind"] for _, d in offices.nodes(data=True)} == {"committee", "office"}
    assert {k for _, _, k in offices.edges(data="kind")} == {"office"}


def test_expand_shows_subordinates_beyond_the_depth(kg: KnowledgeGraph) -> None:
    g = project(kg.directory, make_scope(depth=1, expand=["330000", "330100"], edges="guidance"))
    ids = {d["committee"] for _, d in g.nodes(data=True)}
    assert {"central", "330000", "330100", "330106"} <= ids
    assert "330206" not in ids  # 宁波's counties: 330200 is not expanded
    # departmental bodies come with departmental edges only
    subs = kg.directory.subordinates
    assert len(ids) == 1 + len(subs["central"]) + len(subs["330000"]) + len(subs["330100"])


@pytest.mark.parametrize(
    ("args", "parameter", "allowed"),
    [
        ({"lang": "fr"}, "lang", ["zh", "en"]),
        ({"levels": "county,village"}, "level", list(LEVELS)),
        ({"edges": "friendship"}, "edges", list(EDGE_KINDS)),
        ({"edges": ""}, "edges", list(EDGE_KINDS)),
        ({"depth": -1}, "depth", []),
        ({"chain": "330106", "root": "330000"}, "chain", []),
    ],
)
def test_bad_scopes_name_the_parameter_and_the_valid_values(
    args: dict[str, Any], parameter: str, allowed: list[str]
) -> None:
    with pytest.raises(InvalidExport) as caught:
        make_scope(**args)
    assert caught.value.parameter == parameter
    assert caught.value.allowed == allowed
    assert isinstance(caught.value, InvalidRequest)
    for value in allowed:
        assert value in str(caught.value)


@pytest.mark.parametrize(
    ("args", "parameter"),
    [
        ({"root": "999999"}, "root"),
        ({"root": "朝阳区"}, "root"),  # ambiguous: 北京 and 长春
        ({"chain": "nowhere-at-all"}, "chain"),
        ({"root": "330106", "levels": "provincial"}, "level"),  # nothing left
    ],
)
def test_impossible_scopes(kg: KnowledgeGraph, args: dict[str, Any], parameter: str) -> None:
    with pytest.raises(InvalidExport) as caught:
        export(kg, "dot", make_scope(**args))
    assert caught.value.parameter == parameter


def test_unknown_format_lists_the_formats(kg: KnowledgeGraph) -> None:
    with pytest.raises(InvalidExport) as caught:
        export(kg, "pdf", make_scope(chain="330106"))
    assert caught.value.allowed == list(FORMATS)


def test_root_by_name_and_pinyin(kg: KnowledgeGraph) -> None:
    by_name = export(kg, "d3", make_scope(root="浙江", depth=1))
    by_code = export(kg, "d3", make_scope(root="330000", depth=1))
    assert by_name.body == by_code.body
    assert by_name.filename == by_code.filename == "baomi-kg-330000-depth1-zh.json"
    assert export(kg, "d3", make_scope(root="zhejiang", depth=1)).body == by_code.body


def test_exports_are_deterministic(kg: KnowledgeGraph) -> None:
    scope = make_scope(root="330100", depth=1)
    for fmt in ("graphml", "gexf", "cytoscape", "d3", "dot", "mermaid", "turtle"):
        assert export(kg, fmt, scope).body == export(kg, fmt, scope).body, fmt


# -- networkx -------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("scope", list(SCOPES))
def test_graphml_reads_back_in_networkx(kg: KnowledgeGraph, projections: dict[str, Any], scope: str) -> None:
    g = projections[scope]
    body = exported(kg, "graphml", scope)
    back = nx.read_graphml(io.BytesIO(body))
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert _labels(back) == _labels(g)  # the label also comes back from yEd's NodeLabel
    assert _edge_kinds(back) == _edge_kinds(g)
    root = ET.fromstring(body)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
    # each edge's id is its XML id (networkx reads it as the edge key), not also a data column igraph refuses
    assert {k for _, _, k in back.edges(keys=True)} == {i for _, _, i in g.edges(data="id")}
    assert not [k for k in root.findall("g:key", ns) if k.get("for") == "edge" and k.get("attr.name") == "id"]
    shapes = root.findall(".//g:node/g:data/y:ShapeNode", ns)
    assert len(shapes) == g.number_of_nodes()  # yEd draws every node with its label and fill


@pytest.mark.slow
@pytest.mark.parametrize("scope", list(SCOPES))
def test_gexf_reads_back_in_networkx(kg: KnowledgeGraph, projections: dict[str, Any], scope: str) -> None:
    g = projections[scope]
    body = exported(kg, "gexf", scope)
    assert b'xmlns="http://gexf.net/1.3"' in body and b'version="1.3"' in body
    back = nx.read_gexf(io.BytesIO(body))
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert _labels(back) == _labels(g)
    assert Counter(k for _, _, k in back.edges(data="kind")) == Counter(k for _, _, k in g.edges(data="kind"))
    for n, d in back.nodes(data=True):
        if d["kind"] == "committee":
            colour = LEVEL_COLOURS[d["level"]]
            assert d["viz"]["color"]["r"] == int(colour[1:3], 16), n
    sizes = {d["level"]: d["viz"]["size"] for _, d in back.nodes(data=True) if d["kind"] == "committee"}
    ordered = [sizes[level] for level in ("central", "provincial", "municipal", "county") if level in sizes]
    assert ordered == sorted(ordered, reverse=True)


@pytest.mark.parametrize("scope", list(SCOPES))
def test_d3_node_link_reads_back_in_networkx(kg: KnowledgeGraph, projections: dict[str, Any], scope: str) -> None:
    g = projections[scope]
    data = json.loads(exported(kg, "d3", scope))
    assert set(data) >= {"nodes", "links"}
    back = nx.node_link_graph(data, edges="links")
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert _labels(back) == _labels(g)


@pytest.mark.parametrize("scope", list(SCOPES))
def test_cytoscape_elements_have_ids_and_positions(kg: KnowledgeGraph, projections: dict[str, Any], scope: str) -> None:
    g = projections[scope]
    data = json.loads(exported(kg, "cytoscape", scope))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    ids = [n["data"]["id"] for n in nodes]
    assert len(ids) == len(set(ids)) == g.number_of_nodes()
    edge_ids = [e["data"]["id"] for e in edges]
    assert len(edge_ids) == len(set(edge_ids)) == g.number_of_edges()
    known = set(ids)
    assert all(e["data"]["source"] in known and e["data"]["target"] in known for e in edges)
    assert all({"x", "y"} <= set(n["position"]) for n in nodes)
    assert len({(n["position"]["x"], n["position"]["y"]) for n in nodes}) == len(nodes)  # no two on one spot


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_mermaid_has_a_line_per_node_and_one_arrow_per_linked_pair_and_kind(kg: KnowledgeGraph, lang: str) -> None:
    scope = make_scope(root="330100", depth=1, lang=lang)
    g = project(kg.directory, scope)
    lines = export(kg, "mermaid", scope).body.decode("utf-8").splitlines()
    assert lines[2].startswith("flowchart ")
    declared = [line for line in lines if re.match(r"^n[0-9a-f]+[\[\(\{]", line)]
    assert len(declared) == g.number_of_nodes()
    assert {line.split('"')[1] for line in declared} == {d["label"] for _, d in g.nodes(data=True)}
    arrows = [line for line in lines if re.match(r"^n[0-9a-f]+ (-->|-\.->|--o|==>|-\.-o)\|", line)]
    assert len(arrows) == len({(u, v, k) for u, v, k in g.edges(data="kind")})  # formed by, led by, resp. to: one


# -- Graphviz ---------------------------------------------------------------------------------------------
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def _gvpr(program: str, dot: bytes) -> list[list[str]]:
    done = subprocess.run(["gvpr", program], input=dot, capture_output=True, check=True, timeout=120)
    return [line.split("\t") for line in done.stdout.decode("utf-8").splitlines()]


@pytest.mark.slow
@needs_graphviz
@pytest.mark.parametrize("scope", list(SCOPES))
def test_dot_is_parsed_by_graphviz(kg: KnowledgeGraph, projections: dict[str, Any], scope: str) -> None:
    g = projections[scope]
    dot = exported(kg, "dot", scope)
    nodes = _gvpr('N {printf("%s\\t%s\\n", $.name, $.label)}', dot)
    assert len(nodes) == g.number_of_nodes()
    labels = {name: label for name, label in nodes}
    for n, d in g.nodes(data=True):
        assert labels[n].startswith(d["label"]), n
    edges = _gvpr('E {printf("%s\\t%s\\t%s\\n", $.tail.name, $.head.name, $.kind)}', dot)
    assert Counter(map(tuple, edges)) == _edge_kinds(g)


@needs_graphviz
@pytest.mark.parametrize("scope", ["subtree-zh", "subtree-en"])
def test_dot_renders(kg: KnowledgeGraph, projections: dict[str, Any], scope: str) -> None:
    g = projections[scope]
    done = subprocess.run(
        ["dot", "-Tsvg"], input=exported(kg, "dot", scope), capture_output=True, check=True, timeout=300
    )
    svg = ET.fromstring(done.stdout)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(svg.findall(".//s:g[@class='node']", ns)) == g.number_of_nodes()
    assert len(svg.findall(".//s:g[@class='edge']", ns)) == g.number_of_edges()
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert g.nodes["committee:330100"]["label"] in texts


@needs_graphviz
def test_pictures(kg: KnowledgeGraph) -> None:
    svg = export(kg, "svg", make_scope(chain="330106"))
    assert svg.media_type == "image/svg+xml"
    texts = {t.text for t in ET.fromstring(svg.body).iter("{http://www.w3.org/2000/svg}text")}
    assert {"西湖区保密委", "杭州市保密委", "浙江省保密委", "中央保密委"} <= texts
    png = export(kg, "png", make_scope(root="640000", depth=1, lang="en"))
    assert png.body[:8] == b"\x89PNG\r\n\x1a\n" and png.format.binary
    width, height = int.from_bytes(png.body[16:20], "big"), int.from_bytes(png.body[20:24], "big")
    assert width > 300 and height > 300


def test_pictures_of_large_scopes_can_be_refused(kg: KnowledgeGraph) -> None:
    with pytest.raises(InvalidExport) as caught:
        export(kg, "svg", make_scope(), max_picture_nodes=1500)
    assert "dot" in caught.value.allowed and "svg" not in caught.value.allowed


# -- RDF ----------------------------------------------------------------------------------------------------
_SCOPE_QUERY = """
SELECT DISTINCT ?n WHERE {
  { %(committees)s }
  ?c (bm:hasOffice|bm:ledBy|bm:ofUnit)? ?n .
}"""
_WHOLE = "{ ?c a bm:PartyConfidentialityCommittee } UNION { ?c a bm:DepartmentalBody }"
_SUBTREE = (
    "{ BIND (committee:330000 AS ?c) } UNION { ?c bm:guidedBy committee:330000 } UNION "
    "{ ?c bm:guidedBy/bm:guidedBy committee:330000 }"
)


@pytest.fixture(scope="module")
def store_scopes(kg: KnowledgeGraph) -> dict[str, rdflib.Graph]:
    """What the store holds about each scope, found without the export code: the scope's nodes by SPARQL, then
    every stored triple about them with a descriptive predicate, or a link predicate to another node of it."""
    from pyoxigraph import NamedNode, RdfFormat, serialize

    from graph.export.projection import LINKS
    from graph.export.rdf import DESCRIPTIVE, DESCRIPTIVE_TERMS
    from graph.store.backend import EmbeddedBackend

    v = kg.vocab
    assert isinstance(kg.backend, EmbeddedBackend)  # read below through pyoxigraph's own API
    store = kg.backend.store
    descriptive = {*DESCRIPTIVE, *(v.term(t) for t in DESCRIPTIVE_TERMS)}
    links = {v.term(p) for link in LINKS for p in (link.predicate, link.inverse) if p}
    out = {}
    for name, committees in (("whole", _WHOLE), ("subtree", _SUBTREE)):
        rows = kg.backend.select(v.sparql_prologue() + _SCOPE_QUERY % {"committees": committees})
        nodes = {n.value for r in rows if isinstance(n := r["n"], NamedNode)}
        triples = []
        for iri in nodes:
            for q in store.quads_for_pattern(NamedNode(iri), None, None, None):
                p, o = q.predicate.value, q.object
                if p in descriptive or (p in links and isinstance(o, NamedNode) and o.value in nodes):
                    triples.append(q.triple)
        graph = rdflib.Graph()
        graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
        out[name] = graph
    return out


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(RDF_PARSERS))
@pytest.mark.parametrize("scope", list(RDF_SCOPES))
def test_rdf_is_the_stores_scope(
    kg: KnowledgeGraph, store_scopes: dict[str, rdflib.Graph], fmt: str, scope: str
) -> None:
    parsed = rdflib.Graph()
    parsed.parse(data=exported(kg, fmt, scope), format=RDF_PARSERS[fmt])
    expected = store_scopes[scope]
    # Both graphs are ground (no blank nodes): isomorphic exactly when their triple sets are equal.
    missing, extra = set(expected) - set(parsed), set(parsed) - set(expected)
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])


@pytest.mark.slow
@pytest.mark.parametrize("scope", ["whole-zh", "subtree-en"])
def test_rdf_links_are_the_projections_edges(
    kg: KnowledgeGraph, projections: dict[str, Any], store_scopes: dict[str, rdflib.Graph], scope: str
) -> None:
    g = projections[scope]
    rdf = store_scopes[scope.split("-")[0]]
    iri = {n: d["iri"] for n, d in g.nodes(data=True)}
    assert {str(s) for s in rdf.subjects()} == set(iri.values())
    expected: set[tuple[str, str, str]] = set()
    for u, v, d in g.edges(data=True):
        expected.add((iri[u], d["predicate"], iri[v]))
        if d["inverse"]:
            expected.add((iri[v], d["inverse"], iri[u]))
    nodes = set(iri.values())
    found = {(str(s), str(p), str(o)) for s, p, o in rdf if str(o) in nodes}
    assert found == expected


def test_format_aliases_are_the_suffixes_of_linked_data() -> None:
    from graph.export.formats import check_format

    assert [check_format(a).name for a in ("ttl", "nt", "rdf", "TTL", "json-ld")] == [
        "turtle",
        "ntriples",
        "rdfxml",
        "turtle",
        "jsonld",
    ]


def test_gexf_carries_no_networkx_key_column(kg: Any) -> None:
    from graph.export.formats import export
    from graph.export.scope import make_scope

    body = export(kg, "gexf", make_scope(root="330000", depth=1)).body
    assert b"networkx_key" not in body
    g = nx.read_gexf(io.BytesIO(body))
    assert g.number_of_edges() > 10


def test_cytoscape_json_carries_its_style(kg: Any) -> None:
    from graph.export.formats import export
    from graph.export.scope import make_scope

    doc = json.loads(export(kg, "cytoscape", make_scope(root="330000", depth=1)).body)
    selectors = {rule["selector"]: rule["style"] for rule in doc["style"]}
    assert selectors["node"]["label"] == "data(label)"
    assert selectors[".level-provincial"]["background-color"] == LEVEL_COLOURS["provincial"]
    assert "line-color" in selectors["edge.guidance"]


def test_rdfxml_export_parses(kg: Any) -> None:
    from graph.export.formats import export
    from graph.export.scope import make_scope

    body = export(kg, "rdf", make_scope(chain="330106")).body
    assert len(rdflib.Graph().parse(data=body, format="xml")) > 10
