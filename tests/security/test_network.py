"""No query reaches the network: a canary listener on 127.0.0.1 receives no connection from any request form that
can carry a URL, with the query checker on and with it off (then the worker's sandbox alone must stop it), no answer
is a 5xx, and the token the canary would answer with never comes back."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest

from tests.helpers.canary import Canary
from tests.helpers.server import LiveServer

# %C% stands for the canary's URL (http://127.0.0.1:PORT).  "refused": the checker must answer 403; otherwise the
# query may run (nothing in it can reach the network but through a bug).
QUERIES: dict[str, tuple[str, bool]] = {
    "service": ("SELECT * WHERE { SERVICE <%C%/sparql> { ?s ?p ?o } }", True),
    "service-silent": ("SELECT * WHERE { SERVICE SILENT <%C%/sparql> { ?s ?p ?o } }", True),
    "service-joined": (
        "SELECT * WHERE { ?x a bm:ConfidentialityCommittee . SERVICE <%C%/s> { ?s ?p ?o } } LIMIT 1",
        True,
    ),
    "service-values-var": ("SELECT * WHERE { VALUES ?svc { <%C%/sparql> } SERVICE ?svc { ?s ?p ?o } }", True),
    "service-bind-var": ("SELECT * WHERE { BIND(<%C%/sparql> AS ?svc) SERVICE ?svc { ?s ?p ?o } }", True),
    "service-silent-var": ("SELECT * WHERE { VALUES ?svc { <%C%/s> } SERVICE SILENT ?svc { ?s ?p ?o } }", True),
    "service-in-optional": ("SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE <%C%/s> { ?s ?p ?o } } } LIMIT 1", True),
    "service-in-union": ("SELECT * WHERE { { ?x ?y ?z } UNION { SERVICE <%C%/s> { ?s ?p ?o } } } LIMIT 1", True),
    "service-in-minus": ("SELECT * WHERE { ?x ?y ?z MINUS { SERVICE <%C%/s> { ?x ?y ?z } } } LIMIT 1", True),
    "service-in-exists": ("SELECT * WHERE { ?x ?y ?z FILTER EXISTS { SERVICE <%C%/s> { ?s ?p ?o } } } LIMIT 1", True),
    "service-in-subquery": ("SELECT * WHERE { { SELECT * WHERE { SERVICE <%C%/s> { ?s ?p ?o } } LIMIT 1 } }", True),
    "service-in-graph": ("SELECT * WHERE { GRAPH ?g { ?x ?y ?z SERVICE <%C%/s> { ?s ?p ?o } } } LIMIT 1", True),
    "service-nested": ("SELECT * WHERE { SERVICE <%C%/outer> { SERVICE <%C%/inner> { ?s ?p ?o } } }", True),
    "service-lowercase": ("select * where { service <%C%/s> { ?s ?p ?o } }", True),
    "service-mixedcase": ("SeLeCt * WhErE { sErViCe SiLeNt <%C%/s> { ?s ?p ?o } }", True),
    "service-glued": ("SELECT*WHERE{?x ?y ?z}SERVICE<%C%/s>{?s ?p ?o}", True),
    "service-after-comment": ("SELECT * WHERE { # a comment { } <x>\n SERVICE <%C%/s> { ?s ?p ?o } }", True),
    "service-after-u-escape": (
        "SELECT * WHERE { VALUES ?z { <http://x/#\\u0041> } SERVICE <%C%/s> { ?a ?b ?c }\n}",
        True,
    ),
    "service-after-escaped-hash": (
        "SELECT * WHERE { VALUES ?z { <http://x/\\u0023> } SERVICE <%C%/s> { ?a ?b ?c } }",
        True,
    ),
    # \u003E stands for '>', which no IRI may hold: the query is malformed (400) before SERVICE is even read
    "service-after-escaped-gt": (
        "SELECT * WHERE { VALUES ?z { <http://x/\\u003E> } SERVICE <%C%/s> { ?a ?b ?c } }",
        False,
    ),
    "service-after-hash-string": ('SELECT * WHERE { BIND("#" AS ?h) SERVICE <%C%/s> { ?a ?b ?c } }', True),
    "service-after-escaped-quote": ('SELECT * WHERE { BIND("\\"#" AS ?h) SERVICE <%C%/s> { ?a ?b ?c } }', True),
    "service-after-long-string": ("SELECT * WHERE { BIND('''a'' # '' ''' AS ?h) SERVICE <%C%/s> { ?a ?b ?c } }", True),
    "service-issue-reproduction": (
        "SELECT * WHERE { VALUES ?z { <http://x/#\\u0041> } SERVICE <%C%/internal> { ?a ?b ?c }\n}",
        True,
    ),
    "service-escaped-iri": ("SELECT * WHERE { SERVICE <\\u0068ttp://127.0.0.1:%P%/s> { ?s ?p ?o } }", True),
    "service-prefixed-name": ("PREFIX ex: <%C%/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }", True),
    "service-relative-iri": ("BASE <%C%/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", True),
    "service-ask": ("ASK { SERVICE <%C%/s> { ?s ?p ?o } }", True),
    "service-construct": ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <%C%/s> { ?s ?p ?o } }", True),
    "service-describe": ("DESCRIBE ?s WHERE { SERVICE <%C%/s> { ?s ?p ?o } }", True),
    "from": ("SELECT * FROM <%C%/data.ttl> WHERE { ?s ?p ?o } LIMIT 1", True),
    "from-named": ("SELECT * FROM NAMED <%C%/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", True),
    "from-prefixed": ("PREFIX ex: <%C%/> SELECT * FROM ex:data WHERE { ?s ?p ?o } LIMIT 1", True),
    "describe": ("DESCRIBE <%C%/thing>", False),
    "iri-function": ('SELECT ?i WHERE { BIND(IRI("%C%/x") AS ?i) ?i ?p ?o }', False),
    "uri-function": ('SELECT (URI("%C%/x") AS ?i) WHERE {}', False),
    "bnode-function": ('SELECT (BNODE("%C%/x") AS ?b) WHERE {}', False),
    "datatype-iri": ('SELECT (STRDT("1", <%C%/dt>) AS ?d) WHERE {}', False),
    "custom-function": ("SELECT ?x WHERE { BIND(<%C%/f>(1) AS ?x) }", False),
    "custom-function-filter": ("SELECT * WHERE { ?s ?p ?o FILTER(<%C%/f>(?o)) } LIMIT 1", False),
    "custom-function-prefixed": ('PREFIX ex: <%C%/> SELECT (ex:f("a") AS ?x) WHERE {}', False),
}

UPDATES: dict[str, str] = {
    "load": "LOAD <%C%/data.ttl>",
    "load-silent-into": "LOAD SILENT <%C%/data.ttl> INTO GRAPH <urn:g>",
    "insert-data": "INSERT DATA { <urn:a> <urn:b> <%C%/c> }",
    "insert-where-service": "INSERT { ?s ?p ?o } WHERE { SERVICE <%C%/s> { ?s ?p ?o } }",
    "delete-where": "DELETE WHERE { ?s ?p ?o }",
    "clear": "CLEAR GRAPH <%C%/g>",
    "create": "CREATE GRAPH <%C%/g>",
    "drop-all": "DROP ALL",
    "copy": "COPY <%C%/a> TO <%C%/b>",
    "with-using": "WITH <urn:g> DELETE { ?s ?p ?o } USING <%C%/g> WHERE { ?s ?p ?o }",
}


@dataclass(frozen=True)
class Attempt:
    method: str
    params: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] | None = None
    body: str | None = None
    content_type: str = ""

    def send(self, url: str) -> httpx.Response:
        if self.method == "GET":
            return httpx.get(url + "/sparql", params=self.params, timeout=30)
        if self.form is not None:
            return httpx.post(url + "/sparql", params=self.params, data=self.form, timeout=30)
        return httpx.post(
            url + "/sparql",
            params=self.params,
            content=(self.body or "").encode(),
            headers={"Content-Type": self.content_type},
            timeout=30,
        )


def _query_attempt(text: str, transport: str, **params: str) -> Attempt:
    if transport == "get":
        return Attempt("GET", {"query": text, **params})
    if transport == "form":
        return Attempt("POST", form={"query": text, **params})
    return Attempt("POST", params, body=text, content_type="application/sparql-query")


PLAIN = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
NAMED = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"

# (id, template attempt, whether the checker must refuse it)
FORMS: list[tuple[str, Attempt, bool]] = [
    *(
        (f"{name}-{t}", _query_attempt(text, t), refused)
        for name, (text, refused) in QUERIES.items()
        for t in ("get", "form", "body")
    ),
    *(
        (f"default-graph-uri-{t}", _query_attempt(PLAIN, t, **{"default-graph-uri": "%C%/data.ttl"}), True)
        for t in ("get", "form", "body")
    ),
    *(
        (f"named-graph-uri-{t}", _query_attempt(NAMED, t, **{"named-graph-uri": "%C%/data.ttl"}), True)
        for t in ("get", "form", "body")
    ),
    *(
        (f"update-{name}-{t}", attempt, True)
        for name, text in UPDATES.items()
        for t, attempt in (
            ("get", Attempt("GET", {"update": text})),
            ("form", Attempt("POST", form={"update": text})),
            ("body", Attempt("POST", body=text, content_type="application/sparql-update")),
            ("as-query", Attempt("POST", body=text, content_type="application/sparql-query")),
        )
    ),
]


def _cases() -> list[object]:
    cases: list[object] = []
    for mode in ("checked", "unchecked"):
        for name, attempt, refused in FORMS:
            cases.append(pytest.param(mode, attempt, refused, id=f"{mode}-{name}"))
    return cases


def _fill(value: str | None, canary: Canary) -> str | None:
    return None if value is None else value.replace("%C%", canary.url).replace("%P%", str(canary.port))


def _concrete(attempt: Attempt, canary: Canary) -> Attempt:
    return Attempt(
        attempt.method,
        {k: str(_fill(v, canary)) for k, v in attempt.params.items()},
        None if attempt.form is None else {k: str(_fill(v, canary)) for k, v in attempt.form.items()},
        _fill(attempt.body, canary),
        attempt.content_type,
    )


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "attempt", "refused"), _cases())
def test_no_request_form_reaches_the_canary(
    mode: str, attempt: Attempt, refused: bool, canary: Canary, request: pytest.FixtureRequest
) -> None:
    server: LiveServer = request.getfixturevalue(f"{mode}_server")
    before = canary.connections
    r = _concrete(attempt, canary).send(server.url)
    assert canary.settle() == before, f"the canary was reached: {canary.requests[-1:]!r}"
    assert canary.token not in r.text
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert r.headers["content-type"] == "application/problem+json", r.text
    if mode == "checked" and refused:
        assert r.status_code == 403, r.text
    if mode == "unchecked" and r.status_code == 403:
        assert "network" in r.json()["detail"] or "read-only" in r.json()["detail"], r.text


def test_the_canary_notices_a_connection(canary: Canary) -> None:
    """Guards the tests above: a connection to the canary is counted, and it answers with its token."""
    before = canary.settle()
    r = httpx.get(canary.url + "/sparql", timeout=5)
    assert canary.token in r.text
    assert canary.settle() == before + 1


def test_the_engine_alone_would_reach_the_canary(canary: Canary) -> None:
    """Guards the tests above: without the checker and the sandbox, the engine does connect to a SERVICE."""
    from pyoxigraph import Store

    before = canary.settle()
    rows = list(Store().query(f"SELECT * WHERE {{ SERVICE SILENT <{canary.url}/s> {{ ?s ?p ?o }} }}"))  # type: ignore[arg-type]
    assert canary.settle() == before + 1
    assert canary.token in str(rows)
