"""Real ``baomi-kg serve`` processes on 127.0.0.1: ``LiveServer`` waits until it is ready and is stopped by its
owner; ``Serve`` runs in a process group of its own on a port that may be given, for tests that signal, kill and
restart it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.cli import CLI
from tests.helpers.ports import free_port
from tests.helpers.processes import alive, descendants

LOGS = Path(os.environ.get("TMPDIR", "/tmp"))


class LiveServer:
    """A real ``baomi-kg serve`` process on 127.0.0.1, ready when constructed; ``stop`` ends it."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = LOGS / f"baomi-kg-test-{self.port}.log"
        self._log = self.log.open("wb")
        self.process = subprocess.Popen(
            [*CLI, "serve", "--port", str(self.port), *args],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise

    def wait_ready(self, timeout: float = 300) -> None:
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
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def started(*args: str, env: dict[str, str] | None = None) -> LiveServer:
    """A real server, or a failed test (not an error in a fixture) with its log when it does not start."""
    try:
        return LiveServer(*args, env=env)
    except RuntimeError as exc:
        pytest.fail(f"the server did not start: {exc}")


class Serve:
    """``baomi-kg serve`` on a given port (to restart on the port a killed server held), as a process group of
    its own so that the tests can signal it alone; not waited for until ``wait_ready``."""

    def __init__(self, *args: str, port: int | None = None, env: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = LOGS / f"baomi-kg-security-{self.port}-{time.monotonic_ns()}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [*CLI, "serve", "--port", str(self.port), *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                start_new_session=True,
            )

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
