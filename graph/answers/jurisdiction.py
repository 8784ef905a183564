"""The answer to a jurisdiction question, shared by the CLI (``--json``) and the REST API: which committee, office
and Party committee are competent for a place or a unit, and the chain of guiding committees up to the centre;
with the references to regions, committees and bodies that the other answers reuse (the leak case,
:mod:`graph.answers.incident`; the catalogue).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from graph.answers.as_of_note import AsOfNote, absent_unless_set, as_of_field
from graph.answers.former import FormerRef
from graph.directory.model import Body, Committee, Directory, PathStep, Region
from graph.directory.resolver import Match
from graph.errors import NotFound
from graph.sources.divisions import NATION_CODE
from graph.sources.law import load_law
from graph.vocab import Level

__all__ = [
    "BodyRef",
    "CommitteeRef",
    "JurisdictionAnswer",
    "RegionRef",
    "UnitRef",
    "body_ref",
    "bureau_ref",
    "bureaus_above",
    "committee_ref",
    "has_bureau",
    "jurisdiction",
    "region_ref",
]


class RegionRef(BaseModel):
    code: str = Field(description="Six-digit division code, or CN for the nation")
    name: str
    name_en: str
    level: Level = Field(description="A level of the division tree (never departmental)")
    type: str = Field(description="Division type, e.g. 地级市, 市辖区, 自治州")
    iri: str
    path: list[PathStep] = Field(description="Higher regions from the province down to the parent")


class CommitteeRef(BaseModel):
    id: str = Field(description="The division code, 'central', or u-<unit> for a departmental body")
    iri: str
    name_zh: str
    name_en: str
    level: Level


class BodyRef(BaseModel):
    iri: str
    name_zh: str
    name_en: str
    second_nameplate: str | None = Field(default=None, description="The same-level secrecy bureau (offices)")


class UnitRef(BaseModel):
    id: str
    iri: str
    name_zh: str
    name_en: str
    kind: str


class SpecialRef(BaseModel):
    kind: str = Field(description="CorpsPartyCommittee, CorpsDivisionPartyCommittee or WorkCommittee")
    party_body: BodyRef = Field(description="The Party body off the division tree (兵团党委, 师党委, 党工委)")
    paired_divisions: list[str] = Field(description="Division codes run together with it (师市合一)")
    entrusted_divisions: list[str] = Field(description="Division codes entrusted to it (托管)")
    inferred: bool = Field(description="True: no source found states its confidentiality body; it is inferred")
    note: str = Field(description="What the confidentiality body is inferred from and what no source states")


class JurisdictionAnswer(BaseModel):
    query: str
    match: str = Field(description="'region', 'unit' or 'body' (a Party body off the division tree)")
    region: RegionRef
    unit: UnitRef | None = None
    committee: CommitteeRef
    office: BodyRef
    party_committee: BodyRef | None
    chain: list[CommitteeRef] = Field(
        description="The committee itself first, then each guiding committee up to "
        "and including the Central Confidentiality Committee"
    )
    passages: list[str] = Field(description="Ids of the source passages the answer rests on")
    special: SpecialRef | None = Field(
        default=None, description="Set when the committee is the (inferred) body of a Party body off the division tree"
    )
    bureau: BodyRef | None = Field(
        default=None,
        description="The secrecy administrative department (保密局) in charge of the region's secrecy work "
        "(law art. 6): one body with the office (一个机构、两块牌子); for a departmental body or a body off the "
        "division tree, the bureau of the region it falls under",
    )
    bureau_basis: list[str] = Field(default=[], description="IRIs of the articles and source the bureau rests on")
    as_of: AsOfNote | None = as_of_field()
    former: FormerRef | None = absent_unless_set(
        "Only when the query names a division that no longer exists: what became of it (the answer is that of its "
        "one successor of today)"
    )
    also_former: list[FormerRef] | None = absent_unless_set(
        "Only when the query names a division of today and also former divisions of the same name elsewhere: what "
        "became of each"
    )


def region_ref(d: Directory, region: Region) -> RegionRef:
    return RegionRef(
        code=region.code,
        name=region.name_zh,
        name_en=region.name_en,
        level=region.level,
        type=region.type,
        iri=region.iri,
        path=[PathStep(code=r.code, name=r.name_zh) for r in d.region_path(region.code)],
    )


def committee_ref(c: Committee) -> CommitteeRef:
    return CommitteeRef(id=c.id, iri=c.iri, name_zh=c.name_zh, name_en=c.name_en, level=c.level)


def body_ref(b: Body) -> BodyRef:
    return BodyRef(iri=b.iri, name_zh=b.name_zh, name_en=b.name_en, second_nameplate=b.nameplate_zh or None)


def has_bureau(c: Committee) -> bool:
    """Whether committee ``c`` has a secrecy bureau in the graph: the office of a division's committee with a
    second nameplate (never a departmental body, nor the inferred body of a Party body off the division tree)."""
    return bool(c.office.nameplate_zh) and not c.departmental and c.special is None


def bureau_ref(d: Directory, c: Committee) -> BodyRef:
    """The secrecy bureau (保密行政管理部门) that is one body with the office of committee ``c`` (see has_bureau); a
    former body's (a directory of a past day: ``committee/420600~襄樊市``) is named as the committee is."""
    key = c.iri.removeprefix(d.vocab.committee("")) if c.iri != d.vocab.committee(c.id) else c.id
    return BodyRef(iri=d.vocab.bureau(key), name_zh=c.office.nameplate_zh, name_en=c.office.nameplate_en)


