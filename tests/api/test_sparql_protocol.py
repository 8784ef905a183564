"""SPARQL 1.1 Protocol against a real uvicorn server: golden cases (tests/golden/sparql/*.json) for every
method, result format, the Accept table and the error cases, then real clients."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.helpers.golden import golden_cases
from tests.helpers.server import LiveServer
from tests.helpers.sparql_protocol import RDF_FORMATS, check_protocol_case, send


@pytest.mark.parametrize("case", golden_cases("sparql"))
def test_protocol_case(live_server: LiveServer, case: dict[str, Any]) -> None:
    check_protocol_case(send(live_server, case), case)


def test_results_are_the_same_in_every_format(live_server: LiveServer) -> None:
    query = "SELECT ?c WHERE { ?c bm:guidedBy committee:330100 } ORDER BY ?c"
    values = {}
    for accept in (
        "application/sparql-results+json",
        "text/csv",
        "text/tab-separated-values",
        "application/sparql-results+xml",
    ):
        r = httpx.get(live_server.url + "/sparql", params={"query": query}, headers={"Accept": accept})
        text = r.text
        values[accept] = sorted(set(re.findall(r"https://w3id\.org/baomi-kg/id/committee/\d{6}", text)))
    assert len({tuple(v) for v in values.values()}) == 1 and len(values["text/csv"]) == 13


def test_construct_formats_are_the_same_graph(live_server: LiveServer) -> None:
    query = "CONSTRUCT { committee:330106 ?p ?o } WHERE { committee:330106 ?p ?o }"
    graphs = []
    for media, fmt in RDF_FORMATS.items():
        r = httpx.get(live_server.url + "/sparql", params={"query": query}, headers={"Accept": media})
        graphs.append(rdflib.Graph().parse(data=r.content, format=fmt))
    first = graphs[0]
    assert len(first) > 10
    assert all(isomorphic(first, g) for g in graphs[1:])


def test_service_description_for_rdf_clients(live_server: LiveServer) -> None:
    r = httpx.get(live_server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(g.subjects(rdflib.RDF.type, sd.Service))
    assert g.value(service, sd.endpoint) == rdflib.URIRef(live_server.url + "/sparql")
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert len(list(g.objects(None, sd.namedGraph))) > 20


def test_query_page_for_browsers_is_offline(live_server: LiveServer) -> None:
    r = httpx.get(live_server.url + "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<textarea" in r.text and "guidedBy" in r.text
    assert not re.search(r"""(src|href)\s*=\s*["']https?://""", r.text), "the page must load nothing off the host"


def test_query_page_examples_all_run(live_server: LiveServer) -> None:
    from graph.sparql.examples import EXAMPLES

    for title, query in EXAMPLES:
        r = httpx.post(
            live_server.url + "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        assert r.status_code == 200, (title, r.text[:300])
        assert len(r.content) > 50, title


def test_request_body_cap(live_server: LiveServer) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000
    r = httpx.post(
        live_server.url + "/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"


@pytest.mark.slow
def test_result_cap_is_a_problem_not_a_truncated_200() -> None:
    server = LiveServer(env={"BAOMI_KG_MAX_RESULT_BYTES": "20000"})
    try:
        r = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=60)
        assert r.status_code == 422
        assert r.json()["type"].endswith("/problems/result-too-large")
        small = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
        assert small.status_code == 200
    finally:
        server.stop()


# -- real clients -------------------------------------------------------------------------------
def test_sparqlwrapper_json_xml_csv(live_server: LiveServer) -> None:
    from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

    query = "SELECT ?c WHERE { ?c bm:guidedBy committee:110000 }"
    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery(
        "PREFIX bm: <https://w3id.org/baomi-kg/ontology#> PREFIX committee: "
        "<https://w3id.org/baomi-kg/id/committee/> " + query
    )
    sw.setReturnFormat(JSON)
    answer: Any = sw.queryAndConvert()  # SPARQLWrapper's type of it depends on the format asked for
    rows = answer["results"]["bindings"]
    assert len(rows) == 16
    sw.setReturnFormat(XML)
    doc = sw.queryAndConvert()
    assert len(doc.getElementsByTagName("result")) == 16  # type: ignore[union-attr]
    sw.setReturnFormat(CSV)
    text = sw.queryAndConvert()
    assert len(text.decode().strip().splitlines()) == 17  # type: ignore[union-attr]


def test_sparqlwrapper_construct_into_a_graph(live_server: LiveServer) -> None:
    from SPARQLWrapper import TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery(
        "CONSTRUCT { ?c ?p ?o } WHERE { ?c <https://w3id.org/baomi-kg/ontology#guidedBy> "
        "<https://w3id.org/baomi-kg/id/committee/central> . ?c ?p ?o }"
    )
    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    guided = set(g.subjects(rdflib.URIRef("https://w3id.org/baomi-kg/ontology#guidedBy"), None))
    assert len(guided) == 32  # the 31 provinces and the 兵团 (graph/special.py)


def test_rdflib_sparqlstore(live_server: LiveServer) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(live_server.url + "/sparql", returnFormat="json")
    g = rdflib.Graph(store=store)
    bm = rdflib.Namespace("https://w3id.org/baomi-kg/ontology#")
    rows = list(
        g.query("SELECT ?u WHERE { <https://w3id.org/baomi-kg/id/committee/429004> bm:guidedBy ?u }", initNs={"bm": bm})
    )
    assert [str(r[0]) for r in rows] == ["https://w3id.org/baomi-kg/id/committee/420000"]  # type: ignore[index]
    label = g.value(rdflib.URIRef("https://w3id.org/baomi-kg/id/region/441900"), rdflib.RDFS.label)
    assert label is not None

    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    writable = SPARQLUpdateStore(live_server.url + "/sparql", live_server.url + "/sparql")
    with pytest.raises(Exception, match="403"):
        writable.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert not rdflib.Graph(store=store).query("ASK { <urn:a> ?p ?o }").askAnswer


def test_json_problem_for_every_error_never_500(live_server: LiveServer) -> None:
    bad = [
        "SELECT",
        "\\u0053ELECT * {}",
        "SELECT * WHERE { ?s ?p ?o } LIMIT x",
        "PREFIX : <" + "a" * 5000 + "> SELECT * {}",
        "SELECT * FROM un:declared {}",
    ]
    for params in ({"query": q} for q in bad):
        r = httpx.get(live_server.url + "/sparql", params=params)
        assert 400 <= r.status_code < 500, (params, r.status_code, r.text[:200])
        assert json.loads(r.text)["status"] == r.status_code
