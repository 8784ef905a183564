"""Loads into an on-disk store are atomic: a ``load`` killed at any moment leaves the previous graph served as
before (or, on a first load, a store that ``serve`` refuses), never a partial graph; a reload under a running
service leaves it answering; old generations are cleared by the next load."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.paths import ROOT
from graph.store.generations import MANIFEST
from tests.helpers.ports import free_port
from tests.helpers.server import LiveServer

pytestmark = pytest.mark.slow  # loads the whole graph again and again, killing loads under a running server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
LOAD_ID = (
    "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?id WHERE { GRAPH ?g { ?d dct:identifier ?id "
    'FILTER (STRSTARTS(STR(?id), "load:")) } }'
)


def load(folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "load", "--store", f"oxigraph:{folder}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def manifest(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / MANIFEST).read_text()))


@dataclass(frozen=True)
class Served:
    committees: int
    quads: int
    load_id: str


def answers(url: str) -> Served:
    ready = httpx.get(url + "/readyz", timeout=30).json()
    count = httpx.get(url + "/sparql", params={"query": COUNT}, timeout=30).json()
    ids = httpx.get(url + "/sparql", params={"query": LOAD_ID}, timeout=30).json()
    assert ready["status"] == "ok"
    return Served(
        ready["committees"],
        int(count["results"]["bindings"][0]["n"]["value"]),
        ids["results"]["bindings"][0]["id"]["value"],
    )


@dataclass(frozen=True)
class Complete:
    folder: Path
    seconds: float  # how long the whole `load` command ran
    served: Served


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Complete:
    """One complete load of the bundled graph, timed, and what `serve` answers from it; copied by the tests."""
    folder = tmp_path_factory.mktemp("complete") / "store"
    started = time.monotonic()
    process = load(folder)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    seconds = time.monotonic() - started
    server = LiveServer("--store", f"oxigraph:{folder}")
    try:
        served = answers(server.url)
    finally:
        server.stop()
    assert served.quads == manifest(folder)["quads"] and served.committees > 3000
    return Complete(folder, seconds, served)


def serve_or_refuse(folder: Path) -> Served | None:
    """What a fresh `serve` answers from the folder, or None when it refuses it (quickly, with one line)."""
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--store", f"oxigraph:{folder}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while time.monotonic() - started < 120:
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                assert process.returncode != 0 and time.monotonic() - started < 10, err
                assert err.startswith("baomi-kg: error: ") and len(err.strip().splitlines()) == 1, err
                return None
            try:
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    return answers(url)
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("serve neither answered nor exited")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr:
            process.stderr.close()


def kill_moments(count: int, span: float) -> list[float]:
    seed = int(os.environ.get("BAOMI_KG_TEST_SEED", time.time_ns() % 1_000_000))
    print(f"kill moments seed: {seed} (BAOMI_KG_TEST_SEED={seed} replays them)")
    rng = random.Random(seed)  # noqa: S311 - not for security
    return sorted(rng.uniform(0.0, span) for _ in range(count))


def kill_load_at(folder: Path, moment: float) -> bool:
    """Start a load into ``folder`` and SIGKILL it ``moment`` seconds later; whether it had finished first."""
    process = load(folder)
    try:
        process.wait(timeout=moment)
        return True
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return False
    finally:
        for pipe in (process.stdout, process.stderr):
            if pipe:
                pipe.close()


@pytest.mark.slow
def test_a_reload_killed_at_any_moment_leaves_the_previous_graph_served(complete: Complete, tmp_path: Path) -> None:
    for i, moment in enumerate(kill_moments(5, complete.seconds * 1.1)):
        folder = tmp_path / f"reload-{i}"
        shutil.copytree(complete.folder, folder)
        finished = kill_load_at(folder, moment)
        served = serve_or_refuse(folder)
        print(f"killed at {moment:.2f} s of {complete.seconds:.2f} s: finished {finished}, served {served}")
        assert served is not None, "the previous graph was lost"
        assert (served.committees, served.quads) == (complete.served.committees, complete.served.quads)
        if served.load_id == complete.served.load_id:
            assert manifest(folder)["load_id"] == complete.served.load_id  # the switch had not happened
        else:
            assert manifest(folder)["previous"] == manifest(complete.folder)["generation"]  # it had: a full new graph
        shutil.rmtree(folder)


@pytest.mark.slow
def test_a_first_load_killed_at_any_moment_is_refused_or_complete(complete: Complete, tmp_path: Path) -> None:
    for i, moment in enumerate(kill_moments(5, complete.seconds * 1.1)):
        folder = tmp_path / f"first-{i}"
        finished = kill_load_at(folder, moment)
        served = serve_or_refuse(folder)
        print(f"killed at {moment:.2f} s of {complete.seconds:.2f} s: finished {finished}, served {served}")
        if served is not None:
            assert (served.committees, served.quads) == (complete.served.committees, complete.served.quads)
        # Whatever was left behind, the next load completes.
        if i == 0:
            process = load(folder)
            _, err = process.communicate(timeout=600)
            assert process.returncode == 0, err
            assert serve_or_refuse(folder) is not None
        shutil.rmtree(folder, ignore_errors=True)  # a load killed early may not have made the folder yet


@pytest.fixture
def served_copy(complete: Complete, tmp_path: Path) -> Iterator[tuple[Path, LiveServer]]:
    folder = tmp_path / "store"
    shutil.copytree(complete.folder, folder)
    server = LiveServer("--store", f"oxigraph:{folder}")
    try:
        yield folder, server
    finally:
        server.stop()


@pytest.mark.slow
def test_a_reload_under_a_running_service(served_copy: tuple[Path, LiveServer], complete: Complete) -> None:
    folder, server = served_copy
    before = manifest(folder)
    failures: list[str] = []
    answered = 0
    done = threading.Event()

    def keep_asking() -> None:
        nonlocal answered
        with httpx.Client(timeout=30) as http:
            while not done.is_set():
                try:
                    r = http.get(server.url + "/api/v1/jurisdiction", params={"q": "北京市朝阳区"})
                    n = http.get(server.url + "/sparql", params={"query": COUNT}).json()  # in a query worker
                    if r.status_code != 200 or int(n["results"]["bindings"][0]["n"]["value"]) != complete.served.quads:
                        failures.append(f"{r.status_code} {n}")
                    answered += 1
                except (httpx.HTTPError, KeyError, ValueError) as exc:
                    failures.append(repr(exc))

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        process = load(folder)
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
    finally:
        done.set()
        asker.join()
    assert not failures and answered > 0, failures[:5]
    after = manifest(folder)
    assert after["previous"] == before["generation"] and after["load_id"] != before["load_id"]
    assert (folder / str(before["generation"])).is_dir()  # kept one load longer: the service still reads it
    assert answers(server.url) == complete.served  # the running service goes on with the graph it opened
    fresh = serve_or_refuse(folder)
    assert fresh is not None and fresh.load_id == after["load_id"]
    assert (fresh.committees, fresh.quads) == (complete.served.committees, complete.served.quads)


def test_the_next_load_clears_old_and_unfinished_generations(complete: Complete, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(complete.folder, folder)
    previous = manifest(folder)["generation"]
    (folder / "generation-20000101T000000Z-deadbeef").mkdir()  # left by a killed load
    for _ in range(2):
        process = load(folder)
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        now = manifest(folder)
        assert now["previous"] == previous
        assert sorted(p.name for p in folder.glob("generation-*")) == sorted([now["generation"], previous])
        previous = now["generation"]


def test_a_load_replaces_a_store_of_the_old_layout(complete: Complete, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(complete.folder / str(manifest(complete.folder)["generation"]), folder)  # RocksDB files in PATH
    assert serve_or_refuse(folder) is None
    process = load(folder)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    assert not (folder / "CURRENT").exists() and not list(folder.glob("*.sst"))
    served = serve_or_refuse(folder)
    assert served is not None and (served.committees, served.quads) == (
        complete.served.committees,
        complete.served.quads,
    )


def test_two_loads_into_one_folder_do_not_mix(complete: Complete, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(complete.folder, folder)
    first, second = load(folder), load(folder)
    results = [p.communicate(timeout=600) + (p.returncode,) for p in (first, second)]
    codes = sorted(code for _, _, code in results)
    errors = b"".join(err for _, err, _ in results).decode()
    assert codes[0] == 0, errors
    if codes[1] != 0:
        assert "another `baomi-kg load` is writing" in errors
    served = serve_or_refuse(folder)
    assert served is not None and served.quads == complete.served.quads
