"""Exports for graph tools: GraphML (yEd, Gephi, Cytoscape desktop, networkx), GEXF (Gephi), Cytoscape.js and
D3 node-link JSON.

Each is written from a projection (:func:`graph.export.projection.project`) by networkx's writer where it has
one, with the tree layout's positions (:func:`graph.export.layout.tree_layout`) and the palette's colours
(:mod:`graph.export.palette`) added in each tool's own terms, so that a file opens as a readable picture.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET  # noqa: S405 - we write XML; nothing untrusted is parsed here
from collections.abc import Collection
from typing import Any

import networkx as nx

from graph.export.layout import tree_layout
from graph.export.palette import EDGE_STYLES, LEVEL_COLOURS, NODE_COLOURS, edge_styles, node_colours
from graph.vocab import COMMITTEE_KINDS, DEFAULT_EDGE_KINDS, Level, NodeKind

__all__ = ["cytoscape", "cytoscape_style", "d3", "gexf", "graphml"]


# -- GraphML --------------------------------------------------------------------------------------
NS_Y = "http://www.yworks.com/xml/graphml"
_YED_SHAPE = {
    NodeKind.COMMITTEE: "roundrectangle",
    NodeKind.DEPARTMENTAL: "octagon",
    NodeKind.OFFICE: "rectangle",
    NodeKind.PARTY_COMMITTEE: "hexagon",
    NodeKind.UNIT: "parallelogram",
    NodeKind.BUREAU: "trapezoid",
}
_YED_LINE = {"solid": "line"}  # yFiles' name of a line style where it is not the palette's


def _fill(data: dict[str, Any]) -> str:
    """A node's fill: its kind's, or for a committee its level's colour."""
    colours = NODE_COLOURS.get(data["kind"])
    return colours.fill if colours is not None else LEVEL_COLOURS[data["level"]]


def _box(label: str) -> tuple[float, float]:
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in label)
    return max(40.0, 7.0 * wide + 16.0), 30.0


def graphml(g: nx.MultiDiGraph) -> bytes:
    """GraphML by networkx's writer, with yFiles graphics added so that yEd shows labels, colours and a layout."""
    pos = tree_layout(g)
    writer = nx.readwrite.graphml.GraphMLWriter(
        graph=g, encoding="utf-8", prettyprint=True, edge_id_from_attribute="id"
    )
    ET.register_namespace("y", NS_Y)
    root = writer.xml
    root.insert(0, ET.Element("key", {"for": "edge", "id": "eg", "yfiles.type": "edgegraphics"}))
    root.insert(0, ET.Element("key", {"for": "node", "id": "ng", "yfiles.type": "nodegraphics"}))
    graph_el = root.find("graph")
    node_els = [] if graph_el is None else graph_el.findall("node")
    edge_els = [] if graph_el is None else graph_el.findall("edge")
    for el, (n, data) in zip(node_els, g.nodes(data=True), strict=True):
        x, y = pos[n]
        w, h = _box(data["label"])
        shape = ET.SubElement(ET.SubElement(el, "data", key="ng"), f"{{{NS_Y}}}ShapeNode")
        ET.SubElement(
            shape,
            f"{{{NS_Y}}}Geometry",
            x=f"{x - w / 2:.1f}",
            y=f"{y - h / 2:.1f}",
            width=f"{w:.1f}",
            height=f"{h:.1f}",
        )
        ET.SubElement(shape, f"{{{NS_Y}}}Fill", color=_fill(data), transparent="false")
        ET.SubElement(shape, f"{{{NS_Y}}}BorderStyle", color=LEVEL_COLOURS[data["level"]], type="line", width="1.0")
        text = "#ffffff" if data["kind"] in COMMITTEE_KINDS else "#000000"
        label = ET.SubElement(shape, f"{{{NS_Y}}}NodeLabel", textColor=text, fontSize="12")
        label.text = data["label"]
        ET.SubElement(shape, f"{{{NS_Y}}}Shape", type=_YED_SHAPE[data["kind"]])
    for el, (_, _, kind) in zip(edge_els, g.edges(data="kind"), strict=True):
        line = ET.SubElement(ET.SubElement(el, "data", key="eg"), f"{{{NS_Y}}}PolyLineEdge")
        style = EDGE_STYLES[kind]
        ET.SubElement(
            line, f"{{{NS_Y}}}LineStyle", color=style.colour, type=_YED_LINE.get(style.line, style.line), width="1.0"
        )
        ET.SubElement(line, f"{{{NS_Y}}}Arrows", source="none", target="standard")
    _drop_edge_id_key(root)
    out = io.BytesIO()
    writer.dump(out)
    return out.getvalue()


