"""Graphviz: the DOT text of a projection, and its pictures (SVG, PNG) drawn by Graphviz's ``dot``.

The DOT keeps one statement per node and per edge of the projection, with the node key as its name
and ``id``, and ``kind``/``level``/``predicate`` as attributes, so that a reader gets the same graph
back.  A chain or a narrow tree is laid out top-down by ``dot``, each committee with its office and
Party committee beside it (``rank=same``).  A wide tree would be one rank thousands of boxes long (a
province at depth 2 was a 728 x 32,767 px strip), so its nodes are placed by
:func:`graph.export.layout.picture_layout` (each committee over its office and Party committee, subordinates
in grids, rows wrapped to a landscape page) and pinned (``pos="x,y!"`` with ``layout=neato``), so that
``dot -Tsvg`` of the DOT text draws the same picture.  Labels are in a CJK font (Noto Sans CJK,
installed by ``./dev.sh test`` from Debian's ``fonts-noto-cjk``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import networkx as nx

from graph.errors import RenderFailed
from graph.export.layout import picture_layout
from graph.export.palette import EDGE_STYLES, LEVEL_COLOURS, NODE_COLOURS
from graph.vocab import COMMITTEE_KINDS, EDGE_KINDS, LEVELS, EdgeKind, Lang, NodeKind

__all__ = ["FONT", "FONT_SIZE", "render", "to_dot"]

FONT = "Noto Sans CJK SC"
FONT_SIZE = 11.0  # points, every node label

# Each edge kind in the palette's colour and line, with its arrow.
_EDGE_ARROW = {
    EdgeKind.GUIDANCE: "penwidth=1.4",
    EdgeKind.REPORTING: "arrowsize=0.6, constraint=false",
    EdgeKind.OFFICE: "arrowhead=odot, arrowsize=0.6",
    EdgeKind.LEADERSHIP: "arrowsize=0.6",
    EdgeKind.DEPARTMENTAL: "arrowsize=0.6",
    EdgeKind.ADMINISTRATIVE: "arrowsize=0.6, constraint=false",  # beside the tree, never ranking it
}
# The bodies beside a committee: Graphviz's shape and style (an office keeps Graphviz's black border).
_NODE_SHAPE = {
    NodeKind.OFFICE: ("note", "filled", False),
    NodeKind.PARTY_COMMITTEE: ("box", '"filled,bold"', True),
    NodeKind.UNIT: ("component", "filled", True),
    NodeKind.BUREAU: ("tab", "filled", True),
}


def _edge_style(kind: EdgeKind) -> str:
    style = EDGE_STYLES[kind]
    line = "" if style.line == "solid" else f", style={style.line}"
    return f'color="{style.colour}"{line}, {_EDGE_ARROW[kind]}'


def _node_style(kind: NodeKind) -> str:
    shape, fill_style, border = _NODE_SHAPE[kind]
    colours = NODE_COLOURS[kind]
    stroke = f', color="{colours.stroke}"' if border else ""
    return f'shape={shape}, style={fill_style}, fillcolor="{colours.fill}"{stroke}, fontcolor="{colours.text}"'


_EDGE_STYLE: dict[str, str] = {kind: _edge_style(kind) for kind in EDGE_KINDS}
_NODE_STYLE: dict[str, str] = {kind: _node_style(kind) for kind in _NODE_SHAPE}


def _q(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _legend(g: nx.MultiDiGraph, lang: str) -> str:
    levels = [lv for lv in LEVELS if any(d["level"] == lv for _, d in g.nodes(data=True))]
    cells = "".join(
        f'<TD BGCOLOR="{LEVEL_COLOURS[lv]}"><FONT COLOR="white">{_html(lv.label(lang))}</FONT></TD>' for lv in levels
    )
    kinds = [kind for kind in EDGE_KINDS if any(k == kind for _, _, k in g.edges(data="kind"))]
    edges = "".join(f'<TD><FONT COLOR="{EDGE_STYLES[k].colour}">━ {_html(k.label(lang))}</FONT></TD>' for k in kinds)
    title = _html(g.graph.get("title", "baomi-kg"))
    span = max(len(levels), len(kinds), 1)
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3"><TR><TD COLSPAN="{span}"><FONT POINT-SIZE="16">'
        f"<B>{title}</B></FONT></TD></TR><TR>{cells}</TR><TR>{edges}</TR></TABLE>>"
    )


NARROW = 6  # at most this many committees of one level: drawn top-down by dot


def _narrow(g: nx.MultiDiGraph) -> bool:
    per_level = Counter(d["level"] for _, d in g.nodes(data=True) if d["kind"] in COMMITTEE_KINDS)
    return max(per_level.values(), default=1) <= NARROW


def _label(d: dict[str, str]) -> str:
    if d["kind"] == NodeKind.COMMITTEE:
        return d["label"] + "\n" + d["committee"]
    return d["label"]


_MARGIN = (0.08 * 72, 0.04 * 72)  # the node margin below, in points
_SHAPE_EXTRA = {"office": 10.0, "unit": 16.0, "bureau": 8.0}  # a note's folded corner, a component's or tab's tabs


def _box(d: dict[str, str]) -> tuple[float, float]:
    """The size in points Graphviz gives a node's box, from its label (Noto Sans CJK: CJK characters 1 em,
    others about 0.6 em), slightly generous so that pinned boxes never touch."""
    lines = _label(d).split("\n")
    em = FONT_SIZE
    width = max(sum(em if ord(ch) > 0x2E80 else 0.6 * em for ch in line) for line in lines)
    return (width + 2 * _MARGIN[0] + 6 + _SHAPE_EXTRA.get(d["kind"], 0.0), len(lines) * em * 1.25 + 2 * _MARGIN[1] + 4)


def _positions(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]] | None:
    """Pinned positions (points, Graphviz's y upwards) for a wide tree; None for a narrow one (dot lays it out)."""
    if _narrow(g):
        return None
    pos = picture_layout(g, lambda n: _box(g.nodes[n]))
    return {n: (x, -y) for n, (x, y) in pos.items()}


def to_dot(g: nx.MultiDiGraph) -> str:
    """The projection as a Graphviz digraph (deterministic: the projection's order)."""
    lang = g.graph.get("lang", Lang.ZH)
    pos = _positions(g)
    if pos is None:
        layout = "layout=dot, rankdir=TB, newrank=true, nodesep=0.18, ranksep=0.45"
    else:  # pinned: neato only draws the edges (straight, so that a big picture is drawn in a second)
        layout = "layout=neato, inputscale=72, notranslate=true, overlap=true, splines=false"
    out = [
        'digraph "baomi-kg" {',
        f'  graph [charset="UTF-8", {layout}, pad=0.3, bgcolor=white, fontname={_q(FONT)}, fontsize=11, '
        f"labelloc=t, label={_legend(g, lang)}];",
        f'  node [fontname={_q(FONT)}, fontsize={FONT_SIZE:g}, margin="0.08,0.04", penwidth=0.8, width=0.3, '
        "height=0.3];",
        f"  edge [fontname={_q(FONT)}, fontsize=9];",
    ]
    for n, d in g.nodes(data=True):
        kind = d["kind"]
        if kind in COMMITTEE_KINDS:
            fill = LEVEL_COLOURS[d["level"]]
            style = f'shape=box, style="rounded,filled", fillcolor="{fill}", color="{fill}", fontcolor=white'
        else:
            style = _NODE_STYLE[kind]
        at = f'pos="{pos[n][0]:.1f},{pos[n][1]:.1f}!", ' if pos is not None else ""
        out.append(
            f"  {_q(n)} [id={_q(n)}, label={_q(_label(d))}, tooltip={_q(d['name'])}, kind={_q(kind)}, "
            f"level={_q(d['level'])}, {at}{style}];"
        )
    if pos is None:
        groups: dict[str, list[str]] = {}
        for n, d in g.nodes(data=True):
            groups.setdefault(d["committee"], []).append(n)
        for members in groups.values():
            if len(members) > 1:
                out.append("  { rank=same; " + " ".join(_q(m) + ";" for m in members) + " }")
    for u, v, d in g.edges(data=True):
        out.append(
            f"  {_q(u)} -> {_q(v)} [id={_q(d['id'])}, kind={_q(d['kind'])}, predicate={_q(d['predicate'])}, "
            f"tooltip={_q(d['label'])}, {_EDGE_STYLE[d['kind']]}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"


def render(dot: str, fmt: str, *, timeout: float = 300.0) -> bytes:
    """Draw DOT text as ``svg`` or ``png`` with Graphviz's ``dot``."""
    exe = shutil.which("dot")
    if exe is None:
        raise RenderFailed(
            "Graphviz is not installed (no `dot` on PATH): install Debian's graphviz package, or "
            "export the dot format and draw it elsewhere"
        )
    args = [exe, f"-T{fmt}"] + (["-Gdpi=110"] if fmt == "png" else [])
    try:
        done = subprocess.run(  # noqa: S603
            args,
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderFailed(f"Graphviz did not finish within {timeout:.0f} s: narrow the scope") from None
    except OSError as exc:
        raise RenderFailed(f"cannot run Graphviz: {exc}") from exc
    if done.returncode != 0 or not done.stdout:
        message = " ".join(done.stderr.decode("utf-8", "replace").split())[:300]
        raise RenderFailed(f"Graphviz failed (exit {done.returncode}): {message}")
    return done.stdout
