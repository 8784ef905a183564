"""Running one untrusted SPARQL query: formats, the dataset it sees, and the size caps.

:func:`prepare` checks a request (:mod:`graph.sparql.reader`) and fixes its output format;
:func:`execute_on_store` runs it on an Oxigraph store and returns the serialized answer.  The CLI
calls both directly.  The service does all of it inside a confined worker process
(:mod:`graph.sparql.workers`): it hands over a :class:`QueryJob` — the raw text, and the format the client
would take for each kind of answer — and gets back :func:`answer`'s bytes, so that neither the
checking nor the running of a query ever holds the server's event loop.  What a worker sends back
is JSON and bytes, never a pickle: the server does not trust a process that ran untrusted input.
"""

from __future__ import annotations

import errno
import io
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import IO, cast

from cachetools import LRUCache
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

from graph.errors import (
    BaomiError,
    FormatMismatch,
    NotAcceptable,
    QueryRefused,
    QuerySyntaxError,
    QueryUnsupported,
    ResultTooLarge,
    StoreError,
)
from graph.sparql.reader import QueryInfo, QueryLimits, check_syntax, error_position, inspect_query
from graph.vocab import FORMATS, RDF_FORMATS, RESULT_FORMATS

__all__ = [
    "AnswerHead",
    "FormatChoice",
    "PreparedQuery",
    "QueryContext",
    "QueryJob",
    "answer",
    "check_for_remote",
    "execute_on_store",
    "prepare",
    "prepare_job",
    "rdf_format",
    "read_answer",
    "results_format",
    "serialize_result",
]

# The formats of graph.vocab as Oxigraph writes them, by name (it knows every media type of the two tables).
_RDF = {f.name: cast(RdfFormat, RdfFormat.from_media_type(f.media_type)) for f in RDF_FORMATS}
_RESULTS = {f.name: cast(QueryResultsFormat, QueryResultsFormat.from_media_type(f.media_type)) for f in RESULT_FORMATS}


def rdf_format(name: str) -> RdfFormat:
    """Oxigraph's serializer of the RDF format ``name`` (one of :data:`graph.vocab.RDF_FORMATS`)."""
    return _RDF[name]


def results_format(name: str) -> QueryResultsFormat:
    """Oxigraph's serializer of the results format ``name`` (one of :data:`graph.vocab.RESULT_FORMATS`)."""
    return _RESULTS[name]


@dataclass
class PreparedQuery:
    text: str
    info: QueryInfo
    format: str  # the name of a format of graph.vocab that holds the answers of the query's form
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    max_bytes: int = 64_000_000
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def media_type(self) -> str:
        return FORMATS[self.format].media_type


# The checks of the queries a worker has seen, for those that come back (an application sends the same few):
# bounded by the length of the texts kept; a refused query is not kept and raises again each time.
_CHECKED: LRUCache[tuple[str, frozenset[str], tuple[str, ...], tuple[str, ...], QueryLimits], tuple[int, QueryInfo]] = (
    LRUCache(maxsize=8 << 20, getsizeof=lambda entry: entry[0])
)


def _checked(
    text: str,
    known_graphs: frozenset[str],
    default_graphs: tuple[str, ...],
    named_graphs: tuple[str, ...],
    limits: QueryLimits,
) -> QueryInfo:
    key = (text, known_graphs, default_graphs, named_graphs, limits)
    entry = _CHECKED.get(key)
    if entry is None:
        info = inspect_query(
            text,
            known_graphs=known_graphs,
            default_graph_uris=default_graphs,
            named_graph_uris=named_graphs,
            limits=limits,
        )
        entry = (len(text) + 256, info)
        if entry[0] <= _CHECKED.maxsize // 16:
            _CHECKED[key] = entry
    return entry[1]


