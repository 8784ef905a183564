"""Where the nodes of a projection go: the tree layout of the graph tools' files and the layout of pictures.

:func:`tree_layout` places the nodes of a projection as a compact tree (leaves in a grid under
their committee), so that yEd, Gephi and Cytoscape open a file with a readable picture;
:func:`picture_layout` does the same with the real sizes of the boxes of a picture, so that a big
scope is drawn about as wide as a screen, not as one long strip.  The viewer lays out what it shows
by the same rules (:data:`TREE_RULES`, sent in its index), with the sizes of its labels as the browser
draws them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from graph.export.projection import node_key
from graph.vocab import COMMITTEE_KINDS, NodeKind

__all__ = ["PICTURE_ASPECT", "TREE_RULES", "TreeRules", "picture_layout", "tree_layout"]


@dataclass(frozen=True, slots=True)
class TreeRules:
    """How a tree is packed: the rules the viewer follows too."""

    wrap: float = 6000.0  # a row of subtrees wider than this is wrapped ...
    aspect: float = 2.0  # ... into rows about this many times as wide as the whole is tall; a grid of leaves too
    row: int = 4  # up to this many leaf subordinates stand in one row


TREE_RULES = TreeRules()

# -- the layout of the graph tools' files -------------------------------------------------------------
UNIT_X = 190.0  # horizontal room of one committee (its label and its office beside it)
LEVEL_Y = 300.0  # vertical distance between a committee and the first row of its subordinates
ROW_Y = 130.0  # vertical distance between rows of leaf subordinates
_SATELLITES = {
    NodeKind.OFFICE: (45.0, 45.0),
    NodeKind.PARTY_COMMITTEE: (-45.0, 45.0),
    NodeKind.UNIT: (0.0, 80.0),
    NodeKind.BUREAU: (45.0, 90.0),  # under its office: one body with two nameplates
}


def _committee_tree(g: nx.MultiDiGraph) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The committees of a projection, the subordinates of each (by its guiding committee, where that is drawn
    too) and the committees whose guiding committee is not drawn."""
    committees = [n for n, k in g.nodes(data="kind") if k in COMMITTEE_KINDS]
    present = set(committees)
    kids: dict[str, list[str]] = {}
    roots: list[str] = []
    for n in committees:
        upper = g.nodes[n].get("upper", "")
        parent = node_key(NodeKind.COMMITTEE, upper) if upper else ""
        if parent in present:
            kids.setdefault(parent, []).append(n)
        else:
            roots.append(n)
    return committees, kids, roots


