"""The project's vocabulary, typed: committee levels, edge kinds, languages, store kinds and formats.

Each is a :class:`~enum.StrEnum`, so a member is the very string it stands for in JSON, RDF notations, URLs
and the viewer (``Level.PROVINCIAL == "provincial"``).  A :class:`Format` describes itself: its media type and
the other media types that ask for it, its file extension, the names clients give it, and what it serves —
the answers of which SPARQL query forms, or which exports.  :data:`FORMATS` is the one table of them; the
SPARQL endpoint, Linked Data, the exports, the CLI and the viewer read their selections of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CLASSIFICATIONS",
    "COMMITTEE_KINDS",
    "DEFAULT_EDGE_KINDS",
    "DIVISION_LEVELS",
    "DOCUMENT_FORMATS",
    "EDGE_KINDS",
    "EXPORT_FORMATS",
    "FORMATS",
    "LANGS",
    "LEVELS",
    "LOCAL_LEVELS",
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "Classification",
    "EdgeKind",
    "Format",
    "FormatKind",
    "Lang",
    "Level",
    "NodeKind",
    "OrganKind",
    "StoreKind",
    "find_format",
]


class Lang(StrEnum):
    """The languages of labels and names."""

    ZH = "zh"
    EN = "en"


LANGS: tuple[Lang, ...] = tuple(Lang)


class Level(StrEnum):
    """The level of a committee, in rank order: the four of the division tree (the centre, provinces, cities,
    counties; ch5.1.p1) and the bodies of departments and units (ch5.1.p5)."""

    CENTRAL = "central"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    COUNTY = "county"
    DEPARTMENTAL = "departmental"

    def label(self, lang: Lang | str) -> str:
        """The level's name: 省级, or provincial."""
        zh, en = _LEVEL_LABELS[self]
        return en if lang == Lang.EN else zh


_LEVEL_LABELS: dict[Level, tuple[str, str]] = {
    Level.CENTRAL: ("中央", "central"),
    Level.PROVINCIAL: ("省级", "provincial"),
    Level.MUNICIPAL: ("市级", "municipal"),
    Level.COUNTY: ("县级", "county"),
    Level.DEPARTMENTAL: ("部门", "departmental"),
}

LEVELS: tuple[Level, ...] = tuple(Level)  # every level, in rank order
DIVISION_LEVELS: tuple[Level, ...] = LEVELS[:4]  # the levels of the division table and of its Party committees
LOCAL_LEVELS: tuple[Level, ...] = DIVISION_LEVELS[1:]  # the local committees, which carry the eight duties


class Classification(StrEnum):
    """A classification level of state secrets (密级), highest first."""

    TOP_SECRET = "top-secret"  # noqa: S105 (a level of secrecy, not a password)
    SECRET = "secret"  # noqa: S105
    CONFIDENTIAL = "confidential"

    @property
    def zh(self) -> str:
        """绝密, 机密 or 秘密."""
        return _CLASSIFICATION_ZH[self]

    def label(self, lang: Lang | str) -> str:
        """The level's name: 绝密, or top secret."""
        return self.zh if lang != Lang.EN else self.value.replace("-", " ")

    def covers(self, other: Classification) -> bool:
        """Whether an authority up to this level reaches ``other`` (绝密 reaches all three)."""
        return CLASSIFICATIONS.index(self) <= CLASSIFICATIONS.index(other)

    @classmethod
    def parse(cls, text: str) -> Classification:
        """绝密, 机密 or 秘密 (or the English names, with a hyphen, a space or an underscore); ValueError else."""
        key = text.strip().lower().replace("_", "-").replace(" ", "-")
        for c in cls:
            if key in (c.value, c.zh, c.zh + "级"):
                return c
        raise ValueError(
            f"unknown classification level {text!r}: give 绝密, 机密 or 秘密 (top-secret, secret, confidential)"
        )


_CLASSIFICATION_ZH: dict[Classification, str] = {
    Classification.TOP_SECRET: "绝密",
    Classification.SECRET: "机密",
    Classification.CONFIDENTIAL: "秘密",
}
CLASSIFICATIONS: tuple[Classification, ...] = tuple(Classification)  # highest first


class OrganKind(StrEnum):
    """A kind of organ as the law's list of classification authority sorts them (bmf-2024 art. 17 para. 2)."""

    CENTRAL_ORGAN = "central-organ"  # 中央国家机关
    PROVINCIAL = "provincial"  # 省级机关 (省, 自治区, 直辖市)
    DISTRICTED_CITY = "districted-city"  # 设区的市级机关: a 地级市 with a 市辖区 under it
    CITY_WITHOUT_DISTRICTS = "city-without-districts"  # a 地级市 with no 市辖区 (东莞, 中山, 嘉峪关, 儋州)
    AUTONOMOUS_PREFECTURE = "autonomous-prefecture"  # 自治州
    PREFECTURE = "prefecture"  # 地区
    LEAGUE = "league"  # 盟
    COUNTY = "county"  # every county-level division: 县, 市辖区, 县级市, 旗, 自治县, 林区, 特区
    SPECIAL_BODY = "special-body"  # a Party body off the division tree: 兵团, 师, 雄安新区党工委
    UNIT = "unit"  # a department or unit not known to be a central state organ
    BUREAU = "bureau"  # a secrecy administrative department (only as a body that may delegate)


