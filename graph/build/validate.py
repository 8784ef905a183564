"""SHACL validation of the built graph with pySHACL.

The data graph handed to pySHACL is an rdflib ``Dataset`` over an Oxigraph store (oxrdflib):
pySHACL sees the union of the named graphs as the default graph, the provenance rule can look
into the named graphs with ``GRAPH``, and the SPARQL-based rules run in Oxigraph's engine.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import pyshacl
from oxrdflib import OxigraphStore
from pyoxigraph import Quad, Store
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from graph.errors import DataError, ValidationFailed
from graph.namespaces import Vocab, rebase
from graph.paths import ONTOLOGY_DIR

__all__ = ["Violation", "check", "validate_quads"]

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True, order=True, slots=True)
class Violation:
    focus: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus}: [{self.rule}] {self.message}"


def _shapes(vocab: Vocab) -> Graph:
    return Graph().parse(data=rebase(SHAPES_FILE.read_text(encoding="utf-8"), vocab.base), format="turtle")


def _rule_name(shapes: Graph, results: Graph, result: URIRef) -> str:
    """The sh:name of the constraint (SPARQL) or property shape that produced the result."""
    for pred in (SH.sourceConstraint, SH.sourceShape):
        for node in results.objects(result, pred):
            name = shapes.value(node, SH.name) or results.value(node, SH.name)
            if name is not None:
                return str(name)
    shape = results.value(result, SH.sourceShape)
    return str(shape) if shape is not None else "unknown rule"


def check(store: Store, vocab: Vocab) -> list[Violation]:
    """Validate the dataset in ``store``; return the violations, sorted."""
    data = Dataset(store=OxigraphStore(store=store), default_union=True)
    shapes = _shapes(vocab)
    with warnings.catch_warnings():
        # rdflib deprecations raised from inside pySHACL are not ours to act on
        warnings.simplefilter("ignore", DeprecationWarning)
        conforms, results, _text = pyshacl.validate(
            data_graph=data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=False
        )
    if not isinstance(results, Graph):  # pySHACL hands back its exception when the shapes themselves are broken
        raise DataError(f"SHACL shapes in {SHAPES_FILE.name} cannot be applied: {results}")
    if conforms:
        return []
    found: set[Violation] = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        text = str(message) if isinstance(message, Literal) else "violation"
        if value is not None and str(value) not in text and value != focus:
            text += f" (value {value})"
        found.add(Violation(str(focus), _rule_name(shapes, results, result), text))  # type: ignore[arg-type]
    return sorted(found)


def validate_quads(quads: Iterable[Quad], vocab: Vocab) -> None:
    """Raise :class:`ValidationFailed` naming each offending resource and rule."""
    store = Store()
    store.bulk_extend(quads)
    violations = check(store, vocab)
    if violations:
        shown = violations[:50]
        more = f"\n… and {len(violations) - len(shown)} more" if len(violations) > len(shown) else ""
        report = (
            f"SHACL validation failed with {len(violations)} violation(s):\n"
            + "\n".join(f"  {v}" for v in shown)
            + more
        )
        raise ValidationFailed(report, [(v.focus, v.rule, v.message) for v in violations])
