"""Exports of the graph or of a scoped part of it, in the formats that graph tools read.

========== ============================ ==========================================================
format     media type                   read by
========== ============================ ==========================================================
graphml    application/graphml+xml      yEd (yFiles node/edge graphics: labels, colours, positions),
                                        Gephi, Cytoscape desktop, networkx ``read_graphml``
gexf       application/gexf+xml         Gephi (GEXF 1.3, ``viz`` colour, size, shape and position
                                        by level and kind), networkx ``read_gexf``
cytoscape  application/json             Cytoscape.js (``elements`` with node and edge ids and
                                        positions, and a ``style`` with labels and colours) and
                                        Cytoscape desktop (.cyjs)
d3         application/json             D3 force layouts (node-link ``nodes``/``links``), networkx
dot        text/vnd.graphviz            Graphviz
mermaid    text/plain                   Mermaid (``flowchart``)
turtle     text/turtle                  RDF tools: the store's triples about the same nodes and links
ntriples   application/n-triples
jsonld     application/ld+json
rdfxml     application/rdf+xml          Protégé and the OWL API
svg, png   image/svg+xml, image/png     pictures drawn by Graphviz (see :mod:`graph.export.render`)
========== ============================ ==========================================================

Aliases: ``ttl``, ``nt``, ``rdf`` (the suffixes of ``/id/``) and a few others (:data:`ALIASES`).
Every format but RDF is written from the projection of :func:`graph.export.scope.project`; the RDF is
read from the store by a CONSTRUCT over the projection's nodes, keeping their descriptions and the
links of the chosen kinds between them, so both describe the same nodes and links.  Output is
deterministic: nodes and edges in the projection's order, RDF triples sorted.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - we write XML; nothing untrusted is parsed here
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import networkx as nx
import pyoxigraph as ox

from graph.export.render import render, to_dot
from graph.export.scope import LEVEL_COLOURS, LINKS, InvalidExport, Scope, project, resolve_scope, tree_layout
from graph.namespaces import DCT, RDF, RDFS, SKOS

if TYPE_CHECKING:
    from graph.kg import KnowledgeGraph

__all__ = ["FORMATS", "MERMAID_LIMITS", "Export", "ExportFormat", "TooLarge", "check_format", "export", "mermaid",
           "mermaid_size", "scope_triples"]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    binary: bool
    description: str

    @property
    def rdf(self) -> bool:
        return self.name in ("turtle", "ntriples", "jsonld", "rdfxml")

    @property
    def picture(self) -> bool:
        return self.name in ("svg", "png")


_TEXT = "; charset=utf-8"
FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("graphml", "application/graphml+xml" + _TEXT, "graphml", False,
                 "GraphML with yFiles graphics (yEd, Gephi, Cytoscape desktop)"),
    ExportFormat("gexf", "application/gexf+xml" + _TEXT, "gexf", False, "GEXF 1.3 with viz colour and size (Gephi)"),
    ExportFormat("cytoscape", "application/json", "cyjs", False, "Cytoscape.js elements JSON"),
    ExportFormat("d3", "application/json", "json", False, "D3 node-link JSON (nodes/links)"),
    ExportFormat("dot", "text/vnd.graphviz" + _TEXT, "gv", False, "Graphviz DOT"),
    ExportFormat("mermaid", "text/plain" + _TEXT, "mmd", False, "Mermaid flowchart"),
    ExportFormat("turtle", "text/turtle" + _TEXT, "ttl", False, "RDF Turtle"),
    ExportFormat("ntriples", "application/n-triples", "nt", False, "RDF N-Triples"),
    ExportFormat("jsonld", "application/ld+json", "jsonld", False, "RDF JSON-LD"),
    ExportFormat("rdfxml", "application/rdf+xml", "rdf", False, "RDF/XML (Protégé, the OWL API)"),
    ExportFormat("svg", "image/svg+xml", "svg", False, "SVG picture drawn by Graphviz"),
    ExportFormat("png", "image/png", "png", True, "PNG picture drawn by Graphviz"),
)}


@dataclass(frozen=True, slots=True)
class Export:
    body: bytes
    format: ExportFormat
    filename: str
    nodes: int
    edges: int

    @property
    def media_type(self) -> str:
        return self.format.media_type


# Other names clients use for a format (the suffixes /id/ takes, media-type shorthands).
ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
           "xml": "rdfxml", "cyjs": "cytoscape", "gv": "dot", "mmd": "mermaid"}


def check_format(name: str | None) -> ExportFormat:
    key = (name or "").strip().lower()
    key = ALIASES.get(key, key)
    if key not in FORMATS:
        raise InvalidExport(f"unknown format {name!r}; valid values: {', '.join(FORMATS)}", "format", list(FORMATS))
    return FORMATS[key]


def export(kg: KnowledgeGraph, format: str, scope: Scope, *, max_picture_nodes: int | None = None,
           timeout: float = 300.0) -> Export:
    """The scope of ``kg`` written in ``format``; :class:`~graph.export.scope.InvalidExport` for what cannot be."""
    fmt = check_format(format)
    scope = resolve_scope(kg.directory, scope, kg.resolver)  # ids, not names, in file names
    g = project(kg.directory, scope)
    if fmt.picture and max_picture_nodes is not None and g.number_of_nodes() > max_picture_nodes:
        raise InvalidExport(f"a picture of {g.number_of_nodes()} nodes is more than the {max_picture_nodes} drawn "
                            f"here: narrow the scope (root, depth, level, edges), or export dot and draw it yourself",
                            "format", [f for f in FORMATS if not FORMATS[f].picture])
    if fmt.rdf:
        body = rdf(kg, g, fmt.name)
    elif fmt.picture:
        body = render(to_dot(g), fmt.name, timeout=timeout)
    else:
        body = WRITERS[fmt.name](g)
        if fmt.name == "mermaid":
            _check_mermaid(kg, scope, body)
    suffix = "" if fmt.rdf else f"-{scope.lang}"
    return Export(body, fmt, f"baomi-kg-{scope.slug()}{suffix}.{fmt.extension}", g.number_of_nodes(),
                  g.number_of_edges())


# -- GraphML --------------------------------------------------------------------------------------
NS_Y = "http://www.yworks.com/xml/graphml"
_KIND_FILL = {"office": "#f8f9f9", "party-committee": "#fdedec", "unit": "#f5eef8"}
_YED_SHAPE = {"committee": "roundrectangle", "departmental": "octagon", "office": "rectangle",
              "party-committee": "hexagon", "unit": "parallelogram"}
_EDGE_COLOUR = {"guidance": "#34495e", "reporting": "#2980b9", "office": "#7f8c8d", "leadership": "#c0392b",
                "departmental": "#8e44ad"}
_EDGE_LINE = {"guidance": "line", "reporting": "dashed", "office": "line", "leadership": "dotted",
              "departmental": "dashed"}


def _fill(data: dict[str, Any]) -> str:
    return _KIND_FILL.get(data["kind"], LEVEL_COLOURS[data["level"]])


def _box(label: str) -> tuple[float, float]:
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in label)
    return max(40.0, 7.0 * wide + 16.0), 30.0


def graphml(g: nx.MultiDiGraph) -> bytes:
    """GraphML by networkx's writer, with yFiles graphics added so that yEd shows labels, colours and a layout."""
    pos = tree_layout(g)
    writer = nx.readwrite.graphml.GraphMLWriter(graph=g, encoding="utf-8", prettyprint=True,
                                                edge_id_from_attribute="id")
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
        ET.SubElement(shape, f"{{{NS_Y}}}Geometry", x=f"{x - w / 2:.1f}", y=f"{y - h / 2:.1f}", width=f"{w:.1f}",
                      height=f"{h:.1f}")
        ET.SubElement(shape, f"{{{NS_Y}}}Fill", color=_fill(data), transparent="false")
        ET.SubElement(shape, f"{{{NS_Y}}}BorderStyle", color=LEVEL_COLOURS[data["level"]], type="line", width="1.0")
        text = "#ffffff" if data["kind"] in ("committee", "departmental") else "#000000"
        label = ET.SubElement(shape, f"{{{NS_Y}}}NodeLabel", textColor=text, fontSize="12")
        label.text = data["label"]
        ET.SubElement(shape, f"{{{NS_Y}}}Shape", type=_YED_SHAPE[data["kind"]])
    for el, (_, _, kind) in zip(edge_els, g.edges(data="kind"), strict=True):
        line = ET.SubElement(ET.SubElement(el, "data", key="eg"), f"{{{NS_Y}}}PolyLineEdge")
        ET.SubElement(line, f"{{{NS_Y}}}LineStyle", color=_EDGE_COLOUR[kind], type=_EDGE_LINE[kind], width="1.0")
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
_GEXF_SIZE = {"central": 40.0, "provincial": 24.0, "municipal": 14.0, "county": 8.0, "departmental": 10.0}
_GEXF_SHAPE = {"committee": "disc", "departmental": "disc", "office": "square", "party-committee": "diamond",
               "unit": "triangle"}
