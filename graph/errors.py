"""The domain's exceptions.

BaomiError
├── DataError            the bundled data or ontology cannot be read or is inconsistent
├── ValidationFailed     SHACL validation found violations (carries the report)
├── StoreError           the store cannot be reached or answered with an error
├── QueryError           a SPARQL request the service will not or cannot run
│   ├── QuerySyntaxError     the query does not parse (message and position)
│   ├── QueryRefused         the query asks for something forbidden (update, SERVICE, …)
│   ├── QueryTooLarge        the query text is longer than the configured cap
│   ├── QueryTooComplex      the query nests deeper or holds more groups than allowed
│   ├── QueryUnsupported     the engine cannot evaluate what the query asks (an unknown function …)
│   ├── QueryTimeout         the query ran past its deadline and was stopped
│   ├── QueryMemoryExceeded  the query needed more memory than a query may use
│   ├── FormatMismatch       the format asked for cannot hold the answers of the query's form (carries the
│   │                        form and the formats that can)
│   └── ResultTooLarge       the result exceeds the configured cap
├── SandboxUnavailable   the platform cannot confine the workers of untrusted queries (not Linux, no libseccomp)
├── NotAcceptable        no offered format (of a query's answer, a document, an export) fits the client's
│                        Accept (carries the offered media types)
├── ServiceBusy          every worker for this kind of request is busy (carries retry_after)
├── RenderFailed         Graphviz, which draws an export's pictures, is missing, failed or ran past its time
├── LookupFailed         a text did not resolve to exactly one place or unit
│   ├── Ambiguous            several candidates match (carries them)
│   └── NotFound             nothing matches (carries suggestions)
└── InvalidRequest       a well-formed request whose parameters cannot be satisfied
    └── InvalidExport        a scope or format that cannot be exported (carries the parameter, its valid
        │                    values and suggestions)
        └── ExportTooLarge       a scope larger than a format can show (carries its limits and the size)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "Ambiguous",
    "BaomiError",
    "DataError",
    "FormatMismatch",
    "ExportTooLarge",
    "InvalidExport",
    "InvalidRequest",
    "NotAcceptable",
    "LookupFailed",
    "NotFound",
    "QueryError",
    "QueryMemoryExceeded",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooComplex",
    "QueryTooLarge",
    "QueryUnsupported",
    "RenderFailed",
    "ResultTooLarge",
    "SandboxUnavailable",
    "ServiceBusy",
    "StoreError",
    "ValidationFailed",
]


class BaomiError(Exception):
    """Base class of every error the domain raises on purpose."""


class DataError(BaomiError):
    pass


class ValidationFailed(BaomiError):
    def __init__(self, report: str, violations: Sequence[tuple[str, str, str]]) -> None:
        self.report = report
        self.violations = list(violations)  # (focus node, rule, message)
        super().__init__(report)


class StoreError(BaomiError):
    pass


class QueryError(BaomiError):
    pass


class QuerySyntaxError(QueryError):
    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        super().__init__(message)


class QueryRefused(QueryError):
    pass


class QueryTimeout(QueryError):
    pass


class ResultTooLarge(QueryError):
    pass


class QueryTooLarge(QueryError):
    pass


class QueryTooComplex(QueryError):
    pass


class QueryUnsupported(QueryError):
    pass


class QueryMemoryExceeded(QueryError):
    pass


class FormatMismatch(QueryError):
    def __init__(self, message: str, form: str, offered: Sequence[str]) -> None:
        self.form = form
        self.offered = list(offered)
        super().__init__(message)


class SandboxUnavailable(BaomiError):
    pass


class NotAcceptable(BaomiError):
    def __init__(self, message: str, offered: Sequence[str]) -> None:
        self.offered = list(offered)
        super().__init__(message)


class ServiceBusy(BaomiError):
    def __init__(self, message: str, retry_after: int = 2) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class RenderFailed(BaomiError):
    pass


class LookupFailed(BaomiError):
    """A lookup that found no single answer; ``extra`` holds further members of its answer (what became of a
    former division the query names: ``former``, ``also_former``)."""

    def __init__(self, message: str, query: str, extra: Mapping[str, Any] | None = None) -> None:
        self.query = query
        self.extra = dict(extra or {})
        super().__init__(message)


class Ambiguous(LookupFailed):
    def __init__(
        self, query: str, candidates: Sequence[dict[str, Any]], extra: Mapping[str, Any] | None = None
    ) -> None:
        self.candidates = list(candidates)
        super().__init__(f"{query!r} matches {len(self.candidates)} places or units", query, extra)


class NotFound(LookupFailed):
    def __init__(
        self,
        query: str,
        suggestions: Sequence[dict[str, Any]],
        reason: str = "",
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.suggestions = list(suggestions)
        self.reason = reason
        super().__init__(f"nothing matches {query!r}" + (f": {reason}" if reason else ""), query, extra)


class InvalidRequest(BaomiError):
    pass


class InvalidExport(InvalidRequest):
    def __init__(
        self, message: str, parameter: str, allowed: Sequence[str] = (), suggestions: Sequence[dict[str, Any]] = ()
    ) -> None:
        self.parameter = parameter
        self.allowed = list(allowed)
        self.suggestions = list(suggestions)
        super().__init__(message)


class ExportTooLarge(InvalidExport):
    def __init__(
        self,
        message: str,
        allowed: Sequence[str],
        limits: dict[str, int],
        size: dict[str, int],
        suggestions: Sequence[dict[str, Any]],
    ) -> None:
        super().__init__(message, "format", allowed, suggestions)
        self.limits = limits
        self.size = size