def bureaus_above(d: Directory, region: Region) -> list[Committee]:
    """The committees whose bureaus stand above ``region``'s on the administrative line, nearest first, ending
    with the centre's (国家保密局): the bureaus of the higher divisions, as each is guided by the bureau of the next
    higher division (regulations art. 3) — also where the Party line runs through a body off the division tree."""
    higher = [r.code for r in reversed(d.region_path(region.code))] + [NATION_CODE]
    found = [d.committees[d.committee_of_region[code]] for code in higher if code in d.committee_of_region]
    return [c for c in found if has_bureau(c)]


def jurisdiction(d: Directory, match: Match, query: str) -> JurisdictionAnswer:
    if match.kind == "unit":
        c = d.committee(match.key)
        region = d.regions[c.region]
        unit = (
            UnitRef(id=c.unit.id, iri=c.unit.iri, name_zh=c.unit.name_zh, name_en=c.unit.name_en, kind=c.unit.kind)
            if c.unit
            else None
        )
        passages = ["ch5.1.p5", "ch5.1.duty1", "ch5.1.p4", "ch5.1.p2"]
    elif match.kind == "body":
        c = d.committee(match.key)
        region = d.regions[c.region]
        unit = None
        passages = ["ch5.1.p1", "ch5.1.p3", "ch5.1.p4", "ch5.1.p2"]
    else:
        region = d.regions[match.key]
        if region.no_body_reason:
            raise NotFound(query, [], f"{region.name_zh} ({region.code}): {region.no_body_reason}")
        c = d.committee_for_region(region.code)
        unit = None
        passages = ["ch5.1.p1", "ch5.1.duty1", "ch5.1.p3", "ch5.1.p4"] + (["ch5.1.p2"] if c.upper else [])
    return JurisdictionAnswer(
        query=query,
        match=match.kind,
        region=region_ref(d, region),
        unit=unit,
        committee=committee_ref(c),
        office=body_ref(c.office),
        party_committee=body_ref(c.party) if c.party else None,
        chain=[committee_ref(x) for x in d.chain(c.id)],
        passages=passages,
        special=_special_ref(c),
        **_bureau(d, c, region),
    )


def _bureau(d: Directory, c: Committee, region: Region) -> dict[str, Any]:
    """The bureau competent for ``c``'s region: its own office's second nameplate, else that of the region's
    committee, else the nearest one above; with the basis of its competence and of its being one body with the
    office."""
    own = d.committees.get(d.committee_of_region.get(region.code, ""))
    found = next((x for x in (c, own, *bureaus_above(d, region)) if x is not None and has_bureau(x)), None)
    if found is None:
        return {}
    law = load_law()
    rules = [
        law.rule("competence-national" if found.id == "central" else "competence-local"),
        law.rule("bureau-is-office"),
    ]
    basis = list(dict.fromkeys(d.vocab.basis(ref) for rule in rules for ref in rule.basis))
    return {"bureau": bureau_ref(d, found), "bureau_basis": basis}


def _special_ref(c: Committee) -> SpecialRef | None:
    s = c.special
    if s is None or c.party is None:
        return None
    return SpecialRef(
        kind=s.kind,
        party_body=body_ref(c.party),
        paired_divisions=list(s.paired),
        entrusted_divisions=list(s.entrusted),
        inferred=True,
        note=s.note,
    )
