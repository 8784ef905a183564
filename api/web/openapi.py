"""The OpenAPI document: every error response documented as RFC 9457 problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

__all__ = ["install"]

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; extension members (candidates, suggestions, offered, line, "
    "column, errors …) depend on the problem type",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "additionalProperties": True,
}
COMMON_ERRORS = {"422": "Invalid parameters", "413": "Request body too large"}


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        ref = {"$ref": "#/components/schemas/Problem"}
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                for code, text in COMMON_ERRORS.items():
                    responses.setdefault(code, {"description": text})
                for code, response in responses.items():
                    if code.isdigit() and int(code) >= 300 and code != "304":
                        example = next(
                            (
                                c.get("example")
                                for c in response.get("content", {}).values()
                                if isinstance(c, dict) and "example" in c
                            ),
                            None,
                        )
                        content: dict[str, Any] = {"schema": ref}
                        if example is not None:
                            content["example"] = example
                        response["content"] = {"application/problem+json": content}
        schema["components"]["schemas"].pop("HTTPValidationError", None)
        schema["components"]["schemas"].pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
