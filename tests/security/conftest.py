"""Fixtures of the security tests: a canary listener and real ``baomi-kg serve`` processes on 127.0.0.1 with the
checker on and off (the measured figures are summed up at the end of the run by the root conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.canary import Canary
from tests.helpers.server import LiveServer, started


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
