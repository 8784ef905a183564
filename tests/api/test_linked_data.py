"""Linked Data: dereferenceable IRIs under /id/, the ontology and VoID, each format parsed back as a graph."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, VOID

from graph.kg import KnowledgeGraph
from tests.helpers.responses import PROBLEM, Response, problem
from tests.helpers.server import LiveServer

BASE = "https://w3id.org/baomi-kg/"
BM = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

FORMATS = {  # rdflib parser name by media type
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def parse(r: Response) -> Graph:
    assert r.status_code == 200, r.text
    media = r.headers["content-type"].split(";")[0]
    return Graph().parse(data=r.content, format=FORMATS[media])


# -- one resource ------------------------------------------------------------------------------------
def test_every_format_of_a_committee_is_the_same_graph(client: TestClient) -> None:
    graphs = {media: parse(client.get("/id/committee/330106", headers={"Accept": media})) for media in FORMATS}
    triples = {media: set(g) for media, g in graphs.items()}
    turtle = triples["text/turtle"]
    assert len(turtle) > 50
    for media, found in triples.items():
        assert found == turtle, media


def test_the_description_holds_outgoing_incoming_and_labels(client: TestClient) -> None:
    g = parse(client.get("/id/committee/330106.ttl"))
    me, upper = ID["committee/330106"], ID["committee/330100"]
    assert (me, BM.guidedBy, upper) in g
    assert (upper, BM.guides, me) in g  # incoming
    assert (ID["office/330106"], BM.officeOf, me) in g
    assert (me, RDFS.label, Literal("中共杭州市西湖区委保密委员会", lang="zh")) in g
    assert (upper, RDFS.label, Literal("中共杭州市委保密委员会", lang="zh")) in g  # label of what it mentions
    assert (BM.guidedBy, RDFS.label, Literal("guided and supervised by", lang="en")) in g
    assert set(g.objects(me, BM.hasDuty)) == {ID[f"duty/{n}"] for n in range(1, 9)}


def test_the_description_is_what_the_store_holds(client: TestClient, kg: KnowledgeGraph) -> None:
    iri = BASE + "id/committee/110105"
    g = parse(client.get("/id/committee/110105.nt"))
    rows = kg.backend.select(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    assert len(set(g.predicate_objects(URIRef(iri)))) == len(rows)
    incoming = kg.backend.select(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }}")
    assert len(set(g.subject_predicates(URIRef(iri)))) == len(incoming)


def test_a_duty_lists_every_committee_carrying_it(client: TestClient, kg: KnowledgeGraph) -> None:
    g = parse(client.get("/id/duty/7.nt"))
    carriers = set(g.subjects(BM.hasDuty, ID["duty/7"]))
    # the local committees: the bodies off the division tree (兵团, 师, 雄安) carry no duty of the text
    local = [
        c
        for c in kg.directory.committees.values()
        if c.level in ("provincial", "municipal", "county") and c.special is None
    ]
    assert len(carriers) == len(local) == 31 + 333 + 2846
    page = client.get("/id/duty/7.html").text
    more = re.search(r'… (\d+) more \(<a href="(/sparql\?query=[^"]+)"', page)  # the page lists the first hundred
    assert more and int(more.group(1)) == len(local) - 100
    listed = client.get(html.unescape(more.group(2)), headers={"Accept": "application/sparql-results+json"})
    assert len(listed.json()["results"]["bindings"]) == len(local)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("text/plain", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/html", "text/html"),
        ("application/xhtml+xml", "text/html"),
        (BROWSER, "text/html"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("text/*", "text/turtle"),
        ("image/png, text/html;q=0.1", "text/html"),
    ],
)
def test_accept_table(client: TestClient, accept: str | None, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = client.get("/id/region/330100", headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert "Accept" in r.headers["vary"].split(", ")
    suffix = {
        "text/turtle": "ttl",
        "application/n-triples": "nt",
        "application/ld+json": "jsonld",
        "application/rdf+xml": "rdf",
        "text/html": "html",
    }[media]
    assert r.headers["content-location"] == f"/id/region/330100.{suffix}"


@pytest.mark.parametrize(
    ("suffix", "media"),
    [
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("html", "text/html"),
    ],
)
def test_a_suffix_overrides_accept(client: TestClient, suffix: str, media: str) -> None:
    accept = "image/png" if suffix != "html" else "text/turtle"
    r = client.get(f"/id/committee/330106.{suffix}", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    if media != "text/html":
        assert (ID["committee/330106"], BM.guidedBy, ID["committee/330100"]) in parse(r)


def test_nothing_acceptable_is_406_naming_the_offers(client: TestClient) -> None:
    body = problem(client.get("/id/committee/330106", headers={"Accept": "image/png"}), 406)
    assert body["type"].endswith("/problems/not-acceptable")
    assert {"text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml", "text/html"} <= set(
        body["offered"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/id/committee/999999",
        "/id/committee/330106.xyz",
        "/id/nothing",
        "/id/a%3Eb",
        "/id/a%20b",
        "/id/%7Bx%7D",
        "/id/committee/330106/extra",
        "/id/",
        "/id/region/杭州",
    ],
)
def test_unknown_or_impossible_iris_are_404(client: TestClient, path: str) -> None:
    body = problem(client.get(path), 404)
    assert body["type"].endswith("/problems/not-found")


def test_html_page(client: TestClient) -> None:
    r = client.get("/id/committee/330106", headers={"Accept": BROWSER})
    page = r.text
    title = re.search(r"<title>(.*?)</title>", page)
    assert title and title.group(1) == (
        "中共杭州市西湖区委保密委员会 · Confidentiality Committee of the CPC Xihu District Committee (Hangzhou)"
    )
    for link in (
        'href="/api/v1/committees/330106">JSON (REST)',
        'href="/id/committee/330106.ttl">Turtle',
        'href="/id/committee/330106.jsonld">JSON-LD',
        'href="/id/committee/330106.nt">N-Triples',
        ">SPARQL DESCRIBE</a>",
        'href="/id/committee/330100"',
        'href="/ontology#guidedBy"',
    ):
        assert link in page, link
    assert '<span lang="zh">西湖区保密委</span> <small class="tag">@zh</small>' in page
    assert "<script" not in page and "src=" not in page  # no JavaScript, nothing fetched from elsewhere


@pytest.mark.slow
def test_html_links_dereference(client: TestClient) -> None:
    page = client.get("/id/committee/330106.html").text
    links = sorted(set(re.findall(r'href="(/(?:id|api)/[^"#]+)"', page)))
    assert len(links) > 10
    for link in links:
        assert client.get(link).status_code == 200, link


def test_head(client: TestClient) -> None:
    r = client.head("/id/committee/330106.ttl")
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-type"].startswith("text/turtle")


# -- ontology ----------------------------------------------------------------------------------------
def test_ontology_in_turtle_declares_the_classes(client: TestClient) -> None:
    g = parse(client.get("/ontology.ttl"))
    assert (BM.ConfidentialityCommittee, RDF.type, OWL.Class) in g
    assert (BM.guidedBy, RDF.type, OWL.ObjectProperty) in g
    assert (URIRef(BASE + "ontology"), RDF.type, OWL.Ontology) in g
    assert not any(str(s).startswith(BASE + "id/committee/") for s in g.subjects())  # the ontology alone


def test_ontology_formats_agree(client: TestClient) -> None:
    turtle = set(parse(client.get("/ontology", headers={"Accept": "text/turtle"})))
    for media in ("application/ld+json", "application/n-triples", "application/rdf+xml"):
        assert set(parse(client.get("/ontology", headers={"Accept": media}))) == turtle, media
    assert set(parse(client.get("/ontology.jsonld"))) == turtle


def test_ontology_html_lists_classes_and_properties(client: TestClient) -> None:
    r = client.get("/ontology", headers={"Accept": BROWSER})
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<tr id="ConfidentialityCommittee">' in page and '<tr id="guidedBy">' in page
    assert ">保密委员会</td>" in page and ">confidentiality committee</td>" in page
    assert "Object properties" in page and "Classes" in page
    assert client.get("/ontology.html").text == page


def test_ontology_unknown_suffix_and_406(client: TestClient) -> None:
    problem(client.get("/ontology.pdf"), 404)
    problem(client.get("/ontology", headers={"Accept": "image/png"}), 406)


# -- VoID ---------------------------------------------------------------------------------------------
def test_void(client: TestClient, kg: KnowledgeGraph) -> None:
    g = parse(client.get("/.well-known/void"))
    dataset = URIRef(BASE + "id/dataset")
    assert (dataset, RDF.type, VOID.Dataset) in g
    assert int(str(g.value(dataset, VOID.triples))) == kg.backend.count()
    assert str(g.value(dataset, VOID.uriSpace)) == BASE + "id/"
    assert str(g.value(dataset, VOID.sparqlEndpoint)) == "http://127.0.0.1:8000/sparql"  # the public base, not Host
    assert URIRef(BASE + "ontology") in set(g.objects(dataset, VOID.vocabulary))
    assert g.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    subsets = set(g.objects(dataset, VOID.subset))
    assert {str(s) for s in subsets} == set(kg.graphs)
    assert sum(int(str(g.value(s, VOID.triples))) for s in subsets) == kg.backend.count()
    p2 = URIRef(BASE + "graph/passage/ch5.1.p2")
    assert g.value(p2, PROV.wasDerivedFrom) == ID["passage/ch5.1.p2"]
    for example in g.objects(dataset, VOID.exampleResource):
        assert client.get(str(example).replace(BASE, "/")).status_code == 200, example


def test_void_negotiates_and_is_the_dataset_iri(client: TestClient) -> None:
    turtle = set(parse(client.get("/.well-known/void")))
    assert set(parse(client.get("/.well-known/void", headers={"Accept": "application/ld+json"}))) == turtle
    assert set(parse(client.get("/id/dataset.nt"))) == turtle
    problem(client.get("/.well-known/void", headers={"Accept": "image/png"}), 406)


# -- a real server ----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_linked_data_on_a_real_server(live_server: LiveServer, kg: KnowledgeGraph) -> None:
    r = httpx.get(live_server.url + "/id/committee/330106", headers={"Accept": "application/ld+json"})
    assert "Accept" in r.headers["vary"].split(", ")
    assert (ID["committee/330106"], BM.guidedBy, ID["committee/330100"]) in parse(r)
    void = parse(httpx.get(live_server.url + "/.well-known/void"))
    dataset = URIRef(BASE + "id/dataset")
    assert str(void.value(dataset, VOID.sparqlEndpoint)) == live_server.url + "/sparql"
    assert int(str(void.value(dataset, VOID.triples))) == kg.backend.count()
    head = httpx.head(live_server.url + "/ontology.ttl")
    assert head.status_code == 200 and head.content == b""
    missing = httpx.get(live_server.url + "/id/committee/000000")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
