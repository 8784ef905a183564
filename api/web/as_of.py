"""The ``as_of`` query parameter: an answer as it stood at the end of a past day (a date, a month or a year)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import Query
from fastapi.openapi.models import Example

from api.web.params import openapi_parameter
from graph.answers.past import PastView
from graph.kg import KnowledgeGraph
from graph.sources.history import parse_as_of

__all__ = ["AS_OF_DESCRIPTION", "AS_OF_PARAMETER", "AsOf", "past_of", "read_as_of", "with_as_of"]

AS_OF_DESCRIPTION = (
    "The day the answer is given as of: YYYY-MM-DD, YYYY-MM or YYYY (a month or a year is read as its last day). The "
    "region, committee, office and chain are those of that day, named as the graph names bodies today (襄樊 in 2009: "
    "中共襄樊市委保密委员会), and the answer's `as_of` says which changes of that year the source dates by the year "
    "only, and what the region is today. A place that did not exist that day is not found (404)."
)
_EXAMPLES = {
    "day": {"summary": "A day", "value": "2009-06-30"},
    "year": {"summary": "A year (its last day)", "value": "2009"},
}
AS_OF_PARAMETER = openapi_parameter("as_of", AS_OF_DESCRIPTION, max_length=10, examples=_EXAMPLES)
AsOf = Annotated[
    str | None,
    Query(
        max_length=10,
        description=AS_OF_DESCRIPTION,
        openapi_examples={k: Example(summary=v["summary"], value=v["value"]) for k, v in _EXAMPLES.items()},
    ),
]


def read_as_of(raw: str | None) -> date | None:
    """The day of an ``as_of`` parameter (None when absent); a malformed one is an InvalidRequest (422)."""
    return None if raw is None else parse_as_of(raw)


async def past_of(kg: KnowledgeGraph, day: date) -> PastView:
    """The graph as of ``day``; a state of the history not yet built is built off the event loop."""
    if kg.past_ready(day):
        return kg.past(day)
    return await asyncio.to_thread(kg.past, day)


def with_as_of(path: str, day: date | None) -> str:
    """A link to ``path`` as of ``day`` (the path itself without one)."""
    return path if day is None else f"{path}?as_of={day.isoformat()}"
