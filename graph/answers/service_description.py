"""The SPARQL 1.1 Service Description of the endpoint (``sd:``), in any RDF format."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from graph.answers.view import GraphView
from graph.namespaces import DCT, RDF, RDFS, SD, VOID
from graph.sparql.endpoint import rdf_format
from graph.vocab import RDF_FORMATS, RESULT_FORMATS

__all__ = ["service_description"]


def service_description(kg: GraphView, endpoint: str, fmt: str) -> bytes:
    service, dataset, default = NamedNode(endpoint + "#service"), BlankNode("dataset"), BlankNode("default")
    t: list[Triple] = []

    def add(s: NamedNode | BlankNode, p: str, o: NamedNode | BlankNode | Literal) -> None:
        t.append(Triple(s, NamedNode(p), o))

    add(service, RDF + "type", NamedNode(SD + "Service"))
    add(service, SD + "endpoint", NamedNode(endpoint))
    add(service, RDFS + "label", Literal("baomi-kg SPARQL endpoint (read-only)", language="en"))
    add(service, SD + "supportedLanguage", NamedNode(SD + "SPARQL11Query"))
    add(service, SD + "feature", NamedNode(SD + "UnionDefaultGraph"))
    for offered in (*RESULT_FORMATS, *RDF_FORMATS):
        add(service, SD + "resultFormat", NamedNode(offered.iri))
    add(service, SD + "defaultDataset", dataset)
    add(dataset, RDF + "type", NamedNode(SD + "Dataset"))
    add(dataset, DCT + "source", NamedNode(kg.vocab.dataset))
    add(dataset, SD + "defaultGraph", default)
    add(default, RDF + "type", NamedNode(SD + "Graph"))
    add(
        default,
        VOID + "triples",
        Literal(str(kg.backend.count()), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    )
    for i, graph in enumerate(sorted(kg.graphs)):
        named = BlankNode(f"g{i}")
        add(dataset, SD + "namedGraph", named)
        add(named, RDF + "type", NamedNode(SD + "NamedGraph"))
        add(named, SD + "name", NamedNode(graph))
    return serialize(t, format=rdf_format(fmt), prefixes={"sd": SD, "void": VOID, "dct": DCT}) or b""
