"""The embedded store: parallel bulk loading, the on-disk store and its read-only reopening."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, RdfFormat, Store

from graph.build.prebuilt import prebuilt_path
from graph.errors import InvalidRequest, StoreError
from graph.namespaces import Vocab
from graph.store.backend import EmbeddedBackend, parse_store_spec
from graph.store.bulk import parallel_bulk_load
from graph.store.loads import load_id_quad


@pytest.mark.slow
@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_parallel_load_gives_exactly_the_file(parts: int) -> None:
    source = prebuilt_path(Vocab())
    reference = Store()
    reference.bulk_load(path=str(source), format=RdfFormat.N_QUADS)
    store = Store()
    parallel_bulk_load(store, source, parts=parts)
    assert len(store) == len(reference)
    assert set(store) == set(reference)


@pytest.mark.slow
def test_on_disk_store_reopens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    writable = EmbeddedBackend.on_disk(folder, read_only=False)
    writable.load(prebuilt_path(Vocab()))
    marker = load_id_quad(Vocab())
    writable.insert([marker])
    count = writable.count()
    assert isinstance(marker.object, Literal)
    writable.commit(marker.object.value, count, Vocab().base)
    writable.close()
    reader = EmbeddedBackend.on_disk(folder, read_only=True)
    try:
        assert reader.count() == count > 100_000
        assert reader.manifest is not None and reader.manifest.quads == count
        assert reader.path == folder / reader.manifest.generation  # what the query workers reopen
        assert reader.ask("ASK { <https://w3id.org/baomi-kg/id/committee/441900> ?p ?o }")
    finally:
        reader.close()


@pytest.mark.slow
def test_an_on_disk_load_closed_before_its_commit_leaves_nothing_to_read(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    writable = EmbeddedBackend.on_disk(folder, read_only=False)
    writable.load(prebuilt_path(Vocab()))
    writable.close()
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == []
    with pytest.raises(StoreError, match="load one first"):
        EmbeddedBackend.on_disk(folder, read_only=True)


def test_reading_a_missing_on_disk_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="load one first"):
        EmbeddedBackend.on_disk(tmp_path / "nothing", read_only=True)


@pytest.mark.parametrize("spec", ["mongodb://x", "oxigraph:", "sparql:ftp://x", "sparql:", ""])
def test_bad_store_specs(spec: str) -> None:
    with pytest.raises(InvalidRequest):
        parse_store_spec(spec)
