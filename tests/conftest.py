"""Shared fixtures: the knowledge graph opened once per session from the prebuilt (cached) graph, the app in
process, and a real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.kg import KnowledgeGraph
from graph.settings import Settings
from tests.helpers.server import LiveServer


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph.open(Settings(store="memory"))


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The service with its defaults (in-memory store, bundled graph) on a free local port."""
    server = LiveServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """An in-process client of the app (the lifespan runs: the graph is opened once per test module use)."""
    from api.web.app import create_app

    with TestClient(create_app(Settings(store="memory")), raise_server_exceptions=False) as c:
        yield c
