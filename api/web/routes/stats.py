"""Counts of the divisions by level and by type, and of their committees, today or as of a day (``as_of``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.web.deps import model_response
from api.web.params import service
from api.web.paths import STATS
from api.web.routes.jurisdiction import INVALID
from graph.answers.stats import DivisionStats, division_stats
from graph.sources.history import parse_as_of

router = APIRouter(prefix=STATS, tags=["regions"])

_OK: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The divisions by level (provincial, municipal = prefecture level, county = county level) and "
        "by type, and their committees by level; as of a day, with how many changes of that period the source "
        "dates by the year or month only (the counts may or may not show them yet)",
    }
}


@router.get("", response_model=DivisionStats, responses={**_OK, **INVALID})
def get_stats(
    request: Request,
    as_of: Annotated[
        str | None,
        Query(
            max_length=10,
            description="The day (YYYY-MM-DD), month (YYYY-MM: its last day) or year (YYYY: its last day); "
            "today's table when left out",
            examples=["2010-12-31", "2008"],
        ),
    ] = None,
) -> Response:
    """How many divisions of each level and type, and how many committees, at the end of a day or today.

    A plain function: FastAPI runs it in its thread pool, as the first answer for a day builds the directory of that
    state of the history (about half a second; later days of the same state are read from memory)."""
    day = parse_as_of(as_of) if as_of else None
    return model_response(division_stats(service(request).kg.directory, day))
