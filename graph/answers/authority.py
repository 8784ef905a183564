"""The classification authority answer (定密权限), shared by the CLI (``--json``) and the REST API: may the organs
of a place, a central organ or a unit classify a matter at a level of their own authority, up to which level,
by which rules; who may delegate more to them; and, where they may not, to which organ a matter goes and how.

Everything rests on the rules of data/legal/rules.csv (classify-top, classify-districted-city,
classify-none-other, delegation-by-organs, delegation-by-bureaus, exceeding-authority) and the articles they
cite.  Where the texts read leave a case open (the organs of 自治州, 地区, 盟 and of cities without districts,
the departments of the Party Central Committee, the Party bodies off the division tree) the answer says so in
``not_settled`` and leaves ``may_classify`` null, never filling the gap by inference.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from graph.answers.authority_words import Sentences
from graph.answers.jurisdiction import BodyRef, RegionRef, UnitRef, bureau_ref, region_ref
from graph.answers.organs import (
    Category,
    OrganRef,
    bureau_of,
    category_of_body,
    category_of_region,
    category_of_unit,
    districted_city_above,
    holder,
    organs_of,
    province_of,
    region_bureau,
)
from graph.directory.model import Committee, Directory, Region
from graph.directory.resolver import Match
from graph.errors import NotFound
from graph.sources.divisions import NATION_CODE
from graph.vocab import Classification, OrganKind

__all__ = ["AuthorityAnswer", "Delegation", "Delegator", "Organ", "Referral", "Words", "classification_authority"]

TOP = Classification.TOP_SECRET
WITHIN = "immediately (立即); no number of days is set"


class Words(BaseModel):
    zh: str
    en: str


class Organ(BaseModel):
    kind: OrganKind = Field(description="The kind of organ, as the law's list of classification authority sorts them")
    id: str = Field(description="The id of the committee of the place, unit or body ('central', a code, u-<unit>)")
    name_zh: str
    name_en: str
    region: RegionRef | None = Field(description="The place whose organs these are (none for a unit)")
    unit: UnitRef | None = Field(default=None, description="Set when the organ is a department or unit")


class Delegator(BaseModel):
    body: OrganRef = Field(description="The organs, or the secrecy bureau, that may delegate")
    up_to: Classification = Field(description="The highest level it may delegate (never beyond its own authority)")
    up_to_zh: str
    condition: str = Field(description="When and how it may delegate")
    basis: list[str] = Field(description="IRIs of the articles the rule rests on")


class Delegation(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    held: Classification | None = Field(description="The level up to which the organ holds a written delegation")
    held_zh: str | None
    can_be_extended: bool = Field(description="False when the organ already holds 绝密 authority")
    from_: list[Delegator] = Field(
        alias="from",
        description="The bodies that may delegate to it: organs of its province and of its city divided into "
        "districts, the central state organs, and the secrecy bureaus where no organ can (no re-delegation)",
    )


class Referral(BaseModel):
    organ: OrganRef | None = Field(
        description="The higher organs that hold the level asked; none when there is no higher organ"
    )
    bureau: BodyRef | None = Field(
        description="The secrecy bureau of that level (to ask when there is no higher organ, and in doubt)"
    )
    how: Words = Field(description="What the organ does with a matter beyond its authority")
    within: str = Field(description="How soon: the texts say 立即 and set no number of days")
    basis: list[str] = Field(description="IRIs of the articles of the rule exceeding-authority")


class AuthorityAnswer(BaseModel):
    query: str
    organ: Organ
    level: Classification = Field(description="The level asked")
    level_zh: str
    may_classify: bool | None = Field(
        description="Whether the organ may classify a matter at the level asked; null when the texts leave it open"
    )
    highest_level: Classification | None = Field(
        description="The highest level it may classify (its own, or delegated); null when none or not settled"
    )
    highest_level_zh: str | None
    settled: bool = Field(description="False when the texts read do not settle may_classify (see not_settled)")
    delegation: Delegation
    refer_to: Referral | None = Field(description="Where a matter at the level asked goes when it may not classify it")
    reasoning: list[str] = Field(description="The answer as sentences, each citing the articles it applies")
    not_settled: list[str] = Field(description="What the texts read leave open for this organ (never inferred)")
    rules: list[str] = Field(description="IRIs of the rules applied (data/legal/rules.csv)")
    basis: list[str] = Field(description="IRIs of the articles (and passages or sources) those rules rest on")


def classification_authority(
    d: Directory, match: Match, query: str, level: Classification, delegated: Classification | None = None
) -> AuthorityAnswer:
    """The classification authority of the organ ``match`` names, for a matter of ``level``, holding a written
    delegation up to ``delegated`` (or none)."""
    organ, cat, region, c = _organ(d, match, query)
    say = Sentences(d)
    name = (organ.name_zh, organ.name_en)
    say.organ(name, cat, region, c, level)
    if cat.settled:
        highest = _higher(cat.own, delegated)
        may: bool | None = highest is not None and highest.covers(level)
        settled = True
    else:
        best = _higher(cat.would_be, delegated)
        if delegated is not None and delegated.covers(level):
            may, settled = True, True
        elif best is None or not best.covers(level):
            may, settled = False, True
        else:
            may, settled = None, False
        covers_own = delegated is not None and (cat.would_be is None or delegated.covers(cat.would_be))
        highest = delegated if covers_own else None
        say.open_category(name, cat, region, c)
    say.delegation_held(cat, delegated)
    say.conclusion(organ.name_zh, level, may, cat, delegated)
    refer = None if may is True else _referral(d, say, organ, cat, region, level)
    from_ = [] if highest is TOP else _delegators(d, say, organ, region)
    return AuthorityAnswer(
        query=query,
        organ=organ,
        level=level,
        level_zh=level.zh,
        may_classify=may,
        highest_level=highest,
        highest_level_zh=highest.zh if highest else None,
        settled=settled,
        delegation=Delegation(
            held=delegated,
            held_zh=delegated.zh if delegated else None,
            can_be_extended=highest is not TOP,
            from_=from_,
        ),
        refer_to=refer,
        reasoning=say.reasoning,
        not_settled=say.not_settled,
        rules=[d.vocab.rule(r) for r in say.rules],
        basis=say.basis(),
    )


def _higher(a: Classification | None, b: Classification | None) -> Classification | None:
    if a is None or b is None:
        return a or b
    return a if a.covers(b) else b


def _organ(d: Directory, match: Match, query: str) -> tuple[Organ, Category, Region, Committee]:
    """The organ a match names, its category, the region it lies in and the committee of that place or unit."""
    if match.kind == "unit":
        c = d.committee(match.key)
        cat = category_of_unit(d, c)
        u = c.unit
        unit = UnitRef(id=u.id, iri=u.iri, name_zh=u.name_zh, name_en=u.name_en, kind=u.kind) if u else None
        name_zh, name_en = (u.name_zh, u.name_en) if u else (c.name_zh, c.name_en)
        organ = Organ(kind=cat.kind, id=c.id, name_zh=name_zh, name_en=name_en, region=None, unit=unit)
        return organ, cat, d.regions[c.region], c
    if match.kind == "body":
        c = d.committee(match.key)
        region = d.regions[c.region]
        party = c.party
        organ = Organ(
            kind=OrganKind.SPECIAL_BODY,
            id=c.id,
            name_zh=party.name_zh if party else c.name_zh,
            name_en=party.name_en if party else c.name_en,
            region=region_ref(d, region),
        )
        return organ, category_of_body(c), region, c
    region = d.regions[match.key]
    if region.no_body_reason:
        raise NotFound(query, [], f"{region.name_zh} ({region.code}): {region.no_body_reason}")
    c = d.committee_for_region(region.code)
    cat = category_of_region(d, region)
    named = organs_of(d, region, cat.kind)
    organ = Organ(kind=cat.kind, id=c.id, name_zh=named.name_zh, name_en=named.name_en, region=named.region)
    return organ, cat, region, c


def _referral(
    d: Directory, say: Sentences, organ: Organ, cat: Category, region: Region, level: Classification
) -> Referral | None:
    """Where a matter of ``level`` goes from an organ that may not (or may not be sure to) classify it."""
    rule = say.law.rule("exceeding-authority")
    basis = [d.vocab.basis(b) for b in rule.basis]
    if cat.kind is OrganKind.CENTRAL_ORGAN or cat.kind is OrganKind.PROVINCIAL:
        return None  # they hold 绝密: never beyond their authority
    if region.code == NATION_CODE:  # a central unit: no higher organ
        national = d.committees["central"]
        bureau = bureau_ref(d, national)
        say.use("exceeding-authority")
        say.reasoning.append(
            f"With no higher organ, a matter beyond its authority is protected at once and referred immediately to "
            f"the competent line department or to {bureau.name_zh} ({bureau.name_en}) "
            f"({say.cite('exceeding-authority')})."
        )
        return Referral(
            organ=None,
            bureau=bureau,
            how=Words(
                zh=f"先行采取保密措施，并立即报请有相应定密权限的业务主管部门或者{bureau.name_zh}确定",
                en=f"Protect the matter at once and refer it immediately to the competent line department or to "
                f"{bureau.name_en}, which decides its classification",
            ),
            within=WITHIN,
            basis=basis,
        )
    start = region
    if cat.kind is not OrganKind.SPECIAL_BODY and cat.kind is not OrganKind.UNIT:
        start = d.regions[region.parent] if region.parent else region
    place, held_by, passed = holder(d, start, level)
    organs = organs_of(d, place, held_by.kind)
    for rule_id in ("exceeding-authority", *held_by.rules):
        say.use(rule_id)
    say.reasoning.append(
        f"A matter of {level.zh} ({level.label('en')}) beyond its authority is protected at once and referred "
        f"immediately to {organs.name_zh} ({organs.name_en}), which hold that level "
        f"({say.cite('exceeding-authority')}; {say.cite(held_by.rules[0])})."
    )
    say.passed_over(passed, region.name_zh, organs, level)
    if cat.kind is OrganKind.SPECIAL_BODY:
        say.not_settled.append(
            f"The texts read do not say which organs are the higher organs (上级机关) of {organ.name_zh} for "
            f"classification; {organs.name_zh} are named as the organs of the place it lies in that hold "
            f"{level.zh}."
        )
    return Referral(
        organ=organs,
        bureau=region_bureau(d, place),
        how=Words(
            zh=f"先行采取保密措施，并立即报请{organs.name_zh}确定",
            en=f"Protect the matter at once and refer it immediately to {organs.name_en}, which decide its "
            f"classification",
        ),
        within=WITHIN,
        basis=basis,
    )


def _delegators(d: Directory, say: Sentences, organ: Organ, region: Region) -> list[Delegator]:
    """The bodies that may delegate classification authority to the organ (delegation-by-organs, -by-bureaus)."""
    central_unit = region.code == NATION_CODE
    organs_rule = say.law.rule("delegation-by-organs")
    bureaus_rule = say.law.rule("delegation-by-bureaus")
    organs_basis = [d.vocab.basis(b) for b in organs_rule.basis]
    bureaus_basis = [d.vocab.basis(b) for b in bureaus_rule.basis]
    in_writing = "in writing, never beyond its own authority; the delegate may not delegate again"
    out: list[Delegator] = []
    province = None if central_unit else province_of(d, region)
    if province is not None:  # an organ of the province itself holds 绝密 and is never asked
        out.append(
            Delegator(
                body=organs_of(d, province, OrganKind.PROVINCIAL),
                up_to=TOP,
                up_to_zh=TOP.zh,
                condition=in_writing,
                basis=organs_basis,
            )
        )
    city = None
    if organ.kind is not OrganKind.SPECIAL_BODY and not central_unit:
        own = category_of_region(d, region).kind is OrganKind.DISTRICTED_CITY and organ.kind is OrganKind.UNIT
        city = region if own else districted_city_above(d, region)
    if city is not None:
        secret = Classification.SECRET
        out.append(
            Delegator(
                body=organs_of(d, city, OrganKind.DISTRICTED_CITY),
                up_to=secret,
                up_to_zh=secret.zh,
                condition=in_writing,
                basis=organs_basis,
            )
        )
    nation = d.regions[NATION_CODE]
    if not central_unit:  # a central unit's line is its own: no central state organ is above it
        out.append(
            Delegator(
                body=organs_of(d, nation, OrganKind.CENTRAL_ORGAN),
                up_to=TOP,
                up_to_zh=TOP.zh,
                condition="in their own line of business (本系统); " + in_writing,
                basis=organs_basis,
            )
        )
    no_organ = "where no organ can delegate; in special cases it may grant classification authority directly"
    for place in (province, nation):
        bureau = bureau_of(d, place) if place is not None else None
        if bureau is not None:
            out.append(Delegator(body=bureau, up_to=TOP, up_to_zh=TOP.zh, condition=no_organ, basis=bureaus_basis))
    say.use("delegation-by-organs")
    if any(x.body.kind is OrganKind.BUREAU for x in out):
        say.use("delegation-by-bureaus")
    return out
