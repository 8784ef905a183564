"""What an answer as of a past day says about that day: the ``as_of`` block of the jurisdiction, incident, committee
and region answers.

It names the day, the changes of that day's year (or month) that the source dates by their year (or month) only and
that touch the answer's region or the regions above it or on its chain (the table of that day may or may not show
them yet: each is taken to have effect at the end of its period), whether the day is before the history begins,
and whether the answer's region stands today under the same code and name, or what its code is today.  An answer
without ``as_of`` has no such block at all (:func:`as_of_field`), so that today's answers keep their bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from graph.directory.model import Directory
from graph.directory.past import PastLookup
from graph.sources.history import FIRST_YEAR, ChangeEvent
from graph.sources.law import load_law

__all__ = ["AsOfNote", "TodayRef", "UndatedChange", "absent_unless_set", "as_of_field", "as_of_note"]


class UndatedChange(BaseModel):
    id: str = Field(description="The event's id in data/history.csv")
    year: int
    month: int | None = Field(description="Its month, when the source gives one (else null: the year only)")
    kind: str = Field(description="renamed, established, abolished, merged, split, county-to-city, …")
    old_code: str
    old_name: str
    new_code: str
    new_name: str


class TodayRef(BaseModel):
    code: str
    name: str


class AsOfNote(BaseModel):
    date: str = Field(description="The day asked (YYYY-MM-DD; a month or a year is read as its last day)")
    undated_changes: list[UndatedChange] = Field(
        description="Changes of that day's year (or month) that the source dates by the year (or month) only and "
        "that touch the answer's region, the regions above it or those of its chain: the table of that day may or "
        "may not show them yet (each is taken to have effect at the end of its period)"
    )
    undated_elsewhere: int = Field(description="How many more such changes of that period touch other regions")
    note: str | None = Field(description="What the answer cannot settle about that day, in a sentence or two")
    before_history: bool = Field(
        description=f"The day is before {FIRST_YEAR}, where the history begins: the table is the earliest it rebuilds"
    )
    law: str | None = Field(
        description="When texts the answer's bureau, report of a leak or articles rest on were not yet in force that "
        "day: which ones; the answer applies today's law, not the texts in force then (data/legal/instruments.csv)"
    )
    exists_today: bool = Field(description="The answer's region stands today under the same code and name")
    today: TodayRef | None = Field(description="What the region's code is today, when that is another name")


def _absent(value: object) -> bool:
    return value is None


def absent_unless_set(description: str) -> Any:
    """An optional member of an answer that is left out (not null) when unset, so that the answers that do not set
    it keep their bytes (``as_of``, ``former``, ``also_former``)."""
    return Field(default=None, exclude_if=_absent, description=description)


def as_of_field() -> Any:
    """The ``as_of`` field of an answer model: set only on an answer as of a past day, and left out otherwise."""
    return absent_unless_set(
        "Only when as_of is asked: the day, the changes of its year whose day the source does not give, and what the "
        "region is today"
    )


def _undated(e: ChangeEvent) -> UndatedChange:
    return UndatedChange(
        id=e.id,
        year=e.year,
        month=e.month,
        kind=e.kind,
        old_code=e.old_code,
        old_name=e.old_name,
        new_code=e.new_code,
        new_name=e.new_name,
    )


def as_of_note(lookup: PastLookup, today: Directory, code: str, touched: Iterable[str]) -> AsOfNote:
    """The ``as_of`` block of an answer about region ``code`` on the day of ``lookup``; ``touched`` are the codes of
    the regions the answer names (the region, those above it, those of its chain)."""
    past, near = lookup.past, lookup.undated_touching((code, *touched))
    day = past.day.isoformat()
    sentences: list[str] = []
    if near:
        periods = " or a month" if any(e.month for e in near) else ""
        them = "these changes" if len(near) > 1 else "this change"
        sentences.append(
            f"The source gives {them} a year{periods} only: the table of {day} may or may not show "
            f"{'them' if len(near) > 1 else 'it'} yet (each is taken to have effect at the end of its "
            f"{'year or month' if periods else 'year'})."
        )
    if past.before_history:
        sentences.append(
            f"The history of the divisions begins in {FIRST_YEAR}: the table of {day} is the one it rebuilds for the "
            f"end of {FIRST_YEAR - 1}, and earlier changes are not in it."
        )
    exists = code in past.current
    now = today.regions.get(code)
    return AsOfNote(
        date=day,
        undated_changes=[_undated(e) for e in near],
        undated_elsewhere=len(past.undated) - len(near),
        note=" ".join(sentences) or None,
        before_history=past.before_history,
        law=_law_note(past.day),
        exists_today=exists,
        today=TodayRef(code=now.code, name=now.name_zh) if now is not None and not exists else None,
    )


def _law_note(day: date) -> str | None:
    """Which of the texts the answers rest on (the instruments in use) were not yet in force on ``day``."""
    later = [
        i for i in load_law().instruments.values() if i.in_use and date.fromisoformat(i.in_force or i.adopted) > day
    ]
    if not later:
        return None
    texts = "; ".join(f"{i.title_zh}, in force from {i.in_force or i.adopted}" for i in later)
    return (
        f"The bureau, the report of a leak and the articles cited rest on texts not yet in force on {day.isoformat()} "
        f"({texts}): the answer applies today's law, not the texts in force then."
    )
