"""pyoxigraph's answers may be dropped only by the thread that made them; dropped elsewhere, they raise a RuntimeError
in whatever code the garbage collection or the last reference interrupts.

The service answers in a pool of threads and its errors travel to the event loop's thread, often with their
tracebacks and sometimes in reference cycles.  Here each way an answer can fail is made to fail in a thread, the
error is handed to this thread and dropped with a full garbage collection: no answer may be left behind in it.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterator

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, Store, parse_query_results

from graph.errors import BaomiError
from graph.sparql.endpoint import execute_on_store, prepare, serialize_result
from graph.store.backend import EmbeddedBackend, StoreSpec
from graph.vocab import StoreKind

EX = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store()
    store.extend(Quad(NamedNode(f"{EX}s{i}"), NamedNode(f"{EX}p"), Literal("v" * 40)) for i in range(2_000))
    return store


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What the interpreter reports as raised and ignored (as a drop on the wrong thread is) while the test runs."""
    gc.collect()
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda report: seen.append(repr(report.exc_value)))
    yield seen


def _error_from_a_thread(work: Callable[[], object]) -> BaseException:
    caught: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread, as a pool hands it on
            caught.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert caught, "the work was expected to fail"
    return caught[0]


def _large(store: Store) -> None:
    execute_on_store(store, prepare("SELECT * WHERE { ?s ?p ?o }", known_graphs=[], max_bytes=1_000, checked=False))


def _unevaluable(store: Store) -> None:
    query = f"SELECT (<{EX}unknown-function>(?o) AS ?x) WHERE {{ ?s ?p ?o }}"
    execute_on_store(store, prepare(query, known_graphs=[], checked=False))


def _parsed_then_too_large(store: Store) -> None:
    rows = ",".join(f'{{"s": {{"type": "uri", "value": "{EX}s{i}"}}}}' for i in range(500))
    body = f'{{"head": {{"vars": ["s"]}}, "results": {{"bindings": [{rows}]}}}}'.encode()
    q = prepare("SELECT ?s WHERE { ?s ?p ?o }", known_graphs=[], max_bytes=1_000, checked=False)
    serialize_result(parse_query_results(body, format=QueryResultsFormat.JSON), q)  # as an external store's answer


def _of_another_kind(store: Store) -> None:
    EmbeddedBackend(store, StoreSpec(StoreKind.MEMORY)).select("ASK { ?s ?p ?o }")


def _construct_of_another_kind(store: Store) -> None:
    EmbeddedBackend(store, StoreSpec(StoreKind.MEMORY)).construct("SELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize(
    "failing", [_large, _unevaluable, _parsed_then_too_large, _of_another_kind, _construct_of_another_kind]
)
def test_a_failed_answer_leaves_nothing_for_another_thread_to_drop(
    store: Store, unraisable: list[str], failing: Callable[[Store], None]
) -> None:
    error = _error_from_a_thread(lambda: failing(store))
    assert isinstance(error, BaomiError), repr(error)
    del error
    gc.collect()
    assert unraisable == []