def _drop_edge_id_key(root: ET.Element) -> None:
    """The edge id is the ``id`` attribute of each ``<edge>``; networkx also writes it as a data column, which
    igraph refuses beside the ids it reads (``Could not add edge ids``).  networkx, yEd and Gephi read the
    attribute, so the column goes."""
    key = next((k for k in root.findall("key") if k.get("for") == "edge" and k.get("attr.name") == "id"), None)
    if key is None:
        return
    root.remove(key)
    for edge in root.iter("edge"):
        for data in edge.findall("data"):
            if data.get("key") == key.get("id"):
                edge.remove(data)


# -- GEXF -----------------------------------------------------------------------------------------
_GEXF_SIZE = {
    Level.CENTRAL: 40.0,
    Level.PROVINCIAL: 24.0,
    Level.MUNICIPAL: 14.0,
    Level.COUNTY: 8.0,
    Level.DEPARTMENTAL: 10.0,
}
_GEXF_SHAPE = {
    NodeKind.COMMITTEE: "disc",
    NodeKind.DEPARTMENTAL: "disc",
    NodeKind.OFFICE: "square",
    NodeKind.PARTY_COMMITTEE: "diamond",
    NodeKind.UNIT: "triangle",
    NodeKind.BUREAU: "square",
}


def _rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def _gexf_colour(data: dict[str, Any]) -> str:
    """A node's colour in Gephi, which draws no border: an office in its level's colour, a bureau in its border
    colour (both fills are nearly white), the others in their fill."""
    if data["kind"] == NodeKind.OFFICE:
        return LEVEL_COLOURS[data["level"]]
    if data["kind"] == NodeKind.BUREAU:
        return NODE_COLOURS[NodeKind.BUREAU].stroke
    return _fill(data)


def gexf(g: nx.MultiDiGraph) -> bytes:
    """GEXF 1.3 by networkx's writer, with ``viz`` colour and size by level, shape by kind, and positions."""
    pos = tree_layout(g)
    h: nx.MultiDiGraph = nx.MultiDiGraph(**g.graph)
    for n, data in g.nodes(data=True):
        x, y = pos[n]
        scale = 1.0 if data["kind"] in COMMITTEE_KINDS else 0.5
        viz = {
            "color": _rgb(_gexf_colour(data)),
            "size": _GEXF_SIZE[data["level"]] * scale,
            "shape": _GEXF_SHAPE[data["kind"]],
            "position": {"x": round(x, 1), "y": round(-y, 1), "z": 0.0},
        }
        h.add_node(n, **data, viz=viz)
    for u, v, k, data in g.edges(keys=True, data=True):
        style = EDGE_STYLES[data["kind"]]
        viz = {"color": _rgb(style.colour), "thickness": float(style.width), "shape": style.line}
        h.add_edge(u, v, key=k, **data, viz=viz)
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True, version="1.3")
    # networkx 3.6 spells the XML Schema instance namespace without "www."; the GEXF 1.3 schema needs it
    writer.xml.set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
    meta = writer.xml.find("meta")
    if meta is not None:  # a stable file: no "last modified" date of today
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "baomi-kg"
        ET.SubElement(meta, "description").text = g.graph.get("scope", "")
    writer.add_graph(h)
    _drop_edge_keys(writer.xml)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _drop_edge_keys(root: ET.Element) -> None:
    """networkx writes a multigraph's edge keys as an attribute column ``networkx_key``; the edges have ids
    of their own, so Gephi and other readers would only show a stray column."""
    for graph in root.iter("graph"):
        for attributes in graph.findall("attributes"):
            for attribute in attributes.findall("attribute"):
                if attribute.get("title") == "networkx_key":
                    attributes.remove(attribute)
                    dropped = attribute.get("id")
                    for values in graph.iter("attvalues"):
                        for value in values.findall("attvalue"):
                            if value.get("for") == dropped:
                                values.remove(value)


