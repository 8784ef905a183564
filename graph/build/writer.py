"""The writer of the build: it collects the quads of the graph, each in the named graph of what supports it.

The provenance table (:mod:`graph.sources.provenance`) names that graph for each kind of triple
(:meth:`QuadWriter.cited`); the writer adds types, labels, texts, numbers and links in the project's
vocabulary, and the level of a region or committee as the ontology's concept of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad

from graph.namespaces import RDF, RDFS, SKOS, XSD, Vocab
from graph.sources.divisions import NATION_CODE, Division
from graph.sources.provenance import Provenance, load_provenance
from graph.vocab import Level

__all__ = ["LEVEL_TERMS", "QuadWriter", "committee_id"]

# A level -> its concept in the ontology's scheme of levels (departmental bodies carry none).
LEVEL_TERMS: dict[str, str] = {
    Level.CENTRAL: "LevelCentral",
    Level.PROVINCIAL: "LevelProvincial",
    Level.MUNICIPAL: "LevelMunicipal",
    Level.COUNTY: "LevelCounty",
}


def committee_id(d: Division) -> str:
    """The id of the committee that leads the work of division ``d``: its code, or ``central`` for the nation."""
    return "central" if d.code == NATION_CODE else d.code


@dataclass
class QuadWriter:
    """Collects quads, each in the named graph of what supports it."""

    vocab: Vocab
    quads: list[Quad] = field(default_factory=list)
    prov: Provenance = field(default_factory=load_provenance)

    def cited(self, prop: str, subject: str, obj: str, level: str) -> str:
        """The named graph of the provenance table's row for such a triple."""
        return self.prov.graph(self.vocab, prop, subject, obj, level)

    def term(self, local: str) -> NamedNode:
        return NamedNode(self.vocab.term(local))

    def add(self, graph: str, s: str, p: str, o: NamedNode | Literal) -> None:
        self.quads.append(Quad(NamedNode(s), NamedNode(p), o, NamedNode(graph)))

    def link(self, graph: str, s: str, local: str, o: str) -> None:
        self.add(graph, s, self.vocab.term(local), NamedNode(o))

    def types(self, graph: str, s: str, *locals_: str) -> None:
        for local in locals_:
            self.add(graph, s, RDF + "type", self.term(local))

    def labels(self, graph: str, s: str, zh: str, en: str, short_zh: str = "", short_en: str = "") -> None:
        self.add(graph, s, RDFS + "label", Literal(zh, language="zh"))
        self.add(graph, s, RDFS + "label", Literal(en, language="en"))
        if short_zh and short_zh != zh:
            self.add(graph, s, SKOS + "altLabel", Literal(short_zh, language="zh"))
        if short_en and short_en != en:
            self.add(graph, s, SKOS + "altLabel", Literal(short_en, language="en"))

    def text(self, graph: str, s: str, p: str, value: str, lang: str | None = None) -> None:
        if value:
            self.add(graph, s, p, Literal(value, language=lang) if lang else Literal(value))

    def integer(self, graph: str, s: str, p: str, value: int) -> None:
        self.add(graph, s, p, Literal(str(value), datatype=NamedNode(XSD + "integer")))

    def level(self, graph: str, s: str, level: str) -> None:
        """The level of a region or a committee, as the ontology's concept of it."""
        self.link(graph, s, "level", self.vocab.term(LEVEL_TERMS[level]))
