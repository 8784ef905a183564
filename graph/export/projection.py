"""A scope's projection: the part of the graph it names as a ``networkx.MultiDiGraph``.

:func:`project` reads the :class:`~graph.directory.model.Directory` (no store round trip):

* nodes: committees (``kind`` committee or departmental), and — as the edge kinds bring them in —
  their offices (``office`` or ``administrative`` edges), Party committees (``leadership`` or ``reporting``
  edges), the units of departmental bodies (``departmental`` edges) and the secrecy bureaus (``administrative``
  edges: one beside each committee of a division and the centre, as the graph has them);
* edges: one per link of the store, keyed by the local name of its predicate; a link stored in
  both directions (``bm:guides``/``bm:guidedBy``, ``bm:hasOffice``/``bm:officeOf``) is one edge
  carrying its ``predicate`` and ``inverse`` (``bm:sameBodyAs``, symmetric, is its own inverse).  A bureau is
  guided by the bureau of the next higher division (``bm:bureauGuidedBy``), which may pass over a Party body off
  the division tree (兵团, 师, 党工委), as in the graph.

Every writer of :mod:`graph.export` draws from it; nodes and edges come in a stable order, so an export is
the same file each time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from graph.answers.jurisdiction import bureaus_above, has_bureau
from graph.directory.model import Committee, Directory
from graph.errors import InvalidExport
from graph.export.scope import NameReader, Scope, resolve_scope
from graph.vocab import LEVELS, EdgeKind, Lang, Level, NodeKind

__all__ = ["LINKS", "Link", "node_key", "project"]


@dataclass(frozen=True, slots=True)
class Link:
    """A kind of link: its predicate (local name in the ontology), its inverse, and its labels."""

    kind: EdgeKind
    predicate: str
    inverse: str
    label_zh: str
    label_en: str


LINKS: tuple[Link, ...] = (
    Link(EdgeKind.GUIDANCE, "guides", "guidedBy", "指导监督", "guides"),
    Link(EdgeKind.REPORTING, "reportsTo", "", "报告", "reports to"),
    Link(EdgeKind.OFFICE, "hasOffice", "officeOf", "办事机构", "has office"),
    Link(EdgeKind.LEADERSHIP, "formedBy", "", "组建", "formed by"),
    Link(EdgeKind.LEADERSHIP, "ledBy", "", "领导", "led by"),
    Link(EdgeKind.LEADERSHIP, "responsibleTo", "", "负责", "responsible to"),
    Link(EdgeKind.DEPARTMENTAL, "withinJurisdictionOf", "", "属地", "within jurisdiction of"),
    Link(EdgeKind.DEPARTMENTAL, "ofUnit", "", "所属单位", "of unit"),
    Link(EdgeKind.ADMINISTRATIVE, "sameBodyAs", "sameBodyAs", "一个机构、两块牌子", "same body as"),
    Link(EdgeKind.ADMINISTRATIVE, "bureauGuidedBy", "", "受指导", "guided by"),
)
_LINK = {link.predicate: link for link in LINKS}


def node_key(kind: str, ident: str) -> str:
    """The node key of a projection: ``committee:330106``, ``office:330106``, ``party-committee:330106``,
    ``unit:mfa``, ``bureau:330106``."""
    return f"{kind}:{ident}"


def _children(d: Directory, cid: str, departmental: bool) -> list[str]:
    return d.subordinates.get(cid, []) + (d.departmental.get(cid, []) if departmental else [])


def _committees_in_scope(d: Directory, scope: Scope) -> list[Committee]:
    with_departmental = Level.DEPARTMENTAL in scope.levels and EdgeKind.DEPARTMENTAL in scope.edges
    if scope.chain:
        picked = d.chain(scope.chain)[::-1]
    else:
        root = scope.root or "central"
        expand = set(scope.expand)
        picked = [d.committee(root)]
        frontier = [root]
        level = 0
        while frontier:
            nxt: list[str] = []
            for parent in frontier:
                if (scope.depth is None or level < scope.depth) or parent in expand:
                    nxt += _children(d, parent, with_departmental)
            picked += [d.committees[c] for c in nxt]
            frontier = nxt
            level += 1
    kept = [c for c in picked if c.level in scope.levels and (with_departmental or not c.departmental)]
    if not kept:
        raise InvalidExport(
            f"the scope holds no committee ({scope.describe()}): widen the level filter or choose another root",
            "level",
            LEVELS,
        )
    return kept


@dataclass
class _Builder:
    d: Directory
    scope: Scope
    g: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)

    def label(self, zh: str, en: str, short_zh: str, short_en: str) -> tuple[str, str]:
        """(short label, full name) in the scope's language."""
        if self.scope.lang == Lang.EN:
            return short_en or en, en
        return short_zh or zh, zh

    def node(
        self,
        key: str,
        kind: NodeKind,
        level: str,
        committee: str,
        iri: str,
        names: tuple[str, str, str, str],
        **extra: str,
    ) -> None:
        zh, en, short_zh, short_en = names
        label, name = self.label(zh, en, short_zh, short_en)
        # Plain strings in the graph: its writers (networkx's GraphML among them) take no other type.
        self.g.add_node(
            key,
            kind=kind.value,
            level=str(level),
            label=label,
            name=name,
            name_zh=zh,
            name_en=en,
            short_zh=short_zh or zh,
            short_en=short_en or en,
            committee=committee,
            iri=iri,
            **extra,
        )

    def edge(self, u: str, v: str, predicate: str) -> None:
        if u not in self.g or v not in self.g:
            return
        link = _LINK[predicate]
        ns = self.d.vocab
        self.g.add_edge(
            u,
            v,
            key=predicate,
            id=f"{u}|{predicate}|{v}",
            kind=link.kind.value,
            predicate=ns.term(predicate),
            inverse=ns.term(link.inverse) if link.inverse else "",
            label=link.label_en if self.scope.lang == Lang.EN else link.label_zh,
        )


