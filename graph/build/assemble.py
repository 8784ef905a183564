"""Assemble the knowledge graph from ``ontology/`` and ``data/``.

Provenance is kept in named graphs.  Every triple sits in a graph named after what licenses
it, as the provenance table ``data/provenance.csv`` says (see :mod:`graph.sources.provenance`):
``graph/passage/<passage id>`` for the structure the textbook states (guidance in ``ch5.1.p2``,
leadership in ``ch5.1.p3``, offices and composition in ``ch5.1.p4`` …), ``graph/divisions`` for
the official division table, ``graph/departments`` for the department list,
``graph/outside/<source>`` for facts of an outside source (``data/sources.csv``),
``graph/inference/<id>`` for links that are this project's inferences, labelled as such, and
``graph/ontology`` for the vocabulary.  The ``graph/meta`` graph says of each graph ``prov:wasDerivedFrom`` its passage
or source, so "what supports this link" is one SPARQL query::

    SELECT ?passage WHERE { GRAPH ?g { ?committee bm:guidedBy ?upper } ?g prov:wasDerivedFrom ?passage }

Queries see the union of all graphs as their default graph.  The build is a pure function of
its inputs: the same files give the same sorted N-Quads, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse

from graph.build.departmental import departmental_bodies
from graph.build.history import history_quads
from graph.build.law import law_quads
from graph.build.special_bodies import special_bodies
from graph.build.writer import QuadWriter, committee_id
from graph.errors import DataError
from graph.namespaces import DCT, PROV, RDF, RDFS, SKOS, Vocab, rebase
from graph.paths import ONTOLOGY_DIR
from graph.sources.divisions import NATION_CODE, TYPE_TERMS, Divisions, load_divisions
from graph.sources.history import ChangeEvent
from graph.sources.naming import BodyNames, names_for
from graph.sources.textbook import Textbook, load_textbook
from graph.sources.units import Unit, load_departments
from graph.vocab import Level

__all__ = ["COMMITTEE_CLASSES", "LINK_PREDICATES", "Inputs", "build_quads", "load_inputs"]

# Level -> the committee classes a committee of that level carries (most specific first).
COMMITTEE_CLASSES: dict[str, tuple[str, ...]] = {
    Level.CENTRAL: ("CentralConfidentialityCommittee", "PartyConfidentialityCommittee", "ConfidentialityCommittee"),
    Level.PROVINCIAL: (
        "ProvincialCommittee",
        "LocalConfidentialityCommittee",
        "PartyConfidentialityCommittee",
        "ConfidentialityCommittee",
    ),
    Level.MUNICIPAL: (
        "MunicipalCommittee",
        "LocalConfidentialityCommittee",
        "PartyConfidentialityCommittee",
        "ConfidentialityCommittee",
    ),
    Level.COUNTY: (
        "CountyCommittee",
        "LocalConfidentialityCommittee",
        "PartyConfidentialityCommittee",
        "ConfidentialityCommittee",
    ),
}

# The structural links whose support the validation (ontology/shapes.ttl, link-has-source) and the provenance
# test check (local names in the ontology).
LINK_PREDICATES = (
    "formedBy",
    "ledBy",
    "responsibleTo",
    "guides",
    "guidedBy",
    "reportsTo",
    "hasOffice",
    "officeOf",
    "headPost",
    "memberPost",
    "usuallyFromLeadershipOf",
    "leadsWorkOf",
    "hasDuty",
    "withinJurisdictionOf",
    "ofUnit",
    "parentRegion",
    "subRegion",
    "underPartyBody",
    "pairedWithDivision",
    "entrustedTo",
)

TEXTBOOK = "textbook"
DIVISIONS = "divisions"
DEPARTMENTS = "departments"
OVERVIEW = "org-overview"  # the outside page: guidance is not subordination; office = bureau


@dataclass(frozen=True)
class Inputs:
    divisions: Divisions
    textbook: Textbook
    units: tuple[Unit, ...]
    ontology_ttl: str
    history: tuple[ChangeEvent, ...] | None = None  # the change events to list (None: all of data/history.csv)


def load_inputs() -> Inputs:
    ttl = "\n".join(p.read_text(encoding="utf-8") for p in sorted(ONTOLOGY_DIR.glob("*.ttl")) if p.name != "shapes.ttl")
    return Inputs(load_divisions(), load_textbook(), tuple(load_departments()), ttl)


def _ontology(w: QuadWriter, ttl: str) -> None:
    g = w.vocab.ontology_graph
    for triple in parse(rebase(ttl, w.vocab.base), format=RdfFormat.TURTLE):
        w.quads.append(Quad(triple.subject, triple.predicate, triple.object, NamedNode(g)))


def _provenance(w: QuadWriter, book: Textbook) -> None:
    """Sources, passages and labelled inferences, and what each named graph was derived from."""
    v, meta = w.vocab, w.vocab.meta_graph
    for info in w.prov.sources.values():
        s = v.source(info.id)
        inference = info.kind == "inference"
        w.types(meta, s, "Inference" if inference else "Source")
        w.add(meta, s, RDF + "type", NamedNode(PROV + "Entity"))
        w.labels(meta, s, info.label_zh, info.label_en)
        w.text(meta, s, RDFS + "comment", info.comment_en, "en")
        chinese = any("\u4e00" <= ch <= "\u9fff" for ch in info.title)
        w.text(meta, s, DCT + "title", info.title, "zh" if chinese else None)
        w.text(meta, s, DCT + "publisher", info.publisher)
        w.text(meta, s, DCT + "date", info.date)
        if info.url:
            w.add(meta, s, RDFS + "seeAlso", NamedNode(info.url))
        if info.license:
            w.add(meta, s, DCT + "license", NamedNode(info.license))
        for basis in info.basis:  # a passage id, or source:<id> for an outside source an inference draws on
            head, _, rest = basis.partition(":")
            w.add(meta, s, PROV + "wasDerivedFrom", NamedNode(v.source(rest) if head == "source" else v.passage(basis)))
        graph = (
            v.ontology_graph
            if info.id == TEXTBOOK
            else w.prov.support_graph(v, f"{'inference' if inference else 'source'}:{info.id}")
        )
        w.add(meta, graph, PROV + "wasDerivedFrom", NamedNode(s))
        if inference:
            w.labels(
                meta,
                graph,
                f"推断（非原文所述）：{info.label_zh.removeprefix('推断：')}",
                f"Inference, not stated by any source: {info.label_en.removeprefix('Inference: ')}",
            )
        else:
            w.labels(meta, graph, f"来源：{info.label_zh}", f"Facts from: {info.label_en}")
    w.text(meta, v.source(TEXTBOOK), DCT + "title", book.title_en, "en")
    w.text(meta, v.source(TEXTBOOK), DCT + "description", book.description_en, "en")
    for p in book.passages:
        s = v.passage(p.id)
        w.types(meta, s, "Passage")
        w.add(meta, s, RDF + "type", NamedNode(PROV + "Entity"))
        w.labels(meta, s, p.label_zh, p.label_en)
        w.text(meta, s, v.term("passageId"), p.id)
        w.text(meta, s, v.term("location"), p.location)
        w.text(meta, s, v.term("text"), p.text_zh, "zh")
        w.text(meta, s, RDFS + "comment", p.summary_en, "en")
        w.add(meta, s, DCT + "isPartOf", NamedNode(v.source(TEXTBOOK)))
        g = v.passage_graph(p.id)
        w.add(meta, g, PROV + "wasDerivedFrom", NamedNode(s))
        w.labels(meta, g, f"依据 {p.id} 的事实", f"Facts supported by passage {p.id}")
    # Guidance and supervision (ch5.1.p2) is not subordination: the textbook does not say so, an outside page does.
    g, guides = w.cited("rdfs:comment", "term", "literal", "*"), v.term("guides")
    w.add(
        g,
        guides,
        RDFS + "comment",
        Literal(f"上下级保密委员会之间是指导和监督关系，没有直接隶属关系（外部来源 {OVERVIEW}）。", language="zh"),
    )
    w.add(
        g,
        guides,
        RDFS + "comment",
        Literal(
            "Guidance and supervision is not subordination: upper and lower "
            f"committees have no direct line of subordination (outside source "
            f"{OVERVIEW}).",
            language="en",
        ),
    )
    w.add(w.cited("dct:source", "term", "source", "*"), guides, DCT + "source", NamedNode(v.source(OVERVIEW)))


def _regions(w: QuadWriter, divisions: Divisions) -> None:
    v, g = w.vocab, w.vocab.graph(DIVISIONS)
    for d in divisions:
        s = v.region(d.code)
        names = names_for(d, divisions).region
        w.types(g, s, "AdministrativeRegion")
        w.labels(g, s, names.zh, names.en, names.short_zh, names.short_en)
        w.text(g, s, v.term("identifier"), d.code)
        if d.code != NATION_CODE:
            w.text(g, s, v.term("divisionCode"), d.code)
        w.level(g, s, d.level)
        w.link(g, s, "divisionType", v.term(TYPE_TERMS[d.type]))
        if d.parent:
            w.link(g, s, "parentRegion", v.region(d.parent))
            w.link(g, v.region(d.parent), "subRegion", s)


def _name_extras(w: QuadWriter, graph: str, s: str, names: BodyNames) -> None:
    """Beside the labels: the display label of a body whose official name another body shares, and the older
    long forms (中共金华市义乌市委保密委员会) as alternative labels, so they still find it (data/naming_rules.md)."""
    w.text(graph, s, w.vocab.term("displayLabel"), names.display_zh, "zh")
    w.text(graph, s, w.vocab.term("displayLabel"), names.display_en, "en")
    for text, lang in names.former:
        w.add(graph, s, SKOS + "altLabel", Literal(text, language=lang))


def _committees(w: QuadWriter, divisions: Divisions, book: Textbook) -> None:
    v = w.vocab
    for d in divisions:
        cid, lv = committee_id(d), d.level
        c, office, party, region = v.committee(cid), v.office(cid), v.party_committee(cid), v.region(d.code)
        names = names_for(d, divisions)
        # ch5.1.p1: one committee per Party committee, at the central, provincial, municipal and county levels.
        g = w.cited("rdf:type", "committee", "class", lv)
        w.types(g, c, *COMMITTEE_CLASSES[lv])
        w.level(g, c, lv)
        g = w.cited("rdfs:label", "committee", "literal", lv)
        w.labels(g, c, names.committee.zh, names.committee.en, names.committee.short_zh, names.committee.short_en)
        _name_extras(w, g, c, names.committee)
        w.text(g, c, v.term("identifier"), cid)
        g = w.cited("rdf:type", "party-committee", "class", lv)
        w.types(g, party, "PartyCommittee")
        w.add(g, party, DCT + "spatial", NamedNode(region))
        g = w.cited("rdfs:label", "party-committee", "literal", lv)
        w.labels(g, party, names.party.zh, names.party.en, names.party.short_zh, names.party.short_en)
        _name_extras(w, g, party, names.party)
        w.text(g, party, v.term("identifier"), cid)
        # ch5.1.p3: formed by, directly led by and responsible to the same-level Party committee.
        for local in ("formedBy", "ledBy", "responsibleTo"):
            w.link(w.cited(f"bm:{local}", "committee", "party-committee", lv), c, local, party)
        # ch5.1.p4: an office under the committee handles its daily work.
        g = w.cited("bm:officeOf", "office", "committee", lv)
        w.types(g, office, "Office")
        w.link(w.cited("bm:hasOffice", "committee", "office", lv), c, "hasOffice", office)
        w.link(g, office, "officeOf", c)
        g = w.cited("rdfs:label", "office", "literal", lv)
        w.labels(g, office, names.office.zh, names.office.en, names.office.short_zh, names.office.short_en)
        _name_extras(w, g, office, names.office)
        w.text(g, office, v.term("identifier"), cid)
        g = w.cited("bm:secondNameplate", "office", "literal", lv)
        w.text(g, office, v.term("secondNameplate"), names.nameplate_zh, "zh")
        w.text(g, office, v.term("secondNameplate"), names.nameplate_en, "en")
        _composition(w, cid, lv, c, party, names.committee.zh, names.committee.en)
        # The region whose work the committee leads: the nation (ch5.1.p1), or its own region (ch5.1.duty1).
        g = w.cited("bm:leadsWorkOf", "committee", "region", lv)
        w.link(g, c, "leadsWorkOf", region)
        w.add(g, c, DCT + "spatial", NamedNode(region))
        if d.code == NATION_CODE:
            continue
        upper_division = divisions[d.parent]
        upper = v.committee(committee_id(upper_division))
        # ch5.1.p2: the committee of the nearest higher division guides and supervises this one.
        w.link(w.cited("bm:guidedBy", "committee", "committee", lv), c, "guidedBy", upper)
        w.link(w.cited("bm:guides", "committee", "committee", upper_division.level), upper, "guides", c)
        # ch5.1.duty8: reports to the same-level Party committee and to the upper committee.
        w.link(w.cited("bm:reportsTo", "committee", "party-committee", lv), c, "reportsTo", party)
        w.link(w.cited("bm:reportsTo", "committee", "committee", lv), c, "reportsTo", upper)
        w.prov.support("bm:hasDuty", "committee", "duty", lv)  # each link sits in its duty's own passage graph
        for duty in book.duties:
            w.link(v.passage_graph(duty.passage), c, "hasDuty", v.duty(duty.number))


def _composition(w: QuadWriter, cid: str, level: str, c: str, party: str, name_zh: str, name_en: str) -> None:
    """ch5.1.p4: the head and the members, as posts described by the roles of their holders (no persons)."""
    v = w.vocab
    head, members = v.id("post", cid, "head"), v.id("post", cid, "members")
    w.link(w.cited("bm:headPost", "committee", "post", level), c, "headPost", head)
    w.link(w.cited("bm:memberPost", "committee", "post", level), c, "memberPost", members)
    g = w.cited("rdf:type", "post", "class", level)
    w.types(g, head, "HeadPost")
    w.types(g, members, "MemberPost")
    w.link(
        w.cited("bm:usuallyFromLeadershipOf", "post", "party-committee", level), head, "usuallyFromLeadershipOf", party
    )
    g = w.cited("rdfs:label", "post", "literal", level)
    w.labels(g, head, f"{name_zh}负责人", f"Head of the {name_en}")
    w.labels(g, members, f"{name_zh}委员", f"Members of the {name_en}")
    w.text(g, head, v.term("identifier"), f"{cid}/head")
    w.text(g, members, v.term("identifier"), f"{cid}/members")
    w.text(g, head, v.term("usualHolder"), "本级党委领导班子中的领导同志", "zh")
    w.text(g, head, v.term("usualHolder"), "a leading member of the same-level Party committee's leadership", "en")
    w.text(g, members, v.term("holder"), "党委、政府及有关部门的负责同志", "zh")
    w.text(
        g,
        members,
        v.term("holder"),
        "responsible officials of the Party committee, the government and relevant departments",
        "en",
    )


def _textbook(w: QuadWriter, book: Textbook) -> None:
    v = w.vocab
    for duty in book.duties:
        g, s = v.passage_graph(duty.passage), v.duty(duty.number)
        w.types(g, s, "Duty")
        w.labels(g, s, duty.label_zh, duty.label_en)
        w.integer(g, s, v.term("ordinal"), duty.number)
        w.text(g, s, v.term("text"), duty.text_zh, "zh")
        w.text(g, s, v.term("text"), duty.text_en, "en")
        w.text(g, s, v.term("identifier"), str(duty.number))
        w.add(g, s, DCT + "source", NamedNode(v.passage(duty.passage)))
    for task in book.tasks:
        g, s = v.passage_graph(task.passage), v.task(task.number)
        w.types(g, s, "MainTask")
        w.labels(g, s, task.label_zh, task.label_en)
        w.integer(g, s, v.term("ordinal"), task.number)
        w.text(g, s, v.term("identifier"), str(task.number))
        w.text(g, s, v.term("reason"), task.reason_zh or "", "zh")
        w.text(g, s, v.term("reason"), task.reason_en or "", "en")
        w.add(g, s, DCT + "source", NamedNode(v.passage(task.passage)))
        for m in task.measures:
            ms = v.measure(task.number, m.number)
            w.link(g, s, "hasMeasure", ms)
            w.types(g, ms, "Measure")
            w.labels(g, ms, f"{task.label_zh}：做法{m.number}", f"{task.label_en}: measure {m.number}")
            w.integer(g, ms, v.term("ordinal"), m.number)
            w.text(g, ms, v.term("text"), m.text_zh, "zh")
            w.text(g, ms, v.term("text"), m.text_en, "en")
            w.text(g, ms, v.term("identifier"), f"{task.number}.{m.number}")
    system = v.management_system()
    g = v.passage_graph("ch4.2.system")
    w.types(g, system, "ManagementSystem")
    w.labels(g, system, "现代保密管理体系", "Modern confidentiality management system")
    w.add(g, system, DCT + "source", NamedNode(v.passage("ch4.2.system")))
    parts = (("Pillar", book.pillars, "hasPillar"), ("Capability", book.capabilities, "hasCapability"))
    for kind, items, link in parts:
        for item in items:
            s = v.pillar(item.id) if kind == "Pillar" else v.capability(item.id)
            g = v.passage_graph(item.passage)
            w.link(g, system, link, s)
            w.types(g, s, kind)
            w.labels(g, s, item.label_zh, item.label_en)
            w.integer(g, s, v.term("ordinal"), item.order)
            w.text(g, s, v.term("identifier"), item.id)
            w.text(g, s, v.term("role"), item.role_zh, "zh")
            w.text(g, s, v.term("role"), item.role_en, "en")
            w.add(g, s, DCT + "source", NamedNode(v.passage(item.passage)))


def build_quads(inputs: Inputs, vocab: Vocab) -> Iterator[Quad]:
    """All quads of the graph in a stable order; each triple sits in exactly one named graph, so that
    queries over the union default graph see every fact once."""
    w = QuadWriter(vocab)
    _ontology(w, inputs.ontology_ttl)
    _provenance(w, inputs.textbook)
    _regions(w, inputs.divisions)
    _committees(w, inputs.divisions, inputs.textbook)
    departmental_bodies(w, inputs.units, inputs.divisions, vocab.graph(DEPARTMENTS))
    _textbook(w, inputs.textbook)
    special_bodies(w, inputs.divisions)
    law_quads(w, inputs.divisions, inputs.textbook)
    history_quads(w, inputs.divisions, inputs.history)
    seen: dict[Triple, Quad] = {}
    for quad in w.quads:
        first = seen.setdefault(quad.triple, quad)
        if first is quad:
            yield quad
        elif first.graph_name != quad.graph_name:
            raise DataError(f"{quad.triple} is asserted in two graphs: {first.graph_name} and {quad.graph_name}")