# -- Cytoscape.js and D3 -----------------------------------------------------------------------------------------
def _json(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def cytoscape(g: nx.MultiDiGraph) -> bytes:
    """Cytoscape.js JSON: ``elements.nodes`` and ``elements.edges``, each with a ``data.id``, nodes with a
    ``position`` and ``classes`` (``kind-…`` and ``level-…``), edges with their kind as class."""
    pos = tree_layout(g)
    nodes = [
        {
            "data": {"id": n, **data},
            "position": {"x": round(pos[n][0], 1), "y": round(pos[n][1], 1)},
            "classes": f"kind-{data['kind']} level-{data['level']}",
        }
        for n, data in g.nodes(data=True)
    ]
    edges = [{"data": {"source": u, "target": v, **data}, "classes": data["kind"]} for u, v, data in g.edges(data=True)]
    return _json(
        {
            "format_version": "1.0",
            "generated_by": "baomi-kg",
            "target_cytoscapejs_version": "~3.34",
            "data": dict(g.graph),
            "elements": {"nodes": nodes, "edges": edges},
            "style": cytoscape_style(g.graph.get("edges", "").split(",")),
        }
    )


def cytoscape_style(kinds: Collection[str] = DEFAULT_EDGE_KINDS) -> list[dict[str, Any]]:
    """A Cytoscape.js stylesheet in the export itself (``cy.json(doc)`` applies it): labels, the level colours
    and shapes of the other exports, and edges drawn by kind, so that the file reads without extra styling; the
    styles of the kinds an export holds by default and of those of ``kinds`` (its edge kinds)."""
    nodes = node_colours(kinds)
    style: list[dict[str, Any]] = [
        {
            "selector": "node",
            "style": {
                "label": "data(label)",
                "font-size": 10,
                "text-valign": "bottom",
                "text-margin-y": 3,
                "border-width": 1,
                "width": 24,
                "height": 24,
            },
        },
        {
            "selector": "edge",
            "style": {"curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1, "arrow-scale": 0.8},
        },
    ]
    for level, colour in LEVEL_COLOURS.items():
        style.append({"selector": f".level-{level}", "style": {"background-color": colour, "border-color": colour}})
    for kind, colours in nodes.items():
        style.append(
            {"selector": f".kind-{kind}", "style": {"background-color": colours.fill, "width": 16, "height": 16}}
        )
    for kind, shape in _YED_SHAPE.items():
        if kind not in nodes and kind not in COMMITTEE_KINDS:
            continue
        style.append({"selector": f".kind-{kind}", "style": {"shape": _CY_SHAPE.get(shape, "ellipse")}})
    for kind, edge in edge_styles(kinds).items():
        style.append(
            {
                "selector": f"edge.{kind}",
                "style": {
                    "line-color": edge.colour,
                    "target-arrow-color": edge.colour,
                    "line-style": edge.line,
                    "width": edge.width,
                },
            }
        )
    return style


_CY_SHAPE = {
    "roundrectangle": "round-rectangle",
    "octagon": "octagon",
    "rectangle": "rectangle",
    "hexagon": "hexagon",
    "parallelogram": "rhomboid",
    "trapezoid": "cut-rectangle",
}


def d3(g: nx.MultiDiGraph) -> bytes:
    """D3 node-link JSON by networkx (``nodes`` and ``links``, ``source``/``target`` by node id)."""
    return _json(nx.node_link_data(g, edges="links"))
