"""The memory store filled in a thread while `serve` imports the web stack (EmbeddedBackend.preload)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from graph.build.prebuilt import prebuilt_path
from graph.errors import StoreError
from graph.namespaces import Vocab
from graph.store import backend as store_backend
from graph.store.backend import EmbeddedBackend


def _preload_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "baomi-kg-preload"]


@pytest.mark.slow  # loads the whole graph three times and compares the stores
def test_a_preloaded_store_is_the_file_and_its_thread_has_ended() -> None:
    source = prebuilt_path(Vocab())
    direct = EmbeddedBackend.in_memory(source)
    EmbeddedBackend.preload(source)
    preloaded = EmbeddedBackend.in_memory(source)
    assert _preload_threads() == [], "the workers are forked next: no thread may still be running"
    assert preloaded.source == source and preloaded.count() == direct.count() > 100_000
    assert set(preloaded.store) == set(direct.store)
    assert store_backend._PRELOADS == {}, "a preload is taken once"
    assert EmbeddedBackend.in_memory(source) is not preloaded


def test_a_preload_is_taken_by_the_same_file_under_another_name(tmp_path: Path) -> None:
    source = prebuilt_path(Vocab())
    link = tmp_path / "graph.nq"
    link.symlink_to(source)
    EmbeddedBackend.preload(link)
    assert EmbeddedBackend.in_memory(source).count() > 100_000
    assert store_backend._PRELOADS == {}


def test_a_failed_preload_fails_where_the_store_is_taken(tmp_path: Path) -> None:
    broken = tmp_path / "broken.nq"
    broken.write_text("<http://example.org/s> <http://example.org/p> .\n", encoding="utf-8")
    EmbeddedBackend.preload(broken)
    with pytest.raises(StoreError, match="loading broken.nq failed"):
        EmbeddedBackend.in_memory(broken)
    assert _preload_threads() == []


def test_the_snapshot_is_read_before_the_store_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """KnowledgeGraph.open reads the start-up snapshot first, so that it overlaps the preload's filling."""
    from graph.directory import snapshot
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    KnowledgeGraph.open(Settings(store="memory")).resolver  # noqa: B018 - the snapshot is written
    order: list[str] = []
    read, filled = snapshot.read, EmbeddedBackend._filled.__func__  # type: ignore[attr-defined]

    def reading(key: str) -> snapshot.Snapshot | None:
        order.append("snapshot")
        return read(key)

    def filling(cls: type[EmbeddedBackend], nquads: Path) -> EmbeddedBackend:
        order.append("store")
        return filled(cls, nquads)  # type: ignore[no-any-return]

    monkeypatch.setattr(snapshot, "read", reading)
    monkeypatch.setattr(EmbeddedBackend, "_filled", classmethod(filling))
    kg = KnowledgeGraph.open(Settings(store="memory"))
    assert order == ["snapshot", "store"]
    assert kg.lookup("330106").committee is not None
    assert order == ["snapshot", "store"], "the snapshot read first is the one used"
