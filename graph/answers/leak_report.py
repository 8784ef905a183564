"""The administrative line of a leak case, beside the Party line of :mod:`graph.answers.incident`: to which secrecy
bureau a leak is reported and within how many hours, how the report goes up to 国家保密局, who investigates it
and who assesses what leaked, each with the rules of data/legal/rules.csv and the articles they rest on.

The bureaus are those of the graph (:func:`graph.answers.jurisdiction.bureau_ref`): the secrecy bureau of a
division's committee, one body with its office.  What the texts read leave open is said, never inferred.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from graph.answers.jurisdiction import (
    BodyRef,
    CommitteeRef,
    body_ref,
    bureau_ref,
    bureaus_above,
    committee_ref,
    has_bureau,
)
from graph.directory.model import Committee, Directory, Region
from graph.errors import DataError, InvalidRequest
from graph.sources.law import LegalRule, load_law
from graph.sources.textbook import load_textbook
from graph.vocab import Level

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
        description="The bureaus the report is passed up to, level by level, ending at 国家保密局: those of the "
        "higher divisions (the administrative line, also where the Party line runs through a 兵团 body)"
    )
    relay_within_hours: int = Field(description="Hours within which each bureau passes the report up")
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
    relayed = _relay(d, region)
    report = [law.rule(r) for r in REPORT_RULES]
    investigation = [law.rule(r) for r in INVESTIGATION_RULES]
    party = [law.rule(r) for r in PARTY_RULES]
    province = _province(d, region, own)
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
            ],
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


def _relay(d: Directory, region: Region) -> list[BodyRef]:
    """The bureaus the report is passed up through, level by level, to 国家保密局 (the administrative line)."""
    return [bureau_ref(d, c) for c in bureaus_above(d, region)]


def _province(d: Directory, region: Region, own: Committee) -> BodyRef:
    """The provincial bureau of the place (the place's own when it is a province)."""
    above = bureaus_above(d, region)
    provincial = [c for c in [own, *above] if c.level == Level.PROVINCIAL]
    return bureau_ref(d, provincial[0] if provincial else above[-1])


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
