"""RFC 9457 problem details, and the one table that maps domain errors to HTTP statuses.

Every error the service answers is ``application/problem+json`` with a ``type`` URI under
``/problems/`` that a person can open, a ``title``, the ``status``, a ``detail`` and, where it
helps, extension members (``candidates``, ``suggestions``, ``offered``, ``line``/``column`` …).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from api.web.paths import DOCS, HOME, VIZ, problem_path
from api.web.urls import public_url
from graph.errors import (
    Ambiguous,
    BaomiError,
    ExportTooLarge,
    FormatMismatch,
    InvalidExport,
    InvalidRequest,
    NotAcceptable,
    NotFound,
    QueryMemoryExceeded,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooComplex,
    QueryTooLarge,
    QueryUnsupported,
    RenderFailed,
    ResultTooLarge,
    ServiceBusy,
    StoreError,
)

__all__ = ["PROBLEMS", "Problem", "ProblemError", "allowed_methods", "install", "problem_body", "problem_response"]

log = logging.getLogger("baomi_kg.api")
MEDIA_TYPE = "application/problem+json"

# slug -> (status, title, what it means)
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "ambiguous": (300, "Ambiguous query", "Several places or units match; choose one of the candidates."),
    "malformed-query": (400, "Malformed query", "The SPARQL query does not parse; see line and column."),
    "bad-request": (400, "Bad request", "The request is not well formed."),
    "forbidden-operation": (
        403,
        "Forbidden operation",
        "The endpoint is read-only and makes no outbound request: updates, SERVICE and graphs "
        "outside the store are refused.",
    ),
    "not-found": (404, "Not found", "Nothing matches; see the suggestions."),
    "method-not-allowed": (405, "Method not allowed", "This resource does not accept that HTTP method."),
    "not-acceptable": (406, "Not acceptable", "None of the offered media types fits the Accept header."),
    "request-timeout": (
        408,
        "Request timeout",
        "The request's line and headers did not arrive within the configured header timeout; the connection is closed.",
    ),
    "request-too-large": (413, "Request too large", "The request body is larger than the configured cap."),
    "unsupported-media-type": (415, "Unsupported media type", "The request body's Content-Type is not accepted."),
    "invalid-parameters": (422, "Invalid parameters", "The parameters are well formed but cannot be satisfied."),
    "result-too-large": (422, "Result too large", "The result is larger than the configured cap; add a LIMIT."),
    "header-too-large": (431, "Request header too large", "The request line and headers are larger than the cap."),
    "client-closed-request": (
        499,
        "Client closed request",
        "The client closed the connection before the request was read; nothing could be answered.",
    ),
    "query-too-complex": (
        400,
        "Query too complex",
        "The query nests deeper or holds more groups than the configured "
        "limits (BAOMI_KG_MAX_QUERY_DEPTH, BAOMI_KG_MAX_QUERY_GROUPS) allow.",
    ),
    "query-unsupported": (
        400,
        "Query not supported",
        "The query parses but asks for something the engine cannot "
        "evaluate, such as a function it does not know or a SERVICE whose variable is unbound.",
    ),
    "query-too-large": (
        413,
        "Query too large",
        "The query text is longer than the configured cap (BAOMI_KG_MAX_QUERY_BYTES).",
    ),
    "query-memory-limit": (
        422,
        "Query memory limit",
        "The query needed more memory than a query may use "
        "(BAOMI_KG_QUERY_MEMORY_MB) and was stopped; narrow it or add a LIMIT.",
    ),
    "query-timeout": (503, "Query timeout", "The query ran past the configured timeout and was stopped."),
    "service-busy": (
        503,
        "Service busy",
        "Every worker for this kind of request is busy; retry after the number of seconds in Retry-After.",
    ),
    "store-unavailable": (503, "Store unavailable", "The graph store could not answer."),
    "picture-unavailable": (
        503,
        "Picture unavailable",
        "Graphviz, which draws SVG and PNG pictures, is missing, "
        "failed or ran past its time; export dot and draw it elsewhere.",
    ),
    "internal-error": (500, "Internal error", "An unexpected error; it has been logged."),
}


class Problem(BaseModel):
    """RFC 9457 problem details (extension members allowed)."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


class ProblemError(Exception):
    """Raised inside routes to answer with a problem."""

    def __init__(self, slug: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any) -> None:
        self.slug = slug
        self.detail = detail
        self.headers = headers
        self.extra = extra
        super().__init__(detail)


