"""The VoID description of the dataset: counts, the named graphs as subsets with their provenance, the
vocabularies used and example resources.

The statistics are counted once per store (the graph does not change while it is served).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

from graph.answers.view import GraphView
from graph.errors import StoreError
from graph.memo import per_object
from graph.namespaces import DCT, PROV, RDF, RDFS, VOID, XSD, Vocab
from graph.store.backend import Term, value
from graph.vocab import LEVELS, LOCAL_LEVELS

__all__ = ["distinct_sorted", "void_description"]

_LABEL = RDFS + "label"
_TYPE = RDF + "type"


def distinct_sorted(triples: Iterable[Triple]) -> list[Triple]:
    """The triples without repeats, in a stable order (subject, predicate, object): how every document lists them."""
    return sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


@dataclass(frozen=True)
class _Counts:
    totals: dict[str, int]
    graphs: list[tuple[str, int]]
    derived_from: dict[str, list[str]]
    graph_labels: dict[str, list[Literal]]
    vocabularies: list[str]
    licenses: list[str]


def _int(rows: list[dict[str, Term]], name: str) -> int:
    if not rows or name not in rows[0]:
        raise StoreError("the store did not answer a count query")
    return int(value(rows[0][name]))


@per_object
def _counts(kg: GraphView) -> _Counts:
    """The dataset's statistics, counted once per opened graph (it does not change while it is served)."""
    b, v = kg.backend, kg.vocab
    spo = b.select(
        "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
        "(COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects) "
        "WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    )
    classes = b.select(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?s <{_TYPE}> ?c }}")
    entities = b.select(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o "
        f"FILTER (isIRI(?s) && STRSTARTS(STR(?s), {Literal(v.id())})) }}"
    )
    totals = {k: _int(spo, k) for k in ("triples", "subjects", "properties", "objects")}
    totals |= {"classes": _int(classes, "n"), "entities": _int(entities, "n")}
    graphs = [
        (value(r["g"]), int(value(r["n"])))
        for r in b.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    ]
    derived: dict[str, list[str]] = {}
    labels: dict[str, list[Literal]] = {}
    for r in b.select(
        f"SELECT ?g ?src ?label WHERE {{ GRAPH <{v.meta_graph}> {{ ?g <{PROV}wasDerivedFrom> ?src "
        f"OPTIONAL {{ ?g <{_LABEL}> ?label }} }} }}"
    ):
        derived.setdefault(value(r["g"]), []).append(value(r["src"]))
        label = r.get("label")
        if isinstance(label, Literal):
            labels.setdefault(value(r["g"]), []).append(label)
    used = {
        value(r["t"]) for r in b.select(f"SELECT DISTINCT ?t WHERE {{ {{ ?s ?t ?o }} UNION {{ ?s <{_TYPE}> ?t }} }}")
    }
    vocabularies = sorted(
        {v.ontology if ns == v.ns else ns for ns in _vocabulary_namespaces(v) if any(t.startswith(ns) for t in used)}
    )
    licenses = sorted(
        value(r["l"]) for r in b.select(f"SELECT DISTINCT ?l WHERE {{ <{v.ontology}> <{DCT}license> ?l }}")
    )
    counts = _Counts(
        totals,
        graphs,
        {g: sorted(set(s)) for g, s in derived.items()},
        {g: sorted(set(ls), key=str) for g, ls in labels.items()},
        vocabularies,
        licenses,
    )
    return counts


def _vocabulary_namespaces(v: Vocab) -> list[str]:
    """Namespaces of terms (not of instance IRIs): the ontology's and the external vocabularies'."""
    return [ns for prefix, ns in v.prefixes.items() if not ns.startswith(v.base) or ns == v.ns]


_VOID_PROPERTIES = {
    "triples": "triples",
    "subjects": "distinctSubjects",
    "objects": "distinctObjects",
    "properties": "properties",
    "classes": "classes",
    "entities": "entities",
}


def void_description(kg: GraphView, sparql_endpoint: str) -> list[Triple]:
    """A VoID description of the dataset, with one subset per named graph."""
    v = kg.vocab
    counts = _counts(kg)
    d = kg.directory
    dataset = NamedNode(v.dataset)
    out: list[Triple] = []

    def add(s: NamedNode, p: str, o: NamedNode | Literal) -> None:
        out.append(Triple(s, NamedNode(p), o))

    def integer(n: int) -> Literal:
        return Literal(str(n), datatype=NamedNode(XSD + "integer"))

    add(dataset, _TYPE, NamedNode(VOID + "Dataset"))
    for text, lang in (
        ("保密委员会体系知识图谱", "zh"),
        ("baomi-kg: knowledge graph of China's Party confidentiality committee system", "en"),
    ):
        add(dataset, DCT + "title", Literal(text, language=lang))
        add(dataset, _LABEL, Literal(text, language=lang))
    add(
        dataset,
        DCT + "description",
        Literal(
            "The Central Confidentiality Committee and the committees of every provincial, municipal and county Party "
            "committee, their offices and Party committees, departmental committees, and the guidance, supervision and "
            "reporting links between them, each in a named graph after the passage or source that supports it.",
            language="en",
        ),
    )
    for lic in counts.licenses:
        add(dataset, DCT + "license", NamedNode(lic))
    add(dataset, DCT + "source", NamedNode(v.source("textbook")))
    if sparql_endpoint:
        add(dataset, VOID + "sparqlEndpoint", NamedNode(sparql_endpoint))
    add(dataset, VOID + "uriSpace", Literal(v.id()))
    for vocabulary in counts.vocabularies:
        add(dataset, VOID + "vocabulary", NamedNode(vocabulary))
    for key, prop in _VOID_PROPERTIES.items():
        add(dataset, VOID + prop, integer(counts.totals[key]))
    central = d.committees.get("central")
    if central is not None:
        add(dataset, VOID + "rootResource", NamedNode(central.iri))
    for iri in _examples(kg):
        add(dataset, VOID + "exampleResource", NamedNode(iri))
    for graph, n in counts.graphs:
        subset = NamedNode(graph)
        add(dataset, VOID + "subset", subset)
        add(subset, _TYPE, NamedNode(VOID + "Dataset"))
        add(subset, VOID + "triples", integer(n))
        for source in counts.derived_from.get(graph, []):
            add(subset, PROV + "wasDerivedFrom", NamedNode(source))
        for label in counts.graph_labels.get(graph, []):
            add(subset, DCT + "title", label)
    return distinct_sorted(out)


def _examples(kg: GraphView) -> list[str]:
    """The first committee of each level and the first region of each level (by id)."""
    d = kg.directory
    out: list[str] = []
    for level in LEVELS:
        ids = sorted(cid for cid, c in d.committees.items() if c.level == level)
        if ids:
            out.append(d.committees[ids[0]].iri)
    for level in LOCAL_LEVELS:
        codes = sorted(code for code, r in d.regions.items() if r.level == level)
        if codes:
            out.append(d.regions[codes[0]].iri)
    return out
