"""Query parameters read straight from the request, for the hottest routes.

FastAPI's parameter injection costs a noticeable share of a sub-millisecond request; the jurisdiction
lookup and the SPARQL endpoint read their few parameters themselves and declare them for OpenAPI here,
and run as :class:`DirectRoute`: the handler is called with the request and returns the response.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from api.web.state import ServiceState
from graph.errors import InvalidRequest

__all__ = ["DirectRoute", "openapi_parameter", "required", "service"]


class DirectRoute(APIRoute):
    """A route whose handler takes only the request and returns a response: FastAPI's dependency solving and
    response validation are skipped at run time (about a tenth of a millisecond per request), while the route
    keeps its place in the OpenAPI description (parameters declared with :func:`openapi_parameter`)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if list(inspect.signature(endpoint).parameters) != ["request"]:
            raise TypeError(f"{endpoint.__name__}: a direct route's handler takes the request alone")
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler: Callable[[Request], Coroutine[Any, Any, Response]] = self.endpoint
        return handler


def service(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def required(request: Request, name: str) -> str:
    value = request.query_params.get(name)
    if value is None:
        raise InvalidRequest(f"the query parameter {name!r} is required")
    return value


def openapi_parameter(
    name: str,
    description: str,
    *,
    required: bool = False,
    max_length: int | None = None,
    array: bool = False,
    examples: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """An OpenAPI parameter object for a query parameter."""
    schema: dict[str, Any] = {"type": "string"}
    if max_length is not None:
        schema |= {"minLength": 1 if required else 0, "maxLength": max_length}
    if array:
        schema = {"type": "array", "items": schema}
    out: dict[str, Any] = {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }
    if array:
        out |= {"style": "form", "explode": True}
    if examples:
        out["examples"] = examples
    return out
