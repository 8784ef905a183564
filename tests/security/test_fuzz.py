"""A bounded grammar-based SPARQL fuzz against a live server, by GET and by POST: no answer is a 5xx.

Queries are built from a small SPARQL grammar (the four forms, triple patterns over the project's prefixes, literals
with escapes, FILTER expressions, OPTIONAL/UNION/MINUS/GRAPH/VALUES/BIND and subqueries) and are kept cheap so that no
timeout can happen: every triple pattern names a particular committee, region or office, and every LIMIT is at most
50.  Some are then mangled by lexical noise.  Calls of function IRIs are left out: their 503 is a known failure,
reproduced in test_network.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.figures import report
from tests.helpers.server import LiveServer

pytestmark = pytest.mark.slow  # fuzzes a real server

MAX_EXAMPLES = 400

STATUSES: Counter[str] = Counter()

VARS = st.sampled_from(["?s", "?p", "?o", "?x", "?y", "$z", "?label", "?c"])
PLACES = st.sampled_from(
    [
        "committee:330106",
        "committee:110105",
        "committee:central",
        "region:330106",
        "region:110000",
        "office:330106",
        "partycommittee:330106",
        "<https://w3id.org/baomi-kg/id/committee/110000>",
    ]
)
PREDICATES = st.sampled_from(
    [
        "bm:guidedBy",
        "a",
        "rdfs:label",
        "skos:prefLabel",
        "bm:region",
        "?p",
        "<http://www.w3.org/2000/01/rdf-schema#label>",
        "bm:guidedBy*",
        "^bm:guidedBy",
        "bm:guidedBy/bm:guidedBy",
        "(rdfs:label|skos:prefLabel)",
    ]
)
LANGS = st.sampled_from(["", "@zh", "@en", "@zh-Hans", "^^xsd:string", "^^<http://www.w3.org/2001/XMLSchema#string>"])
ESCAPES = st.sampled_from(["\\n", "\\t", '\\"', "\\'", "\\\\", "\\u0041", "\\U0001F600", "#", "'", "<", "}", "保密"])


@st.composite
def literals(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["string", "long", "int", "decimal", "bool"]))
    if kind == "int":
        return str(draw(st.integers(-(10**6), 10**6)))
    if kind == "decimal":
        return f"{draw(st.floats(-1e6, 1e6, allow_nan=False)):.3f}"
    if kind == "bool":
        return draw(st.sampled_from(["true", "false"]))
    parts = draw(st.lists(st.one_of(st.text("abc 杭州西湖区", max_size=4), ESCAPES), max_size=5))
    body = "".join(parts)
    if kind == "long":
        return '"""' + body.replace('"', "'") + '"""' + draw(LANGS)
    return '"' + body.replace('"', '\\"').replace('\\\\"', '\\\\\\"') + '"' + draw(LANGS)


def expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(VARS, literals(), PLACES)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["=", "!=", "<", ">", "<=", ">=", "&&", "||", "+", "-", "*"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(
                st.sampled_from(["STR", "LCASE", "UCASE", "STRLEN", "isIRI", "isLiteral", "LANG", "BOUND", "!"]), inner
            ).map(lambda t: f"{t[0]}({t[1]})" if t[0] != "BOUND" else "BOUND(?x)"),
            st.tuples(
                st.sampled_from(["CONTAINS", "STRSTARTS", "langMatches", "COALESCE", "sameTerm"]), inner, inner
            ).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
            st.tuples(inner, literals()).map(lambda t: f'REGEX(STR({t[0]}), "^a", "i")'),
            inner.map(lambda e: f"IF({e}, 1, 2)"),
        ),
        max_leaves=4,
    )


@st.composite
def triple(draw: st.DrawFn) -> str:
    """A pattern anchored on one particular node, so that it has a handful of solutions."""
    place, predicate, other = draw(PLACES), draw(PREDICATES), draw(st.one_of(VARS, literals()))
    if draw(st.booleans()):
        return f"{place} {predicate} {other} ."
    return f"{draw(VARS)} {predicate} {place} ."


def groups() -> st.SearchStrategy[str]:
    return st.recursive(
        triple(),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=2).map(" ".join),
            inner.map(lambda g: f"OPTIONAL {{ {g} }}"),
            st.tuples(inner, inner).map(lambda t: f"{{ {t[0]} }} UNION {{ {t[1]} }}"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]} MINUS {{ {t[1]} }}"),
            inner.map(lambda g: f"GRAPH ?g {{ {g} }}"),
            st.tuples(inner, expressions()).map(lambda t: f"{t[0]} FILTER({t[1]})"),
            st.tuples(inner, expressions()).map(lambda t: f"{t[0]} BIND({t[1]} AS ?bound)"),
            st.tuples(inner, st.lists(st.one_of(literals(), PLACES, st.just("UNDEF")), min_size=1, max_size=3)).map(
                lambda t: f"VALUES ?v {{ {' '.join(t[1])} }} {t[0]}"
            ),
            st.tuples(inner, st.integers(0, 50)).map(lambda t: f"{{ SELECT * WHERE {{ {t[0]} }} LIMIT {t[1]} }}"),
            inner.map(lambda g: f"FILTER EXISTS {{ {g} }}"),
        ),
        max_leaves=5,
    )


@st.composite
def queries(draw: st.DrawFn) -> str:
    where, limit = draw(groups()), draw(st.integers(0, 50))
    form = draw(st.sampled_from(["SELECT", "SELECT DISTINCT", "ASK", "CONSTRUCT", "DESCRIBE", "DESCRIBE-IRI"]))
    if form.startswith("SELECT"):
        projection = draw(st.sampled_from(["*", "?s ?o", "(COUNT(*) AS ?n)", "?x (STR(?o) AS ?t)"]))
        tail = draw(st.sampled_from(["", " ORDER BY ?s", " ORDER BY DESC(?o)", " OFFSET 1"]))
        text = f"{form} {projection} WHERE {{ {where} }}{tail} LIMIT {limit}"
    elif form == "ASK":
        text = f"ASK {{ {where} }}"
    elif form == "CONSTRUCT":
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }} LIMIT {limit}"
    elif form == "DESCRIBE":
        text = f"DESCRIBE ?s WHERE {{ {where} }} LIMIT {limit}"
    else:
        text = f"DESCRIBE {draw(PLACES)}"
    if draw(st.booleans()):
        text = draw(st.sampled_from(["", "PREFIX ex: <http://e/#>\n", "# a comment\n", "BASE <http://e/>\n"])) + text
    return draw(noisy(text))


@st.composite
def noisy(draw: st.DrawFn, text: str) -> str:
    """The query, or the query mangled: a slice deleted, a slice repeated, a character or token inserted."""
    edit = draw(st.sampled_from(["none", "none", "delete", "repeat", "insert"]))
    if edit == "none" or not text:
        return text
    i = draw(st.integers(0, len(text) - 1))
    j = draw(st.integers(i, min(len(text), i + 12)))
    if edit == "delete":
        return text[:i] + text[j:]
    if edit == "repeat":
        return text[:j] + text[i:j] + text[j:]
    noise = draw(
        st.one_of(
            st.sampled_from(
                [
                    "{",
                    "}",
                    "(",
                    ")",
                    "<",
                    ">",
                    '"',
                    "'",
                    "#",
                    "\\",
                    "\\u",
                    ".",
                    ";",
                    ",",
                    "\r",
                    "\t",
                    "\u00a0",
                    "\x00",
                    "%",
                    "@",
                    "^^",
                    "|",
                    "?",
                    "$",
                    "_:",
                ]
            ),
            st.text(max_size=3),
        )
    )
    return text[:i] + noise + text[i:]


@pytest.fixture(scope="module")
def client(checked_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=checked_server.url, timeout=30) as c:
        yield c
    report(
        f"fuzz: {sum(STATUSES.values())} requests, statuses "
        + ", ".join(f"{k}: {v}" for k, v in sorted(STATUSES.items()))
    )


@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=queries(), transport=st.sampled_from(["get", "form", "body"]))
def test_no_query_gets_a_5xx(client: httpx.Client, text: str, transport: str) -> None:
    if transport == "get":
        r = client.get("/sparql", params={"query": text})
    elif transport == "form":
        r = client.post("/sparql", data={"query": text})
    else:
        r = client.post(
            "/sparql",
            content=text.encode("utf-8", "surrogatepass"),
            headers={"Content-Type": "application/sparql-query"},
        )
    kind = r.json().get("type", "").rsplit("/", 1)[-1] if r.status_code >= 400 else ""
    STATUSES[f"{r.status_code}{' ' + kind if kind else ''}"] += 1
    assert r.status_code < 500, f"{transport} {text!r}: {r.text[:500]}"
