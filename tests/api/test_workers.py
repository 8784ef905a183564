"""Several uvicorn worker processes share one on-disk store, each starting from the load's snapshot
instead of rebuilding or re-reading the graph."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.helpers.server import LiveServer

pytestmark = pytest.mark.slow  # loads an on-disk store and serves it with two workers


def test_two_workers_share_an_on_disk_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load = subprocess.run(
        [sys.executable, "-m", "api.cli", "load", "--store", f"oxigraph:{store}"],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ),
    )
    assert load.returncode == 0, load.stderr
    server = LiveServer("--store", f"oxigraph:{store}", "--workers", "2")
    try:
        pids = set()
        for _ in range(60):
            with httpx.Client() as fresh:  # a new connection each time, so either worker may take it
                ready = fresh.get(server.url + "/readyz").json()
                pids.add(ready["pid"])
                r = fresh.get(server.url + "/api/v1/jurisdiction", params={"q": "北京市朝阳区"})
                assert r.status_code == 200 and [c["id"] for c in r.json()["chain"]] == ["110105", "110000", "central"]
            if len(pids) == 2:
                break
        assert len(pids) == 2
        q = httpx.get(server.url + "/sparql", params={"query": "ASK { committee:110105 bm:guidedBy committee:110000 }"})
        assert q.json()["boolean"] is True
        log = server.log.read_text(errors="replace")
        assert "Traceback" not in log
    finally:
        server.stop()
