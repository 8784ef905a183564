"""Is a store complete and ours?  Checked once when a load finishes, and before the service starts.

A load marks its end with a fresh load id quad (:func:`graph.store.loads.load_id_quad`), written last:

* into an on-disk store it goes into a new generation, which :func:`finish_load` verifies (the
  load id is there, the store is not empty, the start-up snapshot is written) before the folder's
  manifest is switched to it (:mod:`graph.store.generations`); a load stopped at any moment leaves the
  previous generation served as before;
* an external store cannot switch atomically: a load deletes the load id first, replaces the
  graphs in place, and writes a new load id last.  While a load runs, or after one that did not
  finish, the store holds a partial graph and no load id, and :func:`check_store` refuses it, so
  ``serve`` does not start on it; a service already running on that store goes on answering from
  it meanwhile.  Load an external store while no service depends on it, or into a second store.

:func:`check_store` takes seconds whatever the store's size: it opens the store, reads its
load id, and reads only the first quad of a memory store's N-Quads file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from pyoxigraph import Quad, RdfFormat, parse

from graph.build.prebuilt import prebuilt_path
from graph.directory import snapshot
from graph.errors import QueryError, StoreError
from graph.namespaces import Vocab
from graph.settings import Settings
from graph.store.backend import EmbeddedBackend, parse_store_spec, value
from graph.store.loads import load_id
from graph.vocab import StoreKind

if TYPE_CHECKING:
    from graph.kg import KnowledgeGraph

__all__ = ["check_store", "finish_load"]

_CHECK_TIMEOUT = 5.0  # seconds an external store has to answer the start-up check


def finish_load(kg: KnowledgeGraph, marker: Quad) -> None:
    """Verify a load that has written its load id ``marker`` and read its directory, then make it the one served.

    Raises :class:`StoreError` (and leaves an on-disk store's previous generation current) when the
    store does not read back the load id, holds nothing else, or the start-up snapshot is missing.
    """
    backend, written = kg.backend, value(marker.object)
    found = load_id(backend, kg.vocab)
    if found != written:
        raise StoreError(
            f"the store {backend.spec} does not read back the load id just written "
            f"({found or 'none'} instead of {written})"
        )
    quads = kg.quads  # counted for the snapshot, after the load id went in
    if quads <= 1:
        raise StoreError(f"the store {backend.spec} holds nothing but its load id after the load")
    key = kg._snapshot_key()
    if key is None or not snapshot.exists(key):
        raise StoreError(
            f"the start-up snapshot of the load into {backend.spec} could not be written (see the warning above)"
        )
    if isinstance(backend, EmbeddedBackend):
        backend.commit(written, quads, kg.vocab.base)


def check_store(settings: Settings) -> None:
    """Refuse, with one clear :class:`StoreError`, a store the service must not start on.

    Memory: the N-Quads file is there and holds quads.  On disk: the folder has a manifest, the
    generation it names opens read-only and holds the manifest's load id.  External: the store
    answers and holds a load id (its last load finished).
    """
    spec = parse_store_spec(settings.store)
    vocab = Vocab(settings.base_iri)
    if spec.kind is StoreKind.MEMORY:
        _check_nquads(Path(settings.data_file) if settings.data_file else prebuilt_path(vocab))
    elif spec.kind is StoreKind.OXIGRAPH:
        _check_on_disk(Path(spec.location), vocab)
    else:
        _check_external(settings, vocab)


def _check_nquads(path: Path) -> None:
    if not path.is_file():
        raise StoreError(f"no N-Quads file at {path}")
    try:
        with path.open("rb") as handle:
            first = next(iter(parse(handle, format=RdfFormat.N_QUADS)), None)
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"{path} is not a readable N-Quads file: {exc}") from exc
    if first is None:
        raise StoreError(f"{path} holds no quads")


def _check_on_disk(folder: Path, vocab: Vocab) -> None:
    backend = EmbeddedBackend.on_disk(folder, read_only=True)
    try:
        manifest = backend.manifest
        assert manifest is not None  # noqa: S101 - a read-only on-disk backend always has one
        if manifest.base_iri != vocab.base:
            raise StoreError(
                f"the store at {folder} was loaded with the base IRI {manifest.base_iri}, not "
                f"{vocab.base}: serve it with that base IRI, or load it again with this one"
            )
        try:
            found = load_id(backend, vocab)
        except RuntimeError as exc:  # RocksDB's word for a corrupt file met while reading
            raise StoreError(f"cannot read the Oxigraph store at {backend.path}: {exc}") from exc
        if found != manifest.load_id:
            raise StoreError(
                f"the store at {folder} does not hold the load its manifest names ({manifest.load_id}, "
                f"found {found or 'none'}): run `baomi-kg load --store oxigraph:{folder}` again"
            )
    finally:
        backend.close()


def _check_external(settings: Settings, vocab: Vocab) -> None:
    from graph.store.remote import RemoteBackend, not_union_error

    backend = RemoteBackend.from_settings(parse_store_spec(settings.store), settings)
    backend.client.timeout = httpx.Timeout(_CHECK_TIMEOUT)
    try:
        found = load_id(backend, vocab)
        union = found is None or backend.default_graph_is_union(vocab.dataset, vocab.meta_graph)
    except (StoreError, QueryError) as exc:  # unreachable, an HTTP error, a timeout
        raise StoreError(f"the store {backend.spec} does not answer: {exc}") from exc
    finally:
        backend.close()
    if found is None:
        raise StoreError(
            f"the store {backend.spec} holds no finished load (a load did not complete, is running, "
            f"or never ran, or it was loaded with another base IRI than {vocab.base}): run "
            "`baomi-kg load` into it again"
        )
    if not union:
        raise not_union_error(backend.spec, "then serve it: the graphs in it need not be loaded again")
