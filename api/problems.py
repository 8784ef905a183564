"""RFC 9457 problem details, and the one table that maps domain errors to HTTP statuses.

Every error the service answers is ``application/problem+json`` with a ``type`` URI under
``/problems/`` that a person can open, a ``title``, the ``status``, a ``detail`` and, where it
helps, extension members (``candidates``, ``suggestions``, ``offered``, ``line``/``column`` …).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import (
    Ambiguous,
    BaomiError,
    InvalidRequest,
    NotFound,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    StoreError,
)

__all__ = ["PROBLEMS", "Problem", "ProblemError", "install", "problem_response"]

log = logging.getLogger("baomi_kg.api")
MEDIA_TYPE = "application/problem+json"

# slug -> (status, title, what it means)
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "ambiguous": (300, "Ambiguous query", "Several places or units match; choose one of the candidates."),
    "malformed-query": (400, "Malformed query", "The SPARQL query does not parse; see line and column."),
    "bad-request": (400, "Bad request", "The request is not well formed."),
    "forbidden-operation": (403, "Forbidden operation",
                            "The endpoint is read-only and makes no outbound request: updates, SERVICE and graphs "
                            "outside the store are refused."),
    "not-found": (404, "Not found", "Nothing matches; see the suggestions."),
    "method-not-allowed": (405, "Method not allowed", "This resource does not accept that HTTP method."),
    "not-acceptable": (406, "Not acceptable", "None of the offered media types fits the Accept header."),
    "request-too-large": (413, "Request too large", "The request body is larger than the configured cap."),
    "unsupported-media-type": (415, "Unsupported media type", "The request body's Content-Type is not accepted."),
    "invalid-parameters": (422, "Invalid parameters", "The parameters are well formed but cannot be satisfied."),
    "result-too-large": (422, "Result too large", "The result is larger than the configured cap; add a LIMIT."),
    "query-timeout": (503, "Query timeout", "The query ran past the configured timeout and was stopped."),
    "store-unavailable": (503, "Store unavailable", "The graph store could not answer."),
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


def problem_response(request: Request, slug: str, detail: str, *, headers: dict[str, str] | None = None,
                     **extra: Any) -> JSONResponse:
    status, title, _ = PROBLEMS[slug]
    base = str(request.base_url).rstrip("/")
    body = {"type": f"{base}/problems/{slug}", "title": title, "status": status, "detail": detail,
            "instance": request.url.path, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _from_domain(exc: BaomiError) -> tuple[str, str, dict[str, Any]]:
    if isinstance(exc, Ambiguous):
        return "ambiguous", str(exc), {"query": exc.query, "candidates": exc.candidates}
    if isinstance(exc, NotFound):
        return "not-found", str(exc), {"query": exc.query, "suggestions": exc.suggestions}
    if isinstance(exc, QuerySyntaxError):
        extra = {k: v for k, v in (("line", exc.line), ("column", exc.column)) if v is not None}
        return "malformed-query", " ".join(str(exc).split()), extra
    if isinstance(exc, QueryRefused):
        return "forbidden-operation", str(exc), {}
    if isinstance(exc, QueryTimeout):
        return "query-timeout", str(exc), {}
    if isinstance(exc, ResultTooLarge):
        return "result-too-large", str(exc), {}
    if isinstance(exc, InvalidRequest):
        return "invalid-parameters", str(exc), {}
    if isinstance(exc, StoreError):
        log.warning("store error: %s", exc)
        return "store-unavailable", str(exc), {}
    return "internal-error", str(exc), {}


_HTTP_SLUGS = {400: "bad-request", 404: "not-found", 405: "method-not-allowed", 406: "not-acceptable",
               413: "request-too-large", 415: "unsupported-media-type", 422: "invalid-parameters"}


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.slug, exc.detail, headers=exc.headers, **exc.extra)

    @app.exception_handler(BaomiError)
    async def _domain(request: Request, exc: BaomiError) -> JSONResponse:
        slug, detail, extra = _from_domain(exc)
        return problem_response(request, slug, detail, **extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors) or "invalid request"
        return problem_response(request, "invalid-parameters", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = _HTTP_SLUGS.get(exc.status_code, "bad-request" if exc.status_code < 500 else "internal-error")
        return problem_response(request, slug, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(request, "internal-error", "unexpected error; it has been logged")
