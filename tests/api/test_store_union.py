"""An external store whose default graph is not the union of its named graphs (Oxigraph started without
``--union-default-graph``): ``load`` puts the graphs in and then names that cause, and so does ``serve``, instead of
reporting an empty store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from graph.paths import ROOT
from tests.helpers.ports import free_port
from tests.helpers.server import LiveServer
from tests.helpers.stores import OxigraphServer

pytestmark = pytest.mark.slow  # starts an Oxigraph server, loads it and serves it


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=900
    )


def test_load_names_a_default_graph_that_is_not_the_union(tmp_path: Path) -> None:
    store = OxigraphServer(tmp_path, union_default_graph=False)
    try:
        load = _cli("load", *store.load_args())
    finally:
        store.stop()
    assert load.returncode != 0
    assert "default graph is not their union" in load.stderr, load.stderr
    assert "--union-default-graph" in load.stderr
    assert "holds no baomi-kg graph" not in load.stderr


def test_serve_names_it_and_the_restarted_store_serves_without_a_second_load(tmp_path: Path) -> None:
    store = OxigraphServer(tmp_path)
    try:
        load = _cli("load", *store.load_args())
        assert load.returncode == 0, load.stderr
    finally:
        store.stop()
    store = OxigraphServer(tmp_path, union_default_graph=False)  # the same data, the flag forgotten on restart
    try:
        serve = _cli("serve", "--port", str(free_port()), *store.load_args())  # refused before it listens
    finally:
        store.stop()
    assert serve.returncode != 0
    assert "default graph is not their union" in serve.stderr, serve.stderr
    assert "need not be loaded again" in serve.stderr
    store = OxigraphServer(tmp_path)  # restarted as the message says
    try:
        server = LiveServer(*store.load_args())
        try:
            r = httpx.get(server.url + "/api/v1/jurisdiction", params={"q": "330106"}, timeout=30)
            assert r.status_code == 200, r.text
        finally:
            server.stop()
    finally:
        store.stop()
