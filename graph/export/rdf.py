"""The RDF of an export: the store's own triples about the nodes and links of a projection.

Read from the store by a CONSTRUCT over the projection's nodes, keeping their descriptions and the links of
the chosen kinds between them, so that the RDF and a graph tool's file describe the same nodes and links;
the triples are sorted, so the file is the same each time.  The store's links are today's: an export as of a past
day is written from its projection instead (:func:`projection_rdf`: the classes, names, identifiers, levels and
regions of that day's bodies, and that day's links), in the same terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import pyoxigraph as ox

from graph.build.assemble import COMMITTEE_CLASSES
from graph.build.writer import LEVEL_TERMS
from graph.export.projection import LINKS
from graph.namespaces import DCT, RDF, RDFS, SKOS
from graph.sparql.endpoint import rdf_format
from graph.vocab import NodeKind

if TYPE_CHECKING:
    from graph.answers.view import GraphView

__all__ = ["DESCRIPTIVE", "DESCRIPTIVE_TERMS", "projection_rdf", "projection_triples", "rdf", "scope_triples"]

# What the RDF says about each node of the scope, besides the links between them.
DESCRIPTIVE = (RDF + "type", RDFS + "label", SKOS + "altLabel", DCT + "spatial")
DESCRIPTIVE_TERMS = ("identifier", "level", "secondNameplate", "leadsWorkOf", "competentFor")


def scope_triples(kg: GraphView, g: nx.MultiDiGraph) -> list[ox.Triple]:
    """The store's triples about the projection's nodes: their types, labels, identifiers, level, second
    nameplate and region (a committee's, or the region a secrecy bureau is in charge of), and the links of the
    projection's edge kinds whose both ends are in it; sorted."""
    v = kg.vocab
    iris = {data["iri"] for _, data in g.nodes(data=True)}
    kinds = set(g.graph["edges"].split(","))
    links = {v.term(p) for link in LINKS if link.kind in kinds for p in (link.predicate, link.inverse) if p}
    predicates = [*DESCRIPTIVE, *(v.term(t) for t in DESCRIPTIVE_TERMS), *sorted(links)]
    # VALUES for the subjects and a FILTER for the predicates: Oxigraph joins two VALUES blocks far more slowly
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE {\n  VALUES ?s { " + " ".join(f"<{i}>" for i in sorted(iris)) + " }\n"
        "  ?s ?p ?o .\n  FILTER (?p IN (" + ", ".join(f"<{p}>" for p in predicates) + "))\n}"
    )
    triples = {
        t
        for t in kg.backend.construct(query)
        if t.predicate.value not in links or (isinstance(t.object, ox.NamedNode) and t.object.value in iris)
    }
    return sorted(triples, key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))


# The classes of a node of a projection that is not a committee (a committee's come with its level).
_CLASSES: dict[str, tuple[str, ...]] = {
    NodeKind.OFFICE: ("Office",),
    NodeKind.PARTY_COMMITTEE: ("PartyCommittee",),
    NodeKind.BUREAU: ("SecrecyBureau",),
}


def projection_triples(kg: GraphView, g: nx.MultiDiGraph) -> list[ox.Triple]:
    """The triples the projection ``g`` itself says, in the store's terms: each node's classes, labels (full and
    short), level and region (``dct:spatial``), a committee's identifier, and every edge with its inverse; sorted.
    Departmental bodies and units, which no past day has, are not written."""
    v = kg.vocab
    out: set[ox.Triple] = set()

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.add(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o))

    for _, n in g.nodes(data=True):
        kind, s = n["kind"], n["iri"]
        classes = COMMITTEE_CLASSES.get(n["level"], ()) if kind == NodeKind.COMMITTEE else _CLASSES.get(kind, ())
        if not classes:
            continue
        for local in classes:
            add(s, RDF + "type", ox.NamedNode(v.term(local)))
        for lang in ("zh", "en"):
            full, short = n[f"name_{lang}"], n[f"short_{lang}"]
            add(s, RDFS + "label", ox.Literal(full, language=lang))
            if short and short != full:
                add(s, SKOS + "altLabel", ox.Literal(short, language=lang))
        if n["level"] in LEVEL_TERMS:
            add(s, v.term("level"), ox.NamedNode(v.term(LEVEL_TERMS[n["level"]])))
        if kind == NodeKind.COMMITTEE:
            add(s, v.term("identifier"), ox.Literal(n["committee"]))
        if n.get("region") in kg.directory.regions:
            add(s, DCT + "spatial", ox.NamedNode(kg.directory.regions[n["region"]].iri))
    for u, w, e in g.edges(data=True):
        add(g.nodes[u]["iri"], e["predicate"], ox.NamedNode(g.nodes[w]["iri"]))
        if e["inverse"]:
            add(g.nodes[w]["iri"], e["inverse"], ox.NamedNode(g.nodes[u]["iri"]))
    return sorted(out, key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))


def rdf(kg: GraphView, g: nx.MultiDiGraph, fmt: str) -> bytes:
    """The projection's triples read from the store, in the RDF format ``fmt`` (Turtle with the project's
    prefixes)."""
    return _serialize(kg, scope_triples(kg, g), fmt)


def projection_rdf(kg: GraphView, g: nx.MultiDiGraph, fmt: str) -> bytes:
    """The triples the projection itself says (:func:`projection_triples`), in the RDF format ``fmt``."""
    return _serialize(kg, projection_triples(kg, g), fmt)


def _serialize(kg: GraphView, triples: list[ox.Triple], fmt: str) -> bytes:
    prefixes = kg.vocab.prefixes if fmt == "turtle" else None
    out = ox.serialize(triples, format=rdf_format(fmt), prefixes=prefixes)
    return out if isinstance(out, bytes) else b""
