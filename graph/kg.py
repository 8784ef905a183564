"""The knowledge graph as a consumer opens it: a store, the directory read from it, and the resolver."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from cachetools import LRUCache
from pyoxigraph import Store

from graph.answers.authority import AuthorityAnswer, classification_authority
from graph.answers.jurisdiction import JurisdictionAnswer
from graph.answers.lookup import lookup
from graph.answers.past import PastView, jurisdiction_as_of, past_view
from graph.build.prebuilt import prebuilt_path
from graph.directory import snapshot
from graph.directory.load import load_directory
from graph.directory.model import Directory
from graph.directory.past import lookup_ready
from graph.directory.resolver import Resolver
from graph.directory.search import SearchIndex, index_entries, search_index
from graph.errors import QueryTooLarge, SandboxUnavailable, StoreError
from graph.namespaces import Vocab
from graph.settings import Settings
from graph.sparql.endpoint import (
    AnswerHead,
    FormatChoice,
    PreparedQuery,
    QueryContext,
    QueryJob,
    answer,
    check_for_remote,
    prepare,
    read_answer,
)
from graph.sparql.reader import QueryInfo, QueryLimits, check_syntax
from graph.sparql.sandbox import Confinement
from graph.sparql.workers import Handler, WorkerLimits, WorkerPool
from graph.store.backend import Backend, EmbeddedBackend, parse_store_spec, value
from graph.store.loads import load_id
from graph.vocab import DIVISION_LEVELS, Classification, StoreKind

if TYPE_CHECKING:
    import rdflib

__all__ = ["KnowledgeGraph", "open_backend"]

LOOKUP_CACHE_BYTES = 32 << 20  # remembered jurisdiction answers, with their texts counted at the most they may be
LOOKUP_CACHE_TEXT = 256  # characters of the longest text whose answer is remembered


def open_backend(settings: Settings, *, for_writing: bool = False) -> Backend:
    """The store named by the settings; the memory store is filled from the prebuilt graph.

    ``for_writing`` opens an on-disk store as a fresh generation beside the one being served, which
    readers see only once the load is verified and committed (:func:`graph.integrity.finish_load`).
    """
    spec = parse_store_spec(settings.store)
    vocab = Vocab(settings.base_iri)
    if spec.kind is StoreKind.MEMORY:
        if for_writing:
            return EmbeddedBackend.in_memory()
        return EmbeddedBackend.in_memory(Path(settings.data_file) if settings.data_file else prebuilt_path(vocab))
    if spec.kind is StoreKind.OXIGRAPH:
        return EmbeddedBackend.on_disk(Path(spec.location), read_only=not for_writing)
    from graph.store.remote import RemoteBackend

    return RemoteBackend.from_settings(spec, settings)


def _file_key(source: Path, base: str) -> str:
    """The snapshot key of a memory store filled from the N-Quads file ``source``."""
    stat = source.stat()
    return f"file:{source.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{base}"


@dataclass
class KnowledgeGraph:
    settings: Settings
    backend: Backend
    workers: WorkerPool | None = None

    @classmethod
    def open(cls, settings: Settings | None = None) -> KnowledgeGraph:
        settings = settings or Settings()
        return cls(settings, open_backend(settings))

    @property
    def store_filled(self) -> bool:
        """Whether the store is complete: a memory store that ``serve`` is still filling in a thread is not
        (:meth:`EmbeddedBackend.preload`); the directory, resolver and lookups come from the start-up snapshot
        and need no store, whatever this says."""
        return not isinstance(self.backend, EmbeddedBackend) or self.backend.filled

    @cached_property
    def vocab(self) -> Vocab:
        return Vocab(self.settings.base_iri)

    def _snapshot_key(self) -> str | None:
        """What identifies the store's content: the memory store's source file, or the store's load id."""
        if isinstance(self.backend, EmbeddedBackend) and self.backend.source is not None:
            return _file_key(self.backend.source, self.vocab.base)
        found = load_id(self.backend, self.vocab)
        return f"{found}:{self.vocab.base}" if found else None

    @cached_property
    def _snapshot(self) -> snapshot.Snapshot:
        key = self._snapshot_key()
        snap = snapshot.read(key) if key else None
        if snap is None:
            directory = load_directory(self.backend, self.vocab)
            snap = snapshot.Snapshot(
                directory,
                Resolver(directory).index,
                frozenset(self.backend.graphs()),
                self.backend.count(),
                index_entries(directory),
            )
            if key:
                snapshot.write(key, snap)
        return snap

    @cached_property
    def directory(self) -> Directory:
        return self._snapshot.directory

    @cached_property
    def resolver(self) -> Resolver:
        return Resolver(self.directory, self._snapshot.index)

    @cached_property
    def search_index(self) -> SearchIndex:
        """The search index of the directory, from the snapshot's entries (forked workers share it)."""
        return search_index(self.directory, self._snapshot.search)

    @cached_property
    def graphs(self) -> frozenset[str]:
        return self._snapshot.graphs

    @property
    def quads(self) -> int:
        return self._snapshot.quads

    def rdflib(self) -> rdflib.Dataset:
        """The same store through the rdflib API (a Dataset whose default graph is the union of the named graphs).

        The embedded store is wrapped in place (oxrdflib: no copy, queries run in Oxigraph); an external
        store is reached read-only through rdflib's SPARQLStore.  Read a query's result to its end: one left
        half-read holds Oxigraph's answer in a reference cycle, and pyoxigraph refuses to let a thread other than
        the one that asked drop it (the garbage collector may run in any thread).
        """
        import rdflib
        from oxrdflib import OxigraphStore
        from rdflib.plugins.stores.sparqlstore import SPARQLStore

        if isinstance(self.backend, EmbeddedBackend):
            return rdflib.Dataset(store=OxigraphStore(store=self.backend.store), default_union=True)
        return rdflib.Dataset(store=SPARQLStore(self.backend.spec.location, returnFormat="json"), default_union=True)

    def for_worker(self) -> KnowledgeGraph:
        """This graph as a forked worker process uses it: the directory it inherited, and a store of its own
        where the store is a file or a connection (the memory store is shared copy-on-write)."""
        if isinstance(self.backend, EmbeddedBackend):
            if self.backend.path is None:
                return self
            backend: Backend = self.backend.reopen()  # the generation this server reads, not a newer one
        else:
            backend = open_backend(self.settings)  # a connection of its own
        own = KnowledgeGraph(self.settings, backend)
        for name in ("vocab", "_snapshot", "directory", "resolver", "graphs"):
            if name in self.__dict__:
                own.__dict__[name] = self.__dict__[name]
        return own

    def lookup(self, text: str, as_of: date | None = None) -> JurisdictionAnswer:
        """The committee competent for ``text``; with ``as_of``, as it stood at the end of that day."""
        if as_of is not None:
            return jurisdiction_as_of(self.past(as_of), text)
        return lookup(self.directory, self.resolver, text)

    def past(self, day: date) -> PastView:
        """The graph as it stood at the end of ``day``: the directory and resolver of that day over this store (built
        once per state of the history: the first day of a state takes most of a second)."""
        return past_view(self, day)

    def past_ready(self, day: date) -> bool:
        """Whether :meth:`past` answers ``day`` without building anything."""
        return lookup_ready(self.vocab, day)

    def classification_authority(
        self, text: str, level: Classification, delegated: Classification | None = None
    ) -> AuthorityAnswer:
        """The classification authority (定密权限) of the organ ``text`` names, resolved as :meth:`lookup` does."""
        return classification_authority(self.directory, self.resolver.resolve(text), text.strip(), level, delegated)

    def lookup_json(self, text: str, as_of: date | None = None) -> bytes:
        """:meth:`lookup` as JSON, remembered for the texts (and days) that come back (the directory is fixed once
        read, and so is that of a past day).

        The memory is bounded by bytes (:data:`LOOKUP_CACHE_BYTES`), and only short texts are kept; an ambiguous
        or unknown text raises again each time."""
        key = text if as_of is None else (text, as_of)
        answer = self._lookup_answers.get(key)
        if answer is None:
            answer = self.lookup(text, as_of).model_dump_json().encode()
            if len(text) <= LOOKUP_CACHE_TEXT and len(answer) <= LOOKUP_CACHE_BYTES // 64:
                self._lookup_answers[key] = answer
        return answer

    @cached_property
    def _lookup_answers(self) -> LRUCache[str | tuple[str, date], bytes]:
        return LRUCache(maxsize=LOOKUP_CACHE_BYTES, getsizeof=lambda answer: len(answer) + LOOKUP_CACHE_TEXT)

    def stats(self) -> dict[str, object]:
        counts = self.directory.count_by_level()
        prologue = self.vocab.sparql_prologue()
        rows = self.backend.select(
            prologue
            + """
            SELECT
              (COUNT(DISTINCT ?office) AS ?offices) (COUNT(DISTINCT ?party) AS ?parties)
              (COUNT(DISTINCT ?region) AS ?regions)
            WHERE {
              { ?office a bm:Office } UNION { ?party a bm:PartyCommittee } UNION { ?region a bm:AdministrativeRegion }
            }"""
        )
        triples = self.backend.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        if not rows or not triples:
            raise StoreError("the store did not answer the count queries")
        return {
            "committees": {level: counts[level] for level in DIVISION_LEVELS},
            "departmental": counts["departmental"],
            "special": counts["special"],  # the bodies of the 兵团, its 师 and 雄安 (graph/special.py)
            "offices": int(value(rows[0]["offices"])),
            "party_committees": int(value(rows[0]["parties"])),
            "regions": int(value(rows[0]["regions"])),
            "triples": int(value(triples[0]["n"])),
            "quads": self.quads,
            "named_graphs": len(self.graphs),
            "store": str(self.backend.spec),
        }

    # -- untrusted SPARQL --------------------------------------------------------------------------
    @property
    def query_limits(self) -> QueryLimits:
        return QueryLimits(self.settings.max_query_depth, self.settings.max_query_groups)

    def start_workers(self) -> Confinement:
        """Start the confined processes that check and run user queries (the service does this; the CLI runs
        its own queries in-process).  Raises :class:`StoreError` when they cannot be confined."""
        if self.workers is not None:
            return self.workers.confinement or Confinement(False, False, 0)
        limits = WorkerLimits(
            size=self.settings.query_workers,
            memory_budget=self.settings.query_memory_mb << 20,
            sandbox=self.settings.query_sandbox == "on",
            max_waiting=self.settings.max_waiting_queries,
            max_answer=self.settings.max_result_bytes + (1 << 20),
        )
        workers = WorkerPool(self._worker_setup(), limits)
        try:
            confinement = workers.start()
        except SandboxUnavailable as exc:
            workers.close()
            raise StoreError(f"{exc}; set BAOMI_KG_QUERY_SANDBOX=off to serve SPARQL without it") from exc
        except BaseException:
            workers.close()
            raise
        self.workers = workers
        return confinement

    def _worker_setup(self) -> Callable[[], Handler]:
        """What a worker does once confined: open its store and answer jobs, or (external store) check them."""
        context = self.query_context
        if not isinstance(self.backend, EmbeddedBackend):
            return lambda: functools.partial(check_for_remote, context)
        path, store = self.backend.path, self.backend.store
        if path is None:  # the store the server holds, shared copy-on-write
            return lambda: functools.partial(answer, store, context)
        return lambda: functools.partial(answer, Store.read_only(str(path)), context)

    @cached_property
    def query_context(self) -> QueryContext:
        """What every user query of this service is checked and run with."""
        return QueryContext(
            self.graphs,
            self.settings.max_result_bytes,
            tuple(self.vocab.prefixes.items()),
            self.query_limits,
            self.settings.query_check,
        )

    def _check_length(self, text: str) -> None:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > self.settings.max_query_bytes:
            raise QueryTooLarge(
                f"the query is {size} bytes long; at most {self.settings.max_query_bytes} are "
                "accepted (BAOMI_KG_MAX_QUERY_BYTES)"
            )

    def prepare(
        self,
        text: str,
        *,
        format: str | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> PreparedQuery:
        """Check a user's query (read-only, no outbound request, only the store's graphs, size) and fix its format."""
        self._check_length(text)
        prepared = prepare(
            text,
            known_graphs=self.graphs,
            format=format,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            max_bytes=self.settings.max_result_bytes,
            limits=self.query_limits,
        )
        prepared.prefixes = self.vocab.prefixes
        if not isinstance(self.backend, EmbeddedBackend):
            check_syntax(text, self.vocab.prefixes)  # the same 400 (with a position) whatever the store
        return prepared

    def sparql(self, text: str, *, format: str | None = None) -> tuple[bytes, PreparedQuery]:
        """Check and run a user's query in this process (the CLI); the service uses :meth:`execute`."""
        prepared = self.prepare(text, format=format)
        return self.backend.run(prepared, self.settings.query_timeout), prepared

    def job(
        self,
        text: str,
        *,
        result_format: FormatChoice,
        graph_format: FormatChoice,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryJob:
        """A user's query as the service hands it to a worker; only its length is checked here."""
        self._check_length(text)
        return QueryJob(text, result_format, graph_format, tuple(default_graphs), tuple(named_graphs))

    async def execute(self, job: QueryJob) -> tuple[AnswerHead, bytes]:
        """Check and run a job within the timeout and caps, in a confined worker (an external store runs the
        query once a worker has checked it)."""
        if self.workers is None:
            raise StoreError("the query workers are not running")
        timeout = self.settings.query_timeout
        loop = asyncio.get_running_loop()
        started = loop.time()
        head, body = read_answer(await self.workers.run(job, timeout))
        if isinstance(self.backend, EmbeddedBackend):
            return head, body
        info = QueryInfo(head.form, set(head.declared), list(head.from_graphs), list(head.from_named))
        context = self.query_context
        prepared = PreparedQuery(
            job.text,
            info,
            head.format,
            list(job.default_graphs),
            list(job.named_graphs),
            context.max_bytes,
            dict(context.prefixes),
        )
        remaining = max(0.1, timeout - (loop.time() - started))
        async with self._remote_slots:
            return head, await asyncio.to_thread(self.backend.run, prepared, remaining)

    @cached_property
    def _remote_slots(self) -> asyncio.Semaphore:
        return asyncio.Semaphore(self.settings.query_workers)

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
            self.workers = None
        self.backend.close()
