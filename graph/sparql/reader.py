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

from graph.errors import QueryRefused, QuerySyntaxError, QueryTooComplex
from graph.namespaces import declare_prefixes

__all__ = ["QueryInfo", "QueryLimits", "check_syntax", "error_position", "inspect_query", "tokens"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING")

# The lexical rules of SPARQL 1.1, with the escapes of SPARQL 1.2 that Oxigraph follows: \u and \U are read
# inside IRIs and strings only.  No alternative backtracks past its own token, and prefixed names are only
# tried where one can start (see :func:`tokens`), so lexing is linear in the length of the text.
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_PARTS = {
    "ws": r"[ \t\r\n]+",  # SPARQL's whitespace only: no form feed, no no-break space
    "comment": r"\#[^\n\r]*",
    "iri": r"<(?:[^<>\"{}|^`\\\x00-\x20]|" + _UCHAR + r")*+>",
    "string": (
        r"'''(?:[^'\\]|\\.|'(?!''))*+'''"
        r'|"""(?:[^"\\]|\\.|"(?!""))*+"""'
        r"|'(?:[^'\\\n\r]|\\.)*+'"
        r'|"(?:[^"\\\n\r]|\\.)*+"'
    ),
    "var": r"[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]++",
    "bnode": r"_:[\w.\-]++",
    "pname": r"(?:[A-Za-z\u00c0-\uffff][\w.\-]*+)?:(?:[\w\-:%.\u00b7]|\\[_~.\-!$&'()*+,;=/?\#@%])*+",
    "word": r"[A-Za-z_][A-Za-z0-9_]*+",
    "number": r"[+-]?(?:\d++\.?\d*+(?:[eE][+-]?\d++)?|\.\d++(?:[eE][+-]?\d++)?)",
    "punct": r"\^\^|\|\||&&|!=|<=|>=|[{}()\[\].,;*+/!=<>|^@?$-]",
}
_TOKEN = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _PARTS.items()))
_TOKEN_NO_PNAME = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _PARTS.items() if k != "pname"))
# A run of the characters a prefix can hold: a prefixed name can only start inside a run that ':' ends.
_NAME_RUN = re.compile(r"[\w.\-]*+")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


@dataclass(frozen=True)
class QueryLimits:
    """How deep a query may nest and how many groups it may hold: Oxigraph's parser and evaluator (and those of
    other stores) recurse over both, and overflow their stack on a few thousand."""

    max_depth: int = 64  # brackets, braces and parentheses open at once
    max_groups: int = 2000  # group graph patterns ('{')


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
    no_pname_until = 0  # where a run of name characters that no ':' follows ends
    while pos < len(text):
        if pos >= no_pname_until:
            run = _NAME_RUN.match(text, pos)
            if run is not None and run.end() > pos and not text.startswith(":", run.end()):
                no_pname_until = run.end()
        m = (_TOKEN if pos >= no_pname_until else _TOKEN_NO_PNAME).match(text, pos)
        if m is None or m.end() == pos:
            line, column = _line_col(text, pos)
            raise QuerySyntaxError(f"unexpected character {text[pos]!r} at {line}:{column}", line, column)
        kind = m.lastgroup or ""
        if kind == "iri" and "\\" in m.group() and _IRI_FORBIDDEN.search(_unescape(m.group()[1:-1])):
            line, column = _line_col(text, pos)
            raise QuerySyntaxError(
                f"an escape in the IRI at {line}:{column} stands for a character IRIs may not hold", line, column
            )
        if kind not in ("ws", "comment"):
            yield Token(kind, m.group(), pos)
        pos = m.end()


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_ESCAPE = re.compile(_UCHAR)
_IRI_FORBIDDEN = re.compile(r"[<>\"{}|^`\\\x00-\x20]")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group()[2:], 16)), text) if "\\" in text else text


def _resolve(token: Token, prefixes: dict[str, str], base: str) -> str:
    if token.kind == "iri":
        iri = _unescape(token.text[1:-1])
        return urljoin(base, iri) if base else iri
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
    limits: QueryLimits = QueryLimits(),  # noqa: B008 - frozen
) -> QueryInfo:
    """Classify ``text`` and enforce the read-only, no-outbound-request policy."""
    declared: dict[str, str] = dict(prefixes or {})
    toks = list(tokens(text))
    _check_shape(toks, limits)
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
            raise QueryRefused(
                "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, …) are refused"
            )
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
    outside = [
        g
        for g in (*info.from_graphs, *info.from_named, *default_graph_uris, *named_graph_uris)
        if g not in known_graphs
    ]
    if outside:
        raise QueryRefused(
            f"graph {outside[0]} is not in this store: FROM, FROM NAMED, default-graph-uri and named-graph-uri may "
            "only name the store's own graphs (the dataset's VoID description lists them); nothing is fetched from "
            "elsewhere"
        )
    return info


_OPENING, _CLOSING = frozenset("{(["), frozenset("})]")


def _check_shape(toks: list[Token], limits: QueryLimits) -> None:
    depth = deepest = groups = 0
    for tok in toks:
        if tok.kind != "punct":
            continue
        if tok.text in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
            groups += tok.text == "{"
        elif tok.text in _CLOSING:
            depth -= 1
    if deepest > limits.max_depth:
        raise QueryTooComplex(f"the query nests {deepest} levels deep; at most {limits.max_depth} are allowed")
    if groups > limits.max_groups:
        raise QueryTooComplex(f"the query holds {groups} groups ({{ … }}); at most {limits.max_groups} are allowed")


def check_syntax(text: str, prefixes: dict[str, str]) -> None:
    """Parse ``text`` without running it (for stores whose own error messages vary); raise on an error."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    prologue = declare_prefixes(prefixes)
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
