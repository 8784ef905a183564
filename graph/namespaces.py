"""Every IRI the project mints or reuses, in one place.

The ontology and the instance IRIs hang off one base IRI (``DEFAULT_BASE`` unless a setting
changes it).  The ontology files in ``ontology/`` are written with ``DEFAULT_BASE``; loading
them under another base rewrites that prefix (see :func:`rebase`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "DCT",
    "DEFAULT_BASE",
    "EXTERNAL_PREFIXES",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SD",
    "SKOS",
    "VOID",
    "XSD",
    "Vocab",
    "declare_prefixes",
    "rebase",
]

DEFAULT_BASE = "https://w3id.org/baomi-kg/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
CPOV = "http://data.europa.eu/m8g/"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
SH = "http://www.w3.org/ns/shacl#"
VANN = "http://purl.org/vocab/vann/"
FOAF = "http://xmlns.com/foaf/0.1/"

EXTERNAL_PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "org": ORG,
    "prov": PROV,
    "cpov": CPOV,
    "void": VOID,
    "vann": VANN,
    "foaf": FOAF,
}


def declare_prefixes(prefixes: Mapping[str, str]) -> str:
    """The PREFIX declarations of a SPARQL query for ``prefixes`` (name -> namespace IRI), one a line."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())


def rebase(text: str, base: str) -> str:
    """Rewrite a text written against ``DEFAULT_BASE`` so that it uses ``base``."""
    return text if base == DEFAULT_BASE else text.replace(DEFAULT_BASE, base)


@dataclass(frozen=True)
class Vocab:
    """The IRIs of one deployment, derived from its base IRI."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#': {self.base!r}")

    # -- the ontology -----------------------------------------------------------------------
    @cached_property
    def ontology(self) -> str:
        return self.base + "ontology"

    @cached_property
    def ns(self) -> str:
        return self.ontology + "#"

    def term(self, local: str) -> str:
        return self.ns + local

    @cached_property
    def prefixes(self) -> dict[str, str]:
        ids = {
            name: self.id(path) + "/"
            for name, path in (
                ("committee", "committee"),
                ("office", "office"),
                ("partycommittee", "party-committee"),
                ("region", "region"),
                ("unit", "unit"),
                ("duty", "duty"),
                ("task", "task"),
                ("passage", "passage"),
                ("bureau", "bureau"),
                ("article", "article"),
                ("rule", "rule"),
            )
        }
        return {"bm": self.ns, "bmid": self.base + "id/", **ids, "bmg": self.base + "graph/", **EXTERNAL_PREFIXES}

    def sparql_prologue(self) -> str:
        return declare_prefixes(self.prefixes)

    # -- instances ----------------------------------------------------------------------------
    def id(self, *parts: str) -> str:
        return self.base + "id/" + "/".join(parts)

    def committee(self, committee_id: str) -> str:
        return self.id("committee", committee_id)

    def office(self, committee_id: str) -> str:
        return self.id("office", committee_id)

    def party_committee(self, region_id: str) -> str:
        return self.id("party-committee", region_id)

    def region(self, code: str) -> str:
        return self.id("region", code)

    def unit(self, unit_id: str) -> str:
        return self.id("unit", unit_id)

    def duty(self, number: int) -> str:
        return self.id("duty", str(number))

    def task(self, number: int) -> str:
        return self.id("task", str(number))

    def measure(self, task: int, number: int) -> str:
        return self.id("task", str(task), "measure", str(number))

    def pillar(self, slug: str) -> str:
        return self.id("pillar", slug)

    def capability(self, slug: str) -> str:
        return self.id("capability", slug)

    def management_system(self) -> str:
        return self.id("management-system")

    def passage(self, passage_id: str) -> str:
        return self.id("passage", passage_id)

    def source(self, slug: str) -> str:
        return self.id("source", slug)

    def bureau(self, committee_id: str) -> str:
        """The secrecy bureau (保密行政管理部门) that is one body with the office of committee ``committee_id``."""
        return self.id("bureau", committee_id)

    def article(self, article_id: str) -> str:
        """An article (or paragraph) of a legal instrument: ``bmtl-2024-art61p1``."""
        return self.id("article", article_id)

    def rule(self, rule_id: str) -> str:
        """A rule drawn from the law (data/legal/rules.csv)."""
        return self.id("rule", rule_id)

    def basis(self, ref: str) -> str:
        """The IRI of a basis of a rule: an article id, ``passage:<id>`` or ``source:<id>``."""
        head, colon, rest = ref.partition(":")
        if not colon:
            return self.article(ref)
        return self.passage(rest) if head == "passage" else self.source(rest)

    # -- named graphs (provenance) ---------------------------------------------------------------
    def graph(self, *parts: str) -> str:
        return self.base + "graph/" + "/".join(parts)

    def passage_graph(self, passage_id: str) -> str:
        return self.graph("passage", passage_id)

    @cached_property
    def ontology_graph(self) -> str:
        return self.graph("ontology")

    @cached_property
    def meta_graph(self) -> str:
        return self.graph("meta")

    @cached_property
    def dataset(self) -> str:
        return self.id("dataset")
