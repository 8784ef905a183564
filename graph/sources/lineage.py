"""What became of a division that no longer exists: its name and code followed through the change events of
``data/history.csv`` to the divisions of today.

A *former division* is a code and a name that the history gives and today's table does not (420600 襄樊市, 110103
崇文区, 341400 巢湖市 of prefecture level).  It is followed forward through the usable events only (flag ``''``):
each event that ends it (a rename, a merger, a conversion, a new code …) leads to what it became, until a division
of today is reached; a chain of several events (无为县 341422 → 340225 in 2011 → 无为市 340281) collapses to the
division of today, with its path of events.  A prefecture-level division whose units went to the districts or
counties of another city has that city as its successor, with the divisions its units became as ``parts``
(莱芜市 → 济南市: 莱芜区, 钢城区; 巢湖市 → 合肥市, 芜湖市, 马鞍山市).

Events the history flags are never followed; when they are all the history says of a division (成都's 东城区,
abolished in 1990 and paired by the source with 北京's namesake), they are listed so that an answer can say so.
A former code and name that lives on under another code with the same name and level (含山县 341423 → 340522,
codes renumbered before 1984) is the same division: :func:`formers_named` does not offer it for the name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from graph.sources.divisions import Division, load_divisions
from graph.sources.history import ChangeEvent, load_history

__all__ = ["FormerDivision", "Successor", "former_divisions", "formers_named", "formers_with_code", "name_keys"]

# Kinds of event that do not end the division on their old side.
_NOT_ENDING = {"established", "seat-moved"}
SWAP = "码位改派"  # the source's word for a code given to another division (the name moves to another code)
MAX_DEPTH = 40  # events followed from one former division, at most (the longest chain is far shorter)

Pair = tuple[str, str]  # (code, name)


@dataclass(frozen=True, slots=True)
class Successor:
    """A division of today that a former division became (or went into), and the events that lead to it."""

    code: str
    name: str
    events: tuple[ChangeEvent, ...]  # from the event that ended the former division to the one that made this
    parts: tuple[Successor, ...] = ()  # the divisions its units became, when this is the city holding them


@dataclass(frozen=True, slots=True)
class FormerDivision:
    code: str
    name: str
    level: str  # provincial | municipal | county, as the history gives it
    parent: str  # the code of its higher division of the time ('' when the history gives none)
    parent_name: str  # that division's name of the time
    ended: ChangeEvent | None  # the usable event that ended it, else the flagged one that says so
    successors: tuple[Successor, ...]
    flagged: tuple[ChangeEvent, ...]  # the flagged events on it, when no usable event ends it

    continued: bool  # it lives on as a division of today with its name, under another code


def _living(pair: Pair, table: Mapping[str, Division]) -> bool:
    return pair[0] in table and table[pair[0]].name == pair[1]


def _ends(e: ChangeEvent) -> bool:
    return e.kind not in _NOT_ENDING and (e.old_code, e.old_name) != (e.new_code, e.new_name)


@dataclass
class _Walk:
    """The usable events by the code and name they end, and today's table."""

    by_old: dict[Pair, list[ChangeEvent]]
    units: dict[tuple[str, int], list[ChangeEvent]]  # (parent code, year) -> events ending its units
    established: dict[tuple[int, str], list[ChangeEvent]]  # (year, name) -> events setting up a division
    codeless: dict[int, list[ChangeEvent]]  # year -> mergers and renames of the notices, without codes
    swaps: dict[tuple[int, str], list[ChangeEvent]]  # (year, new name) -> codes given to another division
    table: Mapping[str, Division]

    def follow(self, pair: Pair, since: date, path: tuple[ChangeEvent, ...], seen: frozenset[Pair]) -> list[Successor]:
        """The divisions of today ``pair`` became after ``since``; a path that ends nowhere gives a Successor with
        no code."""
        if pair in seen or len(path) > MAX_DEPTH:
            return []
        ends = [e for e in self.by_old.get(pair, ()) if e.effective >= since]
        if not ends:
            return [Successor(pair[0], pair[1], path)] if _living(pair, self.table) else [Successor("", "", path)]
        first = ends[0].effective
        out: list[Successor] = []
        for e in (e for e in ends if e.effective == first):
            if e.source_kind == SWAP:  # the code went to another division; the name went to another code
                mate = self.mate(e)
                if mate is not None and mate.used:
                    out += self.follow((mate.new_code, mate.new_name), mate.effective, (*path, mate), seen | {pair})
                else:
                    out.append(Successor("", "", (*path, e)))
            elif e.new_code and e.new_name:
                out += self.follow((e.new_code, e.new_name), e.effective, (*path, e), seen | {pair})
            elif (link := self.again(e) or self.notice(e)) is not None:
                out += self.follow(link[1], link[0].effective, (*path, e, link[0]), seen | {pair})
            else:
                out.append(Successor("", "", (*path, e)))
        return out

    def mate(self, e: ChangeEvent) -> ChangeEvent | None:
        """For a code given to another division (码位改派: 130124 正定县 → 130124 栾城县), the event of the same year
        that gave the division's name its new code (130123 栾城县 → 130123 正定县), in the same province."""
        found = [x for x in self.swaps.get((e.year, e.old_name), ()) if x is not e and x.new_code[:2] == e.old_code[:2]]
        near = [x for x in found if x.new_code[:4] == e.old_code[:4]] or found
        return near[0] if len(near) == 1 else None

    def continued(self, name: str, successors: list[Successor], flagged: tuple[ChangeEvent, ...]) -> bool:
        """Whether a former division lives on under its name with another code (renumbered, or raised from county to
        prefecture level: 海口市 449003 → 460100): by the usable events, or by a renumbering before 1984 that the
        source warns of, followed on by the usable events."""
        if any(s.name == name for s in successors):
            return True
        for e in (e for e in flagged if e.flag == "pre-1984-noise"):
            mate = self.mate(e) if e.source_kind == SWAP else e if e.new_name == name else None
            if mate is None or not mate.new_code:
                continue
            after = self.follow((mate.new_code, mate.new_name), mate.effective, (), frozenset())
            if any(s.name == name for s in after if s.code):
                return True
        return False

    def again(self, e: ChangeEvent) -> tuple[ChangeEvent, Pair] | None:
        """A division abolished without a successor and set up again under its name in its province the same year
        (莱芜市, a county-level city until 1992, then of prefecture level)."""
        found = [
            x
            for x in self.established.get((e.year, e.old_name), ())
            if x.new_code[:2] == e.old_code[:2] and x.new_code != e.old_code
        ]
        return (found[0], (found[0].new_code, found[0].new_name)) if len(found) == 1 else None

    def notice(self, e: ChangeEvent) -> tuple[ChangeEvent, Pair] | None:
        """A division abolished without a successor in the code list, whose merger the Ministry's notice of that
        year records without codes (2000-274: 上海市黄浦区和南市区 → 新的黄浦区): the one division of today in its
        province whose name ends the notice's new name."""
        province = self.table.get(e.old_code[:2] + "0000")
        if province is None:
            return None
        for x in self.codeless.get(e.year, ()):
            if e.old_name not in x.old_name or not x.old_name.startswith(province.name):
                continue
            target = x.new_name.removeprefix("新的")
            hits = [
                d
                for d in self.table.values()
                if d.code[:2] == e.old_code[:2] and d.level == "county" and len(d.name) >= 2 and target.endswith(d.name)
            ]
            if len(hits) == 1:
                return x, (hits[0].code, hits[0].name)
        return None

    def lifted(self, code: str, name: str) -> str | None:
        """The division holding county-level ``code`` that stands for a former prefecture-level one named ``name``:
        its prefecture-level city, or the municipality of that name (重庆市, of 四川省 until 1997)."""
        d = self.table[code]
        parent = self.table.get(d.parent)
        if d.level != "county" or parent is None:
            return None
        return parent.code if parent.level == "municipal" or parent.name == name else None

    def successors(self, pair: Pair, level: str, end: ChangeEvent) -> list[Successor]:
        """Today's divisions a former division went to, collapsed to its level (a path the history does not follow
        to today gives none)."""
        found = self.follow(pair, end.effective, (), frozenset())
        if level == "municipal" and (
            end.kind == "split" or not end.new_code or any(self.lifted(s.code, pair[1]) for s in found if s.code)
        ):
            # its units, moved the same year: split (巢湖市 2011), merged into a district (莱芜市 2018), or
            # abolished with no successor named (重庆市 of 四川省, 1997)
            for unit in self.units.get((pair[0], end.year), ()):
                unit_pair = (unit.old_code, unit.old_name)
                found += [
                    Successor(s.code, s.name, (end, *s.events))
                    for s in self.follow(unit_pair, unit.effective, (), frozenset())
                    if s.code
                ]
        direct: dict[str, Successor] = {}
        parts: dict[str, dict[str, Successor]] = {}
        for s in (s for s in found if s.code):
            above = self.lifted(s.code, pair[1]) if level == "municipal" else None
            if above is not None:
                parts.setdefault(above, {}).setdefault(s.code, s)
            else:
                direct.setdefault(s.code, s)
        out = list(direct.values())
        for code, held in parts.items():
            if code not in direct:
                out.append(Successor(code, self.table[code].name, (end,), tuple(held.values())))
        return sorted(out, key=lambda s: s.code)