def prepare(
    text: str,
    *,
    known_graphs: Collection[str],
    format: str | None = None,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    max_bytes: int = 64_000_000,
    limits: QueryLimits = QueryLimits(),  # noqa: B008 - frozen
    checked: bool = True,
) -> PreparedQuery:
    """Check ``text`` (read-only, no outbound request, only the store's graphs, size and nesting) and fix its
    format.  ``checked=False`` skips the policy checks and keeps only the form, for tests of the sandbox alone."""
    if checked:
        info = _checked(text, frozenset(known_graphs), tuple(default_graphs), tuple(named_graphs), limits)
    else:
        info = QueryInfo(_form_of(text))
    table = _FORMATS_OF_FORM[info.form]
    chosen = format or table[0].name
    if all(f.name != chosen for f in table):
        kind = "graph" if info.is_graph_result else "result"
        offered = [f.name for f in table]
        raise FormatMismatch(
            f"format {chosen!r} does not fit a {info.form} query; {kind} formats: {', '.join(offered)}",
            info.form,
            offered,
        )
    return PreparedQuery(text, info, chosen, list(default_graphs), list(named_graphs), max_bytes)


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# A query form -> the formats that hold its answers (as each format says of itself), the default first.
_FORMATS_OF_FORM = {form: tuple(f for f in FORMATS.values() if form in f.query_forms) for form in _FORMS}


def _form_of(text: str) -> str:
    words = text.upper().split()
    return next((w for w in words if w in _FORMS), "SELECT")


@dataclass(frozen=True)
class FormatChoice:
    """The format a client takes for one kind of answer, or why none of ours fits it."""

    name: str | None
    refusal: str = ""
    offered: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryJob:
    """An untrusted query as the service hands it to a worker: what differs from one request to the next."""

    text: str
    result_format: FormatChoice  # for SELECT and ASK
    graph_format: FormatChoice  # for CONSTRUCT and DESCRIBE
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as plain fields: one goes to a worker with every query, and a dataclass's generic pickling
        costs about ten times as much."""
        r, g = self.result_format, self.graph_format
        return _job, (
            self.text,
            (r.name, r.refusal, r.offered),
            (g.name, g.refusal, g.offered),
            self.default_graphs,
            self.named_graphs,
        )


def _job(
    text: str,
    result: tuple[str | None, str, tuple[str, ...]],
    graph: tuple[str | None, str, tuple[str, ...]],
    default_graphs: tuple[str, ...],
    named_graphs: tuple[str, ...],
) -> QueryJob:
    return QueryJob(text, FormatChoice(*result), FormatChoice(*graph), default_graphs, named_graphs)


@dataclass(frozen=True)
class QueryContext:
    """What every job of a service shares, handed to a worker once when it is forked (not with each job)."""

    known_graphs: frozenset[str]
    max_bytes: int = 64_000_000
    prefixes: tuple[tuple[str, str], ...] = ()
    limits: QueryLimits = QueryLimits()  # noqa: B008 - frozen
    checked: bool = True


def prepare_job(context: QueryContext, job: QueryJob) -> PreparedQuery:
    """:func:`prepare` for a job: the format is the client's choice for the query's form."""
    prepared = prepare(
        job.text,
        known_graphs=context.known_graphs,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        max_bytes=context.max_bytes,
        limits=context.limits,
        checked=context.checked,
        format="",
    )
    choice = job.graph_format if prepared.info.is_graph_result else job.result_format
    if choice.name is None:
        raise NotAcceptable(choice.refusal, choice.offered)
    prepared.format = choice.name
    prepared.prefixes = dict(context.prefixes)
    return prepared


@dataclass(frozen=True)
class AnswerHead:
    """What the server needs to know of a worker's answer besides its bytes."""

    form: str
    format: str
    declared: tuple[str, ...] = ()
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()

    @property
    def is_graph_result(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def _pack(prepared: PreparedQuery, body: bytes) -> bytes:
    head = {
        "form": prepared.info.form,
        "format": prepared.format,
        "declared": sorted(prepared.info.declared),
        "from_graphs": prepared.info.from_graphs,
        "from_named": prepared.info.from_named,
    }
    return json.dumps(head).encode() + b"\n" + body


def read_answer(payload: bytes) -> tuple[AnswerHead, bytes]:
    """Split what :func:`answer` or :func:`check_for_remote` returned (in a worker) into its head and body."""
    head, _, body = payload.partition(b"\n")
    fields = json.loads(head)
    return AnswerHead(
        str(fields["form"]),
        str(fields["format"]),
        tuple(fields["declared"]),
        tuple(fields["from_graphs"]),
        tuple(fields["from_named"]),
    ), body


def _as_job(job: object) -> QueryJob:
    if not isinstance(job, QueryJob):
        raise TypeError(f"expected a QueryJob, got {type(job).__name__}")
    return job


def answer(store: Store, context: QueryContext, job: object) -> bytes:
    """Check and run a job on an Oxigraph store (in a worker process)."""
    prepared = prepare_job(context, _as_job(job))
    return _pack(prepared, execute_on_store(store, prepared))


def check_for_remote(context: QueryContext, job: object) -> bytes:
    """Check a job that an external store will run (in a worker process): the policy and the full grammar."""
    prepared = prepare_job(context, _as_job(job))
    check_syntax(prepared.text, prepared.prefixes)
    return _pack(prepared, b"")


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
    """Run a prepared query against ``store`` and serialize its answer in the chosen format.  The answer is handed
    on without a name in this frame, so that only :func:`serialize_result` holds it (and lets go of it)."""
    return serialize_result(_evaluate(store, q), q)


def _evaluate(store: Store, q: PreparedQuery) -> QuerySolutions | QueryBoolean | QueryTriples:
    options: dict[str, object] = {}
    if q.default_graphs:
        options["default_graph"] = [NamedNode(g) for g in q.default_graphs]
    elif not q.info.from_graphs:
        options["use_default_graph_as_union"] = True
    if q.named_graphs:
        options["named_graphs"] = [NamedNode(g) for g in q.named_graphs]
    try:
        return store.query(q.text, prefixes=q.prefixes or None, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        line, column = error_position(str(exc))
        raise QuerySyntaxError(str(exc), line, column) from exc
    except OSError as exc:
        raise _store_error(exc, "") from exc
    except RuntimeError as exc:  # the engine's evaluation errors: an unknown function, an unbound SERVICE …
        raise QueryUnsupported(f"the query cannot be evaluated: {exc}") from exc


# What a confined worker's kernel answers when a query reaches for the network (see graph.sparql.sandbox).
_SANDBOX_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.ENETUNREACH, errno.ENOSYS})


