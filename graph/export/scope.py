"""The part of the graph an export or a picture shows, and its networkx projection.

A :class:`Scope` names the part: the whole graph, a subtree from a committee (``root``, ``depth``,
and committees whose subordinates are shown beyond the depth, ``expand``), or the chain of one
committee up to the centre (``chain``); filtered by level and by edge kind; labelled in Chinese
or English.  :func:`project` turns it into a ``networkx.MultiDiGraph`` read from the
:class:`~graph.directory.model.Directory` (no store round trip):

* nodes: committees (``kind`` committee or departmental), and — as the edge kinds bring them in —
  their offices (``office`` edges), Party committees (``leadership`` or ``reporting`` edges) and the
  units of departmental bodies (``departmental`` edges);
* edges: one per link of the store, keyed by the local name of its predicate; a link stored in
  both directions (``bm:guides``/``bm:guidedBy``, ``bm:hasOffice``/``bm:officeOf``) is one edge
  carrying its ``predicate`` and ``inverse``.

:func:`tree_layout` places the nodes of a projection as a compact tree (leaves in a grid under
their committee), so that yEd, Gephi and Cytoscape open a file with a readable picture;
:func:`picture_layout` does the same with the real sizes of the boxes of a picture, so that a big
scope is drawn about as wide as a screen, not as one long strip.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from graph.directory.model import Committee, Directory
from graph.directory.resolver import Resolver
from graph.errors import Ambiguous, InvalidRequest, NotFound

__all__ = [
    "EDGE_KINDS",
    "LANGS",
    "LEVEL_COLOURS",
    "LEVELS",
    "LINKS",
    "InvalidExport",
    "Link",
    "Scope",
    "make_scope",
    "node_key",
    "project",
    "resolve_committee",
    "resolve_scope",
    "picture_layout",
    "tree_layout",
]

LEVELS = ("central", "provincial", "municipal", "county", "departmental")
EDGE_KINDS = ("guidance", "reporting", "office", "leadership", "departmental")
LANGS = ("zh", "en")

# Fill colours by level (the viewer, the pictures and the GEXF/GraphML files share them).
LEVEL_COLOURS: dict[str, str] = {
    "central": "#c0392b",
    "provincial": "#e67e22",
    "municipal": "#2e86c1",
    "county": "#27ae60",
    "departmental": "#8e44ad",
}


@dataclass(frozen=True, slots=True)
class Link:
    """A kind of link: its predicate (local name in the ontology), its inverse, and its labels."""

    kind: str
    predicate: str
    inverse: str
    label_zh: str
    label_en: str


LINKS: tuple[Link, ...] = (
    Link("guidance", "guides", "guidedBy", "指导监督", "guides"),
    Link("reporting", "reportsTo", "", "报告", "reports to"),
    Link("office", "hasOffice", "officeOf", "办事机构", "has office"),
    Link("leadership", "formedBy", "", "组建", "formed by"),
    Link("leadership", "ledBy", "", "领导", "led by"),
    Link("leadership", "responsibleTo", "", "负责", "responsible to"),
    Link("departmental", "withinJurisdictionOf", "", "属地", "within jurisdiction of"),
    Link("departmental", "ofUnit", "", "所属单位", "of unit"),
)
_LINK = {link.predicate: link for link in LINKS}


class InvalidExport(InvalidRequest):
    """A scope or format that cannot be exported; ``parameter`` names it, ``allowed`` lists valid values."""

    def __init__(self, message: str, parameter: str, allowed: Sequence[str] = (),
                 suggestions: Sequence[dict[str, Any]] = ()) -> None:
        self.parameter = parameter
        self.allowed = list(allowed)
        self.suggestions = list(suggestions)
        super().__init__(message)


@dataclass(frozen=True)
class Scope:
    """What to export; build it with :func:`make_scope`, which checks the values."""

    root: str | None = None  # committee id; None: from the Central Committee
    depth: int | None = None  # None: all the way down
    expand: tuple[str, ...] = ()  # committees whose subordinates are shown beyond the depth
    chain: str | None = None  # committee id: it and its guiding committees up to the centre
    levels: tuple[str, ...] = LEVELS
    edges: tuple[str, ...] = EDGE_KINDS
    lang: str = "zh"

    def slug(self) -> str:
        """A short ASCII name of the scope, for file names."""
        if self.chain:
            parts = ["chain", self.chain]
        else:
            parts = [self.root or "all"]
            if self.depth is not None:
                parts.append(f"depth{self.depth}")
            if self.expand:
                parts.append(f"view{len(self.expand)}")
        if self.levels != LEVELS:
            parts.append("-".join(level[:4] for level in self.levels))
        if self.edges != EDGE_KINDS:
            parts.append("-".join(kind[:4] for kind in self.edges))
        return "-".join(parts)

    def describe(self) -> str:
        if self.chain:
            where = f"chain of {self.chain} up to the centre"
        elif self.root in (None, "central") and self.depth is None:
            where = "whole graph"
        else:
            where = f"subtree of {self.root or 'central'}" + (f" to depth {self.depth}" if self.depth is not None
                                                              else "")
            if self.expand:
                where += f", expanded at {', '.join(self.expand)}"
        return f"{where}; levels: {', '.join(self.levels)}; edges: {', '.join(self.edges)}; labels: {self.lang}"


def _choices(values: Iterable[str] | str | None, allowed: Sequence[str], parameter: str) -> tuple[str, ...]:
    """Values given as a list and/or comma-separated, checked against ``allowed``, in canonical order."""
    if values is None:
        return tuple(allowed)
    items = [values] if isinstance(values, str) else list(values)
    chosen = {part.strip().lower() for item in items for part in item.split(",")} - {""}
    if not chosen:
        raise InvalidExport(f"{parameter} is empty; give one or more of: {', '.join(allowed)}", parameter, allowed)
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise InvalidExport(f"unknown {parameter} {', '.join(map(repr, unknown))}; valid values: "
                            f"{', '.join(allowed)}", parameter, allowed)
    return tuple(a for a in allowed if a in chosen)


def make_scope(*, root: str | None = None, depth: int | None = None, expand: Iterable[str] | str | None = None,
               chain: str | None = None, levels: Iterable[str] | str | None = None,
               edges: Iterable[str] | str | None = None, lang: str | None = None) -> Scope:
    """A checked scope (committee ids are checked against the directory by :func:`project`)."""
    language = (lang or "zh").strip().lower()
    if language not in LANGS:
        raise InvalidExport(f"unknown lang {lang!r}; valid values: {', '.join(LANGS)}", "lang", LANGS)
    if depth is not None and depth < 0:
        raise InvalidExport(f"depth must be 0 or more (0: the root alone), not {depth}", "depth")
    root = (root or "").strip() or None
    chain = (chain or "").strip() or None
    expanded: list[str] = []
    for item in [expand] if isinstance(expand, str) else list(expand or []):
        expanded += [part.strip() for part in item.split(",") if part.strip()]
    if chain and (root or depth is not None or expanded):
        raise InvalidExport("chain names a scope of its own: give either chain, or root/depth/expand", "chain")
    return Scope(root=root, depth=depth, expand=tuple(dict.fromkeys(expanded)), chain=chain,
                 levels=_choices(levels, LEVELS, "level"), edges=_choices(edges, EDGE_KINDS, "edges"),
                 lang=language)


def resolve_committee(directory: Directory, text: str, parameter: str, resolver: Resolver | None = None) -> str:
    """The committee id ``text`` names: an id (330106, central, u-mfa), a division code, or a name the resolver
    knows (浙江, hangzhou); otherwise :class:`InvalidExport` with candidates or suggestions."""
    if text in directory.committees:
        return text
    if text in directory.committee_of_region:
        return directory.committee_of_region[text]
    if resolver is not None:
        try:
            match = resolver.resolve(text)
        except Ambiguous as exc:
            raise InvalidExport(f"{parameter} {text!r} is ambiguous: give one of the codes "
                                f"{', '.join(str(c['code']) for c in exc.candidates)}", parameter,
                                suggestions=exc.candidates) from None
        except (NotFound, InvalidRequest) as exc:
            suggestions = exc.suggestions if isinstance(exc, NotFound) else []
            hint = f"; did you mean {', '.join(str(s['code']) for s in suggestions)}?" if suggestions else ""
            raise InvalidExport(f"{parameter} {text!r} names no committee: give a committee id (a division code, "
                                f"'central' or u-<unit>){hint}", parameter, suggestions=suggestions) from None
        if match.kind in ("unit", "body"):
            return match.key
        if match.key in directory.committee_of_region:
            return directory.committee_of_region[match.key]
    raise InvalidExport(f"{parameter} {text!r} names no committee: give a committee id (a division code, 'central' "
                        f"or u-<unit>)", parameter)


def node_key(kind: str, ident: str) -> str:
    """The node key of a projection: ``committee:330106``, ``office:330106``, ``party-committee:330106``,
    ``unit:mfa``."""
    return f"{kind}:{ident}"


def _children(d: Directory, cid: str, departmental: bool) -> list[str]:
    return d.subordinates.get(cid, []) + (d.departmental.get(cid, []) if departmental else [])


def resolve_scope(d: Directory, scope: Scope, resolver: Resolver | None = None) -> Scope:
    """The scope with committee ids for whatever names ``root``, ``chain`` and ``expand`` were given as."""
    return replace(scope, root=resolve_committee(d, scope.root, "root", resolver) if scope.root else None,
                   chain=resolve_committee(d, scope.chain, "chain", resolver) if scope.chain else None,
                   expand=tuple(dict.fromkeys(resolve_committee(d, e, "expand", resolver) for e in scope.expand)))


def _committees_in_scope(d: Directory, scope: Scope) -> list[Committee]:
    with_departmental = "departmental" in scope.levels and "departmental" in scope.edges
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
        raise InvalidExport(f"the scope holds no committee ({scope.describe()}): widen the level filter or choose "
                            f"another root", "level", LEVELS)
    return kept


@dataclass
class _Builder:
    d: Directory
    scope: Scope
    g: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)

    def label(self, zh: str, en: str, short_zh: str, short_en: str) -> tuple[str, str]:
        """(short label, full name) in the scope's language."""
        if self.scope.lang == "en":
            return short_en or en, en
        return short_zh or zh, zh

    def node(self, key: str, kind: str, level: str, committee: str, iri: str, names: tuple[str, str, str, str],
             **extra: str) -> None:
        zh, en, short_zh, short_en = names
        label, name = self.label(zh, en, short_zh, short_en)
        self.g.add_node(key, kind=kind, level=level, label=label, name=name, name_zh=zh, name_en=en,
                        short_zh=short_zh or zh, short_en=short_en or en, committee=committee, iri=iri, **extra)

    def edge(self, u: str, v: str, predicate: str) -> None:
        if u not in self.g or v not in self.g:
            return
        link = _LINK[predicate]
        ns = self.d.vocab
        self.g.add_edge(u, v, key=predicate, id=f"{u}|{predicate}|{v}", kind=link.kind,
                        predicate=ns.term(predicate), inverse=ns.term(link.inverse) if link.inverse else "",
                        label=link.label_en if self.scope.lang == "en" else link.label_zh)


