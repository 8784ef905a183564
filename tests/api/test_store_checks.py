"""``serve`` checks its store before it starts: an empty, half-loaded, foreign or unreadable store is one line
on stderr and a non-zero exit within seconds, and a start-up that fails anyway leaves no process behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, Store

from graph.errors import StoreError
from graph.integrity import check_store
from graph.namespaces import Vocab
from graph.paths import ROOT
from graph.settings import Settings
from graph.store.backend import parse_store_spec
from graph.store.generations import MANIFEST
from graph.store.loads import load_id_quad
from graph.store.remote import RemoteBackend
from tests.helpers.ports import free_port
from tests.helpers.stores import OxigraphServer

pytestmark = pytest.mark.slow  # starts a server for each store it must refuse

REFUSED_WITHIN = 10.0  # seconds


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One complete on-disk load of the bundled graph, copied by the tests that need a store."""
    folder = tmp_path_factory.mktemp("loaded") / "store"
    load = subprocess.run(
        [sys.executable, "-m", "api.cli", "load", "--store", f"oxigraph:{folder}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert load.returncode == 0, load.stderr
    return folder


def serve(*args: str, workers: int = 1) -> tuple[int, str, float, int]:
    """Run ``serve`` until it exits (or fail the test after 30 s): exit code, stderr, seconds, port."""
    port = free_port()
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        leftovers = _processes_serving(port)
        for pid in leftovers:
            os.kill(pid, 9)
    assert not leftovers, f"processes left behind: {leftovers}"
    return proc.returncode, proc.stderr, time.monotonic() - started, port


def _processes_serving(port: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in argv and str(port).encode() in argv:
                found.append(int(entry.name))
    return found


def assert_refused(args: list[str], needle: str, *, workers: int = 1) -> None:
    code, stderr, seconds, _ = serve(*args, workers=workers)
    lines = stderr.strip().splitlines()
    assert code != 0 and seconds < REFUSED_WITHIN, (code, seconds, stderr)
    assert len(lines) == 1 and lines[0].startswith("baomi-kg: error: "), stderr
    assert needle in lines[0], lines[0]


def _empty(folder: Path, loaded: Path) -> None:
    folder.mkdir()


def _half_written(folder: Path, loaded: Path) -> None:
    """A generation as a first load leaves it when killed before it could write the manifest."""
    shutil.copytree(loaded, folder)
    (folder / MANIFEST).unlink()


def _foreign_oxigraph(folder: Path, loaded: Path) -> None:
    store = Store(str(folder))
    store.add(
        Quad(
            NamedNode("http://example.org/a"),
            NamedNode("http://example.org/b"),
            NamedNode("http://example.org/c"),
            NamedNode("http://example.org/g"),
        )
    )
    store.flush()
    del store


def _old_layout(folder: Path, loaded: Path) -> None:
    """RocksDB files straight in the folder, as ``load`` wrote them before generations."""
    generation = next(p for p in loaded.iterdir() if p.name.startswith("generation-"))
    shutil.copytree(generation, folder)


def _random_files(folder: Path, loaded: Path) -> None:
    folder.mkdir()
    (folder / "notes.txt").write_text("not a store\n")
    (folder / "photos").mkdir()


def _a_file(folder: Path, loaded: Path) -> None:
    folder.write_bytes(b"\x00" * 100)


def _garbled_manifest(folder: Path, loaded: Path) -> None:
    shutil.copytree(loaded, folder)
    (folder / MANIFEST).write_bytes(b'{"generation": "generation-x", "lo')


def _missing_generation(folder: Path, loaded: Path) -> None:
    shutil.copytree(loaded, folder)
    for generation in folder.glob("generation-*"):
        shutil.rmtree(generation)


def _mismatched_load_id(folder: Path, loaded: Path) -> None:
    shutil.copytree(loaded, folder)
    text = (folder / MANIFEST).read_text()
    (folder / MANIFEST).write_text(text.replace('"load:', '"load:0'))


def _unreadable_generation(folder: Path, loaded: Path) -> None:
    shutil.copytree(loaded, folder)
    for generation in folder.glob("generation-*"):
        for sst in generation.glob("*.sst"):
            sst.write_bytes(b"garbage")


STORES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "empty folder": (_empty, "load one first with `baomi-kg load --store oxigraph:"),
    "half-written generation": (_half_written, "holds no finished load"),
    "foreign Oxigraph store": (_foreign_oxigraph, "without a baomi-kg manifest"),
    "old layout": (_old_layout, "run `baomi-kg load --store oxigraph:"),
    "random files": (_random_files, "is not a baomi-kg store"),
    "a file": (_a_file, "is not a folder"),
    "garbled manifest": (_garbled_manifest, "cannot be read"),
    "missing generation": (_missing_generation, "is missing or incomplete"),
    "mismatched load id": (_mismatched_load_id, "does not hold the load its manifest names"),
    "unreadable generation": (_unreadable_generation, "cannot open the Oxigraph store"),
}


@pytest.mark.parametrize("case", list(STORES))
def test_serve_refuses_a_store_that_is_not_a_finished_load(case: str, loaded: Path, tmp_path: Path) -> None:
    make, needle = STORES[case]
    folder = tmp_path / "store"
    make(folder, loaded)
    assert_refused(["--store", f"oxigraph:{folder}"], needle)


def test_the_supervisor_of_several_workers_refuses_too(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    assert_refused(["--store", f"oxigraph:{tmp_path / 'store'}"], "load one first", workers=2)


@pytest.mark.parametrize("content", [b"", b"# only a comment\n\n", b"\x00\x01 not N-Quads\n"])
def test_serve_refuses_an_nquads_file_without_quads(content: bytes, tmp_path: Path) -> None:
    data = tmp_path / "empty.nq"
    data.write_bytes(content)
    assert_refused(["--data-file", str(data)], str(data))


def test_serve_refuses_a_missing_nquads_file(tmp_path: Path) -> None:
    assert_refused(["--data-file", str(tmp_path / "nothing.nq")], "no N-Quads file")


def test_a_start_up_that_fails_anyway_exits_and_stops_its_workers(tmp_path: Path) -> None:
    """A file that passes the check (it holds quads) but holds no committee: the lifespan fails after the
    query workers are forked; the process exits non-zero at once and no worker stays behind."""
    data = tmp_path / "one.nq"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> <http://example.org/g> .\n")
    code, stderr, seconds, _ = serve("--data-file", str(data))
    assert code != 0 and seconds < REFUSED_WITHIN, (code, seconds, stderr)
    assert "no central committee" in stderr


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-server"))
    yield server
    server.stop()


def test_an_external_store_needs_a_finished_load(oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    args = oxigraph_server.load_args()
    settings = Settings(store=args[1], update_url=args[3], gsp_url=args[5])
    assert_refused(args, "holds no finished load")  # empty
    data = tmp_path / "one.nq"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> <http://example.org/g> .\n")
    backend = RemoteBackend.from_settings(parse_store_spec(settings.store), settings)
    try:
        backend.load(data)
        backend.insert([load_id_quad(Vocab())])  # the mark a finished load writes last
        check_store(settings)
        backend.load(data)  # a load that starts clears the mark first: stopped here, the store is refused
        with pytest.raises(StoreError, match="holds no finished load"):
            check_store(settings)
    finally:
        backend.close()


def test_an_external_store_that_does_not_answer_is_refused() -> None:
    assert_refused(["--store", f"sparql:http://127.0.0.1:{free_port()}/query"], "does not answer")
