"""The HTML pages of the service: a resource, the ontology, a problem type.

Static pages (no script, no CDN) made from the triples the domain reads (:mod:`graph.answers.describe`): every
IRI under the base IRI links to its page here (:func:`api.web.paths.local_path`), an http(s) IRI links to
itself, and no other scheme becomes clickable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from api.web.paths import DOCS, ONTOLOGY, SPARQL, VOID, describe_link, local_path, sparql_link
from graph.namespaces import DCT, OWL, RDF, RDFS, SKOS, XSD, Vocab
from graph.store.backend import Term, value
from graph.vocab import FORMATS

__all__ = ["MAX_LISTED", "ontology_html", "problem_html", "resource_html"]

MAX_LISTED = 100  # values per property shown on an HTML page; the RDF documents hold them all

_LABEL = RDFS + "label"
_TYPE = RDF + "type"

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
    return (
        f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
        f"{head_links}<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n"
        f'<footer><p><small>baomi-kg · <a href="{ONTOLOGY}">ontology</a> · <a href="{VOID}">VoID</a> · '
        f'<a href="{SPARQL}">SPARQL</a> · <a href="{DOCS}">REST API</a></small></p></footer>\n'
        f"</body>\n</html>\n"
    )


def _alternates(base_path: str, extra: Sequence[tuple[str, str]] = ()) -> tuple[str, str]:
    """(``<link rel=alternate>`` elements, the navigation links) of a page whose documents live at ``base_path``."""
    formats = (("Turtle", "turtle"), ("JSON-LD", "jsonld"), ("N-Triples", "ntriples"), ("RDF/XML", "rdfxml"))
    head = "".join(
        f'<link rel="alternate" type="{FORMATS[fmt].media_type}" href="{escape(base_path)}.{FORMATS[fmt].extension}">\n'
        for _, fmt in formats
    )
    links = [*extra, *((name, f"{base_path}.{FORMATS[fmt].extension}") for name, fmt in formats)]
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
            out.append(
                f'<tr><th scope="row">{page.term(NamedNode(p))}</th><td>{_values(page, terms, everything)}</td></tr>'
            )
        return "".join(out)

    body = [
        f'<header><p class="iri"><code>{escape(iri)}</code></p><h1>{escape(page.title(iri))}</h1>{nav}</header>',
        "<main>",
        "<section><h2>Properties</h2>",
        _table(("Property", "Values"), rows(outgoing, _ALL_OBJECTS)),
        "</section>",
    ]
    if incoming:
        body += [
            "<section><h2>Referred to by</h2>",
            _table(("Property", "Subjects"), rows(incoming, _ALL_SUBJECTS)),
            "</section>",
        ]
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
_TERM_FACTS = (
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
    OWL + "inverseOf",
    RDFS + "domain",
    RDFS + "range",
    SKOS + "inScheme",
    SKOS + "broader",
    SKOS + "notation",
    OWL + "equivalentClass",
)


def ontology_html(triples: Sequence[Triple], vocab: Vocab) -> str:
    """An HTML page of the ontology: its header, then every class, property and concept with zh/en labels."""
    page = _Page(vocab, triples)
    about: dict[str, dict[str, list[Term]]] = {}
    for t in triples:
        about.setdefault(value(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)

    def text(subject: str, predicate: str, lang: str) -> str:
        found = [
            o.value
            for o in about.get(subject, {}).get(predicate, [])
            if isinstance(o, Literal) and (o.language or "") == lang
        ]
        return found[0] if found else ""

    header = about.get(vocab.ontology, {})
    everything = describe_link(vocab.ontology)
    head_facts = "".join(
        f'<tr><th scope="row">{page.term(NamedNode(p))}</th><td>'
        f"{_values(page, sorted(header[p], key=_literal_order), everything)}</td></tr>"
        for p in sorted(header, key=lambda p: _property_order(page, p))
        if p not in (_LABEL, _TYPE)
    )
    title = (
        " · ".join(
            x for x in (text(vocab.ontology, DCT + "title", "zh"), text(vocab.ontology, DCT + "title", "en")) if x
        )
        or "ontology"
    )
    head, nav = _alternates(ONTOLOGY)
    body = [
        f'<header><p class="iri"><code>{escape(vocab.ontology)}</code></p><h1>{escape(title)}</h1>{nav}</header>',
        "<main>",
        f"<section><h2>About</h2><table><tbody>{head_facts}</tbody></table></section>",
    ]
    placed: set[str] = set()
    for heading_en, heading_zh, kind in _TERM_KINDS:
        terms = sorted(
            s
            for s, props in about.items()
            if s.startswith(vocab.ns) and s not in placed and NamedNode(kind) in props.get(_TYPE, [])
        )
        if not terms:
            continue
        placed.update(terms)
        rows = []
        for s in terms:
            local = s.removeprefix(vocab.ns)
            facts = "".join(
                f"<li>{page.term(NamedNode(p))}: {', '.join(page.term(o) for o in about[s][p])}</li>"
                for p in _TERM_FACTS
                if p in about[s]
            )
            comment = "<br>".join(
                f'<span lang="{lang}">{escape(c)}</span>'
                for lang in ("zh", "en")
                if (c := text(s, RDFS + "comment", lang))
            )
            rows.append(
                f'<tr id="{escape(local)}"><td><a href="#{escape(local)}"><code>bm:{escape(local)}</code></a>'
                f'</td><td lang="zh">{escape(text(s, _LABEL, "zh"))}</td>'
                f'<td lang="en">{escape(text(s, _LABEL, "en"))}</td><td>{comment}</td>'
                f"<td><ul>{facts}</ul></td></tr>"
            )
        body.append(
            f'<section><h2>{heading_en} <span lang="zh">{heading_zh}</span> ({len(terms)})</h2>'
            f"{_table(('Term', '中文', 'English', 'Comment', 'Axioms'), ''.join(rows))}</section>"
        )
    body.append("</main>")
    return _document(title, head, "\n".join(body))


def problem_html(slug: str, status: int, title: str, meaning: str) -> str:
    """The page of one problem type: what the ``type`` of a problem+json answer names."""
    body = (
        f'<header><p class="iri"><code>{escape(slug)}</code></p><h1>{escape(title)}</h1></header>\n'
        f"<main><p>HTTP status <strong>{status}</strong>.</p><p>{escape(meaning)}</p>"
        "<p>Answers with this problem are <code>application/problem+json</code> (RFC 9457): "
        "<code>detail</code> says what went wrong with the request, and the other members help to put it "
        "right.</p></main>"
    )
    return _document(f"{title} — baomi-kg", "", body)
