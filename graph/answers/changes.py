"""The changes of the divisions between two dates, within a division: the events of ``data/history.csv`` as plain
data (JSON) or CSV.

A change is listed when the period it is known by (its day, else its month, else its year) overlaps the window
asked; ``certain`` says whether that period lies wholly inside the window (an event of 2025 known by its year
only may fall outside a window of 2025-06-01 to 2025-12-31).  ``within`` is a division code of today or a former
one: its own events and those of the divisions under it, by the code's prefix (the province's two digits, a
prefecture's four, a county's six) on either side of an event, or by the parent the event gives either side.
Events the source flags (renumbering noise before 1984, pairings that contradict the division table) are listed
with their flag unless left out on request.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from pydantic import BaseModel, Field

from graph.errors import InvalidRequest, NotFound
from graph.sources.divisions import NATION_CODE, load_divisions
from graph.sources.history import ChangeEvent, load_history
from graph.sources.lineage import former_divisions

__all__ = [
    "CSV_COLUMNS",
    "KINDS",
    "Change",
    "ChangeList",
    "Side",
    "change_ref",
    "changes_between",
    "changes_csv",
    "event_date",
    "parse_from",
    "parse_to",
]

KINDS = (
    "renamed",
    "established",
    "abolished",
    "merged",
    "split",
    "county-to-city",
    "county-to-district",
    "prefecture-to-city",
    "city-to-district",
    "transfer",
    "code-change",
    "seat-moved",
    "other",
)
CSV_COLUMNS = (
    "id",
    "year",
    "date",
    "precision",
    "certain",
    "kind",
    "source_kind",
    "level",
    "old_code",
    "old_name",
    "old_parent",
    "new_code",
    "new_name",
    "new_parent",
    "document",
    "source",
    "source_url",
    "flag",
    "flag_reason",
)


class Side(BaseModel):
    code: str = Field(description="Six-digit code ('' when the source gives none)")
    name: str
    parent: str = Field(description="The code of its higher division ('' when the source gives none)")


class Change(BaseModel):
    id: str = Field(description="The event's id in data/history.csv (year-sequence)")
    year: int
    date: str = Field(description="The date at its precision: YYYY-MM-DD, YYYY-MM or YYYY")
    precision: str = Field(description="day, month or year: how finely the source dates the event")
    kind: str = Field(description=f"One of {', '.join(KINDS)}")
    source_kind: str = Field(description="The source's own word for the event (更名, 撤销, 撤县设市 …)")
    level: str = Field(description="provincial, municipal (prefecture level) or county")
    old: Side = Field(description="The division before the event")
    new: Side = Field(description="The division after it; for an abolition, the one its area went to")
    document: str = Field(description="The approval number (国函〔2009〕125号 …), when the source gives one")
    source: str
    source_url: str
    flag: str = Field(
        description="'' (used), pre-1984-noise or contradicts-divisions: a flagged event is listed, "
        "never used to rebuild a past table"
    )
    flag_reason: str = ""


class ListedChange(Change):
    certain: bool = Field(
        description="The period the event is known by (its day, month or year) lies wholly inside the window; "
        "false: it overlaps the window and may have taken place outside it"
    )


class ChangeList(BaseModel):
    from_: str = Field(alias="from", description="The first day of the window (YYYY-MM-DD)")
    to: str = Field(description="The last day of the window (YYYY-MM-DD)")
    within: str | None = Field(description="The division code asked for, or null for the whole country")
    within_name: str | None = Field(description="Its name (of today, or its last name when it is a former one)")
    count: int = Field(description="How many changes match, on every page")
    limit: int
    offset: int
    changes: list[ListedChange]

    model_config = {"populate_by_name": True}


def event_date(e: ChangeEvent) -> str:
    """The event's date at its precision: YYYY-MM-DD, YYYY-MM or YYYY."""
    if e.day is not None:
        return e.day.isoformat()
    if e.month is not None:
        return f"{e.year:04d}-{e.month:02d}"
    return f"{e.year:04d}"


def change_ref(e: ChangeEvent) -> Change:
    return Change(
        id=e.id,
        year=e.year,
        date=event_date(e),
        precision=e.precision,
        kind=e.kind,
        source_kind=e.source_kind,
        level=e.level,
        old=Side(code=e.old_code, name=e.old_name, parent=e.old_parent),
        new=Side(code=e.new_code, name=e.new_name, parent=e.new_parent),
        document=e.document,
        source=e.source,
        source_url=e.source_url,
        flag=e.flag,
        flag_reason=e.flag_reason,
    )


def _parse(text: str, name: str, *, end: bool) -> date:
    text = text.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return date(int(text), 12, 31) if end else date(int(text), 1, 1)
        if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
            first = date(int(text[:4]), int(text[5:]), 1)
            if not end:
                return first
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InvalidRequest(f"{name} must be a year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD), not {text!r}")


