"""The administrative line as quads: the legal instruments, their articles, the rules and the secrecy bureaus.

The instruments are sources of the graph (their facts sit in their own named graphs, see
:mod:`graph.sources.provenance`); their articles and the rules drawn from them are described in the meta graph,
as the textbook's passages are.  Each secrecy bureau (保密行政管理部门) is a body of its own: the national bureau
and one for each committee of a division, named by its office's second nameplate and linked to that office as
one body with two nameplates (``bm:sameBodyAs``, from the outside page that states it), in charge of its region
(law art. 6) and guided by the bureau one level up (regulations art. 3).  Departmental committees and the
bodies off the division tree get none: no source names a bureau of theirs.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from graph.build.writer import QuadWriter, committee_id
from graph.errors import DataError
from graph.namespaces import DCT, PROV, RDF, RDFS, XSD
from graph.sources.divisions import NATION_CODE, Divisions
from graph.sources.law import Law, load_law
from graph.sources.naming import names_for
from graph.sources.special import load_outside
from graph.sources.textbook import Textbook

__all__ = ["law_quads"]


def law_quads(w: QuadWriter, divisions: Divisions, book: Textbook, law: Law | None = None) -> None:
    """The instruments, articles, rules and bureaus (see the module docstring)."""
    law = law or load_law()
    _check_basis(w, law, book)
    _articles(w, law)
    _rules(w, law)
    _bureaus(w, divisions)


def _check_basis(w: QuadWriter, law: Law, book: Textbook) -> None:
    passages = {p.id for p in book.passages}
    for rule in law.rules.values():
        for ref in rule.basis:
            head, _, rest = ref.partition(":")
            if (head == "passage" and rest not in passages) or (head == "source" and rest not in w.prov.sources):
                raise DataError(f"data/legal/rules.csv {rule.id}: basis {ref!r} is not in the graph")
    for inst in law.instruments.values():
        if inst.in_use and inst.id not in w.prov.sources:
            raise DataError(f"data/legal/instruments.csv {inst.id}: a version in use that is no source of the graph")


def _articles(w: QuadWriter, law: Law) -> None:
    v, meta = w.vocab, w.vocab.meta_graph
    for inst in law.instruments.values():
        if inst.id not in w.prov.sources:
            continue  # a version kept for comparison only: described in data/legal/, not in the graph
        s = v.source(inst.id)
        w.types(meta, s, "LegalInstrument")
        w.text(meta, s, v.term("documentNumber"), inst.number, "zh")
        if inst.in_force:
            w.add(meta, s, v.term("inForce"), Literal(inst.in_force, datatype=NamedNode(XSD + "date")))
        w.add(meta, s, v.term("versionInUse"), Literal("true", datatype=NamedNode(XSD + "boolean")))
        w.text(meta, s, DCT + "title", inst.title_en, "en")
    for art in law.articles.values():
        if art.instrument not in w.prov.sources:
            continue
        s = v.article(art.id)
        label_zh, label_en = art.label(law)
        w.types(meta, s, "Article")
        w.add(meta, s, RDF + "type", NamedNode(PROV + "Entity"))
        w.labels(meta, s, label_zh, label_en)
        w.integer(meta, s, v.term("articleNumber"), art.number)
        if art.paragraph:
            w.integer(meta, s, v.term("paragraphNumber"), art.paragraph)
        w.text(meta, s, v.term("topic"), art.topic)
        w.text(meta, s, v.term("quote"), art.quote_zh, "zh")
        w.text(meta, s, DCT + "description", art.summary_zh, "zh")
        w.text(meta, s, DCT + "description", art.summary_en, "en")
        w.add(meta, s, DCT + "isPartOf", NamedNode(v.source(art.instrument)))
        if art.url:
            w.add(meta, s, RDFS + "seeAlso", NamedNode(art.url))


def _rules(w: QuadWriter, law: Law) -> None:
    v, meta = w.vocab, w.vocab.meta_graph
    for rule in law.rules.values():
        s = v.rule(rule.id)
        w.types(meta, s, "LegalRule")
        w.add(meta, s, RDF + "type", NamedNode(PROV + "Entity"))
        w.labels(meta, s, rule.label_zh, rule.label_en)
        w.text(meta, s, v.term("topic"), rule.topic)
        w.text(meta, s, DCT + "description", rule.statement_zh, "zh")
        w.text(meta, s, DCT + "description", rule.statement_en, "en")
        if rule.note_en:
            w.text(meta, s, RDFS + "comment", rule.note_en, "en")
        if rule.within_hours is not None:
            w.integer(meta, s, v.term("withinHours"), rule.within_hours)
        for ref in rule.basis:
            w.add(meta, s, v.term("basis"), NamedNode(v.basis(ref)))
            w.add(meta, s, PROV + "wasDerivedFrom", NamedNode(v.basis(ref)))


def _bureaus(w: QuadWriter, divisions: Divisions) -> None:
    """A bureau for the nation and for every division with a committee, guided by the nearest bureau above."""
    v = w.vocab
    gone = {o.code for o in load_outside(divisions)}
    with_bureau = [d for d in divisions if d.code not in gone]
    codes = {d.code for d in with_bureau}
    for d in with_bureau:
        cid = committee_id(d)
        names = names_for(d, divisions)
        s, level = v.bureau(cid), d.level
        w.types(w.cited("rdf:type", "bureau", "class", level), s, "SecrecyBureau")
        w.labels(w.cited("rdfs:label", "bureau", "literal", level), s, names.nameplate_zh, names.nameplate_en)
        w.text(w.cited("bm:identifier", "bureau", "literal", level), s, v.term("identifier"), cid)
        g = w.cited("bm:sameBodyAs", "bureau", "office", level)
        w.link(g, s, "sameBodyAs", v.office(cid))
        w.link(g, v.office(cid), "sameBodyAs", s)
        g = w.cited("bm:competentFor", "bureau", "region", level)
        w.link(g, s, "competentFor", v.region(d.code))
        if d.code == NATION_CODE:
            continue
        # The department one level up on the division tree (regulations art. 3), also where the Party line runs
        # through a body off the tree (a city of the corps is guided by the corps' body, its bureau by the region's).
        upper = d.parent
        while upper and upper not in codes:
            upper = divisions[upper].parent
        g = w.cited("bm:bureauGuidedBy", "bureau", "bureau", level)
        w.link(g, s, "bureauGuidedBy", v.bureau(committee_id(divisions[upper or NATION_CODE])))
