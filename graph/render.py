"""Graphviz: the DOT text of a projection, and its pictures (SVG, PNG) drawn by Graphviz's ``dot``.

The DOT keeps one statement per node and per edge of the projection, with the node key as its name
and ``id``, and ``kind``/``level``/``predicate`` as attributes, so that a reader gets the same graph
back.  Pictures are laid out top-down (a chain, a narrow tree) or left to right (a wide tree), each
committee with its office and Party committee beside it (``rank=same``), labels in a CJK font
(Noto Sans CJK, installed by ``./dev.sh test`` from Debian's ``fonts-noto-cjk``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import networkx as nx

from .errors import BaomiError
from .scope import LEVEL_COLOURS, LEVELS, LINKS

__all__ = ["FONT", "RenderFailed", "render", "to_dot"]

FONT = "Noto Sans CJK SC"


class RenderFailed(BaomiError):
    """Graphviz is missing, failed, or ran past its time."""


_EDGE_STYLE: dict[str, str] = {
    "guidance": 'color="#34495e", penwidth=1.4',
    "reporting": 'color="#2980b9", style=dashed, arrowsize=0.6, constraint=false',
    "office": 'color="#7f8c8d", arrowhead=odot, arrowsize=0.6',
    "leadership": 'color="#c0392b", style=dotted, arrowsize=0.6',
    "departmental": 'color="#8e44ad", style=dashed, arrowsize=0.6',
}
_NODE_STYLE: dict[str, str] = {
    "office": 'shape=note, style=filled, fillcolor="#f8f9f9", fontcolor="#1b2631"',
    "party-committee": 'shape=box, style="filled,bold", fillcolor="#fdedec", color="#c0392b", fontcolor="#641e16"',
    "unit": 'shape=component, style=filled, fillcolor="#f5eef8", color="#8e44ad", fontcolor="#4a235a"',
}
_KIND_NAMES = {
    "zh": {"committee": "保密委员会", "office": "办公室", "party-committee": "同级党委", "unit": "单位",
           "central": "中央", "provincial": "省级", "municipal": "市级", "county": "县级", "departmental": "部门",
           "guidance": "指导监督", "reporting": "报告", "leadership": "组建·领导·负责"},
    "en": {"committee": "committee", "office": "office", "party-committee": "Party committee", "unit": "unit",
           "central": "central", "provincial": "provincial", "municipal": "municipal", "county": "county",
           "departmental": "departmental", "guidance": "guidance", "reporting": "reporting",
           "leadership": "formed, led by, responsible to"},
}


def _q(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _legend(g: nx.MultiDiGraph, lang: str) -> str:
    names = _KIND_NAMES["en" if lang == "en" else "zh"]
    levels = [lv for lv in LEVELS if any(d["level"] == lv for _, d in g.nodes(data=True))]
    cells = "".join(f'<TD BGCOLOR="{LEVEL_COLOURS[lv]}"><FONT COLOR="white">{_html(names[lv])}</FONT></TD>'
                    for lv in levels)
    kinds = sorted({k for _, _, k in g.edges(data="kind")}, key=[link.kind for link in LINKS].index)
    colours = {"guidance": "#34495e", "reporting": "#2980b9", "office": "#7f8c8d", "leadership": "#c0392b",
               "departmental": "#8e44ad"}
    edges = "".join(f'<TD><FONT COLOR="{colours[k]}">━ {_html(names.get(k, k))}</FONT></TD>' for k in kinds)
    title = _html(g.graph.get("title", "baomi-kg"))
    span = max(len(levels), len(kinds), 1)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3"><TR><TD COLSPAN="{span}"><FONT POINT-SIZE="16">'
            f'<B>{title}</B></FONT></TD></TR><TR>{cells}</TR><TR>{edges}</TR></TABLE>>')


RADIAL_MAX_NODES = 160  # twopi's overlap removal is quick up to about this many nodes


def _layout(g: nx.MultiDiGraph) -> str:
    """Graph attributes choosing the layout: a chain or a narrow tree top-down (dot); a wide tree of a few
    hundred nodes radially around its top committee (twopi); anything larger left to right (dot)."""
    per_level = Counter(d["level"] for _, d in g.nodes(data=True) if d["kind"] in ("committee", "departmental"))
    if max(per_level.values(), default=1) <= 6:
        return "layout=dot, rankdir=TB, newrank=true, nodesep=0.18, ranksep=0.45"
    if g.number_of_nodes() <= RADIAL_MAX_NODES:
        top = next(n for n, k in g.nodes(data="kind") if k in ("committee", "departmental"))
        return f"layout=twopi, root={_q(top)}, overlap=false, ranksep=2.2"
    return "layout=dot, rankdir=LR, newrank=true, nodesep=0.18, ranksep=1.1"


def to_dot(g: nx.MultiDiGraph) -> str:
    """The projection as a Graphviz digraph (deterministic: the projection's order)."""
    lang = g.graph.get("lang", "zh")
    layout = _layout(g)
    out = [
        "digraph \"baomi-kg\" {",
        f"  graph [charset=\"UTF-8\", {layout}, pad=0.3, bgcolor=white, fontname={_q(FONT)}, fontsize=11, "
        f"labelloc=t, label={_legend(g, lang)}];",
        f"  node [fontname={_q(FONT)}, fontsize=11, margin=\"0.08,0.04\", penwidth=0.8];",
        f"  edge [fontname={_q(FONT)}, fontsize=9];",
    ]
    for n, d in g.nodes(data=True):
        kind = d["kind"]
        if kind in ("committee", "departmental"):
            fill = LEVEL_COLOURS[d["level"]]
            label = d["label"] + ("" if kind == "departmental" else "\n" + d["committee"])
            style = f'shape=box, style="rounded,filled", fillcolor="{fill}", color="{fill}", fontcolor=white'
        else:
            label = d["label"]
            style = _NODE_STYLE[kind]
        out.append(f"  {_q(n)} [id={_q(n)}, label={_q(label)}, tooltip={_q(d['name'])}, kind={_q(kind)}, "
                   f"level={_q(d['level'])}, {style}];")
    groups: dict[str, list[str]] = {}
    for n, d in g.nodes(data=True):
        groups.setdefault(d["committee"], []).append(n)
    for members in groups.values():
        if len(members) > 1 and "twopi" not in layout:
            out.append("  { rank=same; " + " ".join(_q(m) + ";" for m in members) + " }")
    for u, v, d in g.edges(data=True):
        out.append(f"  {_q(u)} -> {_q(v)} [id={_q(d['id'])}, kind={_q(d['kind'])}, predicate={_q(d['predicate'])}, "
                   f"tooltip={_q(d['label'])}, {_EDGE_STYLE[d['kind']]}];")
    out.append("}")
    return "\n".join(out) + "\n"


def render(dot: str, fmt: str, *, timeout: float = 300.0) -> bytes:
    """Draw DOT text as ``svg`` or ``png`` with Graphviz's ``dot``."""
    exe = shutil.which("dot")
    if exe is None:
        raise RenderFailed("Graphviz is not installed (no `dot` on PATH): install Debian's graphviz package, or "
                           "export the dot format and draw it elsewhere")
    args = [exe, f"-T{fmt}"] + (["-Gdpi=110"] if fmt == "png" else [])
    try:
        done = subprocess.run(args, input=dot.encode("utf-8"), capture_output=True, timeout=timeout,  # noqa: S603
                              check=False)
    except subprocess.TimeoutExpired:
        raise RenderFailed(f"Graphviz did not finish within {timeout:.0f} s: narrow the scope") from None
    except OSError as exc:
        raise RenderFailed(f"cannot run Graphviz: {exc}") from exc
    if done.returncode != 0 or not done.stdout:
        message = " ".join(done.stderr.decode("utf-8", "replace").split())[:300]
        raise RenderFailed(f"Graphviz failed (exit {done.returncode}): {message}")
    return done.stdout
