"""Safe by default: no outbound request for any query, and an expensive query is stopped at the timeout
while other requests keep being answered."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from graph.settings import Settings
from tests.conftest import LiveServer


class Listener:
    """A TCP listener on another local port that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


def outbound_attempts(url: str) -> list[tuple[str, dict[str, str], str | None]]:
    """(method, params, body) of requests that would make a naive endpoint contact ``url``."""
    return [
        ("GET", {"query": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"}, None),
        ("GET", {"query": f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}"}, None),
        ("GET", {"query": f"select * where {{ ?x ?y ?z . sErViCe <{url}/s> {{ ?s ?p ?o }} }} # SERVICE"}, None),
        ("GET", {"query": f"PREFIX ex: <{url}/> SELECT * WHERE {{ SERVICE ex:sparql {{ ?s ?p ?o }} }}"}, None),
        ("POST", {}, f"LOAD <{url}/data.ttl>"),
        ("POST", {}, f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>"),
        ("GET", {"query": f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}"}, None),
        ("GET", {"query": f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}, None),
        ("GET", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": f"{url}/data.ttl"}, None),
        ("GET", {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", "named-graph-uri": f"{url}/d.ttl"},
         None),
        ("GET", {"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}"}, None),
        ("GET", {"query": f"ASK {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}"}, None),
    ]


def send_attempt(service_url: str, method: str, params: dict[str, str], body: str | None) -> httpx.Response:
    if method == "GET":
        return httpx.get(service_url + "/sparql", params=params, timeout=30)
    return httpx.post(service_url + "/sparql", content=(body or "").encode(),
                      headers={"Content-Type": "application/sparql-query"}, timeout=30)


def test_no_outbound_request_for_any_query(live_server: LiveServer, listener: Listener) -> None:
    for method, params, body in outbound_attempts(listener.url):
        r = send_attempt(live_server.url, method, params, body)
        assert r.status_code == 403, (params, body, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    time.sleep(0.5)
    assert listener.connections == 0


def test_the_listener_does_see_a_real_connection(listener: Listener) -> None:
    """Guards the test above: the listener would notice an outbound request."""
    with pytest.raises(httpx.HTTPError):
        httpx.get(listener.url + "/sparql", timeout=1)
    time.sleep(0.5)
    assert listener.connections == 1


def test_default_timeout_is_ten_seconds() -> None:
    assert Settings().query_timeout == 10.0


HEAVY = """SELECT (COUNT(*) AS ?n) WHERE {
  ?a a bm:ConfidentialityCommittee . ?b a bm:ConfidentialityCommittee .
  ?c a bm:ConfidentialityCommittee . ?d a bm:ConfidentialityCommittee . }"""


def test_expensive_query_is_stopped_while_lookups_keep_answering() -> None:
    server = LiveServer("--query-timeout", "3")
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            started = time.monotonic()
            heavy = [pool.submit(httpx.get, server.url + "/sparql", params={"query": HEAVY}, timeout=60)
                     for _ in range(2)]
            time.sleep(0.5)
            lookups = []
            while not all(h.done() for h in heavy):
                r = httpx.get(server.url + "/api/v1/jurisdiction", params={"q": "浙江省杭州市西湖区"}, timeout=5)
                lookups.append((r.status_code, all(h.done() for h in heavy)))
                time.sleep(0.1)
            results = [h.result() for h in heavy]
        elapsed = time.monotonic() - started
        for r in results:
            assert r.status_code == 503
            assert r.json()["type"].endswith("/problems/query-timeout")
        answered_meanwhile = [status for status, heavy_done in lookups if not heavy_done]
        assert len(answered_meanwhile) >= 5 and set(answered_meanwhile) == {200}
        assert elapsed < 30
        # Both workers were busy with the stopped queries; fresh ones serve the next query at once.
        quick = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        metrics = httpx.get(server.url + "/metrics").text
        assert 'outcome="QueryTimeout"' in metrics
    finally:
        server.stop()
