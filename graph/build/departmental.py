"""The departmental bodies as quads: the units that set up a committee or leading group of their own.

Departments, enterprises and institutions set up confidentiality committees or leading groups for their own
work (``ch5.1.p5``).  This module holds the quads of such a unit, its body, that body's office and the
body's link to the committee that leads the work of the unit's region (an inference, labelled as such):
:func:`departmental_bodies` adds them to the build (:mod:`graph.build.assemble`), and :func:`units_quads`
gives them alone for the synthetic units of :mod:`graph.build.synth`.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad

from graph.build.writer import QuadWriter, committee_id
from graph.namespaces import DCT, Vocab
from graph.sources.divisions import Divisions
from graph.sources.units import UNIT_KINDS, Unit
from graph.vocab import Level

__all__ = ["departmental_bodies", "units_quads"]


def departmental_bodies(w: QuadWriter, units: Iterable[Unit], divisions: Divisions, unit_graph: str) -> None:
    """Each unit with its committee or leading group (ch5.1.p5), that body's office, and its link to the committee
    that leads the work of the unit's region (an inference, labelled as such)."""
    v, lv = w.vocab, Level.DEPARTMENTAL
    types_g, labels_g = w.cited("rdf:type", "committee", "class", lv), w.cited("rdfs:label", "committee", "literal", lv)
    of_unit, within = (
        w.cited("bm:ofUnit", "committee", "unit", lv),
        w.cited("bm:withinJurisdictionOf", "committee", "committee", lv),
    )
    has_office, office_of = (
        w.cited("bm:hasOffice", "committee", "office", lv),
        w.cited("bm:officeOf", "office", "committee", lv),
    )
    office_labels = w.cited("rdfs:label", "office", "literal", lv)
    for u in units:
        unit, c, office = v.unit(u.id), v.committee(u.committee_id), v.office(u.committee_id)
        region = divisions[u.region]
        w.types(unit_graph, unit, "Unit", UNIT_KINDS[u.kind])
        w.labels(unit_graph, unit, u.name_zh, u.name_en, u.short_zh)
        w.text(unit_graph, unit, v.term("identifier"), u.id)
        w.add(unit_graph, unit, DCT + "spatial", NamedNode(v.region(region.code)))
        # ch5.1.p5: departments and units set up committees or leading groups for their own work.
        if u.body == "leading-group":
            w.types(types_g, c, "LeadingGroup", "DepartmentalBody")
            zh, en, short_zh = (
                f"{u.name_zh}保密工作领导小组",
                f"Confidentiality Leading Group of the {u.name_en}",
                f"{u.short_zh}保密领导小组",
            )
        else:
            w.types(types_g, c, "DepartmentalCommittee", "DepartmentalBody", "ConfidentialityCommittee")
            zh, en, short_zh = (
                f"{u.name_zh}保密委员会",
                f"Confidentiality Committee of the {u.name_en}",
                f"{u.short_zh}保密委",
            )
        w.labels(labels_g, c, zh, en, short_zh)
        w.text(labels_g, c, v.term("identifier"), u.committee_id)
        w.link(of_unit, c, "ofUnit", unit)
        # An inference, labelled as such: the text never puts a unit's body under the region's committee.
        w.link(within, c, "withinJurisdictionOf", v.committee(committee_id(region)))
        # An inference too: ch5.1.p4 gives an office to the Party committees' confidentiality committees.
        w.types(office_of, office, "Office")
        w.labels(office_labels, office, zh + "办公室", f"Office of the {en}", short_zh.removesuffix("委") + "办")
        w.text(office_labels, office, v.term("identifier"), u.committee_id)
        w.link(has_office, c, "hasOffice", office)
        w.link(office_of, office, "officeOf", c)


def units_quads(vocab: Vocab, units: Iterable[Unit], divisions: Divisions, unit_graph: str) -> list[Quad]:
    """The quads of units that set up their own committee or leading group (used for synthetic growth)."""
    w = QuadWriter(vocab)
    departmental_bodies(w, units, divisions, unit_graph)
    return w.quads
