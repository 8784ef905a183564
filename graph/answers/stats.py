"""Counts of the divisions by level and by type, and of their committees, today or as they stood on a past day.

Today's counts are those of the directory read from the store; a past day's are those of the directory of that day
(:func:`graph.directory.as_of.directory_as_of`: today's table with every later change of ``data/history.csv``
undone).  The levels are the division table's: provincial, municipal (prefecture level: 地级市, 地区, 自治州, 盟)
and county (county level: 市辖区, 县级市, 县, 自治县, 旗, 自治旗, 特区, 林区); the nation is not counted.
data/division_counts_differences.csv compares the year-end counts with the official ones and explains each
difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, Field

from graph.directory.as_of import directory_as_of
from graph.directory.model import Directory
from graph.vocab import DIVISION_LEVELS, LOCAL_LEVELS

__all__ = ["DivisionStats", "LevelCount", "count_divisions", "division_stats"]


class LevelCount(BaseModel):
    level: str = Field(description="provincial, municipal (prefecture level) or county (county level)")
    total: int
    types: dict[str, int] = Field(description="Divisions of the level by type (地级市, 市辖区, 县 …), the most first")


class DivisionStats(BaseModel):
    as_of: str | None = Field(
        description="The day asked (YYYY-MM-DD; a month or a year is its last day), or null for today's table"
    )
    divisions: list[LevelCount]
    committees: dict[str, int] = Field(
        description="Confidentiality committees of the divisions by level (the central one included); departmental "
        "committees and the bodies off the division tree are not counted"
    )
    undated_changes: int = Field(
        description="Changes of that day's year (or month) that the source dates by the year (or month) only: the "
        "counts may or may not show them yet (each is taken to have effect at the end of its period)"
    )
    before_history: bool = Field(description="The day is before the history begins: the earliest table it rebuilds")
    note: str | None


def count_divisions(divisions: Iterable[tuple[str, str]]) -> list[LevelCount]:
    """The counts by level and type of (level, type) pairs; levels other than the three of the table are left out."""
    by_level: dict[str, Counter[str]] = {level: Counter() for level in LOCAL_LEVELS}  # the nation is not counted
    for level, kind in divisions:
        if level in by_level:
            by_level[level][kind] += 1
    return [
        LevelCount(
            level=level, total=sum(types.values()), types=dict(sorted(types.items(), key=lambda t: (-t[1], t[0])))
        )
        for level, types in by_level.items()
    ]


def _committees(directory: Directory) -> dict[str, int]:
    counts = Counter(c.level for c in directory.committees.values() if c.special is None and not c.departmental)
    return {level: counts[level] for level in DIVISION_LEVELS}


def division_stats(today: Directory, day: date | None = None) -> DivisionStats:
    """The counts of today's directory, or, with ``day``, of the directory at the end of that day."""
    if day is None:
        regions = today.regions.values()
        return DivisionStats(
            as_of=None,
            divisions=count_divisions((r.level, r.type) for r in regions),
            committees=_committees(today),
            undated_changes=0,
            before_history=False,
            note=None,
        )
    past = directory_as_of(today.vocab, day)
    # A division without any CPC body today (金门县) had none then either, where it stood under the same code and name.
    no_body = {code for code in past.current if code in today.regions and today.regions[code].no_body_reason}
    committees = Counter(c.level for c in past.directory.committees.values() if c.region not in no_body)
    sentences = ["Departmental committees and the bodies off the division tree (兵团, 师) are counted today only."]
    if past.undated:
        sentences.insert(
            0,
            f"{len(past.undated)} changes of {day.year} are dated by the source to their year or month only: the "
            f"counts of {day.isoformat()} may or may not show them yet (each is taken to have effect at the end of "
            "its period).",
        )
    if past.before_history:
        sentences.append("The day is before the history begins: these are the counts of the earliest table.")
    return DivisionStats(
        as_of=day.isoformat(),
        divisions=count_divisions((r.level, r.type) for r in past.directory.regions.values()),
        committees={level: committees[level] for level in DIVISION_LEVELS},
        undated_changes=len(past.undated),
        before_history=past.before_history,
        note=" ".join(sentences),
    )
