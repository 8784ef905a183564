"""A secrecy bureau and its powers by level: what the law gives the department that is one body with a committee's
office.

Every department at county level and above is in charge of its region, inspects, receives leak reports within 24
hours and passes them up, and investigates (or has investigated) breaches of the law; the departments of cities
divided into districts and above also run risk assessment and monitoring and approve classified information
systems; only the provincial departments and the national one assess whether a leaked item is a state secret,
decide unclear classifications and may delegate classification authority where no organ can.  For the
departments of an autonomous prefecture, a prefecture (地区), a league (盟) or a city without districts, the powers
the texts give "districted cities and above" are listed as not settled, never assumed.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.answers.jurisdiction import (
    BodyRef,
    CommitteeRef,
    RegionRef,
    body_ref,
    bureau_ref,
    bureaus_above,
    committee_ref,
    has_bureau,
    region_ref,
)
from graph.answers.organs import UNSETTLED_PREFECTURES, category_of_region
from graph.directory.model import Directory
from graph.errors import NotFound
from graph.sources.law import LegalRule, load_law
from graph.vocab import Level, OrganKind

__all__ = ["BureauAnswer", "Power", "bureau_answer"]

# The powers of every department, of those of districted cities and above, and of provincial ones and the national.
_EVERY = ("inspection", "leak-report", "leak-relay", "leak-investigation")
_DISTRICTED_CITY_AND_ABOVE = ("monitoring-districted-city", "classified-systems-approval")
_PROVINCIAL_AND_ABOVE = ("leak-assessment", "unclear-matter", "delegation-by-bureaus")


_KIND_WORDS = {
    OrganKind.CITY_WITHOUT_DISTRICTS: "a prefecture-level city without districts",
    OrganKind.AUTONOMOUS_PREFECTURE: "an autonomous prefecture (自治州)",
    OrganKind.PREFECTURE: "a prefecture (地区)",
    OrganKind.LEAGUE: "a league (盟)",
}


class Power(BaseModel):
    rule: str = Field(description="IRI of the rule that gives the power")
    label_zh: str
    label_en: str
    statement_zh: str
    statement_en: str
    within_hours: int | None = Field(description="The time limit the rule sets, if any")
    settled: bool = Field(description="False when the texts do not say whether a department of this kind holds it")
    basis: list[str] = Field(description="IRIs of the articles the rule rests on")


class BureauAnswer(BaseModel):
    bureau: BodyRef = Field(description="The secrecy administrative department (保密局)")
    same_body_as: BodyRef = Field(description="The committee office it is one body with (一个机构、两块牌子)")
    committee: CommitteeRef = Field(description="The committee whose office it is")
    region: RegionRef = Field(description="The region whose secrecy work it is in charge of")
    guided_by: BodyRef | None = Field(description="The department one level up (none for 国家保密局)")
    powers: list[Power] = Field(description="What the law gives it, by its level")
    not_settled: list[str] = Field(description="What the texts leave open about its powers")
    basis: list[str] = Field(description="IRIs of every article and source the answer rests on")


def bureau_answer(d: Directory, committee_id: str) -> BureauAnswer:
    """The bureau that is one body with the office of committee ``committee_id`` (an id or a division code)."""
    c = d.committee(committee_id) if committee_id in d.committees else d.committee_for_region(committee_id)
    region = d.regions[c.region]
    if not has_bureau(c):
        above = bureaus_above(d, region)
        where = f"; the bureau of the region it falls under is {bureau_ref(d, above[0]).name_zh}" if above else ""
        raise NotFound(committee_id, [], f"{c.name_zh} has no secrecy bureau of its own{where}")
    law = load_law()
    kind = category_of_region(d, region).kind
    own = ["competence-national" if c.level == Level.CENTRAL else "competence-local", "bureau-is-office", *_EVERY]
    if c.level == Level.CENTRAL:
        own.remove("leak-relay")  # the national department is where relayed reports end
    unsettled: list[str] = []
    if c.level in (Level.CENTRAL, Level.PROVINCIAL) or kind == OrganKind.DISTRICTED_CITY:
        own += _DISTRICTED_CITY_AND_ABOVE
    elif kind in UNSETTLED_PREFECTURES:
        unsettled += _DISTRICTED_CITY_AND_ABOVE
    if c.level in (Level.CENTRAL, Level.PROVINCIAL):
        own += _PROVINCIAL_AND_ABOVE
    powers = [_power(d, law.rule(r), True) for r in own] + [_power(d, law.rule(r), False) for r in unsettled]
    notes = (
        [
            f"The texts give some powers to the departments of cities divided into districts and above "
            f"(设区的市级以上保密行政管理部门); whether the department of {region.name_zh}, {_KIND_WORDS[kind]}, "
            "counts among them is not stated."
        ]
        if unsettled
        else []
    )
    above = bureaus_above(d, region)
    refs = [ref for r in own + unsettled for ref in law.rule(r).basis]
    return BureauAnswer(
        bureau=bureau_ref(d, c),
        same_body_as=body_ref(c.office),
        committee=committee_ref(c),
        region=region_ref(d, region),
        guided_by=bureau_ref(d, above[0]) if above and c.level != Level.CENTRAL else None,
        powers=powers,
        not_settled=notes,
        basis=list(dict.fromkeys(d.vocab.basis(ref) for ref in refs)),
    )


def _power(d: Directory, rule: LegalRule, settled: bool) -> Power:
    return Power(
        rule=d.vocab.rule(rule.id),
        label_zh=rule.label_zh,
        label_en=rule.label_en,
        statement_zh=rule.statement_zh,
        statement_en=rule.statement_en,
        within_hours=rule.within_hours,
        settled=settled,
        basis=[d.vocab.basis(ref) for ref in rule.basis],
    )