@cache
def _walk() -> _Walk:
    table = load_divisions().by_code
    events = sorted(
        (e for e in load_history() if e.used and e.old_code and _ends(e)), key=lambda e: (e.effective, e.id)
    )
    by_old: dict[Pair, list[ChangeEvent]] = {}
    units: dict[tuple[str, int], list[ChangeEvent]] = {}
    for e in events:
        by_old.setdefault((e.old_code, e.old_name), []).append(e)
        if e.old_parent and e.old_parent != e.old_code:
            units.setdefault((e.old_parent, e.year), []).append(e)
    established: dict[tuple[int, str], list[ChangeEvent]] = {}
    codeless: dict[int, list[ChangeEvent]] = {}
    swaps: dict[tuple[int, str], list[ChangeEvent]] = {}
    for e in load_history():
        if e.source_kind == SWAP and e.new_code:
            swaps.setdefault((e.year, e.new_name), []).append(e)
        if e.used and e.kind == "established" and e.new_code:
            established.setdefault((e.year, e.new_name), []).append(e)
        if e.used and not e.old_code and not e.new_code and e.kind in ("merged", "renamed"):
            codeless.setdefault(e.year, []).append(e)
    return _Walk(by_old, units, established, codeless, swaps, table)


def _names_then(history: tuple[ChangeEvent, ...], table: Mapping[str, Division]) -> Callable[[str, date], str]:
    """The name the history gives a code around a day: the last one given before it, else the first one it ended
    after it, else today's."""
    given: dict[str, list[ChangeEvent]] = {}
    ended: dict[str, list[ChangeEvent]] = {}
    for e in history:
        given.setdefault(e.new_code, []).append(e)
        ended.setdefault(e.old_code, []).append(e)

    def name(code: str, day: date) -> str:
        before = [e for e in given.get(code, ()) if e.effective <= day]
        if before:
            return max(before, key=lambda e: (e.effective, e.id)).new_name
        after = [e for e in ended.get(code, ()) if e.effective >= day]
        if after:
            return min(after, key=lambda e: (e.effective, e.id)).old_name
        return table[code].name if code in table else ""

    return name


