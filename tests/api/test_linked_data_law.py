"""Linked Data of the administrative line: a secrecy bureau, an article, a rule and a legal instrument dereference
under /id/ as HTML, Turtle and JSON-LD, each format the same graph, with the labels of what they mention."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from tests.helpers.responses import PROBLEM, Response

BASE = "https://w3id.org/baomi-kg/"
BM = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
PARSERS = {"text/turtle": "turtle", "application/ld+json": "json-ld"}
PATHS = ["bureau/330106", "bureau/central", "article/bmf-2024-art6", "rule/leak-report", "source/bmtl-2024"]


def parse(r: Response) -> Graph:
    assert r.status_code == 200, r.text
    return Graph().parse(data=r.content, format=PARSERS[r.headers["content-type"].split(";")[0]])


def texts(g: Graph, subject: URIRef, predicate: URIRef) -> dict[str, str]:
    """The language-tagged literals of a subject and predicate, by language."""
    return {o.language: str(o) for o in g.objects(subject, predicate) if isinstance(o, Literal) and o.language}


def number(g: Graph, subject: URIRef, predicate: URIRef) -> int:
    value = g.value(subject, predicate)
    assert isinstance(value, Literal)
    return int(value)


@pytest.fixture(scope="module")
def graphs(client: TestClient) -> dict[str, Graph]:
    """Each resource's Turtle document, read once."""
    return {path: parse(client.get(f"/id/{path}.ttl")) for path in PATHS}


@pytest.mark.parametrize("path", PATHS)
def test_turtle_and_json_ld_are_the_same_graph(client: TestClient, graphs: dict[str, Graph], path: str) -> None:
    negotiated = parse(client.get(f"/id/{path}", headers={"Accept": "application/ld+json"}))
    assert set(negotiated) == set(graphs[path])
    assert set(parse(client.get(f"/id/{path}.jsonld"))) == set(graphs[path])
    me = ID[path]
    for lang in ("zh", "en"):  # the resource and every IRI it links to under id/ carry a label in both languages
        for node in {me} | {o for o in graphs[path].objects(me) if isinstance(o, URIRef) and o.startswith(ID)}:
            assert lang in texts(graphs[path], node, RDFS.label), (node, lang)


@pytest.mark.parametrize("path", PATHS)
def test_the_html_page_is_titled_by_the_labels(client: TestClient, graphs: dict[str, Graph], path: str) -> None:
    r = client.get(f"/id/{path}", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    title = html.unescape(re.search(r"<title>(.*?)</title>", r.text, re.S).group(1))  # type: ignore[union-attr]
    labels = texts(graphs[path], ID[path], RDFS.label)
    assert title == f"{labels['zh']} · {labels['en']}"
    assert f'href="/id/{path}.ttl"' in r.text and f'href="/id/{path}.jsonld"' in r.text


def test_a_bureau_is_one_body_with_its_office_and_guided_from_above(graphs: dict[str, Graph]) -> None:
    g, me = graphs["bureau/330106"], ID["bureau/330106"]
    office = ID["office/330106"]
    assert (me, RDF.type, BM.SecrecyBureau) in g
    assert (me, RDFS.label, Literal("杭州市西湖区国家保密局", lang="zh")) in g
    assert (me, BM.sameBodyAs, office) in g and (office, BM.sameBodyAs, me) in g
    assert (me, BM.bureauGuidedBy, ID["bureau/330100"]) in g
    assert (me, BM.competentFor, ID["region/330106"]) in g
    assert (ID["bureau/330100"], RDFS.label, Literal("杭州市国家保密局", lang="zh")) in g
    top = graphs["bureau/central"]
    assert (ID["bureau/central"], RDFS.label, Literal("国家保密局", lang="zh")) in top
    assert not list(top.objects(ID["bureau/central"], BM.bureauGuidedBy))
    assert (ID["bureau/330000"], BM.bureauGuidedBy, ID["bureau/central"]) in top  # incoming


def test_an_article_is_part_of_its_instrument_and_the_basis_of_rules(graphs: dict[str, Graph]) -> None:
    g, me = graphs["article/bmf-2024-art6"], ID["article/bmf-2024-art6"]
    assert (me, RDF.type, BM.Article) in g
    assert (me, DCTERMS.isPartOf, ID["source/bmf-2024"]) in g
    assert number(g, me, BM.articleNumber) == 6
    assert (me, RDFS.label, Literal("《保守国家秘密法》（2024）第六条", lang="zh")) in g
    assert "en" in texts(g, me, DCTERMS.description)
    assert {s for s in g.subjects(BM.basis, me)} == {ID["rule/competence-national"], ID["rule/competence-local"]}


def test_a_rule_names_its_time_limit_and_basis(graphs: dict[str, Graph]) -> None:
    g, me = graphs["rule/leak-report"], ID["rule/leak-report"]
    assert (me, RDF.type, BM.LegalRule) in g
    assert number(g, me, BM.withinHours) == 24
    assert set(g.objects(me, BM.basis)) == {ID["article/bmf-2024-art47"], ID["article/bmtl-2024-art61p1"]}
    assert (ID["article/bmf-2024-art47"], RDFS.label, Literal("《保守国家秘密法》（2024）第四十七条", lang="zh")) in g


def test_an_instrument_has_its_number_title_and_articles(graphs: dict[str, Graph]) -> None:
    g, me = graphs["source/bmtl-2024"], ID["source/bmtl-2024"]
    assert (me, RDF.type, BM.LegalInstrument) in g
    assert str(g.value(me, BM.documentNumber)) == "中华人民共和国国务院令第786号"
    assert "en" in texts(g, me, DCTERMS.title)
    assert (ID["article/bmtl-2024-art3"], DCTERMS.isPartOf, me) in g  # its articles point to it


def test_no_bureau_for_a_body_off_the_division_tree(client: TestClient) -> None:
    r = client.get("/id/bureau/xpcc.ttl")
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