def project(directory: Directory, scope: Scope, resolver: Resolver | None = None) -> nx.MultiDiGraph:
    """The scope as a networkx MultiDiGraph, nodes and edges in a stable order (see the module docstring)."""
    d, edges = directory, set(scope.edges)
    scope = resolve_scope(d, scope, resolver)
    b = _Builder(d, scope)
    committees = _committees_in_scope(d, scope)
    for c in committees:
        key = node_key("committee", c.id)
        b.node(key, "departmental" if c.departmental else "committee", c.level, c.id, c.iri,
               (c.name_zh, c.name_en, c.short_zh, c.short_en), region=c.region, upper=c.upper or "")
        if "office" in edges:
            o = c.office
            extra = {"nameplate_zh": o.nameplate_zh, "nameplate_en": o.nameplate_en} if o.nameplate_zh else {}
            b.node(node_key("office", c.id), "office", c.level, c.id, o.iri, (o.name_zh, o.name_en, o.short_zh,
                                                                                o.short_en), region=c.region, **extra)
        if c.party is not None and edges & {"leadership", "reporting"}:
            p = c.party
            b.node(node_key("party-committee", c.id), "party-committee", c.level, c.id, p.iri,
                   (p.name_zh, p.name_en, p.short_zh, p.short_en), region=c.region)
        if c.unit is not None and "departmental" in edges:
            u = c.unit
            b.node(node_key("unit", u.id), "unit", "departmental", c.id, u.iri, (u.name_zh, u.name_en, u.short_zh, ""),
                   region=c.region, unit_kind=u.kind)
    g = b.g
    for c in committees:
        me, party = node_key("committee", c.id), node_key("party-committee", c.id)
        upper = node_key("committee", c.upper) if c.upper else ""
        if c.departmental:
            if "departmental" in edges:
                b.edge(me, upper, "withinJurisdictionOf")
                if c.unit is not None:
                    b.edge(me, node_key("unit", c.unit.id), "ofUnit")
            if "office" in edges:
                b.edge(me, node_key("office", c.id), "hasOffice")
            continue
        if "guidance" in edges and c.upper:
            b.edge(upper, me, "guides")
        if "reporting" in edges and c.upper and c.special is None:  # special bodies carry no duty 8 (graph/special.py)
            # ch5.1.duty8: to the same-level Party committee and to the upper committee
            b.edge(me, party, "reportsTo")
            b.edge(me, upper, "reportsTo")
        if "office" in edges:
            b.edge(me, node_key("office", c.id), "hasOffice")
        if "leadership" in edges:
            for predicate in ("formedBy", "ledBy", "responsibleTo"):
                b.edge(me, party, predicate)
    g.graph.update(name="baomi-kg", title=_title(committees, scope), scope=scope.describe(), lang=scope.lang,
                   levels=",".join(scope.levels), edges=",".join(scope.edges), base=d.vocab.base)
    return g


