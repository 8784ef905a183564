"""Answers as the tests receive them: from a real server through httpx, or in process through Starlette's
``TestClient`` (built on httpx2); and the check of an RFC 9457 problem+json answer that every suite makes."""

from __future__ import annotations

from typing import Any

import httpx
import httpx2

Response = httpx.Response | httpx2.Response
PROBLEM = "application/problem+json"


def problem(r: Response, status: int, slug: str | None = None) -> dict[str, Any]:
    """The problem+json body of an answer with ``status`` (and, if given, the problem type ``slug``)."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    if slug is not None:
        assert body["type"].endswith(f"/problems/{slug}"), body["type"]
    return body
