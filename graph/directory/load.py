"""Reading the directory from a store: the SELECT queries and :func:`load_directory`.

This module holds the loading half of the directory: the few trusted SELECT queries that read the labels,
regions, Party confidentiality committees, departmental bodies and the bodies off the division tree from any
backend, the table of labels they share, and :func:`load_directory`, which assembles their answers into the
:class:`~graph.directory.model.Directory` of :mod:`graph.directory.model` (the data classes and the lookups
every request asks of them live there).
"""

from __future__ import annotations

from pyoxigraph import Literal

from graph.directory.model import Body, Committee, Directory, Region, SpecialInfo, UnitInfo
from graph.errors import StoreError
from graph.namespaces import Vocab
from graph.sources.divisions import NATION_CODE
from graph.store.backend import Backend, value

__all__ = ["load_directory"]


_LABELS = """
SELECT ?s ?p ?label WHERE {
  VALUES ?p { rdfs:label skos:altLabel bm:secondNameplate }
  ?s ?p ?label .
}"""

_REGIONS = """
SELECT ?r ?id ?level ?type ?parent WHERE {
  ?r a bm:AdministrativeRegion ; bm:identifier ?id ; bm:level ?lv ; bm:divisionType ?t .
  ?lv skos:notation ?level . ?t skos:notation ?type .
  OPTIONAL { ?r bm:parentRegion ?p . ?p bm:identifier ?parent }
}"""

_PARTY_COMMITTEES = """
SELECT ?c ?id ?level ?region ?upper ?o ?p WHERE {
  ?c a bm:PartyConfidentialityCommittee ; bm:identifier ?id ; bm:level ?lv ; bm:leadsWorkOf ?r ;
     bm:hasOffice ?o ; bm:ledBy ?p .
  ?lv skos:notation ?level . ?r bm:identifier ?region .
  OPTIONAL { ?c bm:guidedBy ?u . ?u bm:identifier ?upper }
}"""

_DEPARTMENTAL = """
SELECT ?c ?id ?group ?upper ?region ?o ?u ?uid ?ukind WHERE {
  ?c a bm:DepartmentalBody ; bm:identifier ?id ; bm:withinJurisdictionOf ?j ; bm:hasOffice ?o ; bm:ofUnit ?u .
  ?j bm:identifier ?upper .
  ?u bm:identifier ?uid ; dct:spatial ?r . ?r bm:identifier ?region .
  BIND (EXISTS { ?c a bm:LeadingGroup } AS ?group)
  OPTIONAL { ?u a ?ukind FILTER (?ukind IN (bm:Department, bm:Enterprise, bm:PublicInstitution)) }
}"""


_SPECIAL = """
SELECT ?c ?id ?level ?upper ?o ?p ?kind ?note WHERE {
  ?c a bm:SpecialConfidentialityCommittee ; bm:identifier ?id ; bm:level ?lv ; bm:hasOffice ?o ; bm:formedBy ?p .
  ?lv skos:notation ?level . ?p a ?kind ; dct:spatial ?r .
  FILTER (?kind IN (bm:CorpsPartyCommittee, bm:CorpsDivisionPartyCommittee, bm:WorkCommittee))
  OPTIONAL { ?c bm:guidedBy ?u . ?u bm:identifier ?upper }
  OPTIONAL { ?c bm:inferenceNote ?note FILTER (LANG(?note) = "en") }
}"""

_SPECIAL_LINKS = """
SELECT ?p ?link ?x WHERE {
  ?c a bm:SpecialConfidentialityCommittee ; bm:formedBy ?p .
  { ?p skos:hiddenLabel ?x BIND ("alias" AS ?link) }
  UNION { ?p bm:pairedWithDivision ?r . ?r bm:identifier ?x BIND ("paired" AS ?link) }
  UNION { ?r bm:entrustedTo ?p ; bm:identifier ?x BIND ("entrusted" AS ?link) }
  UNION { ?p bm:underPartyBody ?x BIND ("upper" AS ?link) }
  UNION { ?p dct:spatial ?r . ?r bm:identifier ?x BIND ("seat" AS ?link) }
}"""

_NO_BODY = """
SELECT ?id ?why WHERE { ?r bm:noPartyBodyReason ?why ; bm:identifier ?id . FILTER (LANG(?why) = "en") }"""


