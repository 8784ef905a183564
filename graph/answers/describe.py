"""Linked Data: the triples the service holds about one IRI and about the ontology, and the documents of them.

* :func:`describe` – the outgoing and incoming triples of an IRI and the ``rdfs:label`` of every
  IRI they mention, read with one CONSTRUCT (the dataset's IRI is described by its VoID, :mod:`graph.answers.void`);
* :func:`ontology` – the ontology graph as it was loaded;
* :func:`serialize_graph` – triples as an RDF document: Turtle, N-Triples, JSON-LD or RDF/XML with the
  project's prefixes (the HTML pages of them are made by the web skin, :mod:`api.web.pages`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pyoxigraph import NamedNode, Triple, serialize

from graph.answers.view import GraphView
from graph.answers.void import distinct_sorted, void_description
from graph.errors import NotFound
from graph.namespaces import RDFS, Vocab
from graph.sparql.endpoint import rdf_format

__all__ = ["describe", "ontology", "serialize_graph"]

_LABEL = RDFS + "label"


# -- reading the graph --------------------------------------------------------------------------
def describe(kg: GraphView, iri: str, *, sparql_endpoint: str = "") -> list[Triple]:
    """The triples about ``iri`` (outgoing, incoming, and labels of what they mention); NotFound if none.

    The dataset IRI is described by its VoID description (see :func:`graph.answers.void.void_description`).
    """
    if iri == kg.vocab.dataset:
        return void_description(kg, sparql_endpoint)
    node = str(NamedNode(iri))
    triples = kg.backend.construct(f"""
        CONSTRUCT {{ {node} ?p ?o . ?s ?q {node} . ?x <{_LABEL}> ?label }}
        WHERE {{
          {{ {node} ?p ?o }}
          UNION {{ ?s ?q {node} }}
          UNION {{
            {{ {node} ?p1 ?x }} UNION {{ ?x ?p2 {node} }} UNION {{ {node} ?x ?o3 }} UNION {{ ?s4 ?x {node} }}
            FILTER (isIRI(?x))
            ?x <{_LABEL}> ?label
          }}
        }}""")
    if not triples:
        raise NotFound(iri, [])
    return distinct_sorted(triples)


def ontology(kg: GraphView) -> list[Triple]:
    """The ontology as loaded (the graph ``kg.vocab.ontology_graph``)."""
    graph = NamedNode(kg.vocab.ontology_graph)
    triples = kg.backend.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    if not triples:
        raise NotFound(kg.vocab.ontology, [])
    return distinct_sorted(triples)


# -- documents ----------------------------------------------------------------------------------
def serialize_graph(triples: Sequence[Triple], fmt: str, vocab: Vocab) -> bytes:
    """Triples in one of :data:`graph.vocab.RDF_FORMATS`, with the project's prefixes."""
    if fmt == "jsonld":
        # Expanded JSON-LD, with the prefixes as its context for clients that compact it.
        expanded = json.loads(serialize(triples, format=rdf_format(fmt)) or b"[]")
        return json.dumps({"@context": vocab.prefixes, "@graph": expanded}, ensure_ascii=False, indent=1).encode(
            "utf-8"
        )
    return serialize(triples, format=rdf_format(fmt), prefixes=vocab.prefixes) or b""
