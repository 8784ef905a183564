"""Lint of the ontology: every term used is declared, labelled in zh and en, commented and defined by
its ontology; no misspelt meta-vocabulary slips through (Turtle parses ``rdfs:subClasOf`` silently)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from graph.kg import KnowledgeGraph
from graph.namespaces import EXTERNAL_PREFIXES, Vocab
from graph.paths import ONTOLOGY_DIR

V = Vocab()
BM = Namespace(V.ns)
VANN = Namespace("http://purl.org/vocab/vann/")
ONTOLOGY = URIRef(V.ontology)
DECLARING_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    SKOS.Concept,
    SKOS.ConceptScheme,
    OWL.Ontology,
}
# The meta-vocabulary the ontology is written in: any other predicate in ontology/*.ttl is a typo.
META_PREDICATES = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    RDFS.isDefinedBy,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.versionInfo,
    OWL.versionIRI,
    SKOS.inScheme,
    SKOS.topConceptOf,
    SKOS.notation,
    SKOS.prefLabel,
    SKOS.broader,
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.created,
    DCTERMS.modified,
    DCTERMS.license,
    DCTERMS.creator,
    DCTERMS.source,
    VANN.preferredNamespacePrefix,
    VANN.preferredNamespaceUri,
}
META_CLASSES = DECLARING_TYPES | {OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.SymmetricProperty}
# Terms of RDF itself that need no declaration anywhere.
CORE = {RDF.type, RDFS.label, RDFS.comment}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "baomi.ttl", format="turtle")


def _known_vocabulary(iri: URIRef) -> bool:
    return any(str(iri).startswith(ns) for ns in (*EXTERNAL_PREFIXES.values(), V.base))


def test_no_blank_nodes_so_builds_are_reproducible(ontology: Graph) -> None:
    assert not [t for t in ontology if any(isinstance(x, BNode) for x in t)]


def test_only_meta_vocabulary_predicates(ontology: Graph) -> None:
    assert set(ontology.predicates()) - META_PREDICATES == set()
    assert {o for o in ontology.objects(None, RDF.type)} - META_CLASSES == set()


def _check_term(ontology: Graph, term: URIRef) -> list[str]:
    problems: list[str] = []
    if not set(ontology.objects(term, RDF.type)) & DECLARING_TYPES:
        problems.append("not declared")
    langs = {o.language for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)}
    if not {"zh", "en"} <= langs:
        problems.append(f"labels in {sorted(x or '' for x in langs)}")
    if not list(ontology.objects(term, RDFS.comment)):
        problems.append("no comment")
    defined = set(ontology.objects(term, RDFS.isDefinedBy))
    expected = ONTOLOGY if str(term).startswith(V.ns) or term == ONTOLOGY else None
    if expected is not None and defined != {expected}:
        problems.append(f"isDefinedBy {defined}")
    if expected is None and (len(defined) != 1 or not str(term).startswith(str(next(iter(defined), "")))):
        problems.append(f"reused term isDefinedBy {defined}")
    return problems


def test_every_term_in_the_ontology_is_declared_labelled_and_defined(ontology: Graph) -> None:
    used = {x for t in ontology for x in t if isinstance(x, URIRef) and str(x).startswith(V.ns)}
    used |= {s for s in ontology.subjects() if isinstance(s, URIRef)}
    problems = {str(t): p for t in sorted(used) if (p := _check_term(ontology, t))}
    assert problems == {}


def test_every_term_in_the_shapes_is_declared(ontology: Graph) -> None:
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    used = {x for t in shapes for x in t if isinstance(x, URIRef) and str(x).startswith(V.ns)}
    text = (ONTOLOGY_DIR / "shapes.ttl").read_text(encoding="utf-8")
    used |= {BM[name] for name in _bm_names_in(text)}
    assert {str(t) for t in used if _check_term(ontology, t)} == set()


def _bm_names_in(text: str) -> set[str]:
    import re

    return set(re.findall(r"\bbm:([A-Za-z][A-Za-z0-9]*)", text))


def test_every_predicate_and_class_of_the_built_graph_is_declared(kg: KnowledgeGraph, ontology: Graph) -> None:
    outside = f"FILTER (?g != <{V.ontology_graph}>)"
    rows = kg.backend.select(f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {outside} }}")
    predicates = {URIRef(r["p"].value) for r in rows}  # type: ignore[union-attr]
    rows = kg.backend.select(f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?s a ?c }} {outside} }}")
    classes = {URIRef(r["c"].value) for r in rows}  # type: ignore[union-attr]
    assert all(_known_vocabulary(t) for t in predicates | classes)
    problems = {str(t): p for t in sorted((predicates | classes) - CORE) if (p := _check_term(ontology, t))}
    assert problems == {}


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionInfo, DCTERMS.title, DCTERMS.license):
        assert ontology.value(ONTOLOGY, prop) is not None


def test_ontology_file_is_the_only_vocabulary_file() -> None:
    assert sorted(p.name for p in Path(ONTOLOGY_DIR).glob("*.ttl")) == ["baomi.ttl", "shapes.ttl"]
