"""Shared fixtures: the knowledge graph opened once per session from the prebuilt (cached) graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.kg import KnowledgeGraph
from graph.settings import Settings

GOLDEN = Path(__file__).parent / "golden"


def golden_cases(folder: str) -> list[Any]:
    """One pytest param per golden file in ``tests/golden/<folder>``, named after the file."""
    files = sorted((GOLDEN / folder).glob("*.json"))
    return [pytest.param(json.loads(f.read_text(encoding="utf-8")), id=f.stem) for f in files]


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph.open(Settings(store="memory"))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """A real ``baomi-kg serve`` process on 127.0.0.1, stopped when the tests are done."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        import os
        import subprocess
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"baomi-kg-test-{self.port}.log"
        self._log = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port), *args],
            stdout=self._log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
        )
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise

    def wait_ready(self, timeout: float = 300) -> None:
        import time

        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not become ready")

    def stop(self) -> None:
        if self._log.closed:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except Exception:  # noqa: BLE001
            self.process.kill()
        self._log.close()


@pytest.fixture(scope="session")
def live_server() -> Any:
    """The service with its defaults (in-memory store, bundled graph) on a free local port."""
    server = LiveServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def client() -> Any:
    """An in-process client of the app (the lifespan runs: the graph is opened once per test module use)."""
    from fastapi.testclient import TestClient

    from api.web.app import create_app

    with TestClient(create_app(Settings(store="memory")), raise_server_exceptions=False) as c:
        yield c
