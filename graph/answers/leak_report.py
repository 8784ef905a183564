"""The administrative line of a leak case, beside the Party line of :mod:`graph.answers.incident`: to which secrecy
bureau a leak is reported and within how many hours, how the report goes up to 国家保密局, who investigates it
and who assesses what leaked, each with the rules of data/legal/rules.csv and the articles they rest on.

The bureaus are those of the graph (:func:`graph.answers.jurisdiction.bureau_ref`): the secrecy bureau of a
division's committee, one body with its office.  What the texts read leave open is said, never inferred.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from graph.answers.jurisdiction import BodyRef, CommitteeRef, body_ref, bureau_ref, committee_ref, has_bureau
from graph.directory.model import Committee, Directory, Region
from graph.errors import DataError, InvalidRequest
from graph.sources.law import LegalRule, load_law
from graph.sources.textbook import load_textbook

__all__ = ["Citation", "InvestigatedBy", "LeakLines", "OrganisedBy", "ReportTo", "Words", "leak_lines"]

# The rules each part applies (ids of data/legal/rules.csv).
REPORT_RULES = ("leak-report", "leak-relay")
INVESTIGATION_RULES = ("leak-investigation", "leak-assessment")
PARTY_RULES = ("leak-major-case-committee",)


class Words(BaseModel):
    zh: str
    en: str


class ReportTo(BaseModel):
    body: BodyRef = Field(description="The secrecy bureau of the place of the leak (that of its committee)")
    also: Words = Field(description="The other addressee of the report: the superior department of the finder")
    within_hours: int = Field(description="Hours within which the organ or unit that finds the leak reports it")
    relayed_to: list[BodyRef] = Field(
        description="The bureaus the report is passed up to, level by level, ending at 国家保密局 "
        "(committees without a bureau, such as those of 兵团 bodies, are passed over: see relay_notes)"
    )
    relay_within_hours: int = Field(description="Hours within which each bureau passes the report up")
    relay_notes: list[str] = Field(description="A note for each committee on the chain passed over (no bureau)")
    notes: list[str] = Field(description="To whom the report goes when the finder is not an organ of the place")
    rules: list[str] = Field(description="IRIs of the rules applied (leak-report, leak-relay)")
    basis: list[str] = Field(description="IRIs of the articles those rules rest on")


class InvestigatedBy(BaseModel):
    body: BodyRef = Field(description="The secrecy bureau of the place of the leak")
    how: Words = Field(description="What the secrecy department does with a leak case")
    assessment_by: list[BodyRef] = Field(
        description="Who may assess whether what leaked is a state secret: the provincial bureau of the "
        "place's province and 国家保密局"
    )
    settled: bool = Field(description="False: the texts read leave part of it open (not_settled)")
    not_settled: list[str] = Field(description="What the texts read do not settle about the investigation")
    rules: list[str] = Field(description="IRIs of the rules applied (leak-investigation, leak-assessment)")
    basis: list[str] = Field(description="IRIs of the articles those rules rest on")


class OrganisedBy(BaseModel):
    committee: CommitteeRef = Field(description="The committee duty 7 points to (the answer's `committee`)")
    office: BodyRef = Field(description="Its office")
    rules: list[str] = Field(description="IRIs of the rules applied (leak-major-case-committee)")
    basis: list[str] = Field(description="IRIs of the passage the rule rests on (duty 7)")


class Citation(BaseModel):
    ref: str = Field(description="An article id (bmtl-2024-art61p1) or passage:<id> of the textbook")
    iri: str
    label_zh: str
    label_en: str
    url: str | None = Field(description="Where the article's text was read (none for a passage)")


@dataclass(frozen=True, slots=True)
class LeakLines:
    """The parts of the incident answer that this module makes."""

    report_to: ReportTo
    investigated_by: InvestigatedBy
    organised_by: OrganisedBy
    rules: list[str]
    basis: list[str]
    citations: list[Citation]


def leak_lines(
    d: Directory, region: Region, own: Committee, chosen: Committee, manager: Committee | None, passages: list[str]
) -> LeakLines:
    """The administrative line for a leak in ``region`` (committee ``own``) and the Party line's committee
    ``chosen`` (duty 7), with the bases of both: the articles of the rules and the textbook ``passages`` cited."""
    if not has_bureau(own):
        raise InvalidRequest(f"{own.name_zh} has no secrecy bureau in this graph, so no bureau receives the report")
    law = load_law()
    place = bureau_ref(d, own)
    relayed, relay_notes = _relay(d, own)
    report = [law.rule(r) for r in REPORT_RULES]
    investigation = [law.rule(r) for r in INVESTIGATION_RULES]
    party = [law.rule(r) for r in PARTY_RULES]
    province, province_note = _province(d, region, own)
    national = bureau_ref(d, d.committee("central"))
    assessment = [province, national] if province.iri != national.iri else [national]
    refs = list(dict.fromkeys([b for rule in report + investigation + party for b in rule.basis]))
    refs += [ref for ref in (f"passage:{p}" for p in passages) if ref not in refs]
    return LeakLines(
        report_to=ReportTo(
            body=place,
            also=Words(
                zh="发现泄密的机关、单位的上级主管部门",
                en="the superior department (上级主管部门) of the organ or unit that finds the leak",
            ),
            within_hours=_hours(report[0]),
            relayed_to=relayed,
            relay_within_hours=_hours(report[1]),
            relay_notes=relay_notes,
            notes=_report_notes(region, place, manager),
            rules=_rule_iris(d, report),
            basis=_basis(d, report),
        ),
        investigated_by=InvestigatedBy(
            body=place,
            how=Words(zh=investigation[0].statement_zh, en=investigation[0].statement_en),
            assessment_by=assessment,
            settled=False,
            not_settled=[
                "The texts read do not say which level of secrecy department takes up a major leak case; the "
                f"answer names the department of the place of the leak, {place.name_zh}, the one the report goes to."
            ]
            + province_note,
            rules=_rule_iris(d, investigation),
            basis=_basis(d, investigation),
        ),
        organised_by=OrganisedBy(
            committee=committee_ref(chosen),
            office=body_ref(chosen.office),
            rules=_rule_iris(d, party),
            basis=_basis(d, party),
        ),
        rules=_rule_iris(d, report + investigation + party),
        basis=list(dict.fromkeys(d.vocab.basis(ref) for ref in refs)),
        citations=[_citation(d, ref) for ref in refs],
    )


def _relay(d: Directory, own: Committee) -> tuple[list[BodyRef], list[str]]:
    """The bureaus up the chain of ``own`` to 国家保密局, and a note for each committee passed over."""
    relayed: list[BodyRef] = []
    notes: list[str] = []
    for c in d.chain(own.id)[1:]:
        if has_bureau(c):
            relayed.append(bureau_ref(d, c))
            continue
        notes.append(
            f"{c.name_zh} ({c.id}) has no secrecy bureau in this graph: it is the body of a Party organisation off "
            f"the division tree. The texts read do not say through which department a report passes there; the "
            f"list goes on with the next bureau up the chain."
        )
    return relayed, notes


def _province(d: Directory, region: Region, own: Committee) -> tuple[BodyRef, list[str]]:
    """The bureau of the province the place lies in, and a note when the place's chain does not pass through it."""
    path = d.region_path(region.code)
    province = path[0] if path else region
    committee = d.committee_for_region(province.code)
    if any(c.id == committee.id for c in d.chain(own.id)):
        return bureau_ref(d, committee), []
    return bureau_ref(d, committee), [
        f"The chain of {region.name_zh} passes through Party bodies off the division tree, not through "
        f"{committee.name_zh}; the texts read do not say whether the provincial department that assesses is that of "
        f"{province.name_zh}, the province the place lies in, which the answer names."
    ]