def _title(committees: list[Committee], scope: Scope) -> str:
    """A heading for pictures, in the scope's language."""
    en = scope.lang == "en"
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


# -- layout ---------------------------------------------------------------------------------------
UNIT_X = 190.0  # horizontal room of one committee (its label and its office beside it)
LEVEL_Y = 300.0  # vertical distance between a committee and the first row of its subordinates
ROW_Y = 130.0  # vertical distance between rows of leaf subordinates
WRAP_X = 6000.0  # a row of subtrees wider than this is wrapped
_SATELLITES = {"office": (45.0, 45.0), "party-committee": (-45.0, 45.0), "unit": (0.0, 80.0)}


def _committee_tree(g: nx.MultiDiGraph) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The committees of a projection, the subordinates of each (by its guiding committee, where that is drawn
    too) and the committees whose guiding committee is not drawn."""
    committees = [n for n, k in g.nodes(data="kind") if k in ("committee", "departmental")]
    present = set(committees)
    kids: dict[str, list[str]] = {}
    roots: list[str] = []
    for n in committees:
        upper = g.nodes[n].get("upper", "")
        parent = node_key("committee", upper) if upper else ""
        if parent in present:
            kids.setdefault(parent, []).append(n)
        else:
            roots.append(n)
    return committees, kids, roots


def tree_layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions (x, y; y grows downwards) of every node: committees as a tree along the guidance (and
    jurisdiction) structure, leaf subordinates in a grid under their committee, wide rows of subtrees wrapped so
    that the whole graph stays about twice as wide as tall, offices, Party committees and units beside their
    committee."""
    committees, kids, roots = _committee_tree(g)
    pos: dict[str, tuple[float, float]] = {}
    sizes: dict[str, tuple[float, float]] = {}

    def items(children: list[str]) -> list[_Item]:
        inner = [_Item(k, *size(k)) for k in children if k in kids]
        leaves = [k for k in children if k not in kids]
        if leaves:
            cols, rows = _grid(len(leaves))
            inner.append(_Item("", cols * UNIT_X, rows * ROW_Y, leaves))
        return inner

    def size(n: str) -> tuple[float, float]:
        if n not in sizes:
            rows = _pack(items(kids[n]))
            sizes[n] = (max(UNIT_X, max(sum(i.w for i in row) for row in rows)),
                        LEVEL_Y + sum(max(i.h for i in row) + ROW_Y / 2 for row in rows))
        return sizes[n]

    def place_rows(rows: list[list[_Item]], left: float, width: float, top: float) -> None:
        y = top
        for row in rows:
            x = left + (width - sum(i.w for i in row)) / 2
            for item in row:
                if item.key:
                    pos[item.key] = (x + item.w / 2, y)
                    if item.key in kids:
                        place_rows(_pack(items(kids[item.key])), x, item.w, y + LEVEL_Y)
                else:
                    cols, _ = _grid(len(item.leaves))
                    for i, k in enumerate(item.leaves):
                        r, c = divmod(i, cols)
                        pos[k] = (x + (c + 0.5) * UNIT_X, y + r * ROW_Y)
                x += item.w
            y += max(i.h for i in row) + ROW_Y / 2

    top = [_Item(r, *size(r)) if r in kids else _Item(r, UNIT_X, ROW_Y) for r in roots]
    rows = _pack(top)
    place_rows(rows, 0.0, max(sum(i.w for i in row) for row in rows), 0.0)
    for n, data in g.nodes(data=True):
        if n not in pos:
            cx, cy = pos.get(node_key("committee", data["committee"]), (0.0, 0.0))
            dx, dy = _SATELLITES.get(data["kind"], (0.0, 60.0))
            pos[n] = (cx + dx, cy + dy)
    return pos


