"""Read an untrusted SPARQL request before any engine sees it: its form and what it reaches for.

Neither Oxigraph nor a remote store can be told "never go on the network", so the endpoint
inspects the query text itself.  A small lexer that follows the SPARQL 1.1 grammar for IRIs,
strings, comments, variables and prefixed names finds the keywords that matter outside those
tokens: the query form, update operations, ``SERVICE`` and ``FROM``/``FROM NAMED`` with their
graph IRIs.  :func:`inspect_query` applies the policy:

* updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` …) are refused – the endpoint is read-only;
* ``SERVICE`` is refused – no query may make an outbound request;
* ``FROM``/``FROM NAMED`` and the protocol's ``default-graph-uri``/``named-graph-uri`` may only
  name graphs that exist in the store; anything else is refused rather than fetched.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .errors import QueryRefused, QuerySyntaxError

__all__ = ["QueryInfo", "check_syntax", "error_position", "inspect_query", "tokens"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<bnode>_:[\w.\-]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-]*)?:(?:[\w\-:%\\.\u00b7]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{}()\[\].,;*+/!=<>|^@?$-])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


@dataclass
class QueryInfo:
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    declared: set[str] = field(default_factory=set)  # prefixes the query declares itself
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)

    @property
    def is_graph_result(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of ``text``; raises :class:`QuerySyntaxError` on a character SPARQL does not allow."""
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            line, column = _line_col(text, pos)
            raise QuerySyntaxError(f"unexpected character {text[pos]!r} at {line}:{column}", line, column)
        kind = m.lastgroup or ""
        if kind not in ("ws", "comment"):
            yield Token(kind, m.group(), pos)
        pos = m.end()


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _resolve(token: Token, prefixes: dict[str, str], base: str) -> str:
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1]) if base else token.text[1:-1]
    prefix, _, local = token.text.partition(":")
    if prefix not in prefixes:
        raise QuerySyntaxError(f"undeclared prefix {prefix!r}")
    return prefixes[prefix] + local


def inspect_query(
    text: str,
    *,
    known_graphs: Collection[str],
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    base: str = "",
    prefixes: dict[str, str] | None = None,
) -> QueryInfo:
    """Classify ``text`` and enforce the read-only, no-outbound-request policy."""
    declared: dict[str, str] = dict(prefixes or {})
    toks = list(tokens(text))
    form = ""
    info = QueryInfo("")
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            declared[toks[i + 1].text[:-1]] = _resolve(toks[i + 2], {}, base)
            i += 3
            continue
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = _resolve(toks[i + 1], {}, base)
            i += 2
            continue
        if not form and word in QUERY_FORMS:
            form = word
        elif not form and word in UPDATE_WORDS:
            raise QueryRefused("this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, …) "
                               "are refused")
        elif word == "SERVICE":
            raise QueryRefused("SERVICE is refused: this endpoint never sends requests to other SPARQL services")
        elif word == "FROM" and form:
            named = i + 1 < len(toks) and toks[i + 1].text.upper() == "NAMED"
            target = toks[i + 2] if named else (toks[i + 1] if i + 1 < len(toks) else None)
            if target is not None and target.kind in ("iri", "pname"):
                (info.from_named if named else info.from_graphs).append(_resolve(target, declared, base))
        i += 1
    if not form:
        raise QuerySyntaxError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    info.form = form
    info.declared = set(declared) - set(prefixes or {})
    outside = [g for g in (*info.from_graphs, *info.from_named, *default_graph_uris, *named_graph_uris)
               if g not in known_graphs]
    if outside:
        raise QueryRefused(
            f"graph {outside[0]} is not in this store: FROM, FROM NAMED, default-graph-uri and named-graph-uri may "
            f"only name the store's own graphs (see /.well-known/void); nothing is fetched from elsewhere")
    return info


def check_syntax(text: str, prefixes: dict[str, str]) -> None:
    """Parse ``text`` without running it (for stores whose own error messages vary); raise on an error."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
    try:
        parseQuery(prologue + text)
    except ParseException as exc:
        line = exc.lineno - prologue.count("\n")
        raise QuerySyntaxError(f"syntax error at {line}:{exc.col}: {exc.msg}", line, exc.col) from exc


_POSITION = re.compile(r"(?:error at |at )?(\d+):(\d+)")


def error_position(message: str) -> tuple[int | None, int | None]:
    """Line and column from an engine's syntax error message such as 'error at 1:10: expected …'."""
    m = _POSITION.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)