_GEXF_LINE = {"line": "solid", "dashed": "dashed", "dotted": "dotted"}


def _rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def gexf(g: nx.MultiDiGraph) -> bytes:
    """GEXF 1.3 by networkx's writer, with ``viz`` colour and size by level, shape by kind, and positions."""
    pos = tree_layout(g)
    h: nx.MultiDiGraph = nx.MultiDiGraph(**g.graph)
    for n, data in g.nodes(data=True):
        x, y = pos[n]
        scale = 1.0 if data["kind"] in ("committee", "departmental") else 0.5
        viz = {"color": _rgb(_fill(data) if data["kind"] != "office" else LEVEL_COLOURS[data["level"]]),
               "size": _GEXF_SIZE[data["level"]] * scale, "shape": _GEXF_SHAPE[data["kind"]],
               "position": {"x": round(x, 1), "y": round(-y, 1), "z": 0.0}}
        h.add_node(n, **data, viz=viz)
    for u, v, k, data in g.edges(keys=True, data=True):
        viz = {"color": _rgb(_EDGE_COLOUR[data["kind"]]), "thickness": 2.0 if data["kind"] == "guidance" else 1.0,
               "shape": _GEXF_LINE[_EDGE_LINE[data["kind"]]]}
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


# -- JSON -----------------------------------------------------------------------------------------
def _json(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def cytoscape(g: nx.MultiDiGraph) -> bytes:
    """Cytoscape.js JSON: ``elements.nodes`` and ``elements.edges``, each with a ``data.id``, nodes with a
    ``position`` and ``classes`` (``kind-…`` and ``level-…``), edges with their kind as class."""
    pos = tree_layout(g)
    nodes = [{"data": {"id": n, **data}, "position": {"x": round(pos[n][0], 1), "y": round(pos[n][1], 1)},
              "classes": f"kind-{data['kind']} level-{data['level']}"} for n, data in g.nodes(data=True)]
    edges = [{"data": {"source": u, "target": v, **data}, "classes": data["kind"]}
             for u, v, data in g.edges(data=True)]
    return _json({"format_version": "1.0", "generated_by": "baomi-kg", "target_cytoscapejs_version": "~3.34",
                  "data": dict(g.graph), "elements": {"nodes": nodes, "edges": edges}, "style": cytoscape_style()})


def cytoscape_style() -> list[dict[str, Any]]:
    """A Cytoscape.js stylesheet in the export itself (``cy.json(doc)`` applies it): labels, the level colours
    and shapes of the other exports, and edges drawn by kind, so that the file reads without extra styling."""
    style: list[dict[str, Any]] = [
        {"selector": "node", "style": {"label": "data(label)", "font-size": 10, "text-valign": "bottom",
                                       "text-margin-y": 3, "border-width": 1, "width": 24, "height": 24}},
        {"selector": "edge", "style": {"curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1,
                                       "arrow-scale": 0.8}},
    ]
    for level, colour in LEVEL_COLOURS.items():
        style.append({"selector": f".level-{level}", "style": {"background-color": colour, "border-color": colour}})
    for kind, fill in _KIND_FILL.items():
        style.append({"selector": f".kind-{kind}", "style": {"background-color": fill, "width": 16, "height": 16}})
    for kind, shape in _YED_SHAPE.items():
        style.append({"selector": f".kind-{kind}", "style": {"shape": _CY_SHAPE.get(shape, "ellipse")}})
    for kind, colour in _EDGE_COLOUR.items():
        style.append({"selector": f"edge.{kind}", "style": {
            "line-color": colour, "target-arrow-color": colour,
            "line-style": {"line": "solid", "dashed": "dashed", "dotted": "dotted"}[_EDGE_LINE[kind]],
            "width": 2 if kind == "guidance" else 1}})
    return style


_CY_SHAPE = {"roundrectangle": "round-rectangle", "octagon": "octagon", "rectangle": "rectangle",
             "hexagon": "hexagon", "parallelogram": "rhomboid"}


def d3(g: nx.MultiDiGraph) -> bytes:
    """D3 node-link JSON by networkx (``nodes`` and ``links``, ``source``/``target`` by node id)."""
    return _json(nx.node_link_data(g, edges="links"))


# -- Mermaid --------------------------------------------------------------------------------------
# Mermaid draws a diagram only within two limits a page cannot raise from the diagram text (both are "secure"
# configuration keys): past them mermaid-cli and every page with the defaults show an error instead.
MERMAID_MAX_TEXT = 50_000  # maxTextSize: characters (UTF-16 code units) of the diagram text
MERMAID_MAX_EDGES = 500  # maxEdges: links of a flowchart
MERMAID_LIMITS = {"maxTextSize": MERMAID_MAX_TEXT, "maxEdges": MERMAID_MAX_EDGES}

_MERMAID_SHAPE = {"committee": ('(["', '"])'), "departmental": ('(["', '"])'), "office": ('["', '"]'),
                  "party-committee": ('{{"', '"}}'), "unit": ('[["', '"]]')}
_MERMAID_ARROW = {"guidance": "-->", "reporting": "-.->", "office": "--o", "leadership": "==>",
                  "departmental": "-.-o"}
_MERMAID_LINK = re.compile(r"^n[0-9a-f]+ (?:-->|-\.->|--o|==>|-\.-o)")


class TooLarge(InvalidExport):
    """A scope larger than a format can show; ``limits`` and ``size`` give the figures, ``suggestions`` the
    narrower scopes that fit."""

    def __init__(self, message: str, limits: dict[str, int], size: dict[str, int],
                 suggestions: list[dict[str, Any]]) -> None:
        super().__init__(message, "format", [f for f in FORMATS if f != "mermaid"], suggestions)
        self.limits = limits
        self.size = size


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def _mermaid_lines(g: nx.MultiDiGraph, labels: bool) -> list[str]:
    committees = [d["level"] for _, d in g.nodes(data=True) if d["kind"] in ("committee", "departmental")]
    widest = max((committees.count(level) for level in set(committees)), default=1)
    ids = {n: f"n{i:x}" for i, n in enumerate(g.nodes)}
    lines = [f"%% baomi-kg: {g.graph.get('scope', '')}",
             "%% " + ", ".join(f"{arrow} {kind}" for kind, arrow in _MERMAID_ARROW.items()),
             f"flowchart {'TB' if widest <= 6 else 'LR'}"]
    classes: dict[str, list[str]] = {}
    for n, data in g.nodes(data=True):
        left, right = _MERMAID_SHAPE[data["kind"]]
        lines.append(f"{ids[n]}{left}{_mermaid_text(data['label'])}{right}")
        cls = data["level"] if data["kind"] in ("committee", "departmental") else data["kind"].replace("-", "_")
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
    lines += ["classDef office fill:#f8f9f9,stroke:#7f8c8d,color:#1b2631",
              "classDef party_committee fill:#fdedec,stroke:#c0392b,color:#641e16",
              "classDef unit fill:#f5eef8,stroke:#8e44ad,color:#4a235a"]
    lines += [f"linkStyle {','.join(edges)} stroke:{_EDGE_COLOUR[kind]}" for kind, edges in styles.items()]
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
    tree = ("guidance",)
    out = [replace(scope, edges=tree)] if scope.edges != tree else []
    top = deepest if scope.depth is None else scope.depth - 1
    for depth in range(top, -1, -1):
        out.append(replace(scope, depth=depth))
        if scope.edges != tree:
            out.append(replace(scope, depth=depth, edges=tree))
    return out


def _check_mermaid(kg: KnowledgeGraph, scope: Scope, body: bytes) -> None:
    """:class:`TooLarge` naming Mermaid's limits and the narrower scopes that fit."""
    size = mermaid_size(body.decode("utf-8"))
    if _fits(size) or scope.chain:
        return
    suggestions: list[dict[str, Any]] = []  # the deepest scope that fits, per choice of links
    for candidate in _mermaid_candidates(scope, deepest=2):
        if any(tuple(s["edges"]) == candidate.edges for s in suggestions):
            continue
        g = project(kg.directory, candidate)
        fit = mermaid_size(mermaid(g).decode("utf-8"))
        if _fits(fit):
            suggestions.append({"depth": candidate.depth, "edges": list(candidate.edges), "nodes": g.number_of_nodes(),
                                **fit})
    options = "; ".join(f"depth={s['depth']}" + ("" if tuple(s["edges"]) == scope.edges else
                                                  f" edges={','.join(s['edges'])}") for s in suggestions)
    raise TooLarge(f"a Mermaid diagram of this scope has {size['links']:,} links and {size['characters']:,} "
                   f"characters; Mermaid draws at most {MERMAID_MAX_EDGES:,} links (maxEdges) and "
                   f"{MERMAID_MAX_TEXT:,} characters (maxTextSize): narrow the scope"
                   + (f" ({options})" if options else "") + ", or export svg, dot or graphml",
                   MERMAID_LIMITS, size, suggestions)


def dot(g: nx.MultiDiGraph) -> bytes:
    return to_dot(g).encode("utf-8")


WRITERS = {"graphml": graphml, "gexf": gexf, "cytoscape": cytoscape, "d3": d3, "dot": dot, "mermaid": mermaid}


# -- RDF ------------------------------------------------------------------------------------------
# What the RDF says about each node of the scope, besides the links between them.
DESCRIPTIVE = (RDF + "type", RDFS + "label", SKOS + "altLabel", DCT + "spatial")
DESCRIPTIVE_TERMS = ("identifier", "level", "secondNameplate", "leadsWorkOf")


def scope_triples(kg: KnowledgeGraph, g: nx.MultiDiGraph) -> list[ox.Triple]:
    """The store's triples about the projection's nodes: their types, labels, identifiers, level, second
    nameplate and region, and the links of the projection's edge kinds whose both ends are in it; sorted."""
    v = kg.vocab
    iris = {data["iri"] for _, data in g.nodes(data=True)}
    kinds = set(g.graph["edges"].split(","))
    links = {v.term(p) for link in LINKS if link.kind in kinds for p in (link.predicate, link.inverse) if p}
    predicates = [*DESCRIPTIVE, *(v.term(t) for t in DESCRIPTIVE_TERMS), *sorted(links)]
    # VALUES for the subjects and a FILTER for the predicates: Oxigraph joins two VALUES blocks far more slowly
    query = ("CONSTRUCT { ?s ?p ?o } WHERE {\n  VALUES ?s { " + " ".join(f"<{i}>" for i in sorted(iris)) + " }\n"
             "  ?s ?p ?o .\n  FILTER (?p IN (" + ", ".join(f"<{p}>" for p in predicates) + "))\n}")
    triples = {t for t in kg.backend.construct(query)
               if t.predicate.value not in links or (isinstance(t.object, ox.NamedNode) and t.object.value in iris)}
    return sorted(triples, key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))


_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
               "rdfxml": ox.RdfFormat.RDF_XML}


def rdf(kg: KnowledgeGraph, g: nx.MultiDiGraph, fmt: str) -> bytes:
    triples = scope_triples(kg, g)
    prefixes = kg.vocab.prefixes if fmt == "turtle" else None
    out = ox.serialize(triples, format=_OX_FORMATS[fmt], prefixes=prefixes)
    return out if isinstance(out, bytes) else b""