class EdgeKind(StrEnum):
    """A kind of link between the nodes of an export (each kind gathers one or more predicates)."""

    GUIDANCE = "guidance"
    REPORTING = "reporting"
    OFFICE = "office"
    LEADERSHIP = "leadership"
    DEPARTMENTAL = "departmental"
    ADMINISTRATIVE = "administrative"  # the secrecy bureaus: one body with their offices, guided bureau by bureau

    def label(self, lang: Lang | str) -> str:
        """The kind's name in a legend: 指导监督, or guidance."""
        zh, en = _EDGE_LABELS[self]
        return en if lang == Lang.EN else zh


_EDGE_LABELS: dict[EdgeKind, tuple[str, str]] = {
    EdgeKind.GUIDANCE: ("指导监督", "guidance"),
    EdgeKind.REPORTING: ("报告", "reporting"),
    EdgeKind.OFFICE: ("办公室", "office"),
    EdgeKind.LEADERSHIP: ("组建·领导·负责", "formed, led by, responsible to"),
    EdgeKind.DEPARTMENTAL: ("部门", "departmental"),
    EdgeKind.ADMINISTRATIVE: ("行政管理（保密局）", "administrative (secrecy bureaus)"),
}

EDGE_KINDS: tuple[EdgeKind, ...] = tuple(EdgeKind)  # every kind a client may ask for
# What an export holds unless asked for more: the Party line.  The administrative line (the secrecy bureaus) is
# drawn only when asked for (``edges=administrative``), so that an export of the committees stays as it was.
DEFAULT_EDGE_KINDS: tuple[EdgeKind, ...] = tuple(k for k in EdgeKind if k != EdgeKind.ADMINISTRATIVE)


class NodeKind(StrEnum):
    """A kind of node of an export: a committee (or departmental body), and the bodies around it."""

    COMMITTEE = "committee"
    DEPARTMENTAL = "departmental"
    OFFICE = "office"
    PARTY_COMMITTEE = "party-committee"
    UNIT = "unit"
    BUREAU = "bureau"  # the secrecy bureau that is one body with the office (administrative edges)


COMMITTEE_KINDS: tuple[NodeKind, ...] = (NodeKind.COMMITTEE, NodeKind.DEPARTMENTAL)  # the committees themselves


class StoreKind(StrEnum):
    """Where the graph is kept: in memory, in an Oxigraph folder, or in an external SPARQL store."""

    MEMORY = "memory"
    OXIGRAPH = "oxigraph"
    SPARQL = "sparql"


# -- formats ----------------------------------------------------------------------------------------------
class FormatKind(StrEnum):
    """What a format holds, and so what it serves."""

    RESULTS = "results"  # SPARQL query results: the answers of SELECT and ASK
    RDF = "rdf"  # an RDF graph: CONSTRUCT and DESCRIBE answers, Linked Data documents, the RDF of an export
    GRAPH = "graph"  # a graph tool's file of an export's nodes and edges
    PICTURE = "picture"  # an export drawn by Graphviz
    PAGE = "page"  # an HTML page, for people


_QUERY_FORMS = {FormatKind.RESULTS: ("SELECT", "ASK"), FormatKind.RDF: ("CONSTRUCT", "DESCRIBE")}
_W3C = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True, slots=True)
class Format:
    """A format: what it is called and sent as, and what it serves."""

    name: str
    kind: FormatKind
    media_type: str  # sent as Content-Type (with a charset when ``text``)
    extension: str  # of a file, and the suffix of a Linked Data document (``/id/committee/330106.ttl``)
    description: str
    also: tuple[str, ...] = ()  # other media types that ask for it, offered after every format's own
    aliases: tuple[str, ...] = ()  # other names clients give it (``format=ttl``, SPARQLWrapper's ``json``)
    text: bool = False  # UTF-8 text, sent with ``charset=utf-8``
    binary: bool = False  # not for a terminal: the CLI writes it to a file only
    iri: str = ""  # the W3C's IRI of the format, for the SPARQL service description

    @property
    def content_type(self) -> str:
        return self.media_type + ("; charset=utf-8" if self.text else "")

    @property
    def query_forms(self) -> tuple[str, ...]:
        """The SPARQL query forms whose answers it can hold."""
        return _QUERY_FORMS.get(self.kind, ())

    @property
    def exported(self) -> bool:
        """Whether an export can be written in it."""
        return self.kind in (FormatKind.GRAPH, FormatKind.RDF, FormatKind.PICTURE)

    @property
    def rdf(self) -> bool:
        return self.kind is FormatKind.RDF

    @property
    def picture(self) -> bool:
        return self.kind is FormatKind.PICTURE