def problem_body(base: str, slug: str, detail: str, instance: str | None = None) -> bytes:
    """The JSON of a problem without extension members, for the layers below the application (middleware,
    protocol); ``base`` is the public base URL (see :mod:`api.web.urls`)."""
    status, title, _ = PROBLEMS[slug]
    body: dict[str, Any] = {"type": base + problem_path(slug), "title": title, "status": status, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def problem_response(
    request: Request, slug: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    status, title, _ = PROBLEMS[slug]
    body = {
        "type": public_url(request, problem_path(slug)),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """The ``Allow`` header of a 405: every method some route accepts on this path (not only those of the first
    route whose path matches), and HEAD wherever GET is, since :class:`api.web.middleware.RequestGuard` answers HEAD
    as GET."""
    allowed: list[str] = []
    for method in _METHODS:
        probe = {
            "type": "http",
            "path": request.scope["path"],
            "root_path": request.scope.get("root_path", ""),
            "method": method,
            "headers": [],
            "query_string": b"",
        }
        if any(route.matches(probe)[0] is Match.FULL for route in request.app.router.routes):
            allowed += ["GET", "HEAD"] if method == "GET" else [method]
    return ", ".join(allowed)


def _export_extra(exc: InvalidExport) -> dict[str, Any]:
    """The parameter at fault, its valid values, the scopes that fit, and for a scope too large for a format, the
    format's limits and what the scope measured."""
    extra: dict[str, Any] = {"parameter": exc.parameter}
    if exc.allowed:
        extra["allowed"] = exc.allowed
    if exc.suggestions:
        extra["suggestions"] = exc.suggestions
    if isinstance(exc, ExportTooLarge):
        extra.update(limits=exc.limits, size=exc.size)
    return extra


def _from_domain(exc: BaomiError) -> tuple[str, str, dict[str, Any]]:
    if isinstance(exc, QueryTooComplex):
        return "query-too-complex", str(exc), {}
    if isinstance(exc, QueryTooLarge):
        return "query-too-large", str(exc), {}
    if isinstance(exc, QueryUnsupported):
        return "query-unsupported", str(exc), {}
    if isinstance(exc, QueryMemoryExceeded):
        return "query-memory-limit", str(exc), {}
    if isinstance(exc, NotAcceptable | FormatMismatch):
        return "not-acceptable", str(exc), {"offered": exc.offered}
    if isinstance(exc, ServiceBusy):
        return "service-busy", str(exc), {}
    if isinstance(exc, Ambiguous):
        return "ambiguous", str(exc), {"query": exc.query, "candidates": exc.candidates, **exc.extra}
    if isinstance(exc, NotFound):
        return "not-found", str(exc), {"query": exc.query, "suggestions": exc.suggestions, **exc.extra}
    if isinstance(exc, QuerySyntaxError):
        extra = {k: v for k, v in (("line", exc.line), ("column", exc.column)) if v is not None}
        return "malformed-query", " ".join(str(exc).split()), extra
    if isinstance(exc, QueryRefused):
        return "forbidden-operation", str(exc), {}
    if isinstance(exc, QueryTimeout):
        return "query-timeout", str(exc), {}
    if isinstance(exc, ResultTooLarge):
        return "result-too-large", str(exc), {}
    if isinstance(exc, InvalidExport):
        return "invalid-parameters", str(exc), _export_extra(exc)
    if isinstance(exc, InvalidRequest):
        return "invalid-parameters", str(exc), {}
    if isinstance(exc, RenderFailed):
        log.warning("picture failed: %s", exc)
        return "picture-unavailable", str(exc), {}
    if isinstance(exc, StoreError):
        log.warning("store error: %s", exc)
        return "store-unavailable", str(exc), {}
    return "internal-error", str(exc), {}


_NOT_FOUND_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found — baomi-kg</title>'
    "</head><body><h1>Not found</h1><p>Nothing is served at this address. Start from the "
    f'<a href="{HOME}">home page</a>, the <a href="{VIZ}">viewer</a> or the <a href="{DOCS}">REST '
    "API</a>.</p></body></html>"
)


def _wants_html(request: Request) -> bool:
    """A browser navigating (it prefers HTML); API clients keep their problem+json."""
    from api.web.negotiation import choose

    return choose(request.headers.get("accept"), [MEDIA_TYPE, "application/json", "text/html"]) == "text/html"


_HTTP_SLUGS = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "request-too-large",
    415: "unsupported-media-type",
    422: "invalid-parameters",
}


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.slug, exc.detail, headers=exc.headers, **exc.extra)

    @app.exception_handler(BaomiError)
    async def _domain(request: Request, exc: BaomiError) -> JSONResponse:
        slug, detail, extra = _from_domain(exc)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, ServiceBusy) else None
        if isinstance(exc, NotAcceptable):  # the answer depends on Accept, as the answer that fits would
            headers = {"Vary": "Accept"}
        return problem_response(request, slug, detail, headers=headers, **extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors) or "invalid request"
        return problem_response(request, "invalid-parameters", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and _wants_html(request):
            return HTMLResponse(_NOT_FOUND_PAGE, status_code=404, headers={"Vary": "Accept"})
        slug = _HTTP_SLUGS.get(exc.status_code, "bad-request" if exc.status_code < 500 else "internal-error")
        headers = getattr(exc, "headers", None)
        detail = str(exc.detail)
        if exc.status_code == 405:
            allow = allowed_methods(request)
            headers = {**(headers or {}), "Allow": allow}
            detail = f"{request.method} is not allowed here; allowed: {allow}"
        return problem_response(request, slug, detail, headers=headers)

    @app.exception_handler(ClientDisconnect)
    async def _disconnected(request: Request, exc: ClientDisconnect) -> JSONResponse:
        # An ordinary event, not a failure of the service: one line, no traceback.  The answer reaches no one but
        # the request metrics.
        log.info("client closed the connection during %s %s", request.method, request.url.path)
        return problem_response(request, "client-closed-request", "the client closed the connection")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(request, "internal-error", "unexpected error; it has been logged")
