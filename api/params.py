"""Query parameters read straight from the request, for the hottest routes.

FastAPI's parameter injection costs a noticeable share of a sub-millisecond request; the jurisdiction
lookup and the SPARQL endpoint read their few parameters themselves and declare them for OpenAPI here.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from graph.errors import InvalidRequest

from .state import ServiceState

__all__ = ["openapi_parameter", "required", "service"]


def service(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def required(request: Request, name: str) -> str:
    value = request.query_params.get(name)
    if value is None:
        raise InvalidRequest(f"the query parameter {name!r} is required")
    return value


def openapi_parameter(name: str, description: str, *, required: bool = False, max_length: int | None = None,
                      array: bool = False, examples: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    """An OpenAPI parameter object for a query parameter."""
    schema: dict[str, Any] = {"type": "string"}
    if max_length is not None:
        schema |= {"minLength": 1 if required else 0, "maxLength": max_length}
    if array:
        schema = {"type": "array", "items": schema}
    out: dict[str, Any] = {"name": name, "in": "query", "required": required, "description": description,
                           "schema": schema}
    if array:
        out |= {"style": "form", "explode": True}
    if examples:
        out["examples"] = examples
    return out