_R, _G, _D, _P = FormatKind.RESULTS, FormatKind.GRAPH, FormatKind.RDF, FormatKind.PICTURE

# In the order each selection offers them: the first is the default of its kind.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "json",
            _R,
            "application/sparql-results+json",
            "srj",
            "SPARQL results in JSON",
            also=("application/json",),
            aliases=("srj",),
            iri=_W3C + "SPARQL_Results_JSON",
        ),
        Format(
            "xml",
            _R,
            "application/sparql-results+xml",
            "srx",
            "SPARQL results in XML",
            also=("application/xml", "text/xml"),
            aliases=("srx",),
            iri=_W3C + "SPARQL_Results_XML",
        ),
        Format("csv", _R, "text/csv", "csv", "SPARQL results as CSV", text=True, iri=_W3C + "SPARQL_Results_CSV"),
        Format(
            "tsv",
            _R,
            "text/tab-separated-values",
            "tsv",
            "SPARQL results as TSV",
            text=True,
            iri=_W3C + "SPARQL_Results_TSV",
        ),
        Format(
            "graphml",
            _G,
            "application/graphml+xml",
            "graphml",
            "GraphML with yFiles graphics (yEd, Gephi, Cytoscape desktop)",
            text=True,
        ),
        Format("gexf", _G, "application/gexf+xml", "gexf", "GEXF 1.3 with viz colour and size (Gephi)", text=True),
        Format("cytoscape", _G, "application/json", "cyjs", "Cytoscape.js elements JSON", aliases=("cyjs",)),
        Format("d3", _G, "application/json", "json", "D3 node-link JSON (nodes/links)"),
        Format("dot", _G, "text/vnd.graphviz", "gv", "Graphviz DOT", aliases=("gv",), text=True),
        Format("mermaid", _G, "text/plain", "mmd", "Mermaid flowchart", aliases=("mmd",), text=True),
        Format(
            "turtle",
            _D,
            "text/turtle",
            "ttl",
            "RDF Turtle",
            also=("application/x-turtle",),
            aliases=("ttl", "n3"),
            text=True,
            iri=_W3C + "Turtle",
        ),
        Format(
            "ntriples",
            _D,
            "application/n-triples",
            "nt",
            "RDF N-Triples",
            also=("text/plain",),
            aliases=("nt", "n-triples"),
            text=True,
            iri=_W3C + "N-Triples",
        ),
        Format(
            "jsonld",
            _D,
            "application/ld+json",
            "jsonld",
            "RDF JSON-LD",
            also=("application/json",),
            aliases=("json-ld", "json"),
            iri=_W3C + "JSON-LD",
        ),
        Format(
            "rdfxml",
            _D,
            "application/rdf+xml",
            "rdf",
            "RDF/XML (Protégé, the OWL API)",
            also=("application/xml",),
            aliases=("rdf", "xml", "rdf+xml"),
            iri=_W3C + "RDF_XML",
        ),
        Format("svg", _P, "image/svg+xml", "svg", "SVG picture drawn by Graphviz"),
        Format("png", _P, "image/png", "png", "PNG picture drawn by Graphviz", binary=True),
        Format(
            "html", FormatKind.PAGE, "text/html", "html", "An HTML page", also=("application/xhtml+xml",), text=True
        ),
    )
}


def _kinds(*kinds: FormatKind) -> tuple[Format, ...]:
    return tuple(f for f in FORMATS.values() if f.kind in kinds)


RESULT_FORMATS = _kinds(FormatKind.RESULTS)  # SELECT and ASK answers; JSON by default
RDF_FORMATS = _kinds(FormatKind.RDF)  # CONSTRUCT and DESCRIBE answers; Turtle by default
EXPORT_FORMATS = tuple(f for f in FORMATS.values() if f.exported)  # exports; GraphML by default
DOCUMENT_FORMATS = (*RDF_FORMATS, FORMATS["html"])  # Linked Data documents; Turtle by default


def find_format(text: str, among: Iterable[Format]) -> Format | None:
    """The format of ``among`` that ``text`` names (case aside): by name, by alias, by its media type, or by one of
    the other media types that ask for it, in that order; None when it names none of them."""
    key = text.strip().lower()
    key = key.split(";")[0].strip() if "/" in key else key
    formats = tuple(among)
    for match in (
        lambda f: key == f.name,
        lambda f: key in f.aliases,
        lambda f: key == f.media_type,
        lambda f: key in f.also,
    ):
        found = next((f for f in formats if match(f)), None)
        if found is not None:
            return found
    return None
