"""SHACL validation: the real graph conforms, and each rule catches the fault it is there for."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from graph.build.validate import check, validate_quads
from graph.errors import ValidationFailed
from graph.kg import KnowledgeGraph
from graph.namespaces import DCT, ORG, RDFS, XSD, Vocab
from tests.helpers.small_graph import small_quads as small_graph

V = Vocab()
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
GYEAR = NamedNode(XSD + "gYear")


@pytest.fixture(scope="module")
def small_quads() -> list[Quad]:
    return small_graph(V)


def _committee(code: str) -> str:
    return V.committee(code)


def _drop(quads: list[Quad], s: str, p: str, o: str | None = None) -> list[Quad]:
    return [
        q
        for q in quads
        if not (
            q.subject.value == s  # type: ignore[union-attr]
            and q.predicate.value == p
            and (o is None or q.object.value == o)  # type: ignore[union-attr]
        )
    ]


def _drop_all(quads: list[Quad], *, s: str, p: str) -> list[Quad]:
    return _drop(quads, s, p)


def _add(quads: list[Quad], s: str, p: str, o: str | Literal, graph: str) -> list[Quad]:
    obj = o if isinstance(o, Literal) else NamedNode(o)
    return [*quads, Quad(NamedNode(s), NamedNode(p), obj, NamedNode(graph))]


def _replace(quads: list[Quad], s: str, p: str, old: str, new: str) -> list[Quad]:
    graphs = {
        q.graph_name.value  # type: ignore[union-attr]
        for q in quads
        if q.subject.value == s and q.predicate.value == p and q.object.value == old  # type: ignore[union-attr]
    }
    out = _drop(quads, s, p, old)
    for g in graphs:
        out = _add(out, s, p, new, g)
    return out


def _year_of(quads: list[Quad], s: str, p: str, year: str) -> list[Quad]:
    """The quads with the year (xsd:gYear) of ``s`` under ``p`` set to ``year``."""
    value = Literal(year, datatype=GYEAR)
    return [
        Quad(x.subject, x.predicate, value, x.graph_name) if x.subject == NamedNode(s) and x.predicate.value == p else x
        for x in quads
    ]


P2 = V.passage_graph("ch5.1.p2")
OVERVIEW = V.graph("outside", "org-overview")
HISTORY = V.graph("history")
# 雄县 bore the code 132434 until 1994 (data/history.csv 1994-027); the 1983 event around 保定 is pre-1984 noise.
XIONG_1994, NOISE_1983 = V.id("change", "1994-027"), V.id("change", "1983-043")
OLD_XIONG = "132434~雄县"
FAULTS: dict[str, tuple[Callable[[list[Quad]], list[Quad]], str, str]] = {
    "no-office": (
        lambda q: _drop(q, _committee("330106"), V.term("hasOffice")),
        _committee("330106"),
        "exactly-one-office",
    ),
    "two-offices": (
        lambda q: _add(q, _committee("330106"), V.term("hasOffice"), V.office("330127"), V.passage_graph("ch5.1.p4")),
        _committee("330106"),
        "exactly-one-office",
    ),
    "no-party-committee": (
        lambda q: _drop(q, _committee("330106"), V.term("ledBy")),
        _committee("330106"),
        "exactly-one-party-committee (ledBy)",
    ),
    "no-forming-party-committee": (
        lambda q: _drop(q, _committee("330106"), V.term("formedBy")),
        _committee("330106"),
        "exactly-one-party-committee (formedBy)",
    ),
    "two-party-committees-answered-to": (
        lambda q: _add(
            q, _committee("330106"), V.term("responsibleTo"), V.party_committee("330100"), V.passage_graph("ch5.1.p3")
        ),
        _committee("330106"),
        "exactly-one-party-committee (responsibleTo)",
    ),
    "not-guided": (
        lambda q: _drop(q, _committee("330127"), V.term("guidedBy")),
        _committee("330127"),
        "exactly-one-guiding-committee",
    ),
    "no-region": (
        lambda q: _drop(q, _committee("330127"), V.term("leadsWorkOf")),
        _committee("330127"),
        "exactly-one-region",
    ),
    "no-level": (lambda q: _drop(q, _committee("330127"), V.term("level")), _committee("330127"), "exactly-one-level"),
    "level-differs-from-region": (
        lambda q: _replace(q, _committee("330106"), V.term("level"), V.term("LevelCounty"), V.term("LevelMunicipal")),
        _committee("330106"),
        "level-equals-region-level",
    ),
    "guided-by-province-not-city": (
        lambda q: _replace(q, _committee("330106"), V.term("guidedBy"), _committee("330100"), _committee("330000")),
        _committee("330106"),
        "guided-by-nearest-higher-division",
    ),
    "municipality-district-guided-by-centre": (
        lambda q: _replace(q, _committee("110105"), V.term("guidedBy"), _committee("110000"), _committee("central")),
        _committee("110105"),
        "guided-by-nearest-higher-division",
    ),
    "guidance-cycle": (
        lambda q: _replace(q, _committee("330000"), V.term("guidedBy"), _committee("central"), _committee("330106")),
        _committee("330000"),
        "no-guidance-cycle",
    ),
    "missing-english-label": (
        lambda q: [
            x
            for x in q
            if not (
                x.subject == NamedNode(_committee("441900"))
                and x.predicate.value == RDFS + "label"
                and getattr(x.object, "language", None) == "en"
            )
        ],
        _committee("441900"),
        "labels-zh-en",
    ),
    "missing-chinese-label-on-region": (
        lambda q: [
            x
            for x in q
            if not (
                x.subject == NamedNode(V.region("429004"))
                and x.predicate.value == RDFS + "label"
                and getattr(x.object, "language", None) == "zh"
            )
        ],
        V.region("429004"),
        "labels-zh-en",
    ),
    "link-without-source": (
        lambda q: [
            Quad(x.subject, x.predicate, x.object, NamedNode(V.graph("unsourced")))
            if x.subject == NamedNode(_committee("330127")) and x.predicate.value == V.term("guidedBy")
            else x
            for x in q
        ],
        _committee("330127"),
        "link-has-source",
    ),
    "display-label-shared": (
        lambda q: _add(
            _add(
                q,
                _committee("330127"),
                V.term("displayLabel"),
                Literal("中共淳安县委保密委员会（浙江省）", language="zh"),
                V.graph("divisions"),
            ),
            _committee("330106"),
            V.term("displayLabel"),
            Literal("中共淳安县委保密委员会（浙江省）", language="zh"),
            V.graph("divisions"),
        ),
        _committee("330127"),
        "display-label-unique",
    ),
    "seven-duties": (
        lambda q: _drop(q, _committee("429004"), V.term("hasDuty"), V.duty(7)),
        _committee("429004"),
        "eight-duties",
    ),
    "no-report-to-upper": (
        lambda q: _drop(q, _committee("429004"), V.term("reportsTo"), _committee("420000")),
        _committee("429004"),
        "reports-to-party-committee-and-upper-committee",
    ),
    "region-under-wrong-province": (
        lambda q: _replace(q, V.region("330127"), V.term("parentRegion"), V.region("330100"), V.region("110000")),
        V.region("330127"),
        "region-parent-consistent",
    ),
    "office-of-nobody": (
        lambda q: _drop(q, V.office("330127"), V.term("officeOf")),
        V.office("330127"),
        "office-of-one-committee",
    ),
    "office-not-listed-by-its-committee": (
        lambda q: _drop(q, _committee("330127"), V.term("hasOffice")),
        V.office("330127"),
        "office-inverse",
    ),
    "formed-by-another-party-committee": (
        lambda q: _replace(
            q, _committee("330106"), V.term("formedBy"), V.party_committee("330106"), V.party_committee("330100")
        ),
        _committee("330106"),
        "one-party-committee",
    ),
    "central-guided": (
        lambda q: _add(q, _committee("central"), V.term("guidedBy"), _committee("110000"), P2),
        _committee("central"),
        "central-not-guided",
    ),
    "guides-missing": (
        lambda q: _drop(q, _committee("330100"), V.term("guides"), _committee("330106")),
        _committee("330106"),
        "guides-is-inverse-of-guidedBy",
    ),
    "party-committee-without-region": (
        lambda q: _drop(q, V.party_committee("441900"), DCT + "spatial"),
        V.party_committee("441900"),
        "party-committee-one-region",
    ),
    "departmental-without-unit": (
        lambda q: _drop(q, _committee("u-cpc-general-office"), V.term("ofUnit")),
        _committee("u-cpc-general-office"),
        "departmental-one-unit",
    ),
    "departmental-without-office": (
        lambda q: _drop(q, _committee("u-cpc-general-office"), V.term("hasOffice")),
        _committee("u-cpc-general-office"),
        "departmental-one-office",
    ),
    "departmental-in-wrong-jurisdiction": (
        lambda q: _replace(
            q,
            _committee("u-cpc-organization"),
            V.term("withinJurisdictionOf"),
            _committee("central"),
            _committee("330000"),
        ),
        _committee("u-cpc-organization"),
        "departmental-jurisdiction-is-unit-region",
    ),
    "departmental-without-jurisdiction": (
        lambda q: _drop(q, _committee("u-cpc-organization"), V.term("withinJurisdictionOf")),
        _committee("u-cpc-organization"),
        "departmental-one-jurisdiction",
    ),
    "region-without-level": (
        lambda q: _drop(q, V.region("429004"), V.term("level")),
        V.region("429004"),
        "region-one-level",
    ),
    "region-without-type": (
        lambda q: _drop(q, V.region("429004"), V.term("divisionType")),
        V.region("429004"),
        "region-one-type",
    ),
    "region-with-two-parents": (
        lambda q: _add(q, V.region("330127"), V.term("parentRegion"), V.region("330000"), V.graph("divisions")),
        V.region("330127"),
        "region-at-most-one-parent",
    ),
    "region-bad-code": (
        lambda q: [
            Quad(x.subject, x.predicate, Literal("33O127"), x.graph_name)
            if x.subject == NamedNode(V.region("330127")) and x.predicate.value == V.term("divisionCode")
            else x
            for x in q
        ],
        V.region("330127"),
        "region-code",
    ),
    "region-without-committee": (
        lambda q: _drop(q, _committee("330127"), V.term("leadsWorkOf")),
        V.region("330127"),
        "region-has-committee-or-reason",
    ),
    "region-with-two-committees": (
        lambda q: _add(
            q, _committee("330106"), V.term("leadsWorkOf"), V.region("330127"), V.passage_graph("ch5.1.duty1")
        ),
        V.region("330127"),
        "region-one-committee",
    ),
    "kinmen-without-reason": (
        lambda q: _drop(q, V.region("350527"), V.term("noPartyBodyReason")),
        V.region("350527"),
        "region-has-committee-or-reason",
    ),
    "corps-city-guided-by-unrelated-body": (
        lambda q: _replace(q, _committee("659001"), V.term("guidedBy"), _committee("xpcc-8"), _committee("xiongan")),
        _committee("659001"),
        "guided-by-nearest-higher-division",
    ),
    "special-without-office": (
        lambda q: _drop(q, _committee("xpcc-8"), V.term("hasOffice")),
        _committee("xpcc-8"),
        "special-one-office",
    ),
    "special-without-party-body": (
        lambda q: _drop(q, _committee("xpcc-8"), V.term("formedBy")),
        _committee("xpcc-8"),
        "special-one-party-body",
    ),
    "special-not-guided": (
        lambda q: _drop(q, _committee("xiongan"), V.term("guidedBy")),
        _committee("xiongan"),
        "special-one-guide",
    ),
    "special-led-by-another-body": (
        lambda q: _replace(
            q, _committee("xpcc-8"), V.term("ledBy"), V.party_committee("xpcc-8"), V.party_committee("xpcc")
        ),
        _committee("xpcc-8"),
        "special-led-by-own-party-body",
    ),
    "inferred-body-without-note": (
        lambda q: _drop(q, _committee("xpcc"), V.term("inferenceNote")),
        _committee("xpcc"),
        "inferred-committee-has-note",
    ),
    "special-party-body-without-upper": (
        lambda q: _drop(q, V.party_committee("xiongan"), V.term("underPartyBody")),
        V.party_committee("xiongan"),
        "special-party-body-has-upper",
    ),
    "region-without-parent": (
        lambda q: _drop(q, V.region("330127"), V.term("parentRegion")),
        V.region("330127"),
        "region-has-parent",
    ),
    # Composition (ch5.1.p4): posts described as roles.
    "no-head-post": (
        lambda q: _drop(q, _committee("330106"), V.term("headPost")),
        _committee("330106"),
        "exactly-one-head-post",
    ),
    "two-member-posts": (
        lambda q: _add(
            q,
            _committee("330106"),
            V.term("memberPost"),
            V.id("post", "330127", "members"),
            V.passage_graph("ch5.1.p4"),
        ),
        _committee("330106"),
        "exactly-one-member-post",
    ),
    "head-post-from-another-party-committee": (
        lambda q: _replace(
            q,
            V.id("post", "330106", "head"),
            V.term("usuallyFromLeadershipOf"),
            V.party_committee("330106"),
            V.party_committee("330100"),
        ),
        _committee("330106"),
        "head-post-from-own-party-committee",
    ),
    "head-post-without-usual-holder": (
        lambda q: _drop(q, V.id("post", "central", "head"), V.term("usualHolder")),
        V.id("post", "central", "head"),
        "head-post-usual-holder",
    ),
    "member-post-holder-in-english-only": (
        lambda q: [
            x
            for x in q
            if not (
                x.subject == NamedNode(V.id("post", "441900", "members"))
                and x.predicate.value == V.term("holder")
                and getattr(x.object, "language", None) == "zh"
            )
        ],
        V.id("post", "441900", "members"),
        "member-post-holder",
    ),
    # -- the administrative line: bureaus, rules, articles, instruments --------------------------------------------
    "bureau-without-office": (
        lambda q: _drop(q, V.bureau("330106"), V.term("sameBodyAs")),
        V.bureau("330106"),
        "bureau-same-body-as-one-office",
    ),
    "bureau-with-two-offices": (
        lambda q: _add(q, V.bureau("330106"), V.term("sameBodyAs"), V.office("330127"), OVERVIEW),
        V.bureau("330106"),
        "bureau-same-body-as-one-office",
    ),
    "office-does-not-name-its-bureau": (
        lambda q: _drop(q, V.office("330106"), V.term("sameBodyAs")),
        V.bureau("330106"),
        "bureau-named-back-by-its-office",
    ),
    "bureau-without-region": (
        lambda q: _drop(q, V.bureau("330106"), V.term("competentFor")),
        V.bureau("330106"),
        "bureau-one-region",
    ),
    "bureau-in-charge-of-another-region": (
        lambda q: _replace(q, V.bureau("330106"), V.term("competentFor"), V.region("330106"), V.region("330127")),
        V.bureau("330106"),
        "bureau-region-is-its-committees",
    ),
    "bureau-guided-by-province-not-city": (
        lambda q: _replace(q, V.bureau("330106"), V.term("bureauGuidedBy"), V.bureau("330100"), V.bureau("330000")),
        V.bureau("330106"),
        "bureau-guided-by-next-higher-division",
    ),
    "rule-without-basis": (
        lambda q: _drop(q, V.rule("leak-report"), V.term("basis")),
        V.rule("leak-report"),
        "rule-has-a-basis",
    ),
    "rule-resting-on-a-region": (
        lambda q: _add(q, V.rule("leak-report"), V.term("basis"), V.region("330106"), V.meta_graph),
        V.rule("leak-report"),
        "rule-has-a-basis",
    ),
    "article-of-no-instrument": (
        lambda q: _drop(q, V.article("bmtl-2024-art61p1"), DCT + "isPartOf"),
        V.article("bmtl-2024-art61p1"),
        "article-of-one-instrument",
    ),
    "article-without-number": (
        lambda q: _drop(q, V.article("bmtl-2024-art61p1"), V.term("articleNumber")),
        V.article("bmtl-2024-art61p1"),
        "article-number",
    ),
    **{
        f"instrument-without-{name}": (
            partial(_drop_all, s=V.source("bmtl-2024"), p=predicate),
            V.source("bmtl-2024"),
            f"instrument-{name}",
        )
        for name, predicate in (
            ("title", DCT + "title"),
            ("number", V.term("documentNumber")),
            ("issuer", DCT + "publisher"),
            ("date", DCT + "date"),
            ("text-address", RDFS + "seeAlso"),
        )
    },
    # -- the history: change events and lifetimes -------------------------------------------------------------------
    "change-event-without-year": (
        lambda q: _drop(q, XIONG_1994, V.term("year")),
        XIONG_1994,
        "change-event-one-year",
    ),
    "change-event-without-organization": (
        lambda q: _drop(_drop(q, XIONG_1994, ORG + "originalOrganization"), XIONG_1994, ORG + "resultingOrganization"),
        XIONG_1994,
        "change-event-has-organization",
    ),
    "successor-ended-before-the-event": (
        lambda q: _add(q, _committee("130638"), V.term("validUntil"), Literal("1990", datatype=GYEAR), HISTORY),
        XIONG_1994,
        "successor-exists-at-event",
    ),
    "unused-event-without-flag": (
        lambda q: _drop(q, NOISE_1983, V.term("flag")),
        NOISE_1983,
        "unused-event-says-why",
    ),
    "former-region-without-end": (
        lambda q: _drop(q, V.region(OLD_XIONG), V.term("validUntil")),
        V.region(OLD_XIONG),
        "former-region-one-end",
    ),
    "committee-outlives-its-region": (
        lambda q: _year_of(q, _committee(OLD_XIONG), V.term("validUntil"), "2000"),
        V.region(OLD_XIONG),
        "no-body-outlives-its-region",
    ),
    "former-committee-without-region": (
        lambda q: _drop(q, _committee(OLD_XIONG), DCT + "spatial"),
        _committee(OLD_XIONG),
        "former-committee-one-region",
    ),
}


@pytest.mark.slow
def test_real_graph_conforms(kg: KnowledgeGraph) -> None:
    from graph.store.backend import EmbeddedBackend

    assert isinstance(kg.backend, EmbeddedBackend)
    assert check(kg.backend.store, V) == []


def test_small_graph_conforms(small_quads: list[Quad]) -> None:
    validate_quads(small_quads, V)


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_rule_catches_fault(small_quads: list[Quad], fault: str) -> None:
    mutate, focus, rule = FAULTS[fault]
    broken = mutate(small_quads)
    assert broken != small_quads, "the fault must change the graph"
    with pytest.raises(ValidationFailed) as info:
        validate_quads(broken, V)
    assert (focus, rule) in {(f, r) for f, r, _ in info.value.violations}, info.value.report
    assert focus in info.value.report and rule in info.value.report


def test_every_rule_of_the_shapes_has_a_fault_test() -> None:
    from rdflib import Graph
    from rdflib.namespace import SH

    from graph.paths import ONTOLOGY_DIR

    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    node_shapes = set(shapes.subjects(SH.targetClass, None))
    rules = {str(n) for s, n in shapes.subject_objects(SH.name) if s not in node_shapes}
    covered = {rule for _, _, rule in FAULTS.values()}
    assert rules - covered == set()
