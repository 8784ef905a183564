"""The directory: every region and committee of the store, indexed in memory.

It is read from the store with a few SELECT queries when a consumer starts (:mod:`graph.directory.load`, so it
works over any backend), and answers the questions asked on every request — a committee by id, its chain
of guiding committees, its subtree — without a SPARQL round trip.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from pydantic import BaseModel

from graph.errors import NotFound
from graph.namespaces import Vocab
from graph.sources.divisions import NATION_CODE
from graph.vocab import LEVELS

__all__ = [
    "Body",
    "Committee",
    "Directory",
    "PathStep",
    "Region",
    "SpecialInfo",
    "UnitInfo",
    "committee_order",
    "level_rank",
]


# Named tuples, not dataclasses: the directory is pickled into start-up snapshots, and tuples unpickle
# several times faster (a restart over a million-triple store must answer within seconds).
class Body(NamedTuple):
    """An office or a Party committee."""

    iri: str
    name_zh: str
    name_en: str
    short_zh: str = ""
    short_en: str = ""
    nameplate_zh: str = ""
    nameplate_en: str = ""


class Region(NamedTuple):
    code: str
    iri: str
    name_zh: str
    name_en: str
    short_zh: str
    level: str
    type: str
    parent: str | None
    no_body_reason: str = ""  # set when the division has no CPC body at all (金门县)


class PathStep(BaseModel):
    """A higher region on the way down to a region, as the answers show it (its code and Chinese name)."""

    code: str
    name: str


class SpecialInfo(NamedTuple):
    """What a confidentiality body of a Party body off the division tree (兵团, 师, 党工委) carries besides."""

    kind: str  # CorpsPartyCommittee | CorpsDivisionPartyCommittee | WorkCommittee
    aliases: tuple[str, ...]  # other names of its Party body that lookups accept (第八师, 兵团, 雄安新区)
    paired: tuple[str, ...]  # division codes run together with it (师市合一)
    entrusted: tuple[str, ...]  # division codes entrusted to it (托管)
    upper_party: tuple[str, ...]  # IRIs of the Party bodies that lead its Party body
    note: str  # what it is inferred from, and what no source states


class UnitInfo(NamedTuple):
    id: str
    iri: str
    name_zh: str
    name_en: str
    short_zh: str
    kind: str


class Committee(NamedTuple):
    id: str
    iri: str
    name_zh: str
    name_en: str
    short_zh: str
    short_en: str
    level: str  # central | provincial | municipal | county | departmental
    region: str  # code of the region it leads the work of, or whose committee it falls under
    office: Body
    party: Body | None  # Party confidentiality committees only
    upper: str | None  # the guiding committee (Party committees) or the jurisdiction (departmental bodies)
    unit: UnitInfo | None = None
    leading_group: bool = False
    special: SpecialInfo | None = None

    @property
    def departmental(self) -> bool:
        return self.unit is not None


@dataclass
class Directory:
    vocab: Vocab
    regions: dict[str, Region]
    committees: dict[str, Committee]
    committee_of_region: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)  # region code -> child codes
    subordinates: dict[str, list[str]] = field(default_factory=dict)  # committee id -> guided ids
    departmental: dict[str, list[str]] = field(default_factory=dict)  # committee id -> departmental body ids

    def __post_init__(self) -> None:
        for code, region in sorted(self.regions.items()):
            if region.parent:
                self.children.setdefault(region.parent, []).append(code)
        for cid, c in sorted(self.committees.items(), key=lambda kv: committee_order(kv[1])):
            if c.departmental:
                if c.upper:
                    self.departmental.setdefault(c.upper, []).append(cid)
            elif c.special is not None:
                if c.upper:
                    self.subordinates.setdefault(c.upper, []).append(cid)
            else:
                self.committee_of_region[c.region] = cid
                if c.upper:
                    self.subordinates.setdefault(c.upper, []).append(cid)

    # -- lookups -----------------------------------------------------------------------------
    def committee(self, cid: str) -> Committee:
        try:
            return self.committees[cid]
        except KeyError:
            raise NotFound(cid, []) from None

    def region(self, code: str) -> Region:
        try:
            return self.regions[code]
        except KeyError:
            raise NotFound(code, []) from None

    def committee_for_region(self, code: str) -> Committee:
        """The committee leading the work of region ``code``; :class:`NotFound` with the reason for a division
        without any CPC body."""
        cid = self.committee_of_region.get(code)
        if cid is None:
            region = self.region(code)
            raise NotFound(code, [], region.no_body_reason or "no committee leads the work of this region")
        return self.committees[cid]

    def region_path(self, code: str) -> list[Region]:
        """The regions above ``code``, from the top (the nation excluded) down to its parent."""
        out: list[Region] = []
        parent = self.regions[code].parent
        while parent and parent != NATION_CODE:
            out.append(self.regions[parent])
            parent = self.regions[parent].parent
        return out[::-1]

    def chain(self, cid: str) -> list[Committee]:
        """The committee itself, then each guiding committee (or jurisdiction) up to the centre."""
        out = [self.committee(cid)]
        seen = {cid}
        while out[-1].upper:
            nxt = out[-1].upper
            if nxt in seen:  # validation forbids cycles; do not loop if a store holds one anyway
                break
            seen.add(nxt)
            out.append(self.committees[nxt])
        return out

    def subtree(self, cid: str, depth: int, *, include_departmental: bool = False) -> list[tuple[Committee, int]]:
        """Committees under ``cid`` down to ``depth`` levels, breadth first, with their depth."""
        self.committee(cid)
        out: list[tuple[Committee, int]] = []
        frontier = [cid]
        for d in range(1, depth + 1):
            nxt: list[str] = []
            for parent in frontier:
                kids = list(self.subordinates.get(parent, []))
                if include_departmental:
                    kids += self.departmental.get(parent, [])
                for kid in kids:
                    out.append((self.committees[kid], d))
                    nxt.append(kid)
            frontier = nxt
        return out

    def within_region(self, code: str) -> Iterator[Committee]:
        """Every committee whose region is ``code`` or lies under it."""
        stack = [code]
        while stack:
            current = stack.pop()
            if current in self.committee_of_region:
                yield self.committees[self.committee_of_region[current]]
            stack.extend(self.children.get(current, []))

    def count_by_level(self) -> dict[str, int]:
        """Committees per level; the bodies of the Party bodies off the division tree count as ``special``."""
        counts = dict.fromkeys((*LEVELS, "special"), 0)
        for c in self.committees.values():
            counts["special" if c.special is not None else c.level] += 1
        return counts


def level_rank(level: str) -> int:
    """Position of a level in the order of :data:`graph.vocab.LEVELS` (central first)."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def committee_order(c: Committee) -> tuple[int, str]:
    """The stable order of committees: by level, then by id."""
    return level_rank(c.level), c.id
