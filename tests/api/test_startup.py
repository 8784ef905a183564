"""While `serve` fills the memory store, lookups are answered from the start-up snapshot and every other request
waits until the workers run (api/web/startup.py); a store that cannot be filled stops the service."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web import startup
from api.web.app import create_app
from graph.build.prebuilt import prebuilt_path
from graph.directory import snapshot
from graph.kg import KnowledgeGraph, _file_key
from graph.namespaces import Vocab
from graph.settings import Settings
from graph.store import backend as store_backend
from graph.store.backend import EmbeddedBackend
from tests.helpers.stores import hold_store_filling

LOOKUP = "/api/v1/jurisdiction?q=330106"
ASK = {"query": "ASK { ?s ?p ?o }"}


@pytest.fixture(scope="module", autouse=True)
def snapshot_written() -> None:
    """The start-up snapshot of the bundled graph is in the cache (a warm start)."""
    KnowledgeGraph.open(Settings(store="memory")).resolver  # noqa: B018


@pytest.fixture
def held_fill(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """`serve`'s preload of the bundled graph, held back until the test sets the event it yields."""
    release = hold_store_filling(monkeypatch)
    EmbeddedBackend.preload(prebuilt_path(Vocab()))
    yield release
    release.set()
    store_backend._PRELOADS.clear()


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_lookups_are_answered_before_the_store_is_full_and_the_rest_waits(held_fill: threading.Event) -> None:
    with TestClient(create_app(Settings(store="memory"))) as client, ThreadPoolExecutor(1) as pool:
        state = client.app.state.service  # type: ignore[attr-defined]
        assert not state.kg.store_filled and not state.started.is_set()
        lookup = client.get(LOOKUP)
        assert lookup.status_code == 200 and lookup.json()["committee"]["id"] == "330106"
        assert client.get("/healthz").status_code == 200
        starting = client.get("/readyz")
        assert (starting.status_code, starting.json()) == (503, {"status": "starting"})
        held: Future[Any] = pool.submit(client.get, "/sparql", params=ASK, headers={"Accept": "application/json"})
        with pytest.raises(TimeoutError):
            held.result(timeout=0.5)  # the query waits for the workers instead of failing
        held_fill.set()
        answer = held.result(timeout=120)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert client.get("/readyz").status_code == 200
        assert state.ready and state.heavy_pool is not None and state.kg.workers is not None


def test_a_store_full_from_the_outset_starts_the_workers_before_the_first_request() -> None:
    with TestClient(create_app(Settings(store="memory"))) as client:
        state = client.app.state.service  # type: ignore[attr-defined]
        assert state.started.is_set() and state.ready and state.kg.workers is not None


def test_a_store_that_cannot_be_filled_stops_the_service(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A file whose first lines read (serve's check) but not the rest, with a start-up snapshot: the lookups start,
    then the filling fails, the service stops itself, and a held request is told why."""
    nquads = tmp_path / "graph.nq"
    nquads.write_bytes(prebuilt_path(Vocab()).read_bytes()[:4096].rpartition(b"\n")[0] + b"\nnot a quad\n")
    bundled = KnowledgeGraph.open(Settings(store="memory"))
    key = _file_key(nquads, Vocab().base)
    snapshot.write(key, bundled._snapshot)
    request.addfinalizer(snapshot._path(key).unlink)
    stops: list[bool] = []
    monkeypatch.setattr(startup, "stop_serving", lambda: stops.append(True))
    release = threading.Event()
    filled = EmbeddedBackend._filled.__func__  # type: ignore[attr-defined]

    def slow(cls: type[EmbeddedBackend], path: Path) -> EmbeddedBackend:
        release.wait(60)
        return filled(cls, path)  # type: ignore[no-any-return]

    monkeypatch.setattr(EmbeddedBackend, "_filled", classmethod(slow))
    EmbeddedBackend.preload(nquads)
    with TestClient(
        create_app(Settings(store="memory", data_file=str(nquads))), raise_server_exceptions=False
    ) as client:
        state = client.app.state.service  # type: ignore[attr-defined]
        assert client.get(LOOKUP).status_code == 200
        release.set()
        failed = client.get("/sparql", params=ASK)  # held until the start failed, then told why
        assert failed.status_code == 503
        assert state.start_error is not None and "loading graph.nq failed" in str(state.start_error)
        assert stops == [True] and not state.ready
