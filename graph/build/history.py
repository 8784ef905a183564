"""The history of the divisions as quads: change events, the former regions and committees they link, lifetimes.

Every event of ``data/history.csv`` (:mod:`graph.sources.history`) is listed in the graph ``graph/history``.  An
event the history uses, whose divisions the graph can name, is an ``org:ChangeEvent`` (``id/change/<event id>``):
its kind (a concept of ``bm:ChangeKindScheme``), its year (``bm:year``, an ``xsd:gYear``) with its month or day
when the source gives one and the precision said outright (``bm:datePrecision``), the approval number and the
source's address, and the regions and committees before and after it (``bm:originalRegion``,
``org:originalOrganization``, ``bm:resultingRegion``, ``org:resultingOrganization``).  Every other event is a
``bm:UnusedChangeEvent`` with its flag and the reason: the source marks it as noise or it contradicts the division
table (the flags of ``history.csv``), or the graph cannot tell which division it means (``unresolved``: a division
no table of the history holds, or an event of the Ministry's notices whose words name no single division).

The lifetimes are those of the tables :func:`~graph.sources.history.divisions_as_of` rebuilds at the end of each
year: a division (a code with the name it bore) that stands today keeps its IRI and gets ``bm:validFrom``, the
year it appeared, when the history made it; one that no longer stands is a ``bm:FormerRegion`` named by its code
and its name of the time (``region/420600~襄樊市``, as :mod:`graph.directory.as_of` names it), with the year it
ended (``bm:validUntil``), and its committee a ``bm:FormerCommittee`` (``committee/420600~襄樊市``) with the same
years.  Only the former divisions an event links get a resource; a division without a CPC body (金门县) gets no
committee, now or before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pyoxigraph import Literal, NamedNode

from graph.build.writer import QuadWriter
from graph.namespaces import DCT, ORG, RDF, RDFS, XSD
from graph.sources.divisions import NATION_CODE, Division, Divisions
from graph.sources.history import FIRST_YEAR, ChangeEvent, divisions_as_of, load_history
from graph.sources.naming import names_for
from graph.sources.romanize import english_name
from graph.sources.special import load_outside

__all__ = ["CONTINUING", "KIND_TERMS", "UNRESOLVED", "history_quads"]

# A kind of data/history.csv -> its concept in the ontology's scheme of kinds of change.
KIND_TERMS: dict[str, str] = {
    "renamed": "ChangeRenamed",
    "established": "ChangeEstablished",
    "abolished": "ChangeAbolished",
    "merged": "ChangeMerged",
    "split": "ChangeSplit",
    "county-to-city": "ChangeCountyToCity",
    "county-to-district": "ChangeCountyToDistrict",
    "prefecture-to-city": "ChangePrefectureToCity",
    "city-to-district": "ChangeCityToDistrict",
    "transfer": "ChangeTransfer",
    "code-change": "ChangeCodeChange",
    "seat-moved": "ChangeSeatMoved",
    "other": "ChangeOther",
}
UNRESOLVED = "unresolved"  # the graph's own flag: an event whose divisions the graph cannot name
# The source's words for the changes that re-designate one place: its bodies go on under the new name or code
# (bm:continuedAs, an inference: data/sources.csv inference:redesignation).
CONTINUING = frozenset({"更名", "同名改码", "码位改派", "撤县设市", "撤旗设区", "撤县设区", "撤地设市", "撤市设区"})

Identity = tuple[str, str]  # a division as the history knows it: its code and the name it bore


@dataclass(frozen=True, slots=True)
class Lifetime:
    """The last stretch of years a division stood, as the year-end tables show it."""

    start: int | None  # the year it appeared, None when it stood before the history begins
    end: int | None  # the year it ended, None when it stands today
    division: Division  # as it last stood
    context: Divisions  # it and its higher divisions then (for its names)


@dataclass(frozen=True, slots=True)
class _Side:
    identity: Identity | None  # None: the side names no division the graph can tell
    code: str
    name: str


class _History:
    """The year-end tables of the history and what they say of each division."""

    def __init__(self, divisions: Divisions, last_year: int) -> None:
        self.today = divisions
        self.tables = {
            y: divisions_as_of(date(y, 12, 31), divisions).divisions for y in range(FIRST_YEAR - 1, last_year)
        }
        self.tables[last_year] = divisions
        years: dict[Identity, list[int]] = {}
        for year, table in self.tables.items():
            for d in table:
                years.setdefault((d.code, d.name), []).append(year)
        self.lifetimes = {ident: self._lifetime(ident, seen) for ident, seen in years.items()}
        self._names: dict[int, dict[str, list[Division]]] = {}

    def _lifetime(self, ident: Identity, seen: list[int]) -> Lifetime:
        first = len(seen) - 1
        while first and seen[first - 1] == seen[first] - 1:
            first -= 1
        current = self.today.by_code.get(ident[0])
        standing = current is not None and current.name == ident[1]
        table = self.tables[seen[-1]]
        chain = [*reversed(table.ancestors(ident[0])), table[ident[0]]]
        return Lifetime(
            seen[first] if seen[first] >= FIRST_YEAR else None,
            None if standing else seen[-1] + 1,
            table[ident[0]],
            Divisions({d.code: d for d in chain}),
        )

    def named(self, name: str, year: int) -> Identity | None:
        """The one division named ``name`` at the end of ``year``, if exactly one bears it."""
        if year not in self._names:
            index: dict[str, list[Division]] = {}
            for d in self.tables[year]:
                index.setdefault(d.name, []).append(d)
            self._names[year] = index
        found = self._names[year].get(name, [])
        return (found[0].code, found[0].name) if len(found) == 1 else None

    def side(self, code: str, name: str, year: int) -> _Side:
        """A side of an event: by its code and name, or, for an event without codes, by a name only one division of
        that year bears."""
        if code:
            return _Side((code, name) if (code, name) in self.lifetimes else None, code, name)
        year = max(FIRST_YEAR - 1, min(year, max(self.tables)))
        return _Side(self.named(name, year) if name else None, code, name)


def _year(value: int) -> Literal:
    return Literal(f"{value:04d}", datatype=NamedNode(XSD + "gYear"))


def history_quads(w: QuadWriter, divisions: Divisions, events: Iterable[ChangeEvent] | None = None) -> None:
    """The events (all of data/history.csv unless given), the former divisions they link and the lifetimes."""
    events = tuple(load_history() if events is None else events)
    if not events:
        return
    hist = _History(divisions, max(max(e.year for e in events), max(e.year for e in load_history())))
    out = _Quads(w, hist, {(o.code[:2], o.name) for o in load_outside(divisions)})
    linked: set[Identity] = set()
    continuing: list[tuple[Identity, Identity]] = []
    for e in events:
        old = hist.side(e.old_code, e.old_name, e.year - 1)
        new = hist.side(e.new_code, e.new_name, e.year)
        sides = [s for s in (old, new) if s.code or s.name]
        resolved = [s.identity for s in sides if s.identity is not None]
        if e.used and resolved and all(s.identity is not None for s in sides if s.code):
            out.event(e, old, new)
            linked.update(resolved)
            if e.source_kind in CONTINUING and old.identity is not None and new.identity not in (None, old.identity):
                continuing.append((old.identity, new.identity))
        else:
            out.unused(e, old, new)
    out.lifetimes(linked)
    out.continued(_one_to_one(continuing))


def _one_to_one(pairs: list[tuple[Identity, Identity]]) -> list[tuple[Identity, Identity]]:
    """The re-designations whose division before and after take part in no other one: a place that two events
    re-designate into one (or one into two) is not one body going on."""
    before = Counter(old for old, _ in pairs)
    after = Counter(new for _, new in pairs)
    return sorted({(old, new) for old, new in pairs if before[old] == 1 and after[new] == 1})


class _Quads:
    """Writes the history's quads, each in the graph the provenance table names (looked up once per kind)."""

    def __init__(self, w: QuadWriter, hist: _History, without_body: set[tuple[str, str]]) -> None:
        self.w, self.v, self.hist = w, w.vocab, hist
        self.without_body = without_body  # (province prefix, name) of the divisions without a CPC body (金门县)
        self.with_body = {d.code for d in hist.today if (d.code[:2], d.name) not in without_body}
        self._graphs: dict[tuple[str, str, str], str] = {}
        self._english: dict[Identity, str] = {}

    def graph(self, prop: str, subject: str, obj: str) -> str:
        key = (prop, subject, obj)
        if key not in self._graphs:
            self._graphs[key] = self.w.cited(prop, subject, obj, "*")
        return self._graphs[key]

    def _side_label(self, side: _Side, lang: str) -> str:
        text = side.name or "—"
        if side.identity is not None and lang == "en":
            if side.identity not in self._english:
                d = self.hist.lifetimes[side.identity].division
                self._english[side.identity] = english_name(d.name, d.type, d.code)
            text = self._english[side.identity]
        if side.code:
            return f"{text}（{side.code}）" if lang == "zh" else f"{text} ({side.code})"
        return text

    def _describe(self, s: str, e: ChangeEvent, old: _Side, new: _Side) -> None:
        w, v = self.w, self.v
        g = self.graph("rdfs:label", "event", "literal")
        zh = f"{self._side_label(old, 'zh')} → {self._side_label(new, 'zh')}"
        en = f"{self._side_label(old, 'en')} → {self._side_label(new, 'en')}"
        w.labels(g, s, f"{e.year}年{e.source_kind}：{zh}", f"{e.year}, {e.kind.replace('-', ' ')}: {en}")
        w.text(g, s, v.term("identifier"), e.id)
        w.add(g, s, v.term("year"), _year(e.year))
        if e.month is not None:
            month = Literal(f"{e.year:04d}-{e.month:02d}", datatype=NamedNode(XSD + "gYearMonth"))
            w.add(g, s, v.term("month"), month)
        if e.day is not None:
            w.add(g, s, v.term("day"), Literal(e.day.isoformat(), datatype=NamedNode(XSD + "date")))
        w.text(g, s, v.term("datePrecision"), e.precision)
        w.text(g, s, v.term("document"), e.document)
        w.link(self.graph("bm:changeKind", "event", "concept"), s, "changeKind", v.term(KIND_TERMS[e.kind]))
        if e.source_url:
            w.add(self.graph("rdfs:seeAlso", "event", "web"), s, RDFS + "seeAlso", NamedNode(e.source_url))

    def standing(self, ident: Identity) -> bool:
        return self.hist.lifetimes[ident].end is None

    def region(self, ident: Identity) -> str:
        code, name = ident
        return self.v.region(code if self.standing(ident) else f"{code}~{name}")

    def committee(self, ident: Identity) -> str | None:
        """The committee of a division: today's, a former one, or none for a division without a CPC body."""
        code, name = ident
        if self.standing(ident):
            return self.v.committee(code) if code in self.with_body else None
        return None if (code[:2], name) in self.without_body else self.v.committee(f"{code}~{name}")

    def event(self, e: ChangeEvent, old: _Side, new: _Side) -> None:
        s = self.v.id("change", e.id)
        self.w.add(self.graph("rdf:type", "event", "class"), s, RDF + "type", NamedNode(ORG + "ChangeEvent"))
        self._describe(s, e, old, new)
        for side, where in ((old, "original"), (new, "resulting")):
            if side.identity is None:
                continue
            former = "" if self.standing(side.identity) else "former-"
            g = self.graph(f"bm:{where}Region", "event", f"{former}region")
            self.w.link(g, s, f"{where}Region", self.region(side.identity))
            committee = self.committee(side.identity)
            if committee is not None:
                g = self.graph(f"org:{where}Organization", "event", f"{former}committee")
                self.w.add(g, s, ORG + f"{where}Organization", NamedNode(committee))

    def unused(self, e: ChangeEvent, old: _Side, new: _Side) -> None:
        v, s = self.v, self.v.id("change", e.id)
        self.w.types(self.graph("rdf:type", "event", "class"), s, "UnusedChangeEvent")
        self._describe(s, e, old, new)
        g = self.graph("bm:flag", "event", "literal")
        if e.flag:
            self.w.text(g, s, v.term("flag"), e.flag)
            self.w.text(g, s, v.term("flagReason"), e.flag_reason)
            return
        unnamed = [x.name or x.code for x in (old, new) if (x.code or x.name) and x.identity is None]
        how = " (by code)" if e.old_code or e.new_code else " (the notice's words name no single division)"
        self.w.text(g, s, v.term("flag"), UNRESOLVED)
        self.w.text(g, s, v.term("flagReason"), "no table of the history holds " + " or ".join(unnamed) + how)

    def lifetimes(self, linked: set[Identity]) -> None:
        """bm:validFrom of today's divisions an event made; the former divisions the events link, with their years."""
        w, v = self.w, self.v
        for d in self.hist.today:
            life = self.hist.lifetimes.get((d.code, d.name))
            if d.code == NATION_CODE or life is None or life.start is None:
                continue
            w.add(
                self.graph("bm:validFrom", "region", "literal"),
                v.region(d.code),
                v.term("validFrom"),
                _year(life.start),
            )
            if d.code in self.with_body:
                g = self.graph("bm:validFrom", "committee", "literal")
                w.add(g, v.committee(d.code), v.term("validFrom"), _year(life.start))
        for ident in sorted(linked):
            if not self.standing(ident):
                self._former(ident)

    def continued(self, pairs: Iterable[tuple[Identity, Identity]]) -> None:
        """``bm:continuedAs`` from a re-designated division and its committee to themselves after the event."""
        for old, new in pairs:
            if self.standing(old):
                continue  # a division that stands today under its code and name was not re-designated away
            later = "region" if self.standing(new) else "former-region"
            g = self.graph("bm:continuedAs", "former-region", later)
            self.w.link(g, self.region(old), "continuedAs", self.region(new))
            before, after = self.committee(old), self.committee(new)
            if before is not None and after is not None:
                g = self.graph("bm:continuedAs", "former-committee", later.replace("region", "committee"))
                self.w.link(g, before, "continuedAs", after)

    def _former(self, ident: Identity) -> None:
        w, v, life = self.w, self.v, self.hist.lifetimes[ident]
        key, d = f"{ident[0]}~{ident[1]}", life.division
        names = names_for(d, life.context)
        region = v.region(key)
        types, texts = (
            self.graph("rdf:type", "former-region", "class"),
            self.graph("rdfs:label", "former-region", "literal"),
        )
        w.types(types, region, "FormerRegion")
        w.level(types, region, d.level)
        w.labels(texts, region, names.region.zh, names.region.en)
        w.text(texts, region, v.term("identifier"), key)
        w.text(texts, region, v.term("divisionCode"), d.code)
        self._years(texts, region, life)
        committee = self.committee(ident)
        if committee is None:
            return
        types = self.graph("rdf:type", "former-committee", "class")
        texts = self.graph("rdfs:label", "former-committee", "literal")
        w.types(types, committee, "FormerCommittee")
        w.level(types, committee, d.level)
        w.labels(texts, committee, names.committee.zh, names.committee.en)
        w.text(texts, committee, v.term("identifier"), key)
        w.add(
            self.graph("dct:spatial", "former-committee", "former-region"),
            committee,
            DCT + "spatial",
            NamedNode(region),
        )
        self._years(texts, committee, life)

    def _years(self, graph: str, s: str, life: Lifetime) -> None:
        if life.start is not None:
            self.w.add(graph, s, self.v.term("validFrom"), _year(life.start))
        if life.end is not None:
            self.w.add(graph, s, self.v.term("validUntil"), _year(life.end))
