"""The one palette of the exports, the pictures and the viewer: a colour per level, a colour, line and width per
edge kind, and the fill, border and text colours of the bodies around a committee.

The writers of :mod:`graph.export` draw with it (GraphML, GEXF, Cytoscape.js, Mermaid, DOT), and the viewer
receives it in its index (:mod:`graph.export.viewer`), so that a file, a picture and the page show a level or
a link alike.  A file that carries its styles names those of the kinds an export holds by default and of the
others it was asked for (:func:`edge_styles`, :func:`node_colours`): the administrative line's only with it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any

from graph.vocab import DEFAULT_EDGE_KINDS, EdgeKind, Level, NodeKind

__all__ = [
    "EDGE_STYLES",
    "LEVEL_COLOURS",
    "NODE_COLOURS",
    "EdgeStyle",
    "NodeColours",
    "edge_styles",
    "node_colours",
    "palette",
]

# Fill colours by level: a committee's box, and its border in the graph tools' files.
LEVEL_COLOURS: dict[str, str] = {
    Level.CENTRAL: "#c0392b",
    Level.PROVINCIAL: "#e67e22",
    Level.MUNICIPAL: "#2e86c1",
    Level.COUNTY: "#27ae60",
    Level.DEPARTMENTAL: "#8e44ad",
}


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    colour: str
    line: str  # solid, dashed or dotted
    width: int = 1  # relative: the tree (guidance) is drawn twice as thick as the other links


EDGE_STYLES: dict[str, EdgeStyle] = {
    EdgeKind.GUIDANCE: EdgeStyle("#34495e", "solid", 2),
    EdgeKind.REPORTING: EdgeStyle("#2980b9", "dashed"),
    EdgeKind.OFFICE: EdgeStyle("#7f8c8d", "solid"),
    EdgeKind.LEADERSHIP: EdgeStyle("#c0392b", "dotted"),
    EdgeKind.DEPARTMENTAL: EdgeStyle("#8e44ad", "dashed"),
    EdgeKind.ADMINISTRATIVE: EdgeStyle("#117864", "dashed"),
}


@dataclass(frozen=True, slots=True)
class NodeColours:
    fill: str
    stroke: str
    text: str


# The bodies drawn beside a committee (a committee takes its level's colour, with white text).
NODE_COLOURS: dict[str, NodeColours] = {
    NodeKind.OFFICE: NodeColours("#f8f9f9", "#7f8c8d", "#1b2631"),
    NodeKind.PARTY_COMMITTEE: NodeColours("#fdedec", "#c0392b", "#641e16"),
    NodeKind.UNIT: NodeColours("#f5eef8", "#8e44ad", "#4a235a"),
    NodeKind.BUREAU: NodeColours("#e8f6f3", "#117864", "#0b5345"),
}
# The node kinds an edge kind outside the default set brings in.
_BROUGHT_BY: dict[str, tuple[str, ...]] = {EdgeKind.ADMINISTRATIVE: (NodeKind.BUREAU,)}


def edge_styles(kinds: Collection[str]) -> dict[str, EdgeStyle]:
    """The styles of the default edge kinds and of those of ``kinds`` (an export's edge kinds)."""
    return {k: s for k, s in EDGE_STYLES.items() if k in DEFAULT_EDGE_KINDS or k in kinds}


def node_colours(kinds: Collection[str]) -> dict[str, NodeColours]:
    """The colours of the bodies beside a committee that an export of the edge kinds ``kinds`` may hold."""
    hidden = {n for k, nodes in _BROUGHT_BY.items() if k not in kinds for n in nodes}
    return {n: c for n, c in NODE_COLOURS.items() if n not in hidden}


def palette() -> dict[str, Any]:
    """The palette as plain data, for the viewer's index."""
    return {
        "levels": dict(LEVEL_COLOURS),
        "edges": {k: asdict(s) for k, s in EDGE_STYLES.items()},
        "nodes": {k: asdict(c) for k, c in NODE_COLOURS.items()},
    }
