"""The bodies off the ordinary tree (:mod:`graph.sources.special`) as quads, and the links they change.

Divisions with no CPC body lose the committee the per-division code gave them; the corps, its divisions
and the Xiong'an working committee get their Party body and an inferred confidentiality body; the cities
and counties tied to them are guided by that body instead of the committee of the nearest higher
division.  Every triple goes into the graph the provenance table names for it: the outside source that
states it, or a labelled inference (data/sources.csv) that names the passages and sources it is drawn
from.  The "level" of a special body in the table is its kind (``corps``, ``corps-division``,
``work-committee``).
"""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad

from graph.build.writer import QuadWriter
from graph.errors import DataError
from graph.namespaces import DCT, SKOS
from graph.sources.divisions import NATION_CODE, Divisions
from graph.sources.special import KINDS, RELATIONS, load_outside, load_special_bodies, special_guidance

__all__ = ["special_bodies"]


def special_bodies(w: QuadWriter, divisions: Divisions) -> None:
    """The quads of the bodies off the ordinary tree, and the links they change (see the module docstring)."""
    v = w.vocab
    outside = load_outside(divisions)
    bodies = load_special_bodies(divisions)
    guided = special_guidance(bodies, divisions)
    by_id = {b.id: b for b in bodies}
    for ref in [b.source for b in bodies] + [o.source for o in outside]:
        if w.prov.sources.get(ref) is None or w.prov.sources[ref].kind != "page":
            raise DataError(
                f"special_bodies.csv / outside_divisions.csv: {ref!r} is not an outside source of data/sources.csv"
            )
    gone = {iri for o in outside for iri in (v.committee(o.code), v.office(o.code), v.party_committee(o.code))}
    relinked = {v.committee(cid): cid for cid in guided}
    own_party = {v.committee(cid): v.party_committee(cid) for cid in guided}
    guided_by, guides, reports = v.term("guidedBy"), v.term("guides"), v.term("reportsTo")

    def kept(q: Quad) -> bool:
        s, p, o = str(q.subject), q.predicate.value, str(q.object)
        s, o = s.strip("<>"), o.strip("<>")
        if s in gone or o in gone:
            return False
        if s in relinked and (p == guided_by or (p == reports and o != own_party[s])):
            return False
        return not (o in relinked and p == guides)

    w.quads[:] = [q for q in w.quads if kept(q)]

    for o in outside:
        region = v.region(o.code)
        g = w.cited("bm:noPartyBodyReason", "region", "literal", divisions[o.code].level)
        w.text(g, region, v.term("noPartyBodyReason"), o.reason_zh, "zh")
        w.text(g, region, v.term("noPartyBodyReason"), o.reason_en, "en")

    def entity(prop: str, subject: str, obj: str, level: str) -> NamedNode:
        """The source or inference entity that the graph of such a triple is derived from."""
        return NamedNode(v.source(w.prov.support(prop, subject, obj, level).source_id or ""))

    def guide(ref: str) -> tuple[str, str]:
        """(kind, level) in the table of the committee ``ref`` (a special body id, "central" or a division code)."""
        if ref in by_id:
            return "special-committee", by_id[ref].kind
        return "committee", divisions[NATION_CODE if ref == "central" else ref].level

    for b in bodies:
        lv = b.kind
        body, c, office = v.party_committee(b.id), v.committee(b.id), v.office(b.id)
        # The Party body: from its source (the corps, the working committee) or inferred (a corps division).
        w.types(w.cited("rdf:type", "party-body", "class", lv), body, "SpecialPartyBody", KINDS[b.kind])
        w.add(w.cited("dct:spatial", "party-body", "region", lv), body, DCT + "spatial", NamedNode(v.region(b.seat)))
        g = w.cited("rdfs:label", "party-body", "literal", lv)
        w.labels(g, body, b.name_zh, b.name_en, b.short_zh, b.short_en)
        w.text(g, body, v.term("identifier"), b.id)
        for alias in b.aliases:
            w.text(g, body, SKOS + "hiddenLabel", alias, "zh")
        w.add(
            w.cited("dct:source", "party-body", "source", lv),
            body,
            DCT + "source",
            entity("rdf:type", "party-body", "class", lv),
        )
        for upper in b.upper_party:
            kind = "party-body" if upper in by_id else "party-committee"
            w.link(
                w.cited("bm:underPartyBody", "party-body", kind, lv), body, "underPartyBody", v.party_committee(upper)
            )
        for code in b.divisions:
            if RELATIONS[b.relation] == "pairedWithDivision":
                w.link(
                    w.cited("bm:pairedWithDivision", "party-body", "region", lv),
                    body,
                    "pairedWithDivision",
                    v.region(code),
                )
            elif RELATIONS[b.relation] == "entrustedTo":
                w.link(
                    w.cited("bm:entrustedTo", "region", "party-body", divisions[code].level),
                    v.region(code),
                    "entrustedTo",
                    body,
                )
        # Its confidentiality body and office: no source states them; inferred from the textbook's rules.
        w.types(
            w.cited("rdf:type", "special-committee", "class", lv),
            c,
            "SpecialConfidentialityCommittee",
            "PartyConfidentialityCommittee",
            "ConfidentialityCommittee",
            "InferredBody",
        )
        w.level(w.cited("bm:level", "special-committee", "concept", lv), c, b.level)
        g = w.cited("rdfs:label", "special-committee", "literal", lv)
        w.labels(g, c, f"{b.short_zh}保密工作机构（推定）", f"Confidentiality body of the {b.short_en} (inferred)")
        w.text(g, c, v.term("identifier"), b.id)
        w.text(g, c, v.term("inferenceNote"), b.note, "en")
        w.text(
            g,
            c,
            v.term("inferenceNote"),
            "没有找到载明此机构的来源；依教材关于党委组建保密委员会、"
            "上级保密委员会指导下级的规定，按来源所载的党组织关系推定。",
            "zh",
        )
        w.add(
            w.cited("dct:source", "special-committee", "source", lv),
            c,
            DCT + "source",
            entity("rdf:type", "special-committee", "class", lv),
        )
        for local in ("formedBy", "ledBy", "responsibleTo"):
            w.link(w.cited(f"bm:{local}", "special-committee", "party-body", lv), c, local, body)
        w.types(w.cited("rdf:type", "special-office", "class", lv), office, "Office", "InferredBody")
        g = w.cited("rdfs:label", "special-office", "literal", lv)
        w.labels(
            g,
            office,
            f"{b.short_zh}保密工作机构办公室（推定）",
            f"Office of the confidentiality body of the {b.short_en} (inferred)",
        )
        w.text(g, office, v.term("identifier"), b.id)
        w.link(w.cited("bm:hasOffice", "special-committee", "special-office", lv), c, "hasOffice", office)
        w.link(w.cited("bm:officeOf", "special-office", "special-committee", lv), office, "officeOf", c)
        # Its guide: ch5.1.p2 applied through the Party structure (an inference).
        upper_kind, upper_level = guide(b.guided_by)
        upper = v.committee(b.guided_by)
        w.link(w.cited("bm:guidedBy", "special-committee", upper_kind, lv), c, "guidedBy", upper)
        w.link(w.cited("bm:guides", upper_kind, "special-committee", upper_level), upper, "guides", c)
    for cid, body_id in sorted(guided.items()):
        c, upper, lv = v.committee(cid), v.committee(body_id), divisions[cid].level
        w.link(w.cited("bm:guidedBy", "committee", "special-committee", lv), c, "guidedBy", upper)
        w.link(w.cited("bm:guides", "special-committee", "committee", by_id[body_id].kind), upper, "guides", c)
        w.link(w.cited("bm:reportsTo", "committee", "special-committee", lv), c, "reportsTo", upper)
