"""The history of the divisions: the change events of ``data/history.csv`` and the division table as of a date.

Each event (1981–2026) carries the old and the new code, name and parent, a kind (renamed, established,
abolished, merged, split, county-to-city, county-to-district, prefecture-to-city, city-to-district, transfer,
code-change, seat-moved, other), a date whose precision is explicit (most events have a year only, a few a month
or a day) and a flag: events the source itself marks as noise (renumbering before 1984) or that contradict the
division table are kept and listed, never used to rebuild a past table, with one exception: an abolition
flagged only because the source found its successor by name in the wrong place (乌鲁木齐 东山区 "into" 鹤岗's
东山区) still tells truly which division ended, so its old side is restored (its successor is never touched).

:func:`divisions_as_of` rebuilds the table as it stood at the end of a day by undoing, from today's table back,
every usable event that took effect after it.  An event known only by its year is taken to have effect at the end
of that year, one known by its month at the end of that month; an event of the same year (or month) as the day
asked, whose own day is unknown, is returned as *undated* so that an answer can say that the table of that day
may already show it or not yet.
"""

from __future__ import annotations

import calendar
import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from graph.errors import DataError, InvalidRequest
from graph.paths import DATA_DIR
from graph.sources.divisions import NATION_CODE, Division, Divisions, load_divisions

__all__ = ["AsOf", "ChangeEvent", "divisions_as_of", "load_history", "parse_as_of"]

HISTORY_FILE = "history.csv"
FIRST_YEAR = 1980
# Kinds whose undoing removes the new division (it did not exist before the event) besides restoring the old one.
_REPLACING = {
    "renamed",
    "code-change",
    "county-to-city",
    "county-to-district",
    "prefecture-to-city",
    "city-to-district",
    "other",
    "transfer",
}


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    id: str
    year: int
    day: date | None  # the day, when the source gives one
    month: int | None  # the month, when the source gives one (also set with a day)
    precision: str  # day | month | year
    kind: str
    source_kind: str
    level: str
    old_code: str
    old_name: str
    old_parent: str
    new_code: str
    new_name: str
    new_parent: str
    document: str
    source: str
    source_url: str
    flag: str  # "" (used), pre-1984-noise, contradicts-divisions
    flag_reason: str

    @property
    def effective(self) -> date:
        """The last day by which the event had taken effect: its day, else the end of its month or year."""
        if self.day is not None:
            return self.day
        if self.month is not None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    @property
    def used(self) -> bool:
        return not self.flag

    @property
    def rebuilds(self) -> bool:
        """Whether undoing the event rebuilds past tables: it is used, or it is a merger flagged for its successor
        alone (found by name in another province or city), whose old division did end then."""
        if self.used:
            return True
        reasons = self.flag_reason.split("; ")
        return self.kind == "merged" and all(" is paired with " in r or " is given a successor " in r for r in reasons)

    def undated_on(self, day: date) -> bool:
        """Whether ``day`` falls inside the period the event is known by, before its end (so that the event may
        or may not have taken effect by then)."""
        if self.precision == "day":
            return False
        start = date(self.year, self.month or 1, 1)
        return start <= day < self.effective


@dataclass(frozen=True)
class AsOf:
    """The division table at the end of ``day``, and what the answer must say about it."""

    day: date
    divisions: Divisions
    undated: tuple[ChangeEvent, ...]  # events of that day's year or month with no day of their own
    before_history: bool  # the day is before the first year the history covers


def _date(text: str, where: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DataError(f"{where}: {text!r} is not a date") from None


@cache
def load_history(data_dir: Path | None = None) -> tuple[ChangeEvent, ...]:
    """Every change event of data/history.csv, in the order the source lists them (by year)."""
    path = (data_dir or DATA_DIR) / HISTORY_FILE
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from exc
    events: list[ChangeEvent] = []
    for r in rows:
        where = f"data/history.csv {r.get('id', '?')}"
        try:
            events.append(
                ChangeEvent(
                    r["id"],
                    int(r["year"]),
                    _date(r["date"], where),
                    int(r["month"][5:7]) if r["month"] else None,
                    r["date_precision"],
                    r["kind"],
                    r["source_kind"],
                    r["level"],
                    r["old_code"],
                    r["old_name"],
                    r["old_parent"],
                    r["new_code"],
                    r["new_name"],
                    r["new_parent"],
                    r["document"],
                    r["source"],
                    r["source_url"],
                    r["flag"],
                    r["flag_reason"],
                )
            )
        except (KeyError, ValueError) as exc:
            raise DataError(f"{where}: {exc}") from exc
    return tuple(events)


def parse_as_of(text: str) -> date:
    """``YYYY-MM-DD``, ``YYYY-MM`` (its last day) or ``YYYY`` (its last day); InvalidRequest for anything else."""
    text = text.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return date(int(text), 12, 31)
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:])
            return date(year, month, calendar.monthrange(year, month)[1])
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRequest(
            f"as_of must be a date (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY), not {text!r}"
        ) from None


# The only forest area (林区) ever set up as a county-level division; other names ending so are districts
# (西林区, 北林区, 杏林区, 万柏林区, 碑林区).
_FOREST_AREAS = frozenset({"神农架林区"})