@dataclass
class _Item:
    """A block to lay out in a row: a subtree (``key``), or a grid of leaf committees."""

    key: str
    w: float
    h: float
    leaves: list[str] = field(default_factory=list)


def _pack(items: list[_Item], wrap: float = WRAP_X, aspect: float = 2.0) -> list[list[_Item]]:
    """Items in rows: one row while it is narrower than ``wrap``, else rows about ``aspect`` times as wide as the
    items are tall."""
    if sum(i.w for i in items) <= wrap:
        return [items]
    target = max(max(i.w for i in items), math.sqrt(aspect * sum(i.w * i.h for i in items)))
    rows: list[list[_Item]] = [[]]
    width = 0.0
    for item in items:
        if rows[-1] and width + item.w > target:
            rows.append([])
            width = 0.0
        rows[-1].append(item)
        width += item.w
    return rows


def _grid(n: int) -> tuple[int, int]:
    """(columns, rows) of a grid of ``n`` leaves: a single row up to 4, then about twice as wide as tall."""
    if n == 0:
        return 0, 0
    cols = n if n <= 4 else max(4, math.ceil(math.sqrt(2 * n)))
    return cols, math.ceil(n / cols)


# -- the layout of pictures -------------------------------------------------------------------------
PICTURE_ASPECT = 1.6  # width : height a picture's blocks are packed towards (a landscape screen or page)
_GAP = 14.0  # points between boxes side by side
_BELOW = 10.0  # points between a committee's box and the row of its office and Party committee
_LEVEL_GAP = 40.0  # points between a committee's block and the first row of its subordinates
_ROW_GAP = 22.0  # points between rows of blocks


