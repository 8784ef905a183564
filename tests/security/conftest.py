"""Shared pieces of the security tests: a canary listener, real ``baomi-kg serve`` processes on 127.0.0.1, a
latency probe, the process tree of a server, and a summary of the measured figures printed at the end of the run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer, free_port

# Lines printed in the terminal summary (see pytest_terminal_summary): latency percentiles, status histograms.
FIGURES: list[str] = []


def report(line: str) -> None:
    """Print a measured figure now (shown with -s or -rA) and again in the summary at the end of the run."""
    FIGURES.append(line)
    print(line)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("security figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


# -- the canary ----------------------------------------------------------------------------------------------------
class Canary:
    """A TCP listener on 127.0.0.1 that counts the connections made to it and answers each with a planted token,
    so that a server which reached it could also leak what it read."""

    def __init__(self) -> None:
        self.token = "canary-" + os.urandom(8).hex()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="canary", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        body = ('{"head":{"vars":["s","p","o"]},"results":{"bindings":[{"s":{"type":"literal","value":"%s"},'
                '"p":{"type":"literal","value":"%s"},"o":{"type":"literal","value":"%s"}}]}}'
                % ((self.token,) * 3)).encode()
        answer = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: "
                  + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(0.5)
                try:
                    self.requests.append(conn.recv(4096))
                    conn.sendall(answer)
                except OSError:
                    pass

    def settle(self) -> int:
        """The connection count once a connection made just before would have been accepted."""
        time.sleep(0.02)  # accept() returns at once for a connection already queued; this only lets it run
        return self.connections

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="session")
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


# -- servers -------------------------------------------------------------------------------------------------------
def started(*args: str, env: dict[str, str] | None = None) -> LiveServer:
    """A real server, or a failed test (not an error in a fixture) with its log when it does not start."""
    try:
        return LiveServer(*args, env=env)
    except RuntimeError as exc:
        pytest.fail(f"the server did not start: {exc}")


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


class Serve:
    """``baomi-kg serve`` on a given port (to restart on the port a killed server held), as a process group of
    its own so that the tests can signal it alone."""

    def __init__(self, *args: str, port: int | None = None, env: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"baomi-kg-security-{self.port}-{time.monotonic_ns()}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port), *args],
                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, start_new_session=True)

    def wait_ready(self, timeout: float = 120) -> float:
        """Seconds until ``/readyz`` answers 200; fails the test if the process exits first."""
        begun = time.monotonic()
        while time.monotonic() - begun < timeout:
            if self.process.poll() is not None:
                pytest.fail(f"serve exited with {self.process.returncode}: {self.text()[-2000:]}")
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return time.monotonic() - begun
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        pytest.fail(f"serve did not become ready within {timeout} s: {self.text()[-2000:]}")

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def signal(self, sig: int) -> None:
        os.kill(self.process.pid, sig)

    def stop(self) -> None:
        """End the server and whatever of its process tree is left (only processes this test started)."""
        tree = descendants(self.process.pid)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in tree:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# -- processes, read from /proc ------------------------------------------------------------------------------------
def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2:].split()  # the command name may hold spaces and parentheses
    return fields[0], int(fields[1])


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` in the process tree, now."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None:
                children.setdefault(stat[1], []).append(int(entry))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie has ended; it only waits for its parent to read its status)."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def listeners_on(port: int) -> list[str]:
    """Sockets listening on 127.0.0.1:``port`` (from /proc/net/tcp)."""
    wanted = f"0100007F:{port:04X}"
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return [line for line in lines if line.split()[1] == wanted and line.split()[3] == "0A"]


# -- latency -------------------------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


class LatencyProbe:
    """Requests ``/healthz`` and a jurisdiction lookup in turn from a thread of its own, each on a kept-alive
    connection, and records how long each took (and any failure) until stopped."""

    PATHS = {"healthz": "/healthz", "jurisdiction": "/api/v1/jurisdiction?q=330106"}

    def __init__(self, url: str, pause: float = 0.005) -> None:
        self.url = url
        self.pause = pause
        self.samples: dict[str, list[float]] = {name: [] for name in self.PATHS}
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="latency-probe", daemon=True)

    def _run(self) -> None:
        clients = {name: httpx.Client(base_url=self.url, timeout=10) for name in self.PATHS}
        try:
            while not self._stop.is_set():
                for name, path in self.PATHS.items():
                    begun = time.perf_counter()
                    try:
                        status = clients[name].get(path).status_code
                    except httpx.HTTPError as exc:
                        self.failures.append(f"{name}: {type(exc).__name__} {exc}")
                        continue
                    self.samples[name].append(time.perf_counter() - begun)
                    if status != 200:
                        self.failures.append(f"{name}: {status}")
                time.sleep(self.pause)
        finally:
            for client in clients.values():
                client.close()

    def __enter__(self) -> LatencyProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, dict[str, float]]:
        """Milliseconds: p50, p99 and max of each probed path, and the number of samples."""
        return {name: {"n": len(v), "p50": percentile(v, 50) * 1000, "p99": percentile(v, 99) * 1000,
                       "max": max(v, default=float("nan")) * 1000} for name, v in self.samples.items()}
