"""The organs that the classification authority answer (:mod:`graph.answers.authority`) speaks of: what kind of
organ a place, a unit or a Party body off the division tree stands for, what the law gives organs of that kind
of their own, how the organs of a place are named, which higher organs hold a level, and who may delegate.

A kind of organ follows from the directory alone: the level and type of a region, whether a 地级市 has a
市辖区 under it, the kind of a unit (data/departments.csv) and whether a committee belongs to a Party body off
the division tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, Field

from graph.answers.jurisdiction import BodyRef, RegionRef, bureau_ref, has_bureau, region_ref
from graph.directory.model import Committee, Directory, Region
from graph.sources.divisions import NATION_CODE
from graph.sources.units import load_departments
from graph.vocab import Classification, Level, OrganKind

__all__ = [
    "UNSETTLED_PREFECTURES",
    "Category",
    "OrganRef",
    "category_of_body",
    "category_of_region",
    "category_of_unit",
    "bureau_of",
    "districted_city_above",
    "holder",
    "organs_of",
    "province_of",
    "region_bureau",
    "unit_kind",
]

TOP, SECRET = Classification.TOP_SECRET, Classification.SECRET


# The organs of a place, by kind: the level in Chinese and in English.
_LEVEL_WORDS: dict[OrganKind, tuple[str, str]] = {
    OrganKind.PROVINCIAL: ("省级", "provincial-level"),
    OrganKind.DISTRICTED_CITY: ("市级", "city-level"),
    OrganKind.CITY_WITHOUT_DISTRICTS: ("市级", "city-level"),
    OrganKind.AUTONOMOUS_PREFECTURE: ("州级", "prefecture-level"),
    OrganKind.PREFECTURE: ("地区级", "prefecture-level"),
    OrganKind.LEAGUE: ("盟级", "league-level"),
    OrganKind.COUNTY: ("县级", "county-level"),
}
UNSETTLED_PREFECTURES = frozenset(
    {OrganKind.CITY_WITHOUT_DISTRICTS, OrganKind.AUTONOMOUS_PREFECTURE, OrganKind.PREFECTURE, OrganKind.LEAGUE}
)
_PREFECTURE_TYPES = {"自治州": OrganKind.AUTONOMOUS_PREFECTURE, "地区": OrganKind.PREFECTURE, "盟": OrganKind.LEAGUE}


class OrganRef(BaseModel):
    """The organs of a place (a class of organs, such as 浙江省的省级机关), or a secrecy bureau."""

    kind: OrganKind
    region: RegionRef | None = Field(description="The place whose organs these are; none for a unit")
    name_zh: str
    name_en: str
    iri: str | None = Field(
        default=None, description="The body's IRI in the graph: set for a secrecy bureau; a class of organs has none"
    )


@dataclass(frozen=True)
class Category:
    """What the law gives an organ of its own: ``own`` when ``settled``, else at most ``would_be`` (the level it
    would hold if it counts as an organ of the kind the texts name), with the rules that say so."""

    kind: OrganKind
    own: Classification | None
    settled: bool
    would_be: Classification | None
    rules: tuple[str, ...]


def category_of_region(d: Directory, region: Region) -> Category:
    """The kind of the organs of a region, and the authority the law gives them of their own."""
    if region.code == NATION_CODE:
        return Category(OrganKind.CENTRAL_ORGAN, TOP, True, TOP, ("classify-top",))
    if region.level == Level.PROVINCIAL:
        return Category(OrganKind.PROVINCIAL, TOP, True, TOP, ("classify-top",))
    if region.level == Level.MUNICIPAL:
        if region.type in _PREFECTURE_TYPES:
            return Category(_PREFECTURE_TYPES[region.type], None, False, SECRET, ("classify-districted-city",))
        if any(d.regions[k].type == "市辖区" for k in d.children.get(region.code, ())):
            return Category(OrganKind.DISTRICTED_CITY, SECRET, True, SECRET, ("classify-districted-city",))
        return Category(OrganKind.CITY_WITHOUT_DISTRICTS, None, False, SECRET, ("classify-districted-city",))
    return Category(OrganKind.COUNTY, None, True, None, ("classify-none-other",))


def category_of_unit(d: Directory, c: Committee) -> Category:
    """A department of the State Council is a central state organ; whether a department of the Party Central
    Committee is one is not stated; any other unit is taken at the level of the place it belongs to, which
    the texts do not settle either."""
    kind = unit_kind(c)
    if kind == "state-council-department":
        return Category(OrganKind.CENTRAL_ORGAN, TOP, True, TOP, ("classify-top",))
    if kind == "party-department":
        return Category(OrganKind.UNIT, None, False, TOP, ("classify-top", "classify-none-other"))
    place = category_of_region(d, d.regions[c.region])
    would_be = place.own if place.settled else place.would_be
    return Category(OrganKind.UNIT, None, False, would_be, (*place.rules, "classify-none-other"))


def category_of_body(c: Committee) -> Category:
    """A Party body off the division tree: the texts read say nothing of its organs, whatever its level."""
    rules = ("classify-top", "classify-districted-city", "classify-none-other")
    return Category(OrganKind.SPECIAL_BODY, None, False, TOP, rules)


def unit_kind(c: Committee) -> str:
    """The kind of a unit in data/departments.csv (party-department, state-council-department), or ''."""
    return _unit_kinds().get(c.unit.id if c.unit else "", "")


@cache
def _unit_kinds() -> dict[str, str]:
    return {u.id: u.kind for u in load_departments()}


def organs_of(d: Directory, region: Region, kind: OrganKind) -> OrganRef:
    """The organs of ``region`` as one class: 中央国家机关, 浙江省的省级机关, 杭州市的市级机关 …"""
    if region.code == NATION_CODE:
        return OrganRef(
            kind=kind, region=region_ref(d, region), name_zh="中央国家机关", name_en="the central state organs"
        )
    zh, en = _LEVEL_WORDS[kind]
    return OrganRef(
        kind=kind,
        region=region_ref(d, region),
        name_zh=f"{region.name_zh}的{zh}机关",
        name_en=f"the {en} organs of {region.name_en}",
    )


def bureau_of(d: Directory, region: Region) -> OrganRef | None:
    """The secrecy bureau of a region (国家保密局 for the nation), as a body that may delegate."""
    b = region_bureau(d, region)
    if b is None:
        return None
    return OrganRef(
        kind=OrganKind.BUREAU, region=region_ref(d, region), name_zh=b.name_zh, name_en=b.name_en, iri=b.iri
    )


def region_bureau(d: Directory, region: Region) -> BodyRef | None:
    cid = d.committee_of_region.get(region.code)
    if cid is None or not has_bureau(d.committees[cid]):
        return None
    return bureau_ref(d, d.committees[cid])


def province_of(d: Directory, region: Region) -> Region | None:
    """The province (自治区, 直辖市) of a region, the region itself if it is one; none for the nation."""
    r: Region | None = region
    while r is not None and r.level != Level.PROVINCIAL:
        r = d.regions[r.parent] if r.parent else None
    return r


def districted_city_above(d: Directory, region: Region) -> Region | None:
    """The city divided into districts that a region lies under (not the region itself), if any."""
    parent = d.regions[region.parent] if region.parent else None
    while parent is not None and parent.level == Level.MUNICIPAL:
        if category_of_region(d, parent).kind is OrganKind.DISTRICTED_CITY:
            return parent
        parent = d.regions[parent.parent] if parent.parent else None
    return None


def holder(d: Directory, start: Region, level: Classification) -> tuple[Region, Category, list[Region]]:
    """The nearest region from ``start`` up whose organs hold ``level`` by a settled rule of their own, its
    category, and the prefecture-level regions passed over whose own authority the texts leave open."""
    passed: list[Region] = []
    r = start
    while True:
        cat = category_of_region(d, r)
        if cat.settled and cat.own is not None and cat.own.covers(level):
            return r, cat, passed
        if cat.kind in UNSETTLED_PREFECTURES and cat.would_be is not None and cat.would_be.covers(level):
            passed.append(r)
        if not r.parent:  # the nation holds every level: not reached
            return r, cat, passed
        r = d.regions[r.parent]