def project(
    directory: Directory, scope: Scope, resolver: NameReader | None = None, *, as_of: date | None = None
) -> nx.MultiDiGraph:
    """The scope as a networkx MultiDiGraph, nodes and edges in a stable order (see the module docstring); ``as_of``:
    the day whose ``directory`` it is, named in the title and kept as the graph's ``as_of``."""
    d, edges = directory, set(scope.edges)
    scope = resolve_scope(d, scope, resolver)
    b = _Builder(d, scope)
    committees = _committees_in_scope(d, scope)
    for c in committees:
        b.node(
            node_key(NodeKind.COMMITTEE, c.id),
            NodeKind.DEPARTMENTAL if c.departmental else NodeKind.COMMITTEE,
            c.level,
            c.id,
            c.iri,
            (c.name_zh, c.name_en, c.short_zh, c.short_en),
            region=c.region,
            upper=c.upper or "",
        )
        if edges & {EdgeKind.OFFICE, EdgeKind.ADMINISTRATIVE}:
            o = c.office
            extra = {"nameplate_zh": o.nameplate_zh, "nameplate_en": o.nameplate_en} if o.nameplate_zh else {}
            b.node(
                node_key(NodeKind.OFFICE, c.id),
                NodeKind.OFFICE,
                c.level,
                c.id,
                o.iri,
                (o.name_zh, o.name_en, o.short_zh, o.short_en),
                region=c.region,
                **extra,
            )
        if EdgeKind.ADMINISTRATIVE in edges and has_bureau(c):
            b.node(
                node_key(NodeKind.BUREAU, c.id),
                NodeKind.BUREAU,
                c.level,
                c.id,
                d.vocab.bureau(c.id),
                _bureau_names(c),
                region=c.region,
            )
        if c.party is not None and edges & {EdgeKind.LEADERSHIP, EdgeKind.REPORTING}:
            p = c.party
            b.node(
                node_key(NodeKind.PARTY_COMMITTEE, c.id),
                NodeKind.PARTY_COMMITTEE,
                c.level,
                c.id,
                p.iri,
                (p.name_zh, p.name_en, p.short_zh, p.short_en),
                region=c.region,
            )
        if c.unit is not None and EdgeKind.DEPARTMENTAL in edges:
            u = c.unit
            b.node(
                node_key(NodeKind.UNIT, u.id),
                NodeKind.UNIT,
                Level.DEPARTMENTAL,
                c.id,
                u.iri,
                (u.name_zh, u.name_en, u.short_zh, ""),
                region=c.region,
                unit_kind=u.kind,
            )
    g = b.g
    for c in committees:
        me, party = node_key(NodeKind.COMMITTEE, c.id), node_key(NodeKind.PARTY_COMMITTEE, c.id)
        upper = node_key(NodeKind.COMMITTEE, c.upper) if c.upper else ""
        if c.departmental:
            if EdgeKind.DEPARTMENTAL in edges:
                b.edge(me, upper, "withinJurisdictionOf")
                if c.unit is not None:
                    b.edge(me, node_key(NodeKind.UNIT, c.unit.id), "ofUnit")
            if EdgeKind.OFFICE in edges:
                b.edge(me, node_key(NodeKind.OFFICE, c.id), "hasOffice")
            continue
        if EdgeKind.GUIDANCE in edges and c.upper:
            b.edge(upper, me, "guides")
        if EdgeKind.REPORTING in edges and c.upper and c.special is None:  # special bodies carry no duty 8
            # ch5.1.duty8: to the same-level Party committee and to the upper committee
            b.edge(me, party, "reportsTo")
            b.edge(me, upper, "reportsTo")
        if EdgeKind.OFFICE in edges:
            b.edge(me, node_key(NodeKind.OFFICE, c.id), "hasOffice")
        if EdgeKind.LEADERSHIP in edges:
            for predicate in ("formedBy", "ledBy", "responsibleTo"):
                b.edge(me, party, predicate)
        if EdgeKind.ADMINISTRATIVE in edges and has_bureau(c):
            bureau = node_key(NodeKind.BUREAU, c.id)
            b.edge(bureau, node_key(NodeKind.OFFICE, c.id), "sameBodyAs")
            above = bureaus_above(d, d.regions[c.region]) if c.upper else []
            if above:
                b.edge(bureau, node_key(NodeKind.BUREAU, above[0].id), "bureauGuidedBy")
    g.graph.update(
        name="baomi-kg",
        title=_title(committees, scope, as_of),
        scope=scope.describe(),
        lang=str(scope.lang),
        levels=",".join(scope.levels),
        edges=",".join(scope.edges),
        base=d.vocab.base,
    )
    if as_of is not None:
        g.graph["as_of"] = as_of.isoformat()
    return g


