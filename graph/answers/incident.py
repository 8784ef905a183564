"""The answer to a leak case: what duty 7 (a local committee's duty) says of a major leak, given where it
happened and which Party committee or unit manages the cadre involved, and what the text leaves open.

Shared by the CLI (``--json``) and the REST API; the references to regions, committees and bodies are those of
:mod:`graph.answers.jurisdiction`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.answers.as_of_note import AsOfNote, as_of_field
from graph.answers.jurisdiction import BodyRef, CommitteeRef, RegionRef, body_ref, committee_ref, region_ref
from graph.answers.leak_report import Citation, InvestigatedBy, OrganisedBy, ReportTo, leak_lines
from graph.directory.model import Committee, Directory, Region
from graph.directory.resolver import Match, Resolver
from graph.errors import InvalidRequest, NotFound
from graph.sources.divisions import NATION_CODE
from graph.vocab import DIVISION_LEVELS, Level

__all__ = ["Finding", "IncidentAnswer", "ManagerRef", "incident", "incident_for"]


class Finding(BaseModel):
    passage: str = Field(description="Id of the passage that says it")
    quote: str = Field(description="The words of the passage that say it (verbatim)")
    says: str = Field(description="What the passage supports for this case, in English")


class ManagerRef(BaseModel):
    kind: str = Field(
        description="'party-committee' (the Party committee of a region, or the Central Committee) "
        "or 'unit' (a department or unit with its own personnel department)"
    )
    id: str = Field(description="The committee id of that Party committee or unit ('central', a code, u-<unit>)")
    name_zh: str
    name_en: str
    level: Level
    on_chain: bool = Field(
        description="Whether its committee is a local committee on the chain of the place of the "
        "leak (so that the leak occurred within its administrative region)"
    )


class IncidentAnswer(BaseModel):
    region: RegionRef = Field(description="Where the leak occurred")
    cadre_level: Level | None = Field(
        description="As asked: the level, on the chain of the place, of the Party "
        "committee whose organisation department manages the cadre"
    )
    cadre_managed_by: ManagerRef | None = Field(
        description="The Party committee or unit that manages the cadre, from cadre_level or cadre_managed_by"
    )
    committee: CommitteeRef = Field(
        description="The committee the text points to: the committee of the cadre's "
        "managing Party committee when that is a local committee on the "
        "place's chain (duty 7, 'especially'), else the committee of the place"
    )
    office: BodyRef = Field(description="That committee's office")
    place_committee: CommitteeRef = Field(description="The committee of the region where the leak occurred")
    settled: bool = Field(
        description="False when the text does not settle who takes up the case; `not_settled` says what it leaves open"
    )
    supported: list[Finding] = Field(description="What the source text says of the case, with its words")
    not_settled: list[str] = Field(
        description="What the text does not settle for this case (never filled in by extending the rule)"
    )
    reasoning: list[str] = Field(description="`supported` and `not_settled` as sentences")
    passages: list[str] = Field(description="Ids of the passages the answer cites")
    report_to: ReportTo = Field(
        description="The administrative line: the secrecy bureau the leak is reported to (within 24 hours) and "
        "the bureaus it is passed up to, ending at 国家保密局"
    )
    investigated_by: InvestigatedBy = Field(description="Who investigates the case and who assesses what leaked")
    organised_by: OrganisedBy = Field(description="The Party line: the committee duty 7 points to, with its rule")
    rules: list[str] = Field(description="IRIs of every rule the answer applies")
    basis: list[str] = Field(description="IRIs of every article and passage the answer rests on")
    citations: list[Citation] = Field(description="The articles and passages of `basis`, with their labels")
    as_of: AsOfNote | None = as_of_field()


# The words of the passages the leak-case answers quote (tests check them against data/textbook.toml).
DUTY7_REGION = "组织、协调查处本行政区域内发生的重大泄密事件"
DUTY7_ESPECIALLY = "特别是对本级党委组织人事部门管辖干部的泄密案件的查处工作"
CENTRAL_ROLE = "中央保密委员会是党中央统一领导党政军保密工作的领导机构"
UNIT_ROLE = "负责本部门、本单位以及本系统的保密工作"


def incident(
    d: Directory, region_code: str, cadre_level: str | None, managed_by: Match | None = None
) -> IncidentAnswer:
    """Duty 7 (ch5.1.duty7, a local committee's duty): the committee of the region where a major leak occurs
    organises and coordinates its investigation, especially cases of cadres managed by its own Party committee's
    organisation and personnel departments.  What the text does not settle is said, not inferred."""
    if region_code == NATION_CODE:
        raise NotFound(
            region_code,
            [],
            "the nation is not a place of a leak: duty 7 speaks of the administrative "
            "region of a local committee; give the province, city or county",
        )
    region = d.region(region_code)
    if region.code not in d.committee_of_region:
        raise InvalidRequest(
            f"{region.name_zh} has no committee in this graph, so no local committee carries duty 7 there"
        )
    if cadre_level is not None and managed_by is not None:
        raise InvalidRequest("give cadre_level or cadre_managed_by, not both")
    own = d.committee_for_region(region.code)
    full_chain = d.chain(own.id)
    chain = [c for c in full_chain if d.committee_of_region.get(c.region) == c.id]  # committees of divisions
    supported = [
        Finding(
            passage="ch5.1.duty7",
            quote=DUTY7_REGION,
            says=(
                f"The committee of the region where a major leak occurs organises and coordinates its investigation: "
                f"for {region.name_zh}, {own.name_zh}."
            ),
        )
    ]
    not_settled: list[str] = []
    manager: Committee | None = None
    if cadre_level is not None:
        if cadre_level not in DIVISION_LEVELS:
            raise InvalidRequest(f"cadre_level must be one of {', '.join(DIVISION_LEVELS)}")
        at_level = [c for c in chain if c.level == cadre_level]
        if not at_level:
            levels_on_chain = ", ".join(c.level for c in full_chain)
            why = _missing_level_reason(d, region, cadre_level, len(chain) != len(full_chain))
            raise InvalidRequest(
                f"no {cadre_level} committee on the chain of {region.name_zh} "
                f"(its chain has the levels {levels_on_chain}){why}"
            )
        manager = at_level[0]
    elif managed_by is not None:
        manager = _manager(d, managed_by)
    chosen, ref = own, None
    if manager is not None:
        on_chain = manager.level not in ("central", "departmental") and any(c.id == manager.id for c in chain)
        ref = ManagerRef(
            kind="unit" if manager.departmental else "party-committee",
            id=manager.id,
            name_zh=(
                manager.unit.name_zh if manager.unit else manager.party.name_zh if manager.party else manager.name_zh
            ),
            name_en=(
                manager.unit.name_en if manager.unit else manager.party.name_en if manager.party else manager.name_en
            ),
            level=manager.level,
            on_chain=on_chain,
        )
        if on_chain:
            chosen = manager
            supported.append(
                Finding(
                    passage="ch5.1.duty7",
                    quote=DUTY7_ESPECIALLY,
                    says=(
                        f"Especially cases of cadres managed by the organisation and personnel departments of a "
                        f"committee's own Party committee: the cadre is managed by {ref.name_zh}, "
                        f"and {region.name_zh} lies in the region of its committee, {manager.name_zh}."
                    ),
                )
            )
            if manager.id != own.id:
                not_settled.append(
                    f"The text does not say how {own.name_zh} (the committee of the place) and {manager.name_zh} "
                    f"(the committee of the cadre's Party committee, whose region also contains the place) share "
                    f"the investigation."
                )
        else:
            not_settled.append(_off_chain(d, region, own, manager, supported))
    passages = list(dict.fromkeys(f.passage for f in supported))
    lines = leak_lines(d, region, own, chosen, manager, passages)
    return IncidentAnswer(
        region=region_ref(d, region),
        cadre_level=cadre_level,
        cadre_managed_by=ref,
        committee=committee_ref(chosen),
        office=body_ref(chosen.office),
        place_committee=committee_ref(own),
        settled=ref is None or ref.on_chain,
        supported=supported,
        not_settled=not_settled,
        reasoning=[f.says for f in supported] + not_settled,
        passages=passages,
        report_to=lines.report_to,
        investigated_by=lines.investigated_by,
        organised_by=lines.organised_by,
        rules=lines.rules,
        basis=lines.basis,
        citations=lines.citations,
    )


# The names of the nation (and so of the Party Central Committee) that the place lookup does not take.
_NATION_NAMES = {"cn", "中央", "党中央", "中共中央"}


def incident_for(
    d: Directory, resolver: Resolver, region: str, cadre_level: str | None, cadre_managed_by: str | None
) -> IncidentAnswer:
    """:func:`incident` for the texts a user gives: the place of the leak and who manages the cadre, looked up
    (Ambiguous or NotFound when they do not name one place or unit)."""
    match = _nation(region) or resolver.resolve(region)
    if match.kind != "region":
        raise InvalidRequest(f"{region!r} names a unit, not a region: give the region where the leak occurred")
    manager = None if cadre_managed_by is None else _nation(cadre_managed_by) or resolver.resolve(cadre_managed_by)
    return incident(d, match.key, cadre_level, manager)


def _nation(text: str) -> Match | None:
    return Match("region", NATION_CODE) if text.strip().lower() in _NATION_NAMES else None


def _manager(d: Directory, match: Match) -> Committee:
    """The committee of the Party committee (or unit) that manages the cadre."""
    if match.kind == "region":
        if match.key not in d.committee_of_region:
            raise InvalidRequest(f"{d.region(match.key).name_zh} has no Party committee in this graph")
        return d.committee_for_region(match.key)
    return d.committee(match.key)


def _off_chain(d: Directory, region: Region, own: Committee, manager: Committee, supported: list[Finding]) -> str:
    """What duty 7 leaves open when the cadre's manager is not a local committee on the place's chain."""
    if manager.level == "central":
        supported.append(
            Finding(
                passage="ch5.1.p2",
                quote=CENTRAL_ROLE,
                says=(
                    "The Central Confidentiality Committee is the body through which the Central Committee leads "
                    "Party, government and military confidentiality work; the text states no leak-case duty of it."
                ),
            )
        )
        return (
            "The cadre is managed by the organisation department of the Party Central Committee. Duty 7 is a "
            "duty of the local committees (地方各级保密委员会的主要职责); the text gives the Central "
            "Confidentiality Committee no duty over leak cases, so it does not say whether the central committee, "
            f"or which body, takes up this case beside {own.name_zh}."
        )
    if manager.unit is not None:
        supported.append(
            Finding(
                passage="ch5.1.p5",
                quote=UNIT_ROLE,
                says=(
                    f"{manager.name_zh} is responsible for the confidentiality work of its own department, "
                    "unit or system."
                ),
            )
        )
        return (
            f"The cadre is managed by {manager.unit.name_zh}, a department or unit, not by the organisation "
            "department of a local Party committee: duty 7's 'especially' clause does not reach this case, and "
            f"the text does not say what part {manager.name_zh} or {own.name_zh} plays in it."
        )
    if d.committee_of_region.get(manager.region) != manager.id:
        return (
            f"{manager.name_zh} belongs to a Party body off the division tree; duty 7 is a duty of the local "
            f"committees and the text says nothing of such bodies in leak cases."
        )
    inside = _under(d, manager.region, region.code)
    where = (
        f"{d.regions[manager.region].name_zh} lies within {region.name_zh}, but the answer is not told "
        f"whether the leak occurred there"
        if inside
        else f"the leak did not occur in its administrative region ({d.regions[manager.region].name_zh})"
    )
    return (
        f"The cadre is managed by {manager.party.name_zh if manager.party else manager.name_zh}, whose "
        f"committee {manager.name_zh} is not on the chain of {region.name_zh}: {where}. Duty 7 ties a "
        f"committee's own cadres to leaks in its own region; the text does not say whether {manager.name_zh} "
        f"takes part in this case, nor how it and {own.name_zh} would share it."
    )


def _under(d: Directory, code: str, ancestor: str) -> bool:
    parent = d.regions[code].parent
    while parent:
        if parent == ancestor:
            return True
        parent = d.regions[parent].parent
    return False


def _missing_level_reason(d: Directory, region: Region, level: str, off_tree: bool = False) -> str:
    if off_tree:
        return (
            f"; the chain of {region.name_zh} passes through a Party body off the division tree, whose "
            f"confidentiality body carries no duty in the text"
        )
    if region.level != Level.COUNTY or level != Level.MUNICIPAL:
        return f"; a {region.level} region has no {level} committee above it"
    parent = d.regions[region.parent] if region.parent else None
    if parent is not None and parent.type == "直辖市":
        return (
            f"; {region.name_zh} is a district or county of the municipality {parent.name_zh}, which has no "
            f"prefecture level"
        )
    if parent is not None and parent.level == Level.PROVINCIAL and parent.code != NATION_CODE:
        return f"; {region.name_zh} is administered directly by {parent.name_zh}, with no prefecture level between"
    return ""
