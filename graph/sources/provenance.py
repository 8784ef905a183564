"""The provenance table: which passage, outside source or labelled inference supports which relation.

``data/provenance.csv`` has one row per kind of triple: the predicate(s), the kind of subject and of
object, the levels of the committee concerned, and the support — a passage id (``ch5.1.p3``), an
outside source (``source:<id>``), an inference (``inference:<id>``) or ``own`` (the passage that a
transcribed duty, task or measure comes from) — with the short words of the passage that state it.
``data/sources.csv`` describes the sources and inferences and names the graph each one's facts sit in;
an inference names its basis: the passages and the outside sources (``source:<id>``) it is drawn from.

The bodies off the division tree (:mod:`graph.sources.special`) have kinds of their own: ``party-body`` (the
Party committee of the 兵团, of a 师 or a working committee), ``special-committee`` and ``special-office``
(their inferred confidentiality bodies and offices); their "level" in the table is the kind of body
(``corps``, ``corps-division``, ``work-committee``).  The history (:mod:`graph.build.history`) has its own
kinds: ``event`` (a change event), ``former-region`` and ``former-committee`` (a division that no longer stands
under its code and name, and its committee), and ``web`` (an address outside the graph a fact points to).

The build asks :meth:`Provenance.graph` where to write each link, so a link can only land in the
graph of the row that allows it; ``tests/graph/test_provenance.py`` checks every triple of the built
graph against the table and every quotation against the passages.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graph.errors import DataError
from graph.namespaces import EXTERNAL_PREFIXES, Vocab
from graph.paths import DATA_DIR
from graph.sources import special
from graph.sources.law import load_law
from graph.vocab import LEVELS as COMMITTEE_LEVELS

__all__ = ["KINDS", "LEVELS", "Provenance", "Relation", "SourceInfo", "load_provenance"]

# The "level" column: a committee's level, or a special body's kind.
LEVELS = (*COMMITTEE_LEVELS, *special.KINDS)
# The kinds of resource a row may name as subject or object.
KINDS = (
    "committee",
    "office",
    "party-committee",
    "post",
    "region",
    "unit",
    "term",
    "duty",
    "task",
    "measure",
    "system",
    "pillar",
    "capability",
    "class",
    "concept",
    "literal",
    "passage",
    "source",
    "party-body",
    "special-committee",
    "special-office",
    "bureau",
    "event",
    "former-region",
    "former-committee",
    "web",
)
SUPPORT_KINDS = ("statement", "inference", "annotation", "data", "transcription")
OWN = "own"


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A text, dataset, outside page or labelled inference that facts of the graph rest on."""

    id: str
    kind: str  # text | data | page | law | inference
    graph: str  # path under graph/ of the named graph its facts sit in ("ontology" for the textbook)
    label_zh: str
    label_en: str
    title: str
    publisher: str
    date: str
    url: str
    license: str
    basis: tuple[str, ...]  # inferences: the passages (ids) and outside sources (source:<id>) they are drawn from
    excerpt_zh: str
    comment_en: str


@dataclass(frozen=True, slots=True)
class Relation:
    """One row of the provenance table."""

    properties: tuple[str, ...]  # prefixed names, or ("*",)
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    levels: tuple[str, ...]  # ("*",) for any
    support: str  # a passage id, source:<id>, inference:<id> or own
    quote: str
    kind: str
    note: str

    def allows(self, prop: str, subject: str, obj: str, level: str) -> bool:
        return (
            (self.properties == ("*",) or prop in self.properties)
            and subject in self.subjects
            and (self.objects == ("*",) or obj in self.objects)
            and (self.levels == ("*",) or level in self.levels)
        )

    @property
    def source_id(self) -> str | None:
        """The id in sources.csv for source: and inference: supports."""
        head, _, rest = self.support.partition(":")
        return rest if head in ("source", "inference") and rest else None


