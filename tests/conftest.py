"""Shared fixtures: the knowledge graph opened once per session from the prebuilt (cached) graph, the app in
process, and a real server; and the summary of the measured figures (:mod:`tests.helpers.figures`) at the end of
the run, gathered from every worker process when the run has several (pytest-xdist)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.kg import KnowledgeGraph
from graph.settings import Settings
from tests.helpers.figures import FIGURES
from tests.helpers.server import LiveServer


def pytest_sessionfinish(session: pytest.Session) -> None:
    handed = getattr(session.config, "workeroutput", None)  # set in a worker process of pytest-xdist
    if handed is not None:
        handed["figures"] = list(FIGURES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """A worker has finished: its figures join the summary of the run."""
    FIGURES.extend(getattr(node, "workeroutput", {}).get("figures", []))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("measured figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


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
