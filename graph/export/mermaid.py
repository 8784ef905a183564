"""Mermaid flowcharts, within the limits Mermaid draws.

Mermaid draws a diagram only within two limits a page cannot raise from the diagram text; a flowchart drops
its link labels to stay within them, and a scope too large even so is refused with the narrower scopes that
fit (:func:`check_mermaid`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph.errors import ExportTooLarge
from graph.export.palette import EDGE_STYLES, LEVEL_COLOURS, edge_styles, node_colours
from graph.export.projection import project
from graph.export.scope import Scope
from graph.vocab import COMMITTEE_KINDS, EXPORT_FORMATS, EdgeKind, NodeKind

if TYPE_CHECKING:
    from graph.directory.model import Directory

__all__ = ["MERMAID_LIMITS", "check_mermaid", "mermaid", "mermaid_size"]

# Both limits are "secure" configuration keys: past them mermaid-cli and every page with the defaults show an error
# instead of the diagram.
MERMAID_MAX_TEXT = 50_000  # maxTextSize: characters (UTF-16 code units) of the diagram text
MERMAID_MAX_EDGES = 500  # maxEdges: links of a flowchart
MERMAID_LIMITS = {"maxTextSize": MERMAID_MAX_TEXT, "maxEdges": MERMAID_MAX_EDGES}

_MERMAID_SHAPE: dict[str, tuple[str, str]] = {
    NodeKind.COMMITTEE: ('(["', '"])'),
    NodeKind.DEPARTMENTAL: ('(["', '"])'),
    NodeKind.OFFICE: ('["', '"]'),
    NodeKind.PARTY_COMMITTEE: ('{{"', '"}}'),
    NodeKind.UNIT: ('[["', '"]]'),
    NodeKind.BUREAU: ('[/"', '"\\]'),
}
_MERMAID_ARROW: dict[str, str] = {
    EdgeKind.GUIDANCE: "-->",
    EdgeKind.REPORTING: "-.->",
    EdgeKind.OFFICE: "--o",
    EdgeKind.LEADERSHIP: "==>",
    EdgeKind.DEPARTMENTAL: "-.-o",
    EdgeKind.ADMINISTRATIVE: "==o",
}
_MERMAID_LINK = re.compile(r"^n[0-9a-f]+ (?:-->|-\.->|--o|==>|-\.-o|==o)")


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def _mermaid_lines(g: nx.MultiDiGraph, labels: bool) -> list[str]:
    committees = [d["level"] for _, d in g.nodes(data=True) if d["kind"] in COMMITTEE_KINDS]
    widest = max((committees.count(level) for level in set(committees)), default=1)
    ids = {n: f"n{i:x}" for i, n in enumerate(g.nodes)}
    kinds = g.graph.get("edges", "").split(",")
    lines = [
        f"%% baomi-kg: {g.graph.get('scope', '')}",
        "%% " + ", ".join(f"{_MERMAID_ARROW[kind]} {kind}" for kind in edge_styles(kinds)),
        f"flowchart {'TB' if widest <= 6 else 'LR'}",
    ]
    classes: dict[str, list[str]] = {}
    for n, data in g.nodes(data=True):
        left, right = _MERMAID_SHAPE[data["kind"]]
        lines.append(f"{ids[n]}{left}{_mermaid_text(data['label'])}{right}")
        cls = data["level"] if data["kind"] in COMMITTEE_KINDS else data["kind"].replace("-", "_")
        classes.setdefault(cls, []).append(ids[n])
    links: dict[tuple[str, str, str], list[str]] = {}  # one arrow per pair and kind: formed by, led by, resp. to
    for u, v, data in g.edges(data=True):
        links.setdefault((u, v, data["kind"]), []).append(data["label"])
    styles: dict[str, list[str]] = {}
    for i, ((u, v, kind), names) in enumerate(links.items()):
        label = f"|{_mermaid_text('·'.join(names))}|" if labels else ""
        lines.append(f"{ids[u]} {_MERMAID_ARROW[kind]}{label} {ids[v]}")
        styles.setdefault(kind, []).append(str(i))
    lines += [f"class {','.join(members)} {cls}" for cls, members in classes.items()]
    for level, colour in LEVEL_COLOURS.items():
        lines.append(f"classDef {level} fill:{colour},stroke:{colour},color:#fff")
    lines += [
        f"classDef {kind.replace('-', '_')} fill:{c.fill},stroke:{c.stroke},color:{c.text}"
        for kind, c in node_colours(kinds).items()
    ]
    lines += [f"linkStyle {','.join(edges)} stroke:{EDGE_STYLES[kind].colour}" for kind, edges in styles.items()]
    return lines


def mermaid_size(text: str) -> dict[str, int]:
    """What Mermaid counts against its limits: characters as JavaScript counts them, and links."""
    edges = sum(1 for line in text.splitlines() if _MERMAID_LINK.match(line))
    return {"characters": len(text.encode("utf-16-le")) // 2, "links": edges}


def _fits(size: dict[str, int]) -> bool:
    return size["characters"] <= MERMAID_MAX_TEXT and size["links"] <= MERMAID_MAX_EDGES


def mermaid(g: nx.MultiDiGraph) -> bytes:
    """A Mermaid flowchart: short node ids, nodes in their level's colour class, one arrow per linked pair and
    kind (in the kind's style and colour), labelled while the text stays within Mermaid's ``maxTextSize``."""
    text = "\n".join(_mermaid_lines(g, labels=True)) + "\n"
    if not _fits(mermaid_size(text)):
        text = "\n".join(_mermaid_lines(g, labels=False)) + "\n"
    return text.encode("utf-8")


def _mermaid_candidates(scope: Scope, deepest: int) -> list[Scope]:
    """Narrower scopes, nearest first: the tree alone (guidance), then each smaller depth with the same links and
    with the tree alone."""
    tree = (EdgeKind.GUIDANCE,)
    out = [replace(scope, edges=tree)] if scope.edges != tree else []
    top = deepest if scope.depth is None else scope.depth - 1
    for depth in range(top, -1, -1):
        out.append(replace(scope, depth=depth))
        if scope.edges != tree:
            out.append(replace(scope, depth=depth, edges=tree))
    return out


def check_mermaid(directory: Directory, scope: Scope, body: bytes) -> None:
    """:class:`~graph.errors.ExportTooLarge` naming Mermaid's limits and the narrower scopes that fit, for a
    diagram ``body`` of ``scope`` that Mermaid would not draw."""
    size = mermaid_size(body.decode("utf-8"))
    if _fits(size) or scope.chain:
        return
    suggestions: list[dict[str, Any]] = []  # the deepest scope that fits, per choice of links
    for candidate in _mermaid_candidates(scope, deepest=2):
        if any(tuple(s["edges"]) == candidate.edges for s in suggestions):
            continue
        g = project(directory, candidate)
        fit = mermaid_size(mermaid(g).decode("utf-8"))
        if _fits(fit):
            suggestions.append(
                {"depth": candidate.depth, "edges": list(candidate.edges), "nodes": g.number_of_nodes(), **fit}
            )
    options = "; ".join(
        f"depth={s['depth']}" + ("" if tuple(s["edges"]) == scope.edges else f" edges={','.join(s['edges'])}")
        for s in suggestions
    )
    raise ExportTooLarge(
        f"a Mermaid diagram of this scope has {size['links']:,} links and {size['characters']:,} "
        f"characters; Mermaid draws at most {MERMAID_MAX_EDGES:,} links (maxEdges) and "
        f"{MERMAID_MAX_TEXT:,} characters (maxTextSize): narrow the scope"
        + (f" ({options})" if options else "")
        + ", or export svg, dot or graphml",
        [f.name for f in EXPORT_FORMATS if f.name != "mermaid"],
        MERMAID_LIMITS,
        size,
        suggestions,
    )