def parse_from(text: str) -> date:
    """The first day of ``YYYY``, ``YYYY-MM`` or the day ``YYYY-MM-DD``."""
    return _parse(text, "from", end=False)


def parse_to(text: str) -> date:
    """The last day of ``YYYY``, ``YYYY-MM`` or the day ``YYYY-MM-DD``."""
    return _parse(text, "to", end=True)


def _start(e: ChangeEvent) -> date:
    """The first day of the period the event is known by."""
    if e.day is not None:
        return e.day
    return date(e.year, e.month or 1, 1)


@dataclass(frozen=True)
class _Area:
    """What lies within a division: the prefix of its code, and the codes (of today and former) under it."""

    code: str
    name: str
    prefix: str
    codes: frozenset[str]

    def holds(self, e: ChangeEvent) -> bool:
        sides = (e.old_code, e.new_code, e.old_parent, e.new_parent)
        return any(c and (c.startswith(self.prefix) or c in self.codes) for c in sides)


def _prefix(code: str, level: str) -> str:
    return {"provincial": code[:2], "municipal": code[:4]}.get(level, code)


@cache
def _area(code: str) -> _Area:
    table = load_divisions()
    formers = former_divisions()
    if code in table.by_code:
        d = table.by_code[code]
        name, level = d.name, d.level
    else:
        named = sorted(
            (f for (c, _), f in formers.items() if c == code), key=lambda f: f.ended.effective if f.ended else date.min
        )
        if not named:
            raise NotFound(code, [], f"{code} is the code of no division of today nor of the history")
        name, level = named[-1].name, named[-1].level
    codes = {code}
    children = table.children
    todo = [code]
    while todo:  # today's divisions under it
        for child in children.get(todo.pop(), ()):
            codes.add(child)
            todo.append(child)
    grew = True
    while grew:  # former divisions whose parent of the time lies within
        grew = False
        for (c, _), f in formers.items():
            if c not in codes and f.parent in codes:
                codes.add(c)
                grew = True
    return _Area(code, name, _prefix(code, level), frozenset(codes))


def _within(code: str | None) -> _Area | None:
    if code is None or code.strip() in ("", NATION_CODE):
        return None
    code = code.strip()
    if len(code) in (2, 4) and code.isdigit():
        code = code.ljust(6, "0")
    if len(code) != 6 or not code.isdigit():
        raise InvalidRequest(f"within must be a six-digit division code (or CN), not {code!r}")
    return _area(code)


def _kinds(kinds: Sequence[str]) -> frozenset[str]:
    wanted = {k.strip() for text in kinds for k in text.split(",") if k.strip()}
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise InvalidRequest(f"unknown kind {', '.join(unknown)}; the kinds are {', '.join(KINDS)}")
    return frozenset(wanted)


def changes_between(
    start: str,
    end: str,
    within: str | None = None,
    kinds: Sequence[str] = (),
    *,
    include_flagged: bool = True,
    limit: int | None = None,
    offset: int = 0,
    max_limit: int | None = None,
) -> ChangeList:
    """The changes known to fall in (or overlap) the window from ``start`` to ``end``, within a division, in the
    source's order (by year); one page of them when ``limit`` is given."""
    first, last = parse_from(start), parse_to(end)
    if first > last:
        raise InvalidRequest(f"from ({first.isoformat()}) is after to ({last.isoformat()})")
    if limit is not None and max_limit is not None and not 1 <= limit <= max_limit:
        raise InvalidRequest(f"limit must be between 1 and {max_limit}")
    if offset < 0:
        raise InvalidRequest("offset must not be negative")
    area, wanted = _within(within), _kinds(kinds)
    found = [
        e
        for e in load_history()
        if _start(e) <= last
        and e.effective >= first
        and (include_flagged or e.used)
        and (not wanted or e.kind in wanted)
        and (area is None or area.holds(e))
    ]
    page = found[offset : offset + limit] if limit is not None else found[offset:]
    return ChangeList(
        from_=first.isoformat(),
        to=last.isoformat(),
        within=area.code if area else None,
        within_name=area.name if area else None,
        count=len(found),
        limit=limit if limit is not None else len(found),
        offset=offset,
        changes=[
            ListedChange(**change_ref(e).model_dump(), certain=first <= _start(e) and e.effective <= last) for e in page
        ],
    )


def changes_csv(answer: ChangeList) -> bytes:
    """The changes of ``answer`` as CSV (UTF-8, a header row, the columns of :data:`CSV_COLUMNS`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in answer.changes:
        row = {
            **c.model_dump(exclude={"old", "new"}),
            **{f"old_{k}": v for k, v in c.old.model_dump().items()},
            **{f"new_{k}": v for k, v in c.new.model_dump().items()},
            "certain": "true" if c.certain else "false",
        }
        writer.writerow([row[col] for col in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")