def tree_layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions (x, y; y grows downwards) of every node: committees as a tree along the guidance (and
    jurisdiction) structure, leaf subordinates in a grid under their committee, wide rows of subtrees wrapped so
    that the whole graph stays about twice as wide as tall, offices, Party committees and units beside their
    committee, a secrecy bureau under its office."""
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
            sizes[n] = (
                max(UNIT_X, max(sum(i.w for i in row) for row in rows)),
                LEVEL_Y + sum(max(i.h for i in row) + ROW_Y / 2 for row in rows),
            )
        return sizes[n]

    def place(n: str, cx: float, top: float) -> None:
        pos[n] = (cx, top)

    placer = _Placer(
        kids,
        rows_of=lambda children: _pack(items(children)),
        place=place,
        drop=lambda _n: LEVEL_Y,
        grid=lambda leaves: (_grid(len(leaves))[0], UNIT_X, ROW_Y),
        gap=ROW_Y / 2,
    )
    placer.place_all(_pack([_Item(r, *size(r)) if r in kids else _Item(r, UNIT_X, ROW_Y) for r in roots]))
    for n, data in g.nodes(data=True):
        if n not in pos:
            cx, cy = pos.get(node_key(NodeKind.COMMITTEE, data["committee"]), (0.0, 0.0))
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


@dataclass(frozen=True)
class _Placer:
    """How one layout places rows of blocks: both layouts walk their rows the same way and differ only here."""

    kids: dict[str, list[str]]  # a committee's subordinates
    rows_of: Callable[[list[str]], list[list[_Item]]]  # subordinates packed in rows of blocks
    place: Callable[[str, float, float], None]  # put a committee (and what stands beside it) at centre x, top y
    drop: Callable[[str], float]  # from a committee's top to the first row of its subordinates
    grid: Callable[[list[str]], tuple[int, float, float]]  # columns, cell width and height of a grid of leaves
    gap: float  # between rows

    def place_all(self, rows: list[list[_Item]]) -> None:
        self.place_rows(rows, 0.0, max(sum(i.w for i in row) for row in rows), 0.0)

    def place_rows(self, rows: list[list[_Item]], left: float, width: float, top: float) -> None:
        """Each row centred in ``width`` from ``left``, rows stacked from ``top``."""
        y = top
        for row in rows:
            x = left + (width - sum(i.w for i in row)) / 2
            for item in row:
                if item.key:
                    self.place(item.key, x + item.w / 2, y)
                    if item.key in self.kids:
                        self.place_rows(self.rows_of(self.kids[item.key]), x, item.w, y + self.drop(item.key))
                else:
                    cols, cw, ch = self.grid(item.leaves)
                    for i, k in enumerate(item.leaves):
                        r, c = divmod(i, cols)
                        self.place(k, x + (c + 0.5) * cw, y + r * ch)
                x += item.w
            y += max(i.h for i in row) + self.gap


def _pack(items: list[_Item], wrap: float = TREE_RULES.wrap, aspect: float = TREE_RULES.aspect) -> list[list[_Item]]:
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
    """(columns, rows) of a grid of ``n`` leaves: a single row up to ``TREE_RULES.row``, then about
    ``TREE_RULES.aspect`` times as wide as tall."""
    if n == 0:
        return 0, 0
    rules = TREE_RULES
    cols = n if n <= rules.row else max(rules.row, math.ceil(math.sqrt(rules.aspect * n)))
    return cols, math.ceil(n / cols)


# -- the layout of pictures -------------------------------------------------------------------------
PICTURE_ASPECT = 1.6  # width : height a picture's blocks are packed towards (a landscape screen or page)
_GAP = 14.0  # points between boxes side by side
_BELOW = 10.0  # points between a committee's box and the row of its office and Party committee
_LEVEL_GAP = 40.0  # points between a committee's block and the first row of its subordinates
_ROW_GAP = 22.0  # points between rows of blocks


def picture_layout(
    g: nx.MultiDiGraph, box: Callable[[str], tuple[float, float]], aspect: float = PICTURE_ASPECT
) -> dict[str, tuple[float, float]]:
    """Centres (x, y in points; y grows downwards) of every node of a picture whose boxes measure ``box(node)``
    (width, height in points).

    Each committee is a block: its box above the row of its Party committee, office and unit.  A committee's
    subordinates are placed below it: those with subordinates of their own as sub-blocks, the others in a grid
    about as wide as the picture is meant to be; rows of sub-blocks are wrapped at the width that makes the whole
    about ``aspect`` times as wide as tall, so that a province with two hundred counties fits a screen."""
    committees, kids, roots = _committee_tree(g)
    satellites: dict[str, list[str]] = {}
    for n, data in g.nodes(data=True):
        if data["kind"] not in COMMITTEE_KINDS:
            satellites.setdefault(node_key(NodeKind.COMMITTEE, data["committee"]), []).append(n)

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
            sizes[n] = (
                max(uw + _GAP, max(sum(i.w for i in row) for row in rows)),
                uh + _LEVEL_GAP + sum(max(i.h for i in row) + _ROW_GAP for row in rows),
            )
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

    def cells(leaves: list[str]) -> tuple[int, float, float]:
        cols, _, cw, ch = leaf_grid(leaves)
        return cols, cw, ch

    placer = _Placer(
        kids, rows_of=rows_of, place=place_unit, drop=lambda n: units[n][1] + _LEVEL_GAP, grid=cells, gap=_ROW_GAP
    )
    top = [_Item(r, *size(r)) if r in kids else _Item(r, units[r][0] + _GAP, units[r][1] + _ROW_GAP) for r in roots]
    placer.place_all(_pack(top, wrap=0.0, aspect=aspect))
    return pos
