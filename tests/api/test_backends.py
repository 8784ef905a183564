"""The same jurisdiction golden cases and SPARQL protocol cases over every backend: the embedded store in
memory and on disk, an Oxigraph server and Virtuoso — one parametrized suite, the same answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers.canary import Canary
from tests.helpers.cli import run_cli
from tests.helpers.golden import golden_values
from tests.helpers.jurisdiction import check_answer, incident_params
from tests.helpers.outbound import outbound_attempts, send_attempt
from tests.helpers.server import LiveServer
from tests.helpers.sparql_protocol import check_protocol_case, send
from tests.helpers.stores import OxigraphServer, VirtuosoServer

pytestmark = pytest.mark.slow  # starts an Oxigraph server, Virtuoso and the service over each store

BACKENDS = ["memory", "oxigraph-disk", "oxigraph-server", "virtuoso"]


def baomi(*args: str, env: dict[str, str] | None = None) -> str:
    proc = run_cli(*args, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module", params=BACKENDS)
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(request.param)
    store: Any = None
    env: dict[str, str] = {}
    if request.param == "memory":
        args: list[str] = []
    elif request.param == "oxigraph-disk":
        args = ["--store", f"oxigraph:{folder / 'store'}"]
        baomi("load", *args)
    else:
        store = OxigraphServer(folder) if request.param == "oxigraph-server" else VirtuosoServer(folder)
        env = store.env
        baomi("load", *store.load_args(), env=env)
        args = store.load_args()
    server = LiveServer(*args, env=env)
    try:
        yield server
    finally:
        server.stop()
        if store is not None:
            store.stop()


def test_jurisdiction_golden_cases(service: LiveServer) -> None:
    for case in golden_values("jurisdiction"):
        r = httpx.get(service.url + "/api/v1/jurisdiction", params={"q": case["query"]}, timeout=30)
        check_answer(r.status_code, r.json(), case)


def test_incident_answers(service: LiveServer) -> None:
    for case in golden_values("incident"):
        r = httpx.get(service.url + "/api/v1/jurisdiction/incident", params=incident_params(case), timeout=30)
        assert r.status_code == case["status"], (case, r.text)
        if r.status_code == 200:
            assert r.json()["committee"]["id"] == case["committee"]


def test_sparql_protocol_cases(service: LiveServer) -> None:
    for case in golden_values("sparql"):
        check_protocol_case(send(service, case), case)


def test_same_answer_bytes_as_the_embedded_store(service: LiveServer, live_server: LiveServer) -> None:
    queries = [
        "SELECT ?c ?l WHERE { ?c bm:guidedBy committee:420000 ; rdfs:label ?l FILTER(LANG(?l)='zh') } ORDER BY ?c",
        "CONSTRUCT { committee:441900 ?p ?o } WHERE { committee:441900 ?p ?o }",
    ]
    for query in queries:
        for accept in ("application/sparql-results+json", "text/csv", "application/n-triples"):
            mine = httpx.get(service.url + "/sparql", params={"query": query}, headers={"Accept": accept})
            reference = httpx.get(live_server.url + "/sparql", params={"query": query}, headers={"Accept": accept})
            assert mine.status_code == reference.status_code
            if mine.status_code == 200 and accept == "application/n-triples":
                assert sorted(mine.text.splitlines()) == sorted(reference.text.splitlines())
            elif mine.status_code == 200:
                assert mine.content == reference.content


def test_no_outbound_request_over_this_backend(service: LiveServer) -> None:
    listener = Canary()
    try:
        for method, params, body in outbound_attempts(listener.url):
            assert send_attempt(service.url, method, params, body).status_code == 403
    finally:
        listener.close()
    assert listener.connections == 0


def test_stats_over_this_backend(service: LiveServer) -> None:
    r = httpx.get(service.url + "/readyz")
    # less 金门, with the 16 bodies off the division tree
    assert r.status_code == 200 and r.json()["committees"] == 3212 + 32 - 1 + 16


BOMBS = {
    "10,000 UNIONs": "SELECT * WHERE { " + " UNION ".join(["{ ?a ?b ?c }"] * 10_000) + " }",
    "1,000 nested groups": "SELECT * WHERE " + "{" * 1000 + " ?a ?b ?c " + "}" * 1000,
    "1,000 nested parentheses": "SELECT * WHERE { ?a ?b ?c FILTER(" + "(" * 1000 + "1" + ")" * 1000 + ") }",
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_recursion_bombs_are_refused_before_any_store_sees_them(service: LiveServer, name: str) -> None:
    """Queries that overflow a store's recursive parser (an Oxigraph server crashed on the UNIONs, and then every
    query got 503) are refused here with a 400 or 413, and the store answers the next query as before."""
    r = httpx.post(
        service.url + "/sparql",
        content=BOMBS[name].encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert r.status_code in (400, 413), r.text
    assert r.headers["content-type"] == "application/problem+json"
    after = httpx.get(
        service.url + "/sparql",
        params={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert after.status_code == 200 and after.json()["boolean"] is True
