"""The memory store filled in a thread while `serve` imports the web stack (EmbeddedBackend.preload)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.build.prebuilt import prebuilt_path
from graph.errors import StoreError
from graph.kg import KnowledgeGraph
from graph.namespaces import Vocab
from graph.settings import Settings
from graph.store import backend as store_backend
from graph.store.backend import EmbeddedBackend
from tests.helpers.stores import hold_store_filling


def _preload_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "baomi-kg-preload"]


@pytest.fixture(scope="module")
def snapshot_written() -> None:
    """The start-up snapshot of the bundled graph is in the cache (a warm start)."""
    KnowledgeGraph.open(Settings(store="memory")).resolver  # noqa: B018


@pytest.fixture
def held(snapshot_written: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Preloads (and every other filling of a memory store) wait for the event this yields."""
    release = hold_store_filling(monkeypatch)
    yield release
    release.set()
    store_backend._PRELOADS.clear()


@pytest.mark.slow  # loads the whole graph three times and compares the stores
def test_a_preloaded_store_is_the_file_and_its_thread_has_ended_once_read() -> None:
    source = prebuilt_path(Vocab())
    direct = EmbeddedBackend.in_memory(source)
    EmbeddedBackend.preload(source)
    preloaded = EmbeddedBackend.in_memory(source)
    assert store_backend._PRELOADS == {}, "a preload is taken once"
    assert preloaded.source == source and preloaded.count() == direct.count() > 100_000
    assert preloaded.filled and _preload_threads() == [], "the workers are forked next: no thread may still run"
    assert set(preloaded.store) == set(direct.store)
    assert EmbeddedBackend.in_memory(source) is not preloaded


def test_a_preload_is_taken_by_the_same_file_under_another_name(tmp_path: Path) -> None:
    source = prebuilt_path(Vocab())
    link = tmp_path / "graph.nq"
    link.symlink_to(source)
    EmbeddedBackend.preload(link)
    assert EmbeddedBackend.in_memory(source).count() > 100_000
    assert store_backend._PRELOADS == {}


def test_a_failed_preload_fails_where_the_store_is_read(tmp_path: Path) -> None:
    broken = tmp_path / "broken.nq"
    broken.write_text("<http://example.org/s> <http://example.org/p> .\n", encoding="utf-8")
    EmbeddedBackend.preload(broken)
    backend = EmbeddedBackend.in_memory(broken)
    with pytest.raises(StoreError, match="loading broken.nq failed"):
        backend.count()
    assert _preload_threads() == []


def test_the_graph_opens_and_resolves_from_its_snapshot_while_the_store_fills(held: threading.Event) -> None:
    EmbeddedBackend.preload(prebuilt_path(Vocab()))
    kg = KnowledgeGraph.open(Settings(store="memory"))
    assert not kg.store_filled
    assert kg.lookup("330106").committee is not None and kg.quads > 100_000  # from the snapshot, not the store
    assert not kg.store_filled and len(_preload_threads()) == 1
    held.set()
    assert kg.backend.count() == kg.quads
    assert kg.store_filled and _preload_threads() == []
