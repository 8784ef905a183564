"""Linked Data: what the service says about one IRI, about the ontology, and about the dataset (VoID).

* :func:`describe` – the outgoing and incoming triples of an IRI and the ``rdfs:label`` of every
  IRI they mention, read with one CONSTRUCT;
* :func:`ontology` – the ontology graph as it was loaded;
* :func:`void_description` – a VoID description of the dataset: counts, named graphs as subsets
  with their provenance, the vocabularies used and example resources;
* :func:`serialize_graph`, :func:`resource_html`, :func:`ontology_html` – the documents a client
  receives: Turtle, N-Triples, JSON-LD, RDF/XML, or a static HTML page (no script, no CDN).

IRIs under the base IRI map to this service's paths (``…/id/x`` → ``/id/x``, ``…/ontology#X`` →
``/ontology#X``), so that the HTML pages link to each other.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from graph.errors import NotFound, StoreError
from graph.namespaces import DCT, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD, Vocab
from graph.sparql.endpoint import GRAPH_FORMATS
from graph.store.backend import Backend, Term, value

if TYPE_CHECKING:
    from graph.kg import KnowledgeGraph

__all__ = [
    "FORMAT_SUFFIXES",
    "SUFFIXES",
    "describe",
    "describe_link",
    "iri_for_path",
    "local_path",
    "ontology",
    "ontology_html",
    "resource_html",
    "serialize_graph",
    "sparql_link",
    "split_suffix",
    "void_description",
]

# File suffix -> format name (a key of GRAPH_FORMATS, or "html").
SUFFIXES: dict[str, str] = {"ttl": "turtle", "jsonld": "jsonld", "nt": "ntriples", "rdf": "rdfxml", "html": "html"}
FORMAT_SUFFIXES = {fmt: suffix for suffix, fmt in SUFFIXES.items()}
SPARQL_PATH = "/sparql"
MAX_LISTED = 100  # values per property shown on an HTML page; the RDF documents hold them all

_LABEL = RDFS + "label"
_TYPE = RDF + "type"


# -- IRIs and paths -----------------------------------------------------------------------------
def split_suffix(path: str) -> tuple[str, str | None]:
    """``committee/330106.ttl`` → (``committee/330106``, ``turtle``); no known suffix → (path, None)."""
    stem, dot, suffix = path.rpartition(".")
    if dot and stem and suffix in SUFFIXES:
        return stem, SUFFIXES[suffix]
    return path, None


def iri_for_path(vocab: Vocab, path: str) -> str:
    """The IRI a path under ``/id/`` stands for; :class:`NotFound` when it cannot be an IRI."""
    iri = vocab.id(path)
    try:
        NamedNode(iri)
    except ValueError:
        raise NotFound(iri, []) from None
    return iri


def local_path(vocab: Vocab, iri: str) -> str | None:
    """This service's path for an IRI under the base IRI (``/id/…``, ``/ontology#…``), else None."""
    if iri.startswith(vocab.id()):
        return "/id/" + iri.removeprefix(vocab.id())
    if iri.startswith(vocab.ns):
        return "/ontology#" + iri.removeprefix(vocab.ns)
    if iri == vocab.ontology:
        return "/ontology"
    return None


def sparql_link(query: str) -> str:
    """A link to this service's SPARQL endpoint running ``query``."""
    return f"{SPARQL_PATH}?query=" + quote(query, safe="")


def describe_link(iri: str) -> str:
    """A link to this service's SPARQL endpoint running ``DESCRIBE <iri>``."""
    return sparql_link(f"DESCRIBE <{iri}>")


