"""Nothing outlives the server: ``kill -9`` of ``serve`` (one process, and ``--workers 2``) leaves no process of its
tree running within 2 s, nothing listening on its port, and a new ``serve`` on the same port starts at once;
SIGTERM stops the whole tree cleanly."""

from __future__ import annotations

import contextlib
import signal
import threading
import time

import httpx
import pytest

from tests.helpers.figures import report
from tests.helpers.processes import alive, descendants, listeners_on
from tests.helpers.server import Serve

pytestmark = pytest.mark.slow  # starts, signals and kills servers

QUERY_WORKERS = 2  # BAOMI_KG_QUERY_WORKERS, set below
BUSY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a bm:ConfidentialityCommittee . ?b a bm:ConfidentialityCommittee . "
    "?c a bm:ConfidentialityCommittee . }"
)
LAYOUTS = {"one-process": (), "two-workers": ("--workers", "2")}


def _serve(layout: str, port: int | None = None) -> Serve:
    return Serve(*LAYOUTS[layout], port=port, env={"BAOMI_KG_QUERY_WORKERS": str(QUERY_WORKERS)})


def _full_tree(server: Serve, layout: str) -> set[int]:
    """The server's processes once every uvicorn worker has forked its query workers."""
    server.wait_ready()
    servers = 2 if layout == "two-workers" else 1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tree = descendants(server.process.pid)
        if len(tree) >= servers * QUERY_WORKERS + (servers - 1):
            time.sleep(0.5)  # and let the last of them finish starting
            return descendants(server.process.pid)
        time.sleep(0.1)
    pytest.fail(f"the server's process tree did not grow: {descendants(server.process.pid)}")


def _keep_busy(url: str, copies: int) -> list[threading.Thread]:
    """Queries that keep the query workers computing (as a server killed under load would leave them)."""

    def run() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server goes away under it
            httpx.get(url + "/sparql", params={"query": BUSY}, timeout=30)

    threads = [threading.Thread(target=run, daemon=True) for _ in range(copies)]
    for t in threads:
        t.start()
    return threads


def _gone_within(pids: set[int], port: int, seconds: float) -> tuple[float, set[int], list[str]]:
    """How long until none of ``pids`` runs and nothing listens on ``port``; what is left after ``seconds``."""
    begun = time.monotonic()
    while True:
        left, listening = {pid for pid in pids if alive(pid)}, listeners_on(port)
        if (not left and not listening) or time.monotonic() - begun >= seconds:
            return time.monotonic() - begun, left, listening
        time.sleep(0.02)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_kill_9_leaves_nothing_and_a_restart_succeeds(layout: str) -> None:
    server = _serve(layout)
    restarted: Serve | None = None
    try:
        tree = _full_tree(server, layout)
        busy = _keep_busy(server.url, 2 * QUERY_WORKERS)
        time.sleep(1.0)  # the queries have reached the workers
        server.signal(signal.SIGKILL)
        took, left, listening = _gone_within(tree, server.port, 2.0)
        assert not left, f"still running {took:.1f} s after kill -9 of serve: {sorted(left)}"
        assert not listening, f"something still listens on the killed server's port {took:.1f} s after kill -9"
        restarted = _serve(layout, port=server.port)
        ready = restarted.wait_ready()
        report(
            f"lifetime {layout:<12} kill -9: {len(tree)} descendants gone in {took * 1000:.0f} ms; "
            f"restart on the same port ready in {ready:.1f} s"
        )
        assert "Address already in use" not in restarted.text()
        assert ready < 30
        for t in busy:
            t.join(timeout=30)
    finally:
        server.stop()
        if restarted is not None:
            restarted.stop()


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_sigterm_stops_everything_cleanly(layout: str) -> None:
    server = _serve(layout)
    try:
        tree = _full_tree(server, layout)
        server.signal(signal.SIGTERM)
        begun = time.monotonic()
        code = server.process.wait(timeout=20)
        stopped = time.monotonic() - begun
        took, left, listening = _gone_within(tree, server.port, 2.0)
        report(
            f"lifetime {layout:<12} SIGTERM: serve exited {code} in {stopped:.2f} s, "
            f"{len(tree)} descendants gone {took * 1000:.0f} ms later"
        )
        # uvicorn ends a clean shutdown by raising the signal it caught again: -15 is as clean as 0
        assert code in (0, -signal.SIGTERM), server.text()[-2000:]
        assert not left, f"still running 2 s after serve ended: {sorted(left)}"
        assert not listening, "something still listens on the port 2 s after serve ended"
        log = server.text()
        assert "Traceback" not in log, log[-3000:]
        assert "Finished server process" in log
    finally:
        server.stop()