def _report_notes(region: Region, place: BodyRef, manager: Committee | None) -> list[str]:
    notes = [
        "The report goes to the secrecy department of the finder's own level (同级保密行政管理部门): for an organ or "
        f"unit of {region.name_zh}, that is {place.name_zh}. If the leak is found by a central state organ, or by "
        "an organ or unit of another level, the department of that organ's own level receives the report instead; "
        "the answer is not told which organ found the leak."
    ]
    if manager is not None and manager.unit is not None:
        notes.append(
            f"The cadre is managed by {manager.unit.name_zh}, a central unit. If it is {manager.unit.name_zh} that "
            "finds the leak, the report goes to the department of its own level; the texts read do not name that "
            "department for it."
        )
    return notes


def _hours(rule: LegalRule) -> int:
    if rule.within_hours is None:
        raise DataError(f"data/legal/rules.csv {rule.id}: no within_hours")
    return rule.within_hours


def _rule_iris(d: Directory, rules: list[LegalRule]) -> list[str]:
    return [d.vocab.rule(r.id) for r in rules]


def _basis(d: Directory, rules: list[LegalRule]) -> list[str]:
    return list(dict.fromkeys(d.vocab.basis(b) for r in rules for b in r.basis))


def _citation(d: Directory, ref: str) -> Citation:
    head, colon, rest = ref.partition(":")
    if not colon:
        law = load_law()
        zh, en = law.articles[ref].label(law)
        return Citation(ref=ref, iri=d.vocab.basis(ref), label_zh=zh, label_en=en, url=law.articles[ref].url)
    if head == "passage":
        passage = next((p for p in load_textbook().passages if p.id == rest), None)
        if passage is not None:
            return Citation(
                ref=ref,
                iri=d.vocab.basis(ref),
                label_zh=f"教材 {passage.location}：{passage.label_zh}",
                label_en=f"Textbook, {passage.location}: {passage.label_en}",
                url=None,
            )
    return Citation(ref=ref, iri=d.vocab.basis(ref), label_zh=ref, label_en=ref, url=None)