# -- reading the graph --------------------------------------------------------------------------
def _unique_sorted(triples: Iterable[Triple]) -> list[Triple]:
    return sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def describe(kg: KnowledgeGraph, iri: str, *, sparql_endpoint: str = "") -> list[Triple]:
    """The triples about ``iri`` (outgoing, incoming, and labels of what they mention); NotFound if none.

    The dataset IRI is described by its VoID description (see :func:`void_description`).
    """
    if iri == kg.vocab.dataset:
        return void_description(kg, sparql_endpoint)
    node = str(NamedNode(iri))
    triples = kg.backend.construct(f"""
        CONSTRUCT {{ {node} ?p ?o . ?s ?q {node} . ?x <{_LABEL}> ?label }}
        WHERE {{
          {{ {node} ?p ?o }}
          UNION {{ ?s ?q {node} }}
          UNION {{
            {{ {node} ?p1 ?x }} UNION {{ ?x ?p2 {node} }} UNION {{ {node} ?x ?o3 }} UNION {{ ?s4 ?x {node} }}
            FILTER (isIRI(?x))
            ?x <{_LABEL}> ?label
          }}
        }}""")
    if not triples:
        raise NotFound(iri, [])
    return _unique_sorted(triples)


def ontology(kg: KnowledgeGraph) -> list[Triple]:
    """The ontology as loaded (the graph ``kg.vocab.ontology_graph``)."""
    graph = NamedNode(kg.vocab.ontology_graph)
    triples = kg.backend.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    if not triples:
        raise NotFound(kg.vocab.ontology, [])
    return _unique_sorted(triples)


# -- documents ----------------------------------------------------------------------------------
def serialize_graph(triples: Sequence[Triple], fmt: str, vocab: Vocab) -> bytes:
    """Triples in one of :data:`graph.sparql.endpoint.GRAPH_FORMATS`, with the project's prefixes."""
    rdf_format = GRAPH_FORMATS[fmt][1]
    if fmt == "jsonld":
        # Expanded JSON-LD, with the prefixes as its context for clients that compact it.
        expanded = json.loads(serialize(triples, format=rdf_format) or b"[]")
        return json.dumps({"@context": vocab.prefixes, "@graph": expanded}, ensure_ascii=False,
                          indent=1).encode("utf-8")
    return serialize(triples, format=rdf_format, prefixes=vocab.prefixes) or b""


_WEB_IRI = re.compile(r"https?://[^\x00-\x20]*\Z", re.IGNORECASE)


@dataclass
class _Page:
    """Shared pieces of the HTML pages: labels, prefixed names and links."""

    vocab: Vocab
    triples: Sequence[Triple]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for t in self.triples:
            if t.predicate.value == _LABEL and isinstance(t.object, Literal):
                self.labels.setdefault(value(t.subject), {}).setdefault(t.object.language or "", t.object.value)

    def curie(self, iri: str) -> str:
        best = ""
        for prefix, ns in self.vocab.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.vocab.prefixes.get(best, "")):
                best = prefix
        return f"{best}:{iri.removeprefix(self.vocab.prefixes[best])}" if best else iri

    def title(self, iri: str) -> str:
        names = self.labels.get(iri, {})
        parts = [names[lang] for lang in ("zh", "en") if lang in names]
        return " · ".join(parts) or self.curie(iri)

    def href(self, iri: str) -> str | None:
        """Where a link to ``iri`` goes: this service's page, an http(s) IRI as it is, else nowhere (no
        ``javascript:``, ``data:`` or other scheme becomes clickable)."""
        local = local_path(self.vocab, iri)
        if local is not None:
            return local
        return iri if _WEB_IRI.match(iri) else None

    def term(self, term: Term) -> str:
        if isinstance(term, Literal):
            lang = term.language
            text = escape(term.value).replace("\n", "<br>")
            if lang:
                return f'<span lang="{escape(lang)}">{text}</span> <small class="tag">@{escape(lang)}</small>'
            datatype = term.datatype.value
            if datatype == XSD + "string":
                return text
            return f'{text} <small class="tag">^^{escape(self.curie(datatype))}</small>'
        if isinstance(term, BlankNode):
            return f"<code>_:{escape(term.value)}</code>"
        iri = value(term)
        names = self.labels.get(iri, {})
        shown = " ".join(f'<span lang="{lang}">{escape(names[lang])}</span>' for lang in ("zh", "en") if lang in names)
        link = self.href(iri)
        code = f"<code>{escape(self.curie(iri))}</code>"
        body = f"{shown} {code}" if shown else code
        return f'<a href="{escape(link)}">{body}</a>' if link else body