def picture_layout(g: nx.MultiDiGraph, box: Callable[[str], tuple[float, float]],
                   aspect: float = PICTURE_ASPECT) -> dict[str, tuple[float, float]]:
    """Centres (x, y in points; y grows downwards) of every node of a picture whose boxes measure ``box(node)``
    (width, height in points).

    Each committee is a block: its box above the row of its Party committee, office and unit.  A committee's
    subordinates are placed below it: those with subordinates of their own as sub-blocks, the others in a grid
    about as wide as the picture is meant to be; rows of sub-blocks are wrapped at the width that makes the whole
    about ``aspect`` times as wide as tall, so that a province with two hundred counties fits a screen."""
    committees, kids, roots = _committee_tree(g)
    satellites: dict[str, list[str]] = {}
    for n, data in g.nodes(data=True):
        if data["kind"] not in ("committee", "departmental"):
            satellites.setdefault(node_key("committee", data["committee"]), []).append(n)

    def unit(n: str) -> tuple[float, float]:
        """The block of one committee: its box over the row of its satellites."""
        w, h = box(n)
        sats = [box(s) for s in satellites.get(n, [])]
        if sats:
            w = max(w, sum(sw for sw, _ in sats) + _GAP * (len(sats) - 1))
            h += _BELOW + max(sh for _, sh in sats)
        return w, h

    units = {n: unit(n) for n in committees}
    sizes: dict[str, tuple[float, float]] = {}

    def leaf_grid(leaves: list[str]) -> tuple[int, int, float, float]:
        """(columns, rows, cell width, cell height) of a grid of leaf committees, about ``aspect`` wide."""
        cw = max(units[k][0] for k in leaves) + _GAP
        ch = max(units[k][1] for k in leaves) + _ROW_GAP
        cols = max(1, min(len(leaves), round(math.sqrt(len(leaves) * aspect * ch / cw))))
        return cols, math.ceil(len(leaves) / cols), cw, ch

    def items(children: list[str]) -> list[_Item]:
        inner = [_Item(k, *size(k)) for k in children if k in kids]
        leaves = [k for k in children if k not in kids]
        if leaves:
            cols, rows, cw, ch = leaf_grid(leaves)
            inner.append(_Item("", cols * cw, rows * ch, leaves))
        return inner

    def rows_of(children: list[str]) -> list[list[_Item]]:
        return _pack(items(children), wrap=0.0, aspect=aspect)

    def size(n: str) -> tuple[float, float]:
        if n not in sizes:
            rows = rows_of(kids[n])
            uw, uh = units[n]
            sizes[n] = (max(uw + _GAP, max(sum(i.w for i in row) for row in rows)),
                        uh + _LEVEL_GAP + sum(max(i.h for i in row) + _ROW_GAP for row in rows))
        return sizes[n]

    pos: dict[str, tuple[float, float]] = {}

    def place_unit(n: str, cx: float, top: float) -> None:
        w, h = box(n)
        pos[n] = (cx, top + h / 2)
        sats = satellites.get(n, [])
        if sats:
            sizes_ = [box(s) for s in sats]
            x = cx - (sum(sw for sw, _ in sizes_) + _GAP * (len(sats) - 1)) / 2
            below = top + h + _BELOW
            for s, (sw, sh) in zip(sats, sizes_, strict=True):
                pos[s] = (x + sw / 2, below + sh / 2)
                x += sw + _GAP

    def place_rows(rows: list[list[_Item]], left: float, width: float, top: float) -> None:
        y = top
        for row in rows:
            x = left + (width - sum(i.w for i in row)) / 2
            for item in row:
                if item.key:
                    place_unit(item.key, x + item.w / 2, y)
                    if item.key in kids:
                        place_rows(rows_of(kids[item.key]), x, item.w, y + units[item.key][1] + _LEVEL_GAP)
                else:
                    cols, _, cw, ch = leaf_grid(item.leaves)
                    for i, k in enumerate(item.leaves):
                        r, c = divmod(i, cols)
                        place_unit(k, x + (c + 0.5) * cw, y + r * ch)
                x += item.w
            y += max(i.h for i in row) + _ROW_GAP

    top = [_Item(r, *size(r)) if r in kids else _Item(r, units[r][0] + _GAP, units[r][1] + _ROW_GAP) for r in roots]
    rows = _pack(top, wrap=0.0, aspect=aspect)
    place_rows(rows, 0.0, max(sum(i.w for i in row) for row in rows), 0.0)
    return pos