@cache
def former_divisions() -> dict[Pair, FormerDivision]:
    """Every code and name the history gives that today's table does not, and what became of it."""
    walk = _walk()
    table = walk.table
    history = load_history()
    name_then = _names_then(history, table)
    sides: dict[Pair, list[ChangeEvent]] = {}  # every event on its old side
    for e in history:
        if e.old_code and e.old_name and _ends(e):
            sides.setdefault((e.old_code, e.old_name), []).append(e)
    out: dict[Pair, FormerDivision] = {}
    for pair, on in sides.items():
        if _living(pair, table):
            continue
        on.sort(key=lambda e: (e.effective, e.id))
        used = [e for e in on if e.used]
        end = used[0] if used else on[0]
        level = end.level if end.level in ("provincial", "municipal", "county") else "county"
        successors = walk.successors(pair, level, end) if used else []
        parent = end.old_parent
        flagged = () if used else tuple(on)
        out[pair] = FormerDivision(
            code=pair[0],
            name=pair[1],
            level=level,
            parent=parent,
            parent_name=name_then(parent, end.effective) if parent else "",
            ended=end,
            successors=tuple(successors),
            flagged=flagged,
            continued=walk.continued(pair[1], successors, flagged),
        )
    return out


def name_keys(name: str) -> tuple[str, ...]:
    """The keys a former name is found by: the name, and a city's name without 市 (襄樊 for 襄樊市)."""
    return (name, name[:-1]) if name.endswith("市") and len(name) >= 3 else (name,)


def _passes(f: FormerDivision) -> set[Pair]:
    """The codes and names a former division went through on its way to today (by flagged events too)."""
    events = [*(e for s in f.successors for e in s.events), *f.flagged]
    events += [e for s in f.successors for p in s.parts for e in p.events]
    return {(e.new_code, e.new_name) for e in events if e.new_code}


@cache
def _by_name() -> dict[str, tuple[FormerDivision, ...]]:
    """Former names of three characters or more (郊区, 城区 are too generic), but for a division that lives on under
    its name, one known only by the changes before 1984 the source warns of when a division of today bears its name,
    and an earlier code of a division whose later code is also former (重庆's 江北区: 510211 → 500105)."""
    living = {d.name for d in load_divisions()}
    out: dict[str, list[FormerDivision]] = {}
    for f in former_divisions().values():
        if f.continued or len(f.name) < 3:
            continue
        if f.name in living and f.flagged and all(e.flag == "pre-1984-noise" for e in f.flagged):
            continue  # the source's own warning: renumberings before 1984 do not make a second place of a name
        for key in name_keys(f.name):
            out.setdefault(key, []).append(f)
    kept: dict[str, tuple[FormerDivision, ...]] = {}
    for key, found in out.items():
        pairs = {(f.code, f.name) for f in found}
        latest = [f for f in found if not (_passes(f) - {(f.code, f.name)}) & pairs]
        kept[key] = tuple(sorted(latest, key=lambda f: (f.code, f.name)))
    return kept


def formers_named(text: str) -> tuple[FormerDivision, ...]:
    """The former divisions whose name (or a city's name without 市) is ``text``, but for those that live on
    under another code with that name."""
    return _by_name().get(text, ())


def formers_with_code(code: str) -> tuple[FormerDivision, ...]:
    """The former divisions that bore ``code`` (none when a division of today bears it)."""
    if code in load_divisions().by_code:
        return ()
    return tuple(f for (c, _), f in sorted(former_divisions().items()) if c == code)
