"""Running one untrusted SPARQL query: formats, the dataset it sees, and the result-size cap.

:func:`prepare` checks a request (:mod:`graph.sparql`) and fixes its output format;
:func:`execute_on_store` runs it on an Oxigraph store and returns the serialized answer.  The
service runs :func:`execute_on_store` inside a worker process (:mod:`graph.workers`) so that a
query can be stopped at its deadline; the CLI calls it directly.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, cast

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    serialize,
)

from .errors import QuerySyntaxError, ResultTooLarge, StoreError
from .sparql import QueryInfo, error_position, inspect_query

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "PreparedQuery",
    "execute_on_store",
    "prepare",
    "serialize_result",
]

# name -> (media type, pyoxigraph format)
RESULT_FORMATS: dict[str, tuple[str, QueryResultsFormat]] = {
    "json": ("application/sparql-results+json", QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", QueryResultsFormat.XML),
    "csv": ("text/csv", QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", QueryResultsFormat.TSV),
}
GRAPH_FORMATS: dict[str, tuple[str, RdfFormat]] = {
    "turtle": ("text/turtle", RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", RdfFormat.RDF_XML),
}


@dataclass
class PreparedQuery:
    text: str
    info: QueryInfo
    format: str  # a key of RESULT_FORMATS or GRAPH_FORMATS, matching the query form
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    max_bytes: int = 64_000_000
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def media_type(self) -> str:
        table = GRAPH_FORMATS if self.info.is_graph_result else RESULT_FORMATS
        return table[self.format][0]


def prepare(
    text: str,
    *,
    known_graphs: Collection[str],
    format: str | None = None,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    max_bytes: int = 64_000_000,
) -> PreparedQuery:
    info = _inspect(text, frozenset(known_graphs), tuple(default_graphs), tuple(named_graphs))
    table = GRAPH_FORMATS if info.is_graph_result else RESULT_FORMATS
    chosen = format or next(iter(table))
    if chosen not in table:
        kind = "graph" if info.is_graph_result else "result"
        raise QuerySyntaxError(
            f"format {chosen!r} does not fit a {info.form} query; {kind} formats: {', '.join(table)}")
    return PreparedQuery(text, info, chosen, list(default_graphs), list(named_graphs), max_bytes)


@lru_cache(maxsize=1024)
def _inspect(text: str, known_graphs: frozenset[str], default_graphs: tuple[str, ...],
             named_graphs: tuple[str, ...]) -> QueryInfo:
    """The checks of :func:`graph.sparql.inspect_query`, remembered for queries that come back (an
    application sends the same few); a refused query raises every time, as errors are not cached."""
    return inspect_query(text, known_graphs=known_graphs, default_graph_uris=default_graphs,
                         named_graph_uris=named_graphs)


class _CappedBuffer(io.RawIOBase):
    """A write target that refuses to grow past ``limit`` bytes (stops the serializer early)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge(f"the result is larger than the {self.limit}-byte cap; add a LIMIT")
        self.chunks.append(bytes(data))
        return len(data)

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


def execute_on_store(store: Store, q: PreparedQuery) -> bytes:
    """Run a prepared query against ``store`` and serialize its answer in the chosen format."""
    options: dict[str, object] = {}
    if q.default_graphs:
        options["default_graph"] = [NamedNode(g) for g in q.default_graphs]
    elif not q.info.from_graphs:
        options["use_default_graph_as_union"] = True
    if q.named_graphs:
        options["named_graphs"] = [NamedNode(g) for g in q.named_graphs]
    try:
        result = store.query(q.text, prefixes=q.prefixes or None, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        line, column = error_position(str(exc))
        raise QuerySyntaxError(str(exc), line, column) from exc
    except OSError as exc:
        raise StoreError(str(exc)) from exc
    return serialize_result(result, q)


def serialize_result(result: QuerySolutions | QueryBoolean | QueryTriples | list[Triple], q: PreparedQuery) -> bytes:
    """Serialize an answer in the query's chosen format, stopping at the result-size cap."""
    out = _CappedBuffer(q.max_bytes)
    try:
        if isinstance(result, list):
            serialize(result, cast("IO[bytes]", out), format=GRAPH_FORMATS[q.format][1])
        elif isinstance(result, QueryTriples):
            result.serialize(cast("IO[bytes]", out), format=GRAPH_FORMATS[q.format][1])
        elif isinstance(result, QuerySolutions | QueryBoolean):
            result.serialize(cast("IO[bytes]", out), format=RESULT_FORMATS[q.format][1])
        else:  # pragma: no cover - pyoxigraph returns one of the three
            raise StoreError(f"unexpected result {type(result).__name__}")
    except ResultTooLarge:
        raise
    except (OSError, ValueError) as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, ResultTooLarge):
            raise cause from None
        raise StoreError(f"while serializing the result: {exc}") from exc
    return out.getvalue()
