"""Where the graph lives: one interface over an embedded Oxigraph store or an external SPARQL store.

A store is named by a short spec:

* ``memory`` – embedded, in memory, loaded from the prebuilt graph (the default);
* ``oxigraph:PATH`` – embedded, on disk (Oxigraph/RocksDB); a restart serves at once; each load
  fills a new generation of the store and switches to it only when complete (:mod:`graph.store.generations`);
* ``sparql:QUERY_URL`` – an external SPARQL 1.1 store, with an update URL and optionally a
  Graph Store Protocol URL (see :mod:`graph.store.remote`).

Trusted internal queries (building the directory, exports, Linked Data) go through
:meth:`Backend.select` / :meth:`Backend.construct`; they see the union of the named graphs as the
default graph.  Untrusted SPARQL from users goes through :mod:`graph.sparql.endpoint`.
"""

from __future__ import annotations

import contextlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
)

from graph.errors import InvalidRequest, StoreError
from graph.sparql.endpoint import PreparedQuery, execute_on_store
from graph.store.bulk import parallel_bulk_load, return_free_memory
from graph.store.generations import Manifest, NewGeneration, current_generation
from graph.vocab import StoreKind

__all__ = ["Backend", "EmbeddedBackend", "Row", "StoreSpec", "Term", "parse_store_spec", "value"]

Term = NamedNode | BlankNode | Literal | Triple
Row = dict[str, Term]
_Result = TypeVar("_Result", QuerySolutions, QueryTriples, QueryBoolean)


def value(term: Term | None) -> str:
    """The lexical value of a term ('' for an unbound variable)."""
    if term is None:
        return ""
    if isinstance(term, Triple):
        return str(term)
    return term.value


@dataclass(frozen=True)
class StoreSpec:
    kind: StoreKind
    location: str = ""  # the folder for oxigraph, the query URL for sparql

    def __str__(self) -> str:
        return self.kind if self.kind is StoreKind.MEMORY else f"{self.kind}:{self.location}"


def parse_store_spec(spec: str) -> StoreSpec:
    """Read ``memory``, ``oxigraph:PATH`` or ``sparql:URL``; anything else is a usage error."""
    spec = spec.strip()
    if spec == StoreKind.MEMORY:
        return StoreSpec(StoreKind.MEMORY)
    kind, sep, rest = spec.partition(":")
    if sep and kind == StoreKind.OXIGRAPH and rest:
        return StoreSpec(StoreKind.OXIGRAPH, rest)
    if sep and kind == StoreKind.SPARQL and rest.startswith(("http://", "https://")):
        return StoreSpec(StoreKind.SPARQL, rest)
    raise InvalidRequest(f"unknown store {spec!r}: use memory, oxigraph:PATH or sparql:http(s)://QUERY_URL")


