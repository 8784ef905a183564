"""The query checker reads what the engine reads: over a corpus of lexical edge cases (``checker_corpus.json``), each
with and without a SERVICE, whenever Oxigraph would contact the service the checker refuses the query, and a query
the checker lets through makes the engine connect nowhere.  The engine's reading is observed, not assumed: the query
runs on a small in-memory store in this process and a canary on 127.0.0.1 counts the connections it gets."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QueryBoolean, Store

from graph.errors import BaomiError, QueryRefused, QuerySyntaxError
from graph.sparql.reader import inspect_query
from tests.helpers.canary import Canary
from tests.helpers.figures import report

CORPUS = Path(__file__).with_name("checker_corpus.json")
CASES: list[dict[str, str]] = json.loads(CORPUS.read_text(encoding="utf-8"))["cases"]
SERVICE = "SERVICE <%C%/s> { ?s ?p ?o }"
NO_SERVICE = "{ ?s ?p ?o }"
LONG = '"' + 'ab\\"# \\\\' * 20_000 + '"'

VERDICTS: Counter[str] = Counter()  # (checker, engine) pairs over the whole corpus
DISAGREEMENTS: list[str] = []  # lexical disagreements that are not dangerous (the checker refuses more)


def _variants() -> list[Any]:
    return [
        pytest.param(case, variant, id=f"{case['id']}-{variant}")
        for case in CASES
        for variant in ("with-service", "without-service")
    ]


def _text(case: dict[str, str], variant: str, canary: Canary) -> str:
    clause = case.get("service", SERVICE) if variant == "with-service" else NO_SERVICE
    text = case["query"].replace("%S%", clause).replace("%LONG%", LONG)
    return text.replace("%C%", canary.url).replace("%P%", str(canary.port))


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Iterator[None]:
    yield
    report("checker vs engine over the corpus: " + ", ".join(f"{k}: {v}" for k, v in sorted(VERDICTS.items())))
    for line in DISAGREEMENTS:
        report("  harmless disagreement: " + line)


@pytest.fixture(scope="module")
def engine_store() -> Iterator[Store]:
    """A few triples in the default graph and in a named graph, so that every pattern of the corpus has solutions
    and the engine does evaluate the SERVICE joined to them."""
    store = Store()
    for i in range(3):
        s, p = NamedNode(f"http://e/s{i}"), NamedNode("http://e/p")
        store.add(Quad(s, p, Literal(f"o{i}"), DefaultGraph()))
        store.add(Quad(s, p, Literal(i), NamedNode("http://e/g")))
    yield store


def checker_verdict(text: str) -> str:
    try:
        inspect_query(text, known_graphs=set())
    except QueryRefused:
        return "refused"
    except QuerySyntaxError:
        return "syntax-error"
    except BaomiError as exc:
        return type(exc).__name__
    return "passed"


def engine_reading(store: Store, text: str, canary: Canary) -> tuple[str, int]:
    """What Oxigraph did with the query: ran it, found a syntax error, or failed otherwise; and how many connections
    the canary got meanwhile."""
    before = canary.connections
    try:
        result = store.query(text)
        if not isinstance(result, QueryBoolean):
            list(result)  # evaluation is lazy
        outcome = "ran"
    except SyntaxError:
        outcome = "syntax-error"
    except (OSError, RuntimeError, ValueError):
        outcome = "failed"
    return outcome, canary.settle() - before


@pytest.mark.parametrize(("case", "variant"), _variants())
def test_checker_refuses_whatever_the_engine_would_send(
    case: dict[str, str], variant: str, canary: Canary, engine_store: Store
) -> None:
    text = _text(case, variant, canary)
    checker = checker_verdict(text)
    engine, connections = engine_reading(engine_store, text, canary)
    VERDICTS[f"checker {checker} / engine {engine}{' + connected' if connections else ''}"] += 1
    if checker == "passed":
        # The dangerous direction: the service would run a query the engine sends elsewhere.
        assert connections == 0, f"the checker let through a query that made the engine connect: {text[:300]!r}"
    if connections:
        assert checker == "refused", f"the engine connected; the checker said {checker}: {text[:300]!r}"
    if checker == "syntax-error" and engine == "ran":
        DISAGREEMENTS.append(f"{case['id']}-{variant}: the checker finds a lexical error, the engine runs it")
    if checker == "passed" and engine == "syntax-error":
        DISAGREEMENTS.append(f"{case['id']}-{variant}: the checker passes it, the engine finds a syntax error")
    if checker == "refused" and variant == "without-service" and engine == "ran":
        DISAGREEMENTS.append(f"{case['id']}-{variant}: the checker sees a SERVICE the engine does not run")


def test_the_engine_does_reach_a_service(canary: Canary, engine_store: Store) -> None:
    """Guards the test above: the engine's reading notices a SERVICE it evaluates (the corpus' SERVICE clauses are
    not idle)."""
    engine, connections = engine_reading(engine_store, _text(CASES[0], "with-service", canary), canary)
    assert connections == 1, engine
