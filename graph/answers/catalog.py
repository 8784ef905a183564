"""The catalogue: committees listed, filtered and paged; one committee, its subordinates and chain;
regions and their children.

Committees and regions come from the in-memory :class:`~graph.directory.model.Directory`; a committee's
duties and composition are read from the store with SPARQL, so the answers are what the graph holds.  The
answers are plain data: the web skin adds the links to its paths (:mod:`api.web.paths`).  The duties and
main tasks themselves are in :mod:`graph.answers.content`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from pyoxigraph import NamedNode

from graph.answers.as_of_note import AsOfNote, as_of_field
from graph.answers.content import DutyRef
from graph.answers.jurisdiction import BodyRef, CommitteeRef, RegionRef, UnitRef, body_ref, committee_ref, region_ref
from graph.answers.view import GraphView
from graph.directory.model import Committee, committee_order
from graph.directory.search import matching_committees
from graph.errors import InvalidRequest, LookupFailed, NotFound
from graph.sources.divisions import NATION_CODE
from graph.store.backend import value
from graph.vocab import LEVELS, Level

__all__ = [
    "MAX_DEPTH",
    "CommitteeDetail",
    "CommitteeFilter",
    "CommitteePage",
    "CommitteeSummary",
    "Composition",
    "Post",
    "RegionChildren",
    "RegionDetail",
    "SubordinateItem",
    "Subordinates",
    "chain",
    "committee_detail",
    "committee_page",
    "region_children",
    "region_detail",
    "subordinates",
]

MAX_DEPTH = 4  # central → provincial → municipal → county, and a departmental body one below any of them


# -- models -------------------------------------------------------------------------------------
class CommitteeSummary(BaseModel):
    id: str = Field(description="The division code, 'central', or u-<unit> for a departmental body")
    iri: str
    name_zh: str
    name_en: str
    short_zh: str | None = None
    level: Level
    region: str = Field(description="Code of the region it leads the work of (or, for a departmental body, lies in)")
    guided_by: str | None = Field(None, description="Id of the committee that guides and supervises it")
    within_jurisdiction_of: str | None = Field(None, description="Departmental bodies: the committee of their region")


class CommitteePage(BaseModel):
    items: list[CommitteeSummary]
    total: int = Field(description="Number of committees matching the filters")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, or null on the last page")


class Post(BaseModel):
    iri: str
    role: str = Field(description="'head' (负责人) or 'members' (委员)")
    holder_zh: str = Field(description="Who holds it, as the text describes the role (no person is named)")
    holder_en: str
    usually: bool = Field(description="True where the text says 一般 (usually): a norm, not a rule")
    usually_from_leadership_of: str | None = Field(
        None, description="IRI of the Party committee from whose leadership the head usually comes"
    )


class Composition(BaseModel):
    head: Post | None
    members: Post | None
    passage: str = Field("ch5.1.p4", description="Id of the passage it rests on")


class CommitteeDetail(BaseModel):
    id: str
    iri: str
    name_zh: str
    name_en: str
    short_zh: str | None
    short_en: str | None
    level: Level
    region: RegionRef
    office: BodyRef = Field(description="The office doing its daily work, with its second nameplate if any")
    party_committee: BodyRef | None = Field(description="The Party committee that forms and leads it (ch5.1.p3)")
    guided_by: CommitteeRef | None = Field(description="The committee that guides and supervises it (ch5.1.p2)")
    within_jurisdiction_of: CommitteeRef | None = Field(
        description="Departmental bodies: the committee leading their region's work (ch5.1.p5, ch5.1.duty1)"
    )
    unit: UnitRef | None = Field(description="Departmental bodies: the department or unit it belongs to")
    leading_group: bool = Field(description="A leading group (保密领导小组) rather than a committee")
    subordinates: int = Field(description="Number of committees it guides directly")
    departmental_bodies: int = Field(description="Number of departmental bodies within its jurisdiction")
    duties: list[DutyRef] = Field(description="The duties it carries (local committees, ch5.1.duty1–8)")
    composition: Composition | None = Field(
        None, description="Central and local committees: its head and members as posts described by role (ch5.1.p4)"
    )
    as_of: AsOfNote | None = as_of_field()


class SubordinateItem(CommitteeSummary):
    depth: int = Field(description="1 for a committee guided directly, 2 for one guided by those, …")


class Subordinates(BaseModel):
    committee: CommitteeRef
    depth: int
    include_departmental: bool
    total: int
    items: list[SubordinateItem]


class RegionDetail(RegionRef):
    parent: str | None = Field(description="Code of the nearest higher region")
    committee: CommitteeRef | None = Field(description="The committee leading the region's work")
    children: int = Field(description="Number of regions directly under it")
    as_of: AsOfNote | None = as_of_field()


class RegionChildren(BaseModel):
    region: RegionRef
    total: int
    items: list[RegionRef]


# -- suggestions for unknown ids -------------------------------------------------------------------
def _committee_suggestions(kg: GraphView, text: str) -> list[dict[str, Any]]:
    d = kg.directory
    ids: list[str] = []
    try:
        for m in kg.resolver.candidates(text):
            cid = m.key if m.kind in ("unit", "body") else d.committee_of_region.get(m.key)
            if cid and cid not in ids:
                ids.append(cid)
    except LookupFailed:
        pass
    except InvalidRequest:
        return []
    if not ids and text.isascii() and text.isdigit():  # a mistyped code: the nearest codes sharing its prefix
        for size in (4, 2):
            near = [cid for cid in d.committees if cid.isdigit() and cid.startswith(text[:size])]
            if near:
                ids = sorted(near, key=lambda cid: (abs(int(cid) - int(text)), cid))
                break
    ids = ids or difflib.get_close_matches(text, list(d.committees), n=5, cutoff=0.6)
    return [
        {"id": c.id, "name_zh": c.name_zh, "name_en": c.name_en, "level": c.level}
        for c in (d.committees[i] for i in ids[:5])
    ]


def _committee(kg: GraphView, cid: str) -> Committee:
    c = kg.directory.committees.get(cid)
    if c is None:
        raise NotFound(cid, _committee_suggestions(kg, cid))
    return c


def _region_code(kg: GraphView, code: str) -> str:
    d = kg.directory
    if code in d.regions:
        return code
    if code.upper() == NATION_CODE:
        return NATION_CODE
    try:
        matches = kg.resolver.candidates(code)
    except (LookupFailed, InvalidRequest):
        matches = []
    suggestions = [m for m in matches if m.kind == "region"] or kg.resolver.suggestions(code)
    raise NotFound(code, [kg.resolver.describe(m) for m in suggestions])


# -- committees -------------------------------------------------------------------------------
def _summary(c: Committee) -> dict[str, Any]:
    return {
        "id": c.id,
        "iri": c.iri,
        "name_zh": c.name_zh,
        "name_en": c.name_en,
        "short_zh": c.short_zh or None,
        "level": c.level,
        "region": c.region,
        "guided_by": None if c.departmental else c.upper,
        "within_jurisdiction_of": c.upper if c.departmental else None,
    }


@dataclass(frozen=True)
class CommitteeFilter:
    """The filters of a committee listing; empty fields do not filter."""

    levels: Sequence[str] = ()
    within: str | None = None
    under: str | None = None
    q: str | None = None

    def select(self, kg: GraphView) -> list[Committee]:
        d = kg.directory
        bad = [lv for lv in self.levels if lv not in LEVELS]
        if bad:
            raise InvalidRequest(f"unknown level {bad[0]!r}: use one of {', '.join(LEVELS)}")
        chosen: list[Committee] = list(d.committees.values())
        if self.levels:
            chosen = [c for c in chosen if c.level in self.levels]
        if self.within is not None:
            # Every region has its committee, so the regions within are those of the committees within.
            codes = {c.region for c in d.within_region(_region_code(kg, self.within))}
            chosen = [c for c in chosen if c.region in codes]
        if self.under is not None:
            top = _committee(kg, self.under)
            below = {c.id for c, _ in d.subtree(top.id, MAX_DEPTH, include_departmental=True)}
            chosen = [c for c in chosen if c.id in below]
        if self.q is not None:
            names = matching_committees(d, self.q)
            chosen = [c for c in chosen if c.id in names]
        return sorted(chosen, key=committee_order)


def committee_page(
    kg: GraphView, filters: CommitteeFilter, *, limit: int, offset: int, max_limit: int, next_url: Callable[[int], str]
) -> CommitteePage:
    """One page of the committees matching ``filters``, in level order then by id."""
    if not 1 <= limit <= max_limit:
        raise InvalidRequest(f"limit must be between 1 and {max_limit}")
    if offset < 0:
        raise InvalidRequest("offset must not be negative")
    chosen = filters.select(kg)
    items = [CommitteeSummary(**_summary(c)) for c in chosen[offset : offset + limit]]
    following = offset + limit
    return CommitteePage(
        items=items,
        total=len(chosen),
        limit=limit,
        offset=offset,
        next=next_url(following) if following < len(chosen) else None,
    )


_DUTIES_OF = """
SELECT ?n ?zh ?en WHERE {{
  {committee} bm:hasDuty ?d . ?d bm:ordinal ?n .
  OPTIONAL {{ ?d rdfs:label ?zh FILTER (lang(?zh) = "zh") }}
  OPTIONAL {{ ?d rdfs:label ?en FILTER (lang(?en) = "en") }}
}} ORDER BY ?n"""


_COMPOSITION_OF = """
SELECT ?role ?post ?zh ?en ?usual ?from WHERE {{
  VALUES (?p ?role) {{ (bm:headPost "head") (bm:memberPost "members") }}
  {committee} ?p ?post .
  OPTIONAL {{ ?post bm:usualHolder|bm:holder ?zh FILTER (lang(?zh) = "zh") }}
  OPTIONAL {{ ?post bm:usualHolder|bm:holder ?en FILTER (lang(?en) = "en") }}
  OPTIONAL {{ ?post bm:usuallyFromLeadershipOf ?from }}
  BIND (EXISTS {{ ?post bm:usualHolder ?any }} AS ?usual)
}}"""


def _composition(kg: GraphView, iri: str) -> Composition | None:
    rows = kg.backend.select(kg.vocab.sparql_prologue() + _COMPOSITION_OF.format(committee=NamedNode(iri)))
    posts = {
        value(r["role"]): Post(
            iri=value(r["post"]),
            role=value(r["role"]),
            holder_zh=value(r.get("zh")),
            holder_en=value(r.get("en")),
            usually=value(r.get("usual")) == "true",
            usually_from_leadership_of=value(r.get("from")) or None,
        )
        for r in rows
    }
    return Composition(head=posts.get("head"), members=posts.get("members")) if posts else None


def committee_detail(kg: GraphView, cid: str) -> CommitteeDetail:
    """One committee: names, region, office, Party committee, guide, counts and duties."""
    d = kg.directory
    c = _committee(kg, cid)
    upper = d.committees.get(c.upper) if c.upper else None
    rows = kg.backend.select(kg.vocab.sparql_prologue() + _DUTIES_OF.format(committee=NamedNode(c.iri)))
    duty_refs = [
        DutyRef(number=int(value(r["n"])), label_zh=value(r.get("zh")), label_en=value(r.get("en"))) for r in rows
    ]
    unit = (
        UnitRef(id=c.unit.id, iri=c.unit.iri, name_zh=c.unit.name_zh, name_en=c.unit.name_en, kind=c.unit.kind)
        if c.unit
        else None
    )
    return CommitteeDetail(
        id=c.id,
        iri=c.iri,
        name_zh=c.name_zh,
        name_en=c.name_en,
        short_zh=c.short_zh or None,
        short_en=c.short_en or None,
        level=c.level,
        region=region_ref(d, d.regions[c.region]),
        office=body_ref(c.office),
        party_committee=body_ref(c.party) if c.party else None,
        guided_by=committee_ref(upper) if upper and not c.departmental else None,
        within_jurisdiction_of=committee_ref(upper) if upper and c.departmental else None,
        unit=unit,
        leading_group=c.leading_group,
        subordinates=len(d.subordinates.get(c.id, [])),
        departmental_bodies=len(d.departmental.get(c.id, [])),
        duties=duty_refs,
        composition=_composition(kg, c.iri),
    )


def subordinates(kg: GraphView, cid: str, depth: int = 1, *, include_departmental: bool = False) -> Subordinates:
    """The committees under ``cid`` down to ``depth`` levels, breadth first, each with its depth."""
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidRequest(f"depth must be between 1 and {MAX_DEPTH}")
    c = _committee(kg, cid)
    found = kg.directory.subtree(c.id, depth, include_departmental=include_departmental)
    items = [SubordinateItem(**_summary(x), depth=n) for x, n in found]
    return Subordinates(
        committee=committee_ref(c),
        depth=depth,
        include_departmental=include_departmental,
        total=len(items),
        items=items,
    )


def chain(kg: GraphView, cid: str) -> list[CommitteeRef]:
    """The committee, then each guiding committee (or jurisdiction) up to the Central Confidentiality Committee."""
    return [committee_ref(x) for x in kg.directory.chain(_committee(kg, cid).id)]


# -- regions ------------------------------------------------------------------------------------
def region_detail(kg: GraphView, code: str) -> RegionDetail:
    """One region with its committee and its number of children."""
    d = kg.directory
    region = d.regions[_region_code(kg, code)]
    cid = d.committee_of_region.get(region.code)
    committee = d.committees[cid] if cid else None
    return RegionDetail(
        **region_ref(d, region).model_dump(),
        parent=region.parent,
        committee=committee_ref(committee) if committee else None,
        children=len(d.children.get(region.code, [])),
    )


def region_children(kg: GraphView, code: str) -> RegionChildren:
    """The regions directly under a region, by code."""
    d = kg.directory
    region = d.regions[_region_code(kg, code)]
    items = [region_ref(d, d.regions[c]) for c in sorted(d.children.get(region.code, []))]
    return RegionChildren(region=region_ref(d, region), total=len(items), items=items)
