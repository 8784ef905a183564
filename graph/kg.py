"""The knowledge graph as a consumer opens it: a store, the directory read from it, and the resolver."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pyoxigraph import Store

from .answers import JurisdictionAnswer, jurisdiction
from .directory import Directory, load_directory
from .endpoint import PreparedQuery, prepare
from .errors import StoreError
from .lookup import Resolver
from .namespaces import Vocab
from .prebuilt import prebuilt_path
from .settings import Settings
from .sparql import QueryInfo, inspect_query
from .store import Backend, EmbeddedBackend, parse_store_spec, value
from .workers import QueryWorkers

__all__ = ["KnowledgeGraph", "open_backend"]


def open_backend(settings: Settings, *, for_writing: bool = False) -> Backend:
    """The store named by the settings; the memory store is filled from the prebuilt graph."""
    spec = parse_store_spec(settings.store)
    vocab = Vocab(settings.base_iri)
    if spec.kind == "memory":
        return EmbeddedBackend.in_memory(None if for_writing else prebuilt_path(vocab))
    if spec.kind == "oxigraph":
        return EmbeddedBackend.on_disk(Path(spec.location), read_only=not for_writing)
    from .remote import RemoteBackend

    return RemoteBackend.from_settings(spec, settings)


@dataclass
class KnowledgeGraph:
    settings: Settings
    backend: Backend
    workers: QueryWorkers | None = None

    @classmethod
    def open(cls, settings: Settings | None = None) -> KnowledgeGraph:
        settings = settings or Settings()
        return cls(settings, open_backend(settings))

    @cached_property
    def vocab(self) -> Vocab:
        return Vocab(self.settings.base_iri)

    @cached_property
    def directory(self) -> Directory:
        return load_directory(self.backend, self.vocab)

    @cached_property
    def resolver(self) -> Resolver:
        return Resolver(self.directory)

    @cached_property
    def graphs(self) -> frozenset[str]:
        return frozenset(self.backend.graphs())

    def lookup(self, text: str) -> JurisdictionAnswer:
        return jurisdiction(self.directory, self.resolver.resolve(text), text.strip())

    def stats(self) -> dict[str, object]:
        counts = self.directory.count_by_level()
        prologue = self.vocab.sparql_prologue()
        rows = self.backend.select(prologue + """
            SELECT
              (COUNT(DISTINCT ?office) AS ?offices) (COUNT(DISTINCT ?party) AS ?parties)
              (COUNT(DISTINCT ?region) AS ?regions)
            WHERE {
              { ?office a bm:Office } UNION { ?party a bm:PartyCommittee } UNION { ?region a bm:AdministrativeRegion }
            }""")
        triples = self.backend.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        if not rows or not triples:
            raise StoreError("the store did not answer the count queries")
        return {
            "committees": {level: counts[level] for level in ("central", "provincial", "municipal", "county")},
            "departmental": counts["departmental"],
            "offices": int(value(rows[0]["offices"])),
            "party_committees": int(value(rows[0]["parties"])),
            "regions": int(value(rows[0]["regions"])),
            "triples": int(value(triples[0]["n"])),
            "quads": self.backend.count(),
            "named_graphs": len(self.graphs),
            "store": str(self.backend.spec),
        }

    # -- untrusted SPARQL --------------------------------------------------------------------------
    def start_workers(self) -> None:
        """Run user queries in killable worker processes (the service does this; the CLI runs in-process)."""
        if isinstance(self.backend, EmbeddedBackend) and self.workers is None:
            path = self.backend.path
            source = self.backend.store if path is None else (lambda: Store.read_only(str(path)))
            self.workers = QueryWorkers(source, self.settings.query_workers)
            self.workers.start()

    def inspect(self, text: str, *, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> QueryInfo:
        """The form of a user's query, after the read-only / no-outbound-request checks."""
        return inspect_query(text, known_graphs=self.graphs, default_graph_uris=default_graphs,
                             named_graph_uris=named_graphs)

    def sparql(self, text: str, *, format: str | None = None, default_graphs: Sequence[str] = (),
               named_graphs: Sequence[str] = ()) -> tuple[bytes, PreparedQuery]:
        """Check and run a user's query: read-only, no outbound request, within the timeout and result cap."""
        prepared = prepare(text, known_graphs=self.graphs, format=format, default_graphs=default_graphs,
                           named_graphs=named_graphs, max_bytes=self.settings.max_result_bytes)
        prepared.prefixes = self.vocab.prefixes
        runner = self.workers or self.backend
        return runner.run(prepared, self.settings.query_timeout), prepared

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
            self.workers = None
        self.backend.close()