class _Labels:
    """Labels of every resource, read in one query: (IRI, property, language) -> text."""

    def __init__(self, backend: Backend, prologue: str, vocab: Vocab) -> None:
        short = {
            "http://www.w3.org/2000/01/rdf-schema#label": "label",
            "http://www.w3.org/2004/02/skos/core#altLabel": "alt",
            vocab.term("secondNameplate"): "plate",
        }
        self.table: dict[tuple[str, str, str], str] = {}
        for row in backend.select_iter(prologue + _LABELS):
            label = row["label"]
            lang = label.language if isinstance(label, Literal) and label.language else ""
            key, text = (value(row["s"]), short[value(row["p"])], lang), value(label)
            # A body may carry several alternative labels (its short name, older long forms): the short
            # name is the shortest of them, whatever order the store returns them in.
            if key[1] != "alt" or key not in self.table or (len(text), text) < (len(self.table[key]), self.table[key]):
                self.table[key] = text

    def get(self, iri: str, kind: str, lang: str) -> str:
        return self.table.get((iri, kind, lang), "")

    def body(self, iri: str) -> Body:
        g = self.get
        return Body(
            iri,
            g(iri, "label", "zh"),
            g(iri, "label", "en"),
            g(iri, "alt", "zh"),
            g(iri, "alt", "en"),
            g(iri, "plate", "zh"),
            g(iri, "plate", "en"),
        )


def load_directory(backend: Backend, vocab: Vocab) -> Directory:
    prologue = vocab.sparql_prologue()
    labels = _Labels(backend, prologue, vocab)
    regions: dict[str, Region] = {}
    for r in backend.select(prologue + _REGIONS):
        code, iri = value(r.get("id")), value(r.get("r"))
        b = labels.body(iri)
        regions[code] = Region(
            code,
            iri,
            b.name_zh,
            b.name_en,
            b.short_zh or b.name_zh,
            value(r.get("level")),
            value(r.get("type")),
            value(r.get("parent")) or None,
        )
    for r in backend.select(prologue + _NO_BODY):
        code = value(r.get("id"))
        if code in regions:
            regions[code] = regions[code]._replace(no_body_reason=value(r.get("why")))
    committees: dict[str, Committee] = {}
    for r in backend.select(prologue + _PARTY_COMMITTEES):
        cid, iri = value(r.get("id")), value(r.get("c"))
        b = labels.body(iri)
        committees[cid] = Committee(
            cid,
            iri,
            b.name_zh,
            b.name_en,
            b.short_zh,
            b.short_en,
            value(r.get("level")),
            value(r.get("region")),
            labels.body(value(r.get("o"))),
            labels.body(value(r.get("p"))),
            value(r.get("upper")) or None,
        )
    for r in backend.select(prologue + _DEPARTMENTAL):
        cid, iri, uiri = value(r.get("id")), value(r.get("c")), value(r.get("u"))
        b, ub = labels.body(iri), labels.body(uiri)
        kind = value(r.get("ukind")).removeprefix(vocab.ns) or "Unit"
        unit = UnitInfo(value(r.get("uid")), uiri, ub.name_zh, ub.name_en, ub.short_zh, kind)
        committees[cid] = Committee(
            cid,
            iri,
            b.name_zh,
            b.name_en,
            b.short_zh,
            b.short_en,
            "departmental",
            value(r.get("region")),
            labels.body(value(r.get("o"))),
            None,
            value(r.get("upper")) or None,
            unit,
            value(r.get("group")) == "true",
        )
    committees.update(_special(backend, prologue, vocab, labels))
    if "central" not in committees or NATION_CODE not in regions:
        raise StoreError(f"the store {backend.spec} holds no baomi-kg graph (no central committee); load it first")
    return Directory(vocab, regions, committees)


def _special(backend: Backend, prologue: str, vocab: Vocab, labels: _Labels) -> dict[str, Committee]:
    """The (inferred) confidentiality bodies of the Party bodies off the division tree."""
    links: dict[str, dict[str, list[str]]] = {}
    for r in backend.select(prologue + _SPECIAL_LINKS):
        links.setdefault(value(r.get("p")), {}).setdefault(value(r.get("link")), []).append(value(r.get("x")))
    out: dict[str, Committee] = {}
    for r in backend.select(prologue + _SPECIAL):
        cid, iri, party = value(r.get("id")), value(r.get("c")), value(r.get("p"))
        mine = links.get(party, {})
        b = labels.body(iri)
        info = SpecialInfo(
            value(r.get("kind")).removeprefix(vocab.ns),
            tuple(sorted(mine.get("alias", []))),
            tuple(sorted(mine.get("paired", []))),
            tuple(sorted(mine.get("entrusted", []))),
            tuple(sorted(mine.get("upper", []))),
            value(r.get("note")),
        )
        seat = (mine.get("seat") or [NATION_CODE])[0]
        out[cid] = Committee(
            cid,
            iri,
            b.name_zh,
            b.name_en,
            b.short_zh,
            b.short_en,
            value(r.get("level")),
            seat,
            labels.body(value(r.get("o"))),
            labels.body(party),
            value(r.get("upper")) or None,
            special=info,
        )
    return out