def _store_error(exc: OSError, context: str) -> BaomiError:
    if exc.errno in _SANDBOX_ERRNOS or isinstance(exc, PermissionError):
        return QueryRefused("the query tried to reach the network, which this endpoint never does: refused")
    return StoreError(context + str(exc))


def serialize_result(result: QuerySolutions | QueryBoolean | QueryTriples | list[Triple], q: PreparedQuery) -> bytes:
    """Serialize an answer in the query's chosen format, stopping at the result-size cap.

    pyoxigraph's answers may be dropped only by the thread that made them.  An error met while writing keeps this
    frame in its traceback, which may be freed in another thread (the service answers in a pool of threads, the error
    travels to the event loop), or by the garbage collector anywhere when the chained errors form a cycle: so the
    ``finally`` lets go of the answer here, whatever happens."""
    out = _CappedBuffer(q.max_bytes)
    try:
        if isinstance(result, list):
            serialize(result, cast("IO[bytes]", out), format=rdf_format(q.format))
        elif isinstance(result, QueryTriples):
            result.serialize(cast("IO[bytes]", out), format=rdf_format(q.format))
        elif isinstance(result, QuerySolutions | QueryBoolean):
            result.serialize(cast("IO[bytes]", out), format=results_format(q.format))
        else:  # pragma: no cover - pyoxigraph returns one of the three
            raise StoreError(f"unexpected result {type(result).__name__}")
    except ResultTooLarge:
        raise
    except RuntimeError as exc:  # evaluation goes on while the answer is written
        raise QueryUnsupported(f"the query cannot be evaluated: {exc}") from exc
    except (OSError, ValueError) as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, ResultTooLarge):
            raise cause from None
        if isinstance(exc, OSError):
            raise _store_error(exc, "while serializing the result: ") from exc
        raise StoreError(f"while serializing the result: {exc}") from exc
    finally:
        del result
    return out.getvalue()