class Backend(ABC):
    """A store holding the dataset, whatever it is."""

    spec: StoreSpec

    @abstractmethod
    def select(self, query: str) -> list[Row]:
        """Run a trusted SELECT over the union graph; one dict per solution (unbound variables absent)."""

    def select_iter(self, query: str) -> Iterator[Row]:
        """Like :meth:`select`, one solution at a time where the backend can stream."""
        return iter(self.select(query))

    @abstractmethod
    def construct(self, query: str) -> list[Triple]:
        """Run a trusted CONSTRUCT or DESCRIBE over the union graph."""

    @abstractmethod
    def ask(self, query: str) -> bool:
        """Run a trusted ASK over the union graph."""

    @abstractmethod
    def load(self, nquads: Path, *, replace: bool = True) -> None:
        """Bulk-load an N-Quads file, replacing the graphs it holds (or the whole embedded store)."""

    @abstractmethod
    def insert(self, quads: Iterable[Quad]) -> None:
        """Add a few quads (bookkeeping such as the load id; bulk data goes through :meth:`load`)."""

    @abstractmethod
    def run(self, q: PreparedQuery, timeout: float) -> bytes:
        """Run an inspected user query and return the serialized answer (see :mod:`graph.sparql.endpoint`)."""

    def count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(value(rows[0].get("n"))) if rows else 0

    def graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        return [value(r["g"]) for r in rows]

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release what the backend holds (files, connections)."""


def _row(names: list[str], solution: QuerySolution) -> Row:
    return {name: term for name, term in zip(names, solution, strict=True) if term is not None}


def _iter_rows(result: QuerySolutions) -> Iterator[Row]:
    names = [v.value for v in result.variables]
    for solution in result:
        yield _row(names, solution)


def answer_of_kind(result: object, kind: type[_Result], expected: str) -> _Result:
    """``result`` if it is of the kind asked; a StoreError naming what was ``expected`` otherwise, raised after the
    answer is let go (it must not travel in the error's traceback: see :func:`_rows`).  Callers pass the answer
    unnamed, so that no frame of theirs holds it either."""
    if isinstance(result, kind):
        return result
    del result
    raise StoreError(f"expected {expected}")


def _rows(result: QuerySolutions) -> list[Row]:
    """Every row of ``result``, read to its end here.  pyoxigraph's results may be dropped only by the thread that
    made them: the ``finally`` lets go of them before the traceback of an error met while reading could carry them
    to whichever thread frees that traceback."""
    rows: list[Row] = []
    solution = None
    try:
        names = [v.value for v in result.variables]
        for solution in result:
            rows.append(_row(names, solution))
        return rows
    finally:
        del result, solution


def _triples(result: QueryTriples) -> list[Triple]:
    """Every triple of ``result``, let go of here as :func:`_rows` does."""
    try:
        return list(result)
    finally:
        del result


class _Preload:
    """A memory store being filled in a thread (:meth:`EmbeddedBackend.preload`)."""

    def __init__(self, backend: type[EmbeddedBackend], nquads: Path) -> None:
        self._backend, self._nquads = backend, nquads
        self._done: EmbeddedBackend | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._fill, name="baomi-kg-preload", daemon=True)
        self._thread.start()

    def _fill(self) -> None:
        try:
            self._done = self._backend._filled(self._nquads)
        except BaseException as exc:  # noqa: BLE001 - raised in the thread that takes the store
            self._error = exc

    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> EmbeddedBackend:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._done is not None  # noqa: S101 - set by _fill when it raised nothing
        return self._done


_PRELOADS: dict[Path, _Preload] = {}


class EmbeddedBackend(Backend):
    """An Oxigraph store in this process, in memory or on disk."""

    def __init__(self, store: Store, spec: StoreSpec, path: Path | None = None, *, read_only: bool = False) -> None:
        self._store = store
        self._filling: _Preload | None = None  # the thread filling a memory store (see preload)
        self.spec = spec
        self.path = path
        self.read_only = read_only
        self.source: Path | None = None  # the file a memory store was filled from
        self.manifest: Manifest | None = None  # what an on-disk store's folder says of the generation read
        self._generation: NewGeneration | None = None  # the generation an on-disk load is filling

    @property
    def store(self) -> Store:
        """The Oxigraph store; a memory store that :meth:`preload` is filling is waited for here."""
        if self._filling is not None:
            self._store = self._filling.result().store
            self._filling = None
        return self._store

    @store.deleter
    def store(self) -> None:  # closes the store (the last reference to it goes)
        self._filling = None
        del self._store

    @property
    def filled(self) -> bool:
        """Whether :attr:`store` is complete, so that reading it does not wait (false while :meth:`preload`'s thread
        is filling it)."""
        return self._filling is None or self._filling.done()

    @classmethod
    def in_memory(cls, nquads: Path | None = None) -> EmbeddedBackend:
        """A memory store, filled from ``nquads``.  When :meth:`preload` is filling it from that file, the backend is
        returned at once and its :attr:`store` waits for the filling to end (see :attr:`filled`)."""
        if nquads is None:
            return cls(Store(), StoreSpec(StoreKind.MEMORY))
        preloading = _PRELOADS.pop(nquads.resolve(), None)
        if preloading is None:
            return cls._filled(nquads)
        backend = cls(Store(), StoreSpec(StoreKind.MEMORY))
        backend._filling, backend.source = preloading, nquads
        return backend

    @classmethod
    def _filled(cls, nquads: Path) -> EmbeddedBackend:
        backend = cls(Store(), StoreSpec(StoreKind.MEMORY))
        backend.load(nquads)
        backend.source = nquads
        return backend

    @classmethod
    def preload(cls, nquads: Path) -> None:
        """Start filling a memory store from ``nquads`` in a thread; the next :meth:`in_memory` of that file in this
        process takes it.

        ``serve`` calls this before it imports the web stack: Oxigraph reads the file without the interpreter lock,
        so on a second core the filling runs beside the imports, and the service answers lookups from its start-up
        snapshot before the store is full (see :mod:`api.web.app`).  Reading :attr:`store` waits for the thread to
        end, so no thread of it runs beside the forks of the workers that follow."""
        _PRELOADS[nquads.resolve()] = _Preload(cls, nquads)

    @classmethod
    def on_disk(cls, path: Path, *, read_only: bool) -> EmbeddedBackend:
        """The on-disk store in the folder ``path`` (see :mod:`graph.store.generations`).

        Read-only: the generation the folder's manifest names.  For writing: a fresh generation beside
        it, which readers see only once :meth:`commit` has verified it and switched the manifest.
        ``backend.path`` is the generation's own folder either way (worker processes reopen it).
        """
        generation: NewGeneration | None = None
        manifest: Manifest | None = None
        if read_only:
            target, manifest = current_generation(path)
        else:
            generation = NewGeneration(path)
            target = generation.path
        try:
            store = Store.read_only(str(target)) if read_only else Store(str(target))
        except (OSError, RuntimeError) as exc:  # RocksDB reports a corrupt store as a RuntimeError
            if generation is not None:
                generation.discard()
            raise StoreError(f"cannot open the Oxigraph store at {target}: {exc}") from exc
        backend = cls(store, StoreSpec(StoreKind.OXIGRAPH, str(path)), target, read_only=read_only)
        backend.manifest, backend._generation = manifest, generation
        return backend

    def reopen(self) -> EmbeddedBackend:
        """A read-only backend of its own on the very generation this one reads (for a forked worker).

        Opening ``oxigraph:PATH`` again would follow the manifest, which a load may have switched since.
        """
        if self.path is None:
            return self
        try:
            store = Store.read_only(str(self.path))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {exc}") from exc
        backend = EmbeddedBackend(store, self.spec, self.path, read_only=True)
        backend.manifest = self.manifest
        return backend

    def _query(self, query: str) -> QuerySolutions | QueryBoolean | QueryTriples:
        try:
            return self.store.query(query, use_default_graph_as_union=True)
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"embedded store: {exc}") from exc

    def select(self, query: str) -> list[Row]:
        return _rows(answer_of_kind(self._query(query), QuerySolutions, "a SELECT query"))

    def select_iter(self, query: str) -> Iterator[Row]:
        return _iter_rows(answer_of_kind(self._query(query), QuerySolutions, "a SELECT query"))

    def construct(self, query: str) -> list[Triple]:
        return _triples(answer_of_kind(self._query(query), QueryTriples, "a CONSTRUCT or DESCRIBE query"))

    def ask(self, query: str) -> bool:
        return bool(answer_of_kind(self._query(query), QueryBoolean, "an ASK query"))

    def run(self, q: PreparedQuery, timeout: float) -> bytes:
        # In-process: no deadline can be enforced here; the service uses graph.sparql.workers instead.
        return execute_on_store(self.store, q)

    def load(self, nquads: Path, *, replace: bool = True) -> None:
        if replace:
            self.store.clear()
        if self.path is None:
            # In memory the inserts take one core whatever the number of loaders; read by Oxigraph itself, the file
            # needs no interpreter lock, so a load in a thread runs beside Python code (see preload).
            try:
                self.store.bulk_load(path=str(nquads), format=RdfFormat.N_QUADS, lenient=True)
            except (OSError, SyntaxError, ValueError) as exc:  # as the parallel loader reports it
                raise StoreError(f"loading {nquads.name} failed: {exc}") from exc
        else:
            parallel_bulk_load(self.store, nquads)
        return_free_memory()
        if self.path is not None:
            self.store.flush()  # bulk loading writes sorted files straight to the bottom level: no compaction

    def count(self) -> int:
        return len(self.store)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, NamedNode))

    def insert(self, quads: Iterable[Quad]) -> None:
        self.store.extend(quads)
        if self.path is not None:
            self.store.flush()

    def commit(self, load_id: str, quads: int, base_iri: str) -> None:
        """Make a finished on-disk load the generation readers open (nothing to do for a memory store).

        The caller has verified the load and counted its ``quads`` (see :func:`graph.integrity.finish_load`);
        here the store is checked once more for its load id and closed, and the folder's manifest switched to it.
        """
        if self._generation is None:
            return
        if next(self.store.quads_for_pattern(None, None, Literal(load_id)), None) is None:
            raise StoreError(f"the new generation {self.path} lacks its load id {load_id}; the previous one stays")
        self.store.flush()
        del self.store  # closed: its files are complete before the manifest names them
        self.manifest = self._generation.commit(load_id, quads, base_iri)

    def close(self) -> None:
        if self._generation is not None:
            if not self._generation.committed:
                with contextlib.suppress(AttributeError):
                    del self.store  # closed before its folder goes
            self._generation.discard()
            self._generation = None
            return
        with contextlib.suppress(AttributeError):
            del self.store