def _bureau_names(c: Committee) -> tuple[str, str, str, str]:
    """The secrecy bureau's names: the office's second nameplate (杭州市国家保密局), and as its short name the
    office's with 保密局 for 保密办 (杭州市保密局, Hangzhou Secrecy Bureau); the national bureau by its name."""
    o = c.office
    short_zh, short_en = o.nameplate_zh, o.nameplate_en
    if c.upper and o.short_zh.endswith("保密办"):
        short_zh = o.short_zh.removesuffix("保密办") + "保密局"
    if c.upper and o.short_en.endswith("Confidentiality Office"):
        short_en = o.short_en.removesuffix("Confidentiality Office") + "Secrecy Bureau"
    return o.nameplate_zh, o.nameplate_en, short_zh, short_en


def _title(committees: list[Committee], scope: Scope, as_of: date | None) -> str:
    """A heading for pictures, in the scope's language, with the day of a past directory."""
    title = _heading(committees, scope)
    if as_of is None:
        return title
    if scope.lang == Lang.EN:
        return f"{title}, as of {as_of.isoformat()}"
    return f"{title}（{as_of.year}年{as_of.month}月{as_of.day}日）"


def _heading(committees: list[Committee], scope: Scope) -> str:
    en = scope.lang == Lang.EN
    if scope.chain:
        c = committees[-1]
        return f"{c.short_en or c.name_en}: guiding chain up to the centre" if en else f"{c.short_zh}至中央的指导链"
    first = committees[0]
    name = (first.short_en or first.name_en) if en else first.short_zh
    if scope.root in (None, "central") and scope.depth is None:
        return "The confidentiality committee system (whole graph)" if en else "保密委员会体系（全图）"
    if scope.depth is None:
        return f"{name} and every committee below it" if en else f"{name}及其全部下级"
    if en:
        return f"{name} and {scope.depth} level{'s' if scope.depth != 1 else ''} below"
    return f"{name}及其下{scope.depth}级"
