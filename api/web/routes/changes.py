"""The changes of the divisions between two dates (``GET /api/v1/changes``), as JSON or CSV, one page at a time.

The answer is :func:`graph.answers.changes.changes_between`; this handler reads the parameters, picks JSON or CSV
(``format``, else ``Accept``) and adds the link to the next page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from api.web.deps import SettingsDep
from api.web.negotiation import choose
from api.web.paths import CHANGES
from api.web.urls import public_url
from graph.answers.changes import CSV_COLUMNS, KINDS, ChangeList, changes_between, changes_csv
from graph.errors import InvalidRequest, NotAcceptable

router = APIRouter(tags=["history"])

_PROBLEM = "application/problem+json"
_JSON, _CSV = "application/json", "text/csv"
MEDIA = {"json": _JSON, "csv": _CSV}


class ChangePage(ChangeList):
    next: str | None = Field(description="URL of the next page, or null on the last page")


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The changes, in the source's order (by year): JSON, or CSV with a header row ("
        + ", ".join(CSV_COLUMNS)
        + ")",
        "content": {
            _JSON: {
                "example": {
                    "from": "2025-01-01",
                    "to": "2025-12-31",
                    "within": "500000",
                    "within_name": "重庆市",
                    "count": 3,
                    "limit": 1000,
                    "offset": 0,
                    "next": None,
                    "changes": [
                        {
                            "id": "2025-003",
                            "year": 2025,
                            "date": "2025",
                            "precision": "year",
                            "kind": "merged",
                            "source_kind": "撤销",
                            "level": "county",
                            "old": {"code": "500105", "name": "江北区", "parent": "500000"},
                            "new": {"code": "500157", "name": "两江新区", "parent": "500000"},
                            "document": "渝府发〔2025〕15号",
                            "source": "行政区划网年度汇总（民政府发布渝府发〔2025〕15号）",
                            "source_url": "http://www.xzqh.org/show/china/2025/2025.html",
                            "flag": "",
                            "flag_reason": "",
                            "certain": True,
                        }
                    ],
                }
            },
            _CSV: {},
        },
    },
    404: {"description": "`within` is the code of no division, of today or of the history", "content": {_PROBLEM: {}}},
    406: {"description": "Neither JSON nor CSV fits `Accept`", "content": {_PROBLEM: {}}},
    422: {"description": "A bad date, kind, code or page; or `from` after `to`", "content": {_PROBLEM: {}}},
}


@router.get(CHANGES, response_model=ChangePage, responses=RESPONSES)
def get_changes(
    request: Request,
    settings: SettingsDep,
    start: Annotated[
        str,
        Query(
            alias="from",
            min_length=4,
            max_length=10,
            description="The first day of the window: YYYY (1 January), YYYY-MM (its first day) or YYYY-MM-DD",
            openapi_examples={"year": {"summary": "A year", "value": "2025"}},
        ),
    ],
    end: Annotated[
        str,
        Query(
            alias="to",
            min_length=4,
            max_length=10,
            description="The last day of the window: YYYY (31 December), YYYY-MM (its last day) or YYYY-MM-DD",
            openapi_examples={"year": {"summary": "A year", "value": "2025"}},
        ),
    ],
    within: Annotated[
        str | None,
        Query(
            max_length=12,
            description="A division code, of today or a former one: its changes and those of the divisions under it "
            "(default: the whole country)",
            openapi_examples={"chongqing": {"summary": "重庆市", "value": "500000"}},
        ),
    ] = None,
    kind: Annotated[
        list[str] | None, Query(description=f"Only these kinds (repeat, or comma-separated): {', '.join(KINDS)}")
    ] = None,
    include_flagged: Annotated[
        bool,
        Query(description="List the events the source flags (noise before 1984, pairings that contradict the table)"),
    ] = True,
    format: Annotated[str | None, Query(description="json or csv (default: by `Accept`, else JSON)")] = None,
    limit: Annotated[
        int, Query(ge=1, description="Page size, at most the service's max_page_size (1000 by default)")
    ] = 1000,
    offset: Annotated[int, Query(ge=0, description="Changes to skip")] = 0,
) -> Response:
    """The changes of the divisions (renames, mergers, splits, new codes …) known to fall in the window from `from` to
    `to`, within a division: each with its date at the precision the source gives, its kind, the division before
    and after, the approval document and the source; `certain` is false for a change dated by a year or month that
    only overlaps the window.  JSON or CSV (`format`, or `Accept: text/csv`)."""
    media = _media(format, request.headers.get("accept"))
    answer = changes_between(
        start,
        end,
        within,
        kind or (),
        include_flagged=include_flagged,
        limit=limit,
        offset=offset,
        max_limit=settings.max_page_size,
    )
    following = offset + limit
    next_url = None
    if following < answer.count:
        more = request.url.include_query_params(offset=following, limit=limit)
        next_url = public_url(request, f"{more.path}?{more.query}")
    if media == _CSV:
        headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else {}
        return Response(changes_csv(answer), media_type="text/csv; charset=utf-8", headers=headers)
    page = ChangePage(**answer.model_dump(by_alias=True), next=next_url)
    return Response(page.model_dump_json(by_alias=True), media_type=_JSON)


def _media(format: str | None, accept: str | None) -> str:
    if format is not None:
        if format.strip().lower() not in MEDIA:
            raise InvalidRequest(f"format must be json or csv, not {format!r}")
        return MEDIA[format.strip().lower()]
    chosen = choose(accept, [_JSON, _CSV])
    if chosen is None:
        raise NotAcceptable(f"none of the offered media types fits Accept: {accept}", [_JSON, _CSV])
    return chosen