def _type_of(name: str, level: str) -> str:
    """The type of a former division, read from its name (the history gives none)."""
    if level == "provincial":
        if name.endswith("自治区"):
            return "自治区"
        return "直辖市" if name.endswith("市") else "省"
    if level == "municipal":
        for suffix in ("自治州", "地区", "盟"):
            if name.endswith(suffix):
                return suffix
        return "地级市"
    if name in _FOREST_AREAS:
        return "林区"
    for suffix in ("自治县", "自治旗", "特区", "旗", "县"):
        if name.endswith(suffix):
            return suffix
    return "县级市" if name.endswith("市") else "市辖区"


def _parent(code: str, table: dict[str, Division]) -> str:
    """The nearest higher division in ``table`` of a history's parent code (which may name a grouping such as
    北京市市辖区 110100 that the table does not have)."""
    for candidate in (code, code[:4] + "00" if len(code) == 6 else "", code[:2] + "0000" if len(code) == 6 else ""):
        if candidate in table:
            return candidate
    return NATION_CODE


def _only_one_named(name: str, table: dict[str, Division]) -> Division | None:
    """The one division of ``table`` named ``name``, else None."""
    found = [d for d in table.values() if d.name == name] if name else []
    return found[0] if len(found) == 1 else None


def _code_of(name: str, province: str, before: date) -> str:
    """The code the history last gave a division named ``name`` in ``province`` before ``before``, or ''."""
    found = [e for e in load_history() if e.new_name == name and e.new_code[:2] == province and e.effective < before]
    return max(found, key=lambda e: (e.effective, e.id)).new_code if found else ""


def _undo_by_name(e: ChangeEvent, table: dict[str, Division]) -> None:
    """An event without codes, from the Ministry's notices (2021 禄丰, 祁阳, 黔西; 2026 岑岭县): a division set up
    is removed when exactly one division bears its name; a county made a city is restored under the code the
    history last gave its name in that province, and left as it is when the history never gave one."""
    new = _only_one_named(e.new_name.removeprefix("县级").removesuffix("（县级）"), table)
    if new is None:
        return
    if e.kind == "established":
        del table[new.code]
        return
    old_name = e.old_name.rpartition("撤销")[2]
    code = _code_of(old_name, new.code[:2], e.effective) if old_name.endswith("县") else ""
    if code and (code not in table or table[code].name == old_name):
        del table[new.code]
        table[code] = Division(code, old_name, new.level, new.parent, _type_of(old_name, new.level))


def _undo(e: ChangeEvent, table: dict[str, Division], intended: dict[str, str]) -> None:
    """Undo ``e`` in ``table``; a restored division's parent as the history names it goes into ``intended``."""
    if not e.new_code and not e.old_code and e.kind in ("established", "county-to-city"):
        _undo_by_name(e, table)
        return
    new = table.get(e.new_code) if e.new_code else None
    replaced = e.kind in _REPLACING and e.new_code != e.old_code and new is not None and new.name == e.new_name
    if new is not None and (e.kind == "established" or replaced):
        del table[e.new_code]
    if e.old_code and e.kind != "established" and e.kind != "seat-moved":
        level = e.level if e.level in ("provincial", "municipal", "county") else "county"
        parent = _parent(e.old_parent, table) if e.old_parent else _parent(e.old_code[:4] + "00", table)
        table[e.old_code] = Division(e.old_code, e.old_name, level, parent, _type_of(e.old_name, level))
        intended[e.old_code] = e.old_parent


def divisions_as_of(day: date, divisions: Divisions | None = None) -> AsOf:
    """The table at the end of ``day``: today's table with every usable event after ``day`` undone, latest first."""
    divisions = divisions or load_divisions()
    events = [e for e in load_history() if e.rebuilds]
    table = dict(divisions.by_code)
    intended: dict[str, str] = {}
    for e in sorted(events, key=lambda e: (e.effective, e.id), reverse=True):
        if e.effective <= day:
            break
        _undo(e, table, intended)
    # Changes of one day are undone in the source's order: a county may come back before the prefecture it stood
    # under (庐江县 and 巢湖地区, 2011); once all are undone, each restored division hangs from the parent it had.
    for code, want in intended.items():
        d = table.get(code)
        if d is not None and want and want in table and d.parent != want and want != code:
            table[code] = Division(d.code, d.name, d.level, want, d.type)
    # A division whose parent the undone events removed (a later change the source does not record, or one it
    # flags): it hangs from its nearest higher division by code.  One with none at all below the nation cannot be
    # placed and is left out (西沙区 and 南沙区 before 海南省 existed: the source sets them up without codes).
    for code, d in list(table.items()):
        if d.parent and d.parent not in table:
            parent = _parent(d.parent, table)
            if parent == NATION_CODE and d.level != "provincial":
                del table[code]
            else:
                table[code] = Division(d.code, d.name, d.level, parent, d.type)
    ordered = {NATION_CODE: table[NATION_CODE], **{k: table[k] for k in sorted(table) if k != NATION_CODE}}
    undated = tuple(e for e in events if e.undated_on(day))
    return AsOf(day, Divisions(ordered), undated, day.year < FIRST_YEAR)
