"""Fixtures of the security tests: a canary listener, real ``baomi-kg serve`` processes on 127.0.0.1 with the
checker on and off, and a summary of the measured figures printed at the end of the run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.canary import Canary
from tests.helpers.figures import FIGURES
from tests.helpers.server import LiveServer, started


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("security figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


@pytest.fixture(scope="session")
def checked_server() -> Iterator[LiveServer]:
    """The service with its defaults: the query checker and the sandbox both on."""
    server = started()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def unchecked_server() -> Iterator[LiveServer]:
    """The checker switched off: whatever stops a query from reaching the network is the sandbox alone."""
    server = started(env={"BAOMI_KG_QUERY_CHECK": "false"})
    yield server
    server.stop()
