"""Exports of the graph or of a scoped part of it: :func:`export` writes a scope in one of
:data:`graph.vocab.EXPORT_FORMATS`, whose entries give each format's media type, extension and aliases.

================================ ==========================================================================
format                           read by (written in)
================================ ==========================================================================
graphml                          yEd (yFiles node/edge graphics: labels, colours, positions), Gephi,
                                 Cytoscape desktop, networkx ``read_graphml`` (:mod:`.graph_tools`)
gexf                             Gephi (GEXF 1.3, ``viz`` colour, size, shape and position by level and
                                 kind), networkx ``read_gexf`` (:mod:`.graph_tools`)
cytoscape                        Cytoscape.js (``elements`` with node and edge ids and positions, and a
                                 ``style`` with labels and colours) and Cytoscape desktop (.cyjs)
d3                               D3 force layouts (node-link ``nodes``/``links``), networkx
dot                              Graphviz (:mod:`.render`)
mermaid                          Mermaid (``flowchart``; :mod:`.mermaid`)
turtle, ntriples, jsonld, rdfxml RDF tools, Protégé and the OWL API: the store's triples about the same
                                 nodes and links (:mod:`.rdf`)
svg, png                         pictures drawn by Graphviz (:mod:`.render`)
================================ ==========================================================================

Every format but RDF is written from the projection of :func:`graph.export.projection.project`.  Output is
deterministic: nodes and edges in the projection's order, RDF triples sorted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import networkx as nx

from graph.answers.past import PastView, past_view
from graph.errors import InvalidExport
from graph.export.graph_tools import cytoscape, d3, gexf, graphml
from graph.export.mermaid import check_mermaid, mermaid
from graph.export.projection import project
from graph.export.rdf import projection_rdf, rdf
from graph.export.render import render, to_dot
from graph.export.scope import NameReader, Scope, resolve_scope
from graph.vocab import EXPORT_FORMATS, Format, find_format

if TYPE_CHECKING:
    from graph.answers.view import GraphView

__all__ = ["WRITERS", "Export", "check_format", "export"]


def _dot(g: nx.MultiDiGraph) -> bytes:
    return to_dot(g).encode("utf-8")


# The writers of the graph tools' formats, by name; RDF is read from the store, pictures drawn by Graphviz.
WRITERS: dict[str, Callable[[nx.MultiDiGraph], bytes]] = {
    "graphml": graphml,
    "gexf": gexf,
    "cytoscape": cytoscape,
    "d3": d3,
    "dot": _dot,
    "mermaid": mermaid,
}


@dataclass(frozen=True, slots=True)
class Export:
    body: bytes
    format: Format
    filename: str
    nodes: int
    edges: int

    @property
    def media_type(self) -> str:
        return self.format.content_type


def check_format(name: str | None) -> Format:
    """The export format ``name`` names (its name or an alias: ``ttl``, ``cyjs`` …); :class:`InvalidExport`
    listing the valid names otherwise."""
    fmt = find_format(name or "", EXPORT_FORMATS)
    if fmt is None:
        names = [f.name for f in EXPORT_FORMATS]
        raise InvalidExport(f"unknown format {name!r}; valid values: {', '.join(names)}", "format", names)
    return fmt


def _note_undated(g: nx.MultiDiGraph, view: PastView) -> None:
    """The changes of the day's year (or month) that the source dates by the year (or month) only and that touch a
    region of the projection, as the graph's ``as_of_undated`` (their ids in data/history.csv) and ``as_of_note``:
    the drawing of that day may or may not show them yet."""
    events = [e.id for e in view.lookup.undated_touching(code for _, code in g.nodes(data="region"))]
    if events:
        g.graph["as_of_undated"] = ",".join(events)
        g.graph["as_of_note"] = (
            f"The source gives {len(events)} change(s) of these regions a year or a month only "
            f"({', '.join(events)}): the drawing of {view.day.isoformat()} may or may not show them yet."
        )


def export(
    kg: GraphView,
    format: str,
    scope: Scope,
    *,
    as_of: date | None = None,
    max_picture_nodes: int | None = None,
    timeout: float = 300.0,
) -> Export:
    """The scope of ``kg`` written in ``format``, as the graph stands today or, given ``as_of``, as it stood at the
    end of that day (the committees of that day's divisions, named as :mod:`graph.directory.as_of` names them; the
    names in the scope read as that day read them); :class:`~graph.errors.InvalidExport` for what cannot be."""
    fmt = check_format(format)
    view: GraphView
    names: NameReader
    if as_of is None:
        view, names = kg, kg.resolver
    else:
        view = names = past_view(kg, as_of)  # the names in the scope read as that day read them
    scope = resolve_scope(view.directory, scope, names)  # ids, not names, in file names
    g = project(view.directory, scope, as_of=as_of)
    if isinstance(view, PastView):
        _note_undated(g, view)
    if fmt.picture and max_picture_nodes is not None and g.number_of_nodes() > max_picture_nodes:
        raise InvalidExport(
            f"a picture of {g.number_of_nodes()} nodes is more than the {max_picture_nodes} drawn "
            f"here: narrow the scope (root, depth, level, edges), or export dot and draw it yourself",
            "format",
            [f.name for f in EXPORT_FORMATS if not f.picture],
        )
    if fmt.rdf:
        # today's links are the store's; those of a past day are the projection's own
        body = rdf(view, g, fmt.name) if as_of is None else projection_rdf(view, g, fmt.name)
    elif fmt.picture:
        body = render(to_dot(g), fmt.name, timeout=timeout)
    else:
        body = WRITERS[fmt.name](g)
        if fmt.name == "mermaid":
            check_mermaid(view.directory, scope, body)
    suffix = ("" if fmt.rdf else f"-{scope.lang}") + (f"-as-of-{as_of.isoformat()}" if as_of else "")
    return Export(
        body, fmt, f"baomi-kg-{scope.slug()}{suffix}.{fmt.extension}", g.number_of_nodes(), g.number_of_edges()
    )
