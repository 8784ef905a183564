"""External SPARQL stores for the tests: an Oxigraph server and Virtuoso, each started on 127.0.0.1
in a temporary folder and stopped afterwards (Debian's virtuoso-opensource, PyPI's oxigraph)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.ports import free_port


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"store exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"store at {url} did not come up")


class OxigraphServer:
    """``oxigraph serve`` with an on-disk store and, unless ``union_default_graph`` is false, the union of named
    graphs as default graph."""

    def __init__(self, folder: Path, *, union_default_graph: bool = True) -> None:
        binary = Path(sys.executable).with_name("oxigraph")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_url = self.base + "/query"
        self.update_url, self.gsp_url = self.base + "/update", self.base + "/store"
        log = folder / "oxigraph.log"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [
                str(binary),
                "serve",
                "--location",
                str(folder / "data"),
                "--bind",
                f"127.0.0.1:{self.port}",
                *(["--union-default-graph"] if union_default_graph else []),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        _wait(self.query_url, self.process, log)

    def load_args(self) -> list[str]:
        return ["--store", f"sparql:{self.query_url}", "--update-url", self.update_url, "--gsp-url", self.gsp_url]

    env: dict[str, str] = {}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self._log.close()


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 1G
[HTTPServer]
ServerPort = {http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


class VirtuosoServer:
    """Virtuoso Open Source (Debian's virtuoso-opensource) with a fresh database; loaded through its
    authenticated SPARQL update and Graph Store endpoints (HTTP Digest, the default dba account)."""

    env = {"BAOMI_KG_STORE_USER": "dba", "BAOMI_KG_STORE_PASSWORD": "dba", "BAOMI_KG_STORE_AUTH": "digest"}

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("virtuoso-t")
        if binary is None:
            raise RuntimeError("virtuoso-t is not installed: ./dev.sh test installs Debian's virtuoso-opensource")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_url = self.base + "/sparql"
        ini = folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(d=folder, sql_port=free_port(), http_port=self.port), encoding="utf-8")
        log = folder / "virtuoso.out"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=self._log, stderr=subprocess.STDOUT
        )
        _wait(self.query_url, self.process, log)

    def load_args(self) -> list[str]:
        return [
            "--store",
            f"sparql:{self.query_url}",
            "--update-url",
            self.base + "/sparql-auth",
            "--gsp-url",
            self.base + "/sparql-graph-crud-auth",
        ]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def hold_store_filling(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make every filling of a memory store wait for the event returned (set it to let them go on)."""
    from graph.store.backend import EmbeddedBackend

    release = threading.Event()
    filled = EmbeddedBackend._filled.__func__  # type: ignore[attr-defined]

    def slow(cls: type[EmbeddedBackend], nquads: Path) -> EmbeddedBackend:
        release.wait(60)
        return filled(cls, nquads)  # type: ignore[no-any-return]

    monkeypatch.setattr(EmbeddedBackend, "_filled", classmethod(slow))
    return release