_STYLE = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1d1d1f;line-height:1.5}
h1{font-size:1.5rem;margin:.25rem 0}h2{font-size:1.15rem;margin-top:2rem}code{font-size:.9em;color:#555}
table{border-collapse:collapse;width:100%}th,td{border-top:1px solid #ddd;padding:.35rem .5rem;text-align:left;
vertical-align:top}th{background:#f5f5f7}td ul{margin:0;padding-left:1rem}nav a{margin-right:1rem}
td[lang=zh]{white-space:nowrap}.tag{color:#888}.iri{margin:0;color:#555}[lang=en]{color:#333}
"""


def _document(title: str, head_links: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
            f"{head_links}<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n"
            f'<footer><p><small>baomi-kg · <a href="/ontology">ontology</a> · <a href="/.well-known/void">VoID</a> · '
            f'<a href="{SPARQL_PATH}">SPARQL</a> · <a href="/docs">REST API</a></small></p></footer>\n'
            f"</body>\n</html>\n")


def _alternates(base_path: str, extra: Sequence[tuple[str, str]] = ()) -> tuple[str, str]:
    """(``<link rel=alternate>`` elements, the navigation links) of a page whose documents live at ``base_path``."""
    formats = (("Turtle", "turtle"), ("JSON-LD", "jsonld"), ("N-Triples", "ntriples"), ("RDF/XML", "rdfxml"))
    head = "".join(f'<link rel="alternate" type="{GRAPH_FORMATS[fmt][0]}" '
                   f'href="{escape(base_path)}.{FORMAT_SUFFIXES[fmt]}">\n' for _, fmt in formats)
    links = [*extra, *((name, f"{base_path}.{FORMAT_SUFFIXES[fmt]}") for name, fmt in formats)]
    nav = "<nav>" + "".join(f'<a href="{escape(href)}">{escape(name)}</a>' for name, href in links) + "</nav>"
    return head, nav


def _values(page: _Page, terms: Sequence[Term], more_link: str) -> str:
    shown = [f"<li>{page.term(t)}</li>" for t in terms[:MAX_LISTED]]
    if len(terms) > MAX_LISTED:
        shown.append(f'<li>… {len(terms) - MAX_LISTED} more (<a href="{escape(more_link)}">all, via SPARQL</a>)</li>')
    return "<ul>" + "".join(shown) + "</ul>"


def _property_order(page: _Page, predicate: str) -> tuple[int, str]:
    first = {_TYPE: 0, _LABEL: 1, SKOS + "altLabel": 2}
    return first.get(predicate, 3), page.curie(predicate)


def _literal_order(term: Term) -> tuple[int, str]:
    if isinstance(term, Literal):
        return {"zh": 0, "en": 1}.get(term.language or "", 2), term.value
    return 3, str(term)


def _table(headings: Sequence[str], rows: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


_ALL_OBJECTS = "SELECT ?o WHERE {{ {iri} {p} ?o }}"
_ALL_SUBJECTS = "SELECT ?s WHERE {{ ?s {p} {iri} }}"


def resource_html(iri: str, triples: Sequence[Triple], vocab: Vocab, *, json_link: str | None = None) -> str:
    """An HTML page of one resource: its properties and values, and what refers to it."""
    page = _Page(vocab, triples)
    outgoing: dict[str, list[Term]] = {}
    incoming: dict[str, list[Term]] = {}
    for t in triples:
        if value(t.subject) == iri:
            outgoing.setdefault(t.predicate.value, []).append(t.object)
        if value(t.object) == iri and not isinstance(t.object, Literal) and value(t.subject) != iri:
            incoming.setdefault(t.predicate.value, []).append(t.subject)
    base = local_path(vocab, iri) or ""
    extra = [("JSON (REST)", json_link)] if json_link else []
    head, nav = _alternates(base, extra)
    nav = nav.removesuffix("</nav>") + f'<a href="{escape(describe_link(iri))}">SPARQL DESCRIBE</a></nav>'

    def rows(table: dict[str, list[Term]], pattern: str) -> str:
        out = []
        for p in sorted(table, key=lambda p: _property_order(page, p)):
            terms = sorted(table[p], key=_literal_order)
            everything = sparql_link(pattern.format(p=NamedNode(p), iri=NamedNode(iri)))
            out.append(f"<tr><th scope=\"row\">{page.term(NamedNode(p))}</th><td>"
                       f"{_values(page, terms, everything)}</td></tr>")
        return "".join(out)

    body = [f'<header><p class="iri"><code>{escape(iri)}</code></p><h1>{escape(page.title(iri))}</h1>{nav}</header>',
            "<main>", "<section><h2>Properties</h2>",
            _table(("Property", "Values"), rows(outgoing, _ALL_OBJECTS)), "</section>"]
    if incoming:
        body += ["<section><h2>Referred to by</h2>", _table(("Property", "Subjects"), rows(incoming, _ALL_SUBJECTS)),
                 "</section>"]
    body.append("</main>")
    return _document(page.title(iri), head, "\n".join(body))


_TERM_KINDS = (
    ("Classes", "类", OWL + "Class"),
    ("Object properties", "对象属性", OWL + "ObjectProperty"),
    ("Datatype properties", "数据属性", OWL + "DatatypeProperty"),
    ("Annotation properties", "注释属性", OWL + "AnnotationProperty"),
    ("Concept schemes", "概念体系", SKOS + "ConceptScheme"),
    ("Concepts", "概念", SKOS + "Concept"),
)
_TERM_FACTS = (RDFS + "subClassOf", RDFS + "subPropertyOf", OWL + "inverseOf", RDFS + "domain", RDFS + "range",
               SKOS + "inScheme", SKOS + "broader", SKOS + "notation", OWL + "equivalentClass")


def ontology_html(triples: Sequence[Triple], vocab: Vocab) -> str:
    """An HTML page of the ontology: its header, then every class, property and concept with zh/en labels."""
    page = _Page(vocab, triples)
    about: dict[str, dict[str, list[Term]]] = {}
    for t in triples:
        about.setdefault(value(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)

    def text(subject: str, predicate: str, lang: str) -> str:
        found = [o.value for o in about.get(subject, {}).get(predicate, []) if isinstance(o, Literal)
                 and (o.language or "") == lang]
        return found[0] if found else ""

    header = about.get(vocab.ontology, {})
    everything = describe_link(vocab.ontology)
    head_facts = "".join(f"<tr><th scope=\"row\">{page.term(NamedNode(p))}</th><td>"
                         f"{_values(page, sorted(header[p], key=_literal_order), everything)}</td></tr>"
                         for p in sorted(header, key=lambda p: _property_order(page, p)) if p not in (_LABEL, _TYPE))
    title = " · ".join(x for x in (text(vocab.ontology, DCT + "title", "zh"), text(vocab.ontology, DCT + "title", "en"))
                       if x) or "ontology"
    head, nav = _alternates("/ontology")
    body = [f'<header><p class="iri"><code>{escape(vocab.ontology)}</code></p><h1>{escape(title)}</h1>{nav}</header>',
            "<main>", f"<section><h2>About</h2><table><tbody>{head_facts}</tbody></table></section>"]
    placed: set[str] = set()
    for heading_en, heading_zh, kind in _TERM_KINDS:
        terms = sorted(s for s, props in about.items() if s.startswith(vocab.ns) and s not in placed
                       and NamedNode(kind) in props.get(_TYPE, []))
        if not terms:
            continue
        placed.update(terms)
        rows = []
        for s in terms:
            local = s.removeprefix(vocab.ns)
            facts = "".join(f"<li>{page.term(NamedNode(p))}: {', '.join(page.term(o) for o in about[s][p])}</li>"
                            for p in _TERM_FACTS if p in about[s])
            comment = "<br>".join(f'<span lang="{lang}">{escape(c)}</span>' for lang in ("zh", "en")
                                  if (c := text(s, RDFS + "comment", lang)))
            rows.append(f'<tr id="{escape(local)}"><td><a href="#{escape(local)}"><code>bm:{escape(local)}</code></a>'
                        f'</td><td lang="zh">{escape(text(s, _LABEL, "zh"))}</td>'
                        f'<td lang="en">{escape(text(s, _LABEL, "en"))}</td><td>{comment}</td>'
                        f"<td><ul>{facts}</ul></td></tr>")
        body.append(f"<section><h2>{heading_en} <span lang=\"zh\">{heading_zh}</span> ({len(terms)})</h2>"
                    f"{_table(('Term', '中文', 'English', 'Comment', 'Axioms'), ''.join(rows))}</section>")
    body.append("</main>")
    return _document(title, head, "\n".join(body))


# -- VoID -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Counts:
    totals: dict[str, int]
    graphs: list[tuple[str, int]]
    derived_from: dict[str, list[str]]
    graph_labels: dict[str, list[Literal]]
    vocabularies: list[str]
    licenses: list[str]


_COUNTS: weakref.WeakKeyDictionary[Backend, _Counts] = weakref.WeakKeyDictionary()
_COUNTS_LOCK = threading.Lock()


def _int(rows: list[dict[str, Term]], name: str) -> int:
    if not rows or name not in rows[0]:
        raise StoreError("the store did not answer a count query")
    return int(value(rows[0][name]))


def _counts(kg: KnowledgeGraph) -> _Counts:
    """The dataset's statistics, counted once per store (the graph does not change while it is served)."""
    with _COUNTS_LOCK:
        cached = _COUNTS.get(kg.backend)
        if cached is not None:
            return cached
        b, v = kg.backend, kg.vocab
        spo = b.select("SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
                       "(COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects) "
                       "WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        classes = b.select(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?s <{_TYPE}> ?c }}")
        entities = b.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o "
                            f"FILTER (isIRI(?s) && STRSTARTS(STR(?s), {Literal(v.id())})) }}")
        totals = {k: _int(spo, k) for k in ("triples", "subjects", "properties", "objects")}
        totals |= {"classes": _int(classes, "n"), "entities": _int(entities, "n")}
        graphs = [(value(r["g"]), int(value(r["n"]))) for r in b.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")]
        derived: dict[str, list[str]] = {}
        labels: dict[str, list[Literal]] = {}
        for r in b.select(f"SELECT ?g ?src ?label WHERE {{ GRAPH <{v.meta_graph}> {{ ?g <{PROV}wasDerivedFrom> ?src "
                          f"OPTIONAL {{ ?g <{_LABEL}> ?label }} }} }}"):
            derived.setdefault(value(r["g"]), []).append(value(r["src"]))
            label = r.get("label")
            if isinstance(label, Literal):
                labels.setdefault(value(r["g"]), []).append(label)
        used = {value(r["t"]) for r in b.select(f"SELECT DISTINCT ?t WHERE {{ {{ ?s ?t ?o }} UNION "
                                                f"{{ ?s <{_TYPE}> ?t }} }}")}
        vocabularies = sorted({v.ontology if ns == v.ns else ns for ns in _vocabulary_namespaces(v)
                               if any(t.startswith(ns) for t in used)})
        licenses = sorted(value(r["l"]) for r in b.select(f"SELECT DISTINCT ?l WHERE {{ <{v.ontology}> "
                                                             f"<{DCT}license> ?l }}"))
        counts = _Counts(totals, graphs, {g: sorted(set(s)) for g, s in derived.items()},
                         {g: sorted(set(ls), key=str) for g, ls in labels.items()}, vocabularies, licenses)
        _COUNTS[kg.backend] = counts
        return counts


def _vocabulary_namespaces(v: Vocab) -> list[str]:
    """Namespaces of terms (not of instance IRIs): the ontology's and the external vocabularies'."""
    return [ns for prefix, ns in v.prefixes.items() if not ns.startswith(v.base) or ns == v.ns]


_VOID_PROPERTIES = {"triples": "triples", "subjects": "distinctSubjects", "objects": "distinctObjects",
                    "properties": "properties", "classes": "classes", "entities": "entities"}


def void_description(kg: KnowledgeGraph, sparql_endpoint: str) -> list[Triple]:
    """A VoID description of the dataset, with one subset per named graph."""
    v = kg.vocab
    counts = _counts(kg)
    d = kg.directory
    dataset = NamedNode(v.dataset)
    out: list[Triple] = []

    def add(s: NamedNode, p: str, o: NamedNode | Literal) -> None:
        out.append(Triple(s, NamedNode(p), o))

    def integer(n: int) -> Literal:
        return Literal(str(n), datatype=NamedNode(XSD + "integer"))

    add(dataset, _TYPE, NamedNode(VOID + "Dataset"))
    for text, lang in (("保密委员会体系知识图谱", "zh"),
                       ("baomi-kg: knowledge graph of China's Party confidentiality committee system", "en")):
        add(dataset, DCT + "title", Literal(text, language=lang))
        add(dataset, _LABEL, Literal(text, language=lang))
    add(dataset, DCT + "description", Literal(
        "The Central Confidentiality Committee and the committees of every provincial, municipal and county Party "
        "committee, their offices and Party committees, departmental committees, and the guidance, supervision and "
        "reporting links between them, each in a named graph after the passage or source that supports it.",
        language="en"))
    for lic in counts.licenses:
        add(dataset, DCT + "license", NamedNode(lic))
    add(dataset, DCT + "source", NamedNode(v.source("textbook")))
    if sparql_endpoint:
        add(dataset, VOID + "sparqlEndpoint", NamedNode(sparql_endpoint))
    add(dataset, VOID + "uriSpace", Literal(v.id()))
    for vocabulary in counts.vocabularies:
        add(dataset, VOID + "vocabulary", NamedNode(vocabulary))
    for key, prop in _VOID_PROPERTIES.items():
        add(dataset, VOID + prop, integer(counts.totals[key]))
    central = d.committees.get("central")
    if central is not None:
        add(dataset, VOID + "rootResource", NamedNode(central.iri))
    for iri in _examples(kg):
        add(dataset, VOID + "exampleResource", NamedNode(iri))
    for graph, n in counts.graphs:
        subset = NamedNode(graph)
        add(dataset, VOID + "subset", subset)
        add(subset, _TYPE, NamedNode(VOID + "Dataset"))
        add(subset, VOID + "triples", integer(n))
        for source in counts.derived_from.get(graph, []):
            add(subset, PROV + "wasDerivedFrom", NamedNode(source))
        for label in counts.graph_labels.get(graph, []):
            add(subset, DCT + "title", label)
    return _unique_sorted(out)


def _examples(kg: KnowledgeGraph) -> list[str]:
    """The first committee of each level and the first region of each level (by id)."""
    d = kg.directory
    out: list[str] = []
    for level in ("central", "provincial", "municipal", "county", "departmental"):
        ids = sorted(cid for cid, c in d.committees.items() if c.level == level)
        if ids:
            out.append(d.committees[ids[0]].iri)
    for level in ("provincial", "municipal", "county"):
        codes = sorted(code for code, r in d.regions.items() if r.level == level)
        if codes:
            out.append(d.regions[codes[0]].iri)
    return out
