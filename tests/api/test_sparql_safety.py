"""Safe by default: no outbound request for any query, and an expensive query is stopped at the timeout
while other requests keep being answered."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from graph.settings import Settings
from tests.helpers.canary import Canary
from tests.helpers.outbound import outbound_attempts, send_attempt
from tests.helpers.server import LiveServer


@pytest.fixture()
def listener() -> Iterator[Canary]:
    lst = Canary()
    yield lst
    lst.close()


def test_no_outbound_request_for_any_query(live_server: LiveServer, listener: Canary) -> None:
    for method, params, body in outbound_attempts(listener.url):
        r = send_attempt(live_server.url, method, params, body)
        assert r.status_code == 403, (params, body, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    time.sleep(0.5)
    assert listener.connections == 0


def test_the_listener_does_see_a_real_connection(listener: Canary) -> None:
    """Guards the test above: the listener would notice an outbound request."""
    assert listener.token in httpx.get(listener.url + "/sparql", timeout=1).text
    time.sleep(0.5)
    assert listener.connections == 1


def test_default_timeout_is_ten_seconds() -> None:
    assert Settings().query_timeout == 10.0


HEAVY = """SELECT (COUNT(*) AS ?n) WHERE {
  ?a a bm:ConfidentialityCommittee . ?b a bm:ConfidentialityCommittee .
  ?c a bm:ConfidentialityCommittee . ?d a bm:ConfidentialityCommittee . }"""


@pytest.mark.slow
def test_expensive_query_is_stopped_while_lookups_keep_answering() -> None:
    server = LiveServer("--query-timeout", "3")
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            started = time.monotonic()
            heavy = [
                pool.submit(httpx.get, server.url + "/sparql", params={"query": HEAVY}, timeout=60) for _ in range(2)
            ]
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
