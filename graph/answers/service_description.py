"""The SPARQL 1.1 Service Description of the endpoint (``sd:``), in any RDF format."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from graph.namespaces import DCT, RDF, RDFS, SD, VOID
from graph.sparql.endpoint import GRAPH_FORMATS, RESULT_FORMATS

if TYPE_CHECKING:
    from graph.kg import KnowledgeGraph

__all__ = ["service_description"]

_FORMAT_IRIS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
}


def service_description(kg: KnowledgeGraph, endpoint: str, fmt: str) -> bytes:
    service, dataset, default = NamedNode(endpoint + "#service"), BlankNode("dataset"), BlankNode("default")
    t: list[Triple] = []

    def add(s: NamedNode | BlankNode, p: str, o: NamedNode | BlankNode | Literal) -> None:
        t.append(Triple(s, NamedNode(p), o))

    add(service, RDF + "type", NamedNode(SD + "Service"))
    add(service, SD + "endpoint", NamedNode(endpoint))
    add(service, RDFS + "label", Literal("baomi-kg SPARQL endpoint (read-only)", language="en"))
    add(service, SD + "supportedLanguage", NamedNode(SD + "SPARQL11Query"))
    add(service, SD + "feature", NamedNode(SD + "UnionDefaultGraph"))
    for name in (*RESULT_FORMATS, *GRAPH_FORMATS):
        add(service, SD + "resultFormat", NamedNode(_FORMAT_IRIS[name]))
    add(service, SD + "defaultDataset", dataset)
    add(dataset, RDF + "type", NamedNode(SD + "Dataset"))
    add(dataset, DCT + "source", NamedNode(kg.vocab.dataset))
    add(dataset, SD + "defaultGraph", default)
    add(default, RDF + "type", NamedNode(SD + "Graph"))
    add(default, VOID + "triples", Literal(str(kg.backend.count()), datatype=NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer")))
    for i, graph in enumerate(sorted(kg.graphs)):
        named = BlankNode(f"g{i}")
        add(dataset, SD + "namedGraph", named)
        add(named, RDF + "type", NamedNode(SD + "NamedGraph"))
        add(named, SD + "name", NamedNode(graph))
    return serialize(t, format=GRAPH_FORMATS[fmt][1], prefixes={"sd": SD, "void": VOID, "dct": DCT}) or b""