@dataclass(frozen=True)
class Provenance:
    relations: tuple[Relation, ...]
    sources: dict[str, SourceInfo]

    def support(self, prop: str, subject: str, obj: str, level: str) -> Relation:
        """The one row that allows a triple of this kind (``prop`` as a prefixed name)."""
        rows = [r for r in self.relations if r.allows(prop, subject, obj, level)]
        if len(rows) != 1:
            raise DataError(f"provenance.csv: {len(rows)} rows allow {prop} from {subject} to {obj} at level {level}")
        return rows[0]

    def support_graph(self, vocab: Vocab, support: str) -> str:
        """The named graph of a passage id, source:<id> or inference:<id>."""
        head, _, rest = support.partition(":")
        if head in ("source", "inference"):
            return vocab.graph(*self.sources[rest].graph.split("/"))
        return vocab.passage_graph(support)

    def graph(self, vocab: Vocab, prop: str, subject: str, obj: str, level: str) -> str:
        """The named graph a triple of this kind is written into, from its row of the table."""
        row = self.support(prop, subject, obj, level)
        if row.support == OWN:
            raise DataError(f"provenance.csv: {prop} from {subject} sits in the graph of its own passage")
        return self.support_graph(vocab, row.support)


def expand(vocab: Vocab, prefixed: str) -> str:
    """The IRI of a prefixed name of the table (``bm:`` is the ontology's namespace)."""
    prefix, _, local = prefixed.partition(":")
    namespaces = {"bm": vocab.ns, **EXTERNAL_PREFIXES}
    if prefix not in namespaces or not local:
        raise DataError(f"provenance.csv: unknown prefixed name {prefixed!r}")
    return namespaces[prefix] + local


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split())


def _law_sources(taken: set[str]) -> dict[str, SourceInfo]:
    """The legal instruments in use (data/legal/), each a source whose facts sit in graph/law/<id>; its excerpt is
    the operative words of its articles used, which the table's quotations must be."""
    law = load_law()
    out: dict[str, SourceInfo] = {}
    for inst in law.instruments.values():
        if not inst.in_use:
            continue
        if inst.id in taken:
            raise DataError(f"data/legal/instruments.csv: {inst.id} is also a source of data/sources.csv")
        words = [a.quote_zh for a in law.articles.values() if a.instrument == inst.id]
        short = inst.title_zh.split("（")[0].removeprefix("中华人民共和国")
        out[inst.id] = SourceInfo(
            inst.id,
            "law",
            f"law/{inst.id}",
            f"{short}（{inst.adopted[:4]}）",
            inst.title_en,
            inst.title_zh,
            inst.issuer_zh,
            inst.adopted,
            inst.url,
            "",
            (),
            "。".join(words),
            f"{inst.number}; in force from {inst.in_force or 'a date the copy read does not give'}. "
            + inst.version_note,
        )
    return out


@cache
def load_provenance(table: Path | None = None, sources_file: Path | None = None) -> Provenance:
    table = table or DATA_DIR / "provenance.csv"
    sources_file = sources_file or DATA_DIR / "sources.csv"
    try:
        with sources_file.open(encoding="utf-8", newline="") as handle:
            sources = {
                r["id"]: SourceInfo(
                    r["id"],
                    r["kind"],
                    r["graph"],
                    r["label_zh"],
                    r["label_en"],
                    r["title"],
                    r["publisher"],
                    r["date"],
                    r["url"],
                    r["license"],
                    _split(r["basis"]),
                    r["excerpt_zh"],
                    r["comment_en"],
                )
                for r in csv.DictReader(handle)
            }
        with table.open(encoding="utf-8", newline="") as handle:
            relations = tuple(
                Relation(
                    _split(r["property"]),
                    _split(r["subject"]),
                    _split(r["object"]),
                    _split(r["level"]),
                    r["support"],
                    r["quote"],
                    r["kind"],
                    r["note"],
                )
                for r in csv.DictReader(handle)
            )
    except (OSError, KeyError, TypeError) as exc:
        raise DataError(f"cannot read the provenance table: {exc!r}") from exc
    sources |= _law_sources(set(sources))
    for r in relations:
        names = set(r.subjects) | ({*r.objects} - {"*"})
        bad = names - set(KINDS) or ({*r.levels} - {"*"}) - set(LEVELS) or ({r.kind} - set(SUPPORT_KINDS))
        if bad or (r.source_id is not None and r.source_id not in sources):
            raise DataError(f"provenance.csv: row {r.properties} {r.subjects}: unknown {sorted(bad) or r.support}")
    for info in sources.values():
        unknown = [b for b in info.basis if b.startswith("source:") and b.removeprefix("source:") not in sources]
        if unknown:
            raise DataError(f"sources.csv: {info.id} is drawn from unknown sources {unknown}")
    graphs = [s.graph for s in sources.values()]
    if len(set(graphs)) != len(graphs):
        raise DataError("sources.csv: two sources name the same graph")
    return Provenance(relations, sources)
