"""The problem types: the page a problem+json answer's ``type`` names, one per slug (``/problems/not-found``).

RFC 9457 asks that a problem type's URI, when it can be opened, say what the problem means: browsers get an
HTML page, other clients the same as JSON.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.web.negotiation import choose
from api.web.pages import problem_html
from api.web.paths import PROBLEMS, problem_path
from api.web.problems import PROBLEMS as PROBLEM_TYPES
from api.web.problems import ProblemError
from api.web.urls import public_url

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_OFFERS = ["application/json", "text/html", "application/xhtml+xml"]


@router.get(PROBLEMS + "/{slug}")
async def problem_type(slug: str, request: Request) -> Response:
    """What one problem type means: its title, HTTP status and explanation."""
    if slug not in PROBLEM_TYPES:
        raise ProblemError("not-found", f"no problem type {slug!r}; known types: {', '.join(sorted(PROBLEM_TYPES))}")
    status, title, meaning = PROBLEM_TYPES[slug]
    chosen = choose(request.headers.get("accept"), _OFFERS) or "application/json"
    if chosen != "application/json":
        return HTMLResponse(problem_html(slug, status, title, meaning), headers={"Vary": "Accept"})
    body = {
        "type": public_url(request, problem_path(slug)),
        "slug": slug,
        "title": title,
        "status": status,
        "description": meaning,
    }
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json", headers={"Vary": "Accept"})
