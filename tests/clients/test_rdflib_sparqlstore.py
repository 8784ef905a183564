"""rdflib's SPARQLStore, driven as rdflib users drive it: a ``Graph`` over the endpoint, queried with
``Graph.query`` (SELECT, ASK, CONSTRUCT, with ``initNs`` and ``initBindings``) and read with ``Graph.triples``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import ResultRow

from tests.helpers.client_queries import ASK, BM, COMMITTEE, CONSTRUCT, EXPECTED_SELECT, GUIDE, GUIDED_BY, SELECT
from tests.helpers.server import LiveServer

METHODS = ["GET", "POST", "POST_FORM"]


@pytest.fixture(params=METHODS)
def graph(request: pytest.FixtureRequest, live_server: LiveServer) -> Iterator[Graph]:
    store = SPARQLStore(live_server.url + "/sparql", method=request.param, returnFormat="xml")
    g = Graph(store=store)
    yield g
    g.close()


def test_select(graph: Graph) -> None:
    rows = [row for row in graph.query(SELECT) if isinstance(row, ResultRow)]
    assert [str(row.c) for row in rows] == EXPECTED_SELECT


def test_select_with_init_ns_and_bindings(graph: Graph) -> None:
    bm, committee = Namespace(BM), Namespace(COMMITTEE)
    result = graph.query(
        "SELECT ?c WHERE { ?c bm:guidedBy ?guide } ORDER BY ?c LIMIT 3",
        initNs={"bm": bm},
        initBindings={"guide": committee["330100"]},
    )
    assert [str(row[0]) for row in result if isinstance(row, ResultRow)] == EXPECTED_SELECT


def test_ask(graph: Graph) -> None:
    assert graph.query(ASK).askAnswer is True


def test_construct(graph: Graph) -> None:
    result = graph.query(CONSTRUCT).graph
    assert result is not None
    assert set(result) == {(URIRef(c), URIRef(GUIDED_BY), URIRef(GUIDE)) for c in EXPECTED_SELECT}


def test_triples_pattern(graph: Graph) -> None:
    """``Graph.triples`` is a SELECT the store writes itself."""
    found = set(graph.triples((URIRef(EXPECTED_SELECT[2]), URIRef(GUIDED_BY), None)))
    assert found == {(URIRef(EXPECTED_SELECT[2]), URIRef(GUIDED_BY), URIRef(GUIDE))}


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_return_formats(live_server: LiveServer, fmt: str) -> None:
    g = Graph(store=SPARQLStore(live_server.url + "/sparql", returnFormat=fmt))
    rows = [row for row in g.query(SELECT) if isinstance(row, ResultRow)]
    assert [str(row.c) for row in rows] == EXPECTED_SELECT
