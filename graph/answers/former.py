"""What became of a division that no longer exists, as an answer states it: the former division (its code, its name
and its higher division of the time), the event that ended it, and the divisions of today it became or went into,
each with the events that lead there (:mod:`graph.sources.lineage`), and a sentence saying so.

The jurisdiction answer carries it as ``former`` (the query named only a former division, and the answer is that of
its one successor) or ``also_former`` (the query names a division of today, and also one or more former divisions
of the same name elsewhere); an ambiguous or unknown lookup carries it in its problem.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.answers.changes import Change, change_ref, event_date
from graph.directory.model import Directory, PathStep
from graph.sources.history import ChangeEvent
from graph.sources.lineage import FormerDivision, Successor

__all__ = ["FormerRef", "SuccessorRef", "former_candidate", "former_ref"]

_DONE = {
    "renamed": "renamed",
    "merged": "merged into another division",
    "split": "split up",
    "abolished": "abolished",
    "county-to-city": "made a county-level city",
    "county-to-district": "made a district",
    "city-to-district": "made a district",
    "prefecture-to-city": "made a prefecture-level city",
    "code-change": "given another code",
    "transfer": "transferred",
    "other": "reorganised",
}


class SuccessorRef(BaseModel):
    code: str = Field(description="The division of today")
    name: str
    level: str
    path: list[PathStep] = Field(description="Its higher divisions today, from the province down")
    event: Change = Field(description="The event that ended the former division")
    chain: list[Change] = Field(
        description="Every event from the former division to this one, in order (the first is `event`): a chain "
        "of changes collapsed to the division of today"
    )
    parts: list[SuccessorRef] = Field(
        default=[],
        description="When this is the city that took the former division's units: the divisions of today they became",
        exclude_if=lambda v: not v,
    )


class FormerRef(BaseModel):
    code: str = Field(description="Its code (another division may bear it today)")
    name: str = Field(description="Its name")
    level: str = Field(description="provincial, municipal (prefecture level) or county")
    path: list[PathStep] = Field(description="Its higher division of the time, when the history gives it")
    change: str = Field(description="The kind of the event that ended it (renamed, merged, split, abolished …)")
    year: int = Field(description="The year of that event")
    date: str = Field(description="Its date at its precision: YYYY-MM-DD, YYYY-MM or YYYY")
    ended: Change = Field(description="The event that ended it")
    successors: list[SuccessorRef] = Field(
        description="The divisions of today it became or went into (none: the history does not say)"
    )
    flagged: list[Change] = Field(
        default=[],
        description="The events the source flags, when they are all it says of the division",
        exclude_if=lambda v: not v,
    )
    note: str = Field(description="What became of it, in a sentence")


def _successor(d: Directory, s: Successor) -> SuccessorRef:
    region = d.regions.get(s.code)
    return SuccessorRef(
        code=s.code,
        name=s.name,
        level=str(region.level) if region else "",
        path=[PathStep(code=r.code, name=r.name_zh) for r in d.region_path(s.code)] if region else [],
        event=change_ref(s.events[0]),
        chain=[change_ref(e) for e in s.events],
        parts=[_successor(d, p) for p in s.parts],
    )


def _today(s: Successor) -> str:
    held = f"; its units now {', '.join(f'{p.name} ({p.code})' for p in s.parts)}" if s.parts else ""
    return f"{s.name} ({s.code}{held})"


def note(f: FormerDivision) -> str:
    """What became of ``f``, in a sentence."""
    where = " ".join(x for x in (f.parent_name, f.name) if x)
    end = f.ended
    if end is None:  # never: every former division has an event on its old side
        return f"{where} ({f.code}) is no division of today"
    done = _DONE.get(end.kind, end.kind)
    text = f"{where} ({f.code}) was {done} in {event_date(end)} (event {end.id})"
    if f.successors:
        now = ", ".join(_today(s) for s in f.successors)
        steps = max(len(s.events) for s in f.successors)
        via = f", through {steps} changes" if steps > 1 else ""
        return f"{text}{via}; today: {now}"
    if f.flagged:
        why = "; ".join(sorted({e.flag_reason or e.flag for e in f.flagged}))
        return f"{text}; the source's only events on it are flagged ({why}), and no successor is known"
    return f"{text}; the history names no division of today that it became"


def former_ref(d: Directory, f: FormerDivision) -> FormerRef:
    end: ChangeEvent | None = f.ended
    assert end is not None  # noqa: S101 - every former division has an event on its old side
    return FormerRef(
        code=f.code,
        name=f.name,
        level=f.level,
        path=[PathStep(code=f.parent, name=f.parent_name)] if f.parent and f.parent_name else [],
        change=end.kind,
        year=end.year,
        date=event_date(end),
        ended=change_ref(end),
        successors=[_successor(d, s) for s in f.successors if s.code in d.regions],
        flagged=[change_ref(e) for e in f.flagged],
        note=note(f),
    )


def former_candidate(d: Directory, f: FormerDivision) -> dict[str, object]:
    """A candidate of an ambiguous lookup that is a former division: ``former`` true, and what became of it."""
    return {"kind": "region", "former": True, **former_ref(d, f).model_dump(mode="json")}
