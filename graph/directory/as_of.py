"""The directory as it stood on a past day: the committees of the divisions of that day, named by the same rules.

:func:`graph.sources.history.divisions_as_of` gives the division table of the day; each division of it gets the
committee, office, Party committee and secrecy bureau the graph gives a division today, named by the same naming
rules (so 襄樊市 in 2009 has 中共襄樊市委保密委员会), and guided by the committee of its nearest higher division.
A body whose division exists today under the same code and name keeps its IRI; a former one is named by its code
and its name of the time (``committee/420600~襄樊市``), so that a code given to another place later never makes two
bodies one.  The bodies off the division tree (兵团, 师, 党工委) and departmental committees are today's only:
their history is not in the source, and an answer as of a past day says so.

Tables are built once per state of the history (the set of changes undone) and kept for the most recent ones.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from graph.build.writer import committee_id
from graph.directory.model import Body, Committee, Directory, Region
from graph.namespaces import Vocab
from graph.sources.divisions import load_divisions
from graph.sources.history import FIRST_YEAR, ChangeEvent, divisions_as_of, load_history
from graph.sources.naming import BodyNames, names_for

__all__ = ["PastDirectory", "directory_as_of"]

KEPT_STATES = 32  # directories of past states kept at once


@dataclass(frozen=True)
class PastDirectory:
    """The directory of a past day, with what an answer must say about that day."""

    directory: Directory
    day: date
    undated: tuple[ChangeEvent, ...]  # changes of that day's year (or month) whose own day is unknown
    before_history: bool  # the day is before the history begins: the table is the earliest it can rebuild
    current: frozenset[str]  # codes whose division is the same today (same code, same name)


@cache
def _usable_events() -> tuple[ChangeEvent, ...]:
    """The events that rebuild past tables (:attr:`ChangeEvent.rebuilds`), by the day they had taken effect."""
    return tuple(sorted((e for e in load_history() if e.rebuilds), key=lambda e: (e.effective, e.id)))


@cache
def _effective_days() -> tuple[date, ...]:
    return tuple(e.effective for e in _usable_events())


@cache
def _by_year() -> dict[int, tuple[ChangeEvent, ...]]:
    years: dict[int, list[ChangeEvent]] = {}
    for e in _usable_events():
        years.setdefault(e.year, []).append(e)
    return {y: tuple(v) for y, v in years.items()}


def directory_as_of(vocab: Vocab, day: date) -> PastDirectory:
    """The directory at the end of ``day`` (its tables built once per state of the history)."""
    state = bisect_right(_effective_days(), day)  # how many events had taken effect by the end of that day
    directory, current = _directory(vocab, state)
    undated = tuple(e for e in _by_year().get(day.year, ()) if e.undated_on(day))
    return PastDirectory(directory, day, undated, day.year < FIRST_YEAR, current)


@lru_cache(maxsize=KEPT_STATES)
def _directory(vocab: Vocab, state: int) -> tuple[Directory, frozenset[str]]:
    events = _usable_events()
    # A day on which exactly the first ``state`` events had taken effect.
    day = events[state - 1].effective if state else date(FIRST_YEAR - 1, 12, 31)
    past = divisions_as_of(day).divisions
    today = load_divisions()
    current = frozenset(d.code for d in past if d.code in today.by_code and today[d.code].name == d.name)
    regions: dict[str, Region] = {}
    committees: dict[str, Committee] = {}
    for d in past:
        names = names_for(d, past)
        cid = committee_id(d)
        key = cid if d.code in current else f"{cid}~{d.name}"
        regions[d.code] = Region(
            d.code,
            vocab.region(key if d.code in current else f"{d.code}~{d.name}"),
            names.region.zh,
            names.region.en,
            names.region.short_zh or names.region.zh,
            d.level,
            d.type,
            d.parent or None,
        )
        committees[cid] = Committee(
            cid,
            vocab.committee(key),
            names.committee.zh,
            names.committee.en,
            names.committee.short_zh,
            names.committee.short_en,
            d.level,
            d.code,
            _body(vocab.office(key), names.office, names.nameplate_zh, names.nameplate_en),
            _body(vocab.party_committee(key), names.party),
            committee_id(past[d.parent]) if d.parent else None,
        )
    return Directory(vocab, regions, committees), current


def _body(iri: str, names: BodyNames, nameplate_zh: str = "", nameplate_en: str = "") -> Body:
    return Body(iri, names.zh, names.en, names.short_zh, names.short_en, nameplate_zh, nameplate_en)
