"""The RDF of an export: the store's own triples about the nodes and links of a projection.

Read from the store by a CONSTRUCT over the projection's nodes, keeping their descriptions and the links of
the chosen kinds between them, so that the RDF and a graph tool's file describe the same nodes and links;
the triples are sorted, so the file is the same each time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import pyoxigraph as ox

from graph.export.projection import LINKS
from graph.namespaces import DCT, RDF, RDFS, SKOS
from graph.sparql.endpoint import rdf_format

if TYPE_CHECKING:
    from graph.answers.view import GraphView

__all__ = ["DESCRIPTIVE", "DESCRIPTIVE_TERMS", "rdf", "scope_triples"]

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


def rdf(kg: GraphView, g: nx.MultiDiGraph, fmt: str) -> bytes:
    """The projection's triples in the RDF format ``fmt`` (Turtle with the project's prefixes)."""
    triples = scope_triples(kg, g)
    prefixes = kg.vocab.prefixes if fmt == "turtle" else None
    out = ox.serialize(triples, format=rdf_format(fmt), prefixes=prefixes)
    return out if isinstance(out, bytes) else b""
