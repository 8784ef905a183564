"""The example queries of the query page, run on the graph: each returns rows, and those of the administrative
line return what the graph and data/legal hold."""

from __future__ import annotations

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from graph.answers.jurisdiction import has_bureau
from graph.kg import KnowledgeGraph
from graph.sources.law import load_law
from graph.sparql.examples import EXAMPLES

QUERIES = dict(EXAMPLES)


Row = dict[str, NamedNode | BlankNode | Literal | Triple]


def select(kg: KnowledgeGraph, query: str) -> list[Row]:
    return kg.backend.select(kg.vocab.sparql_prologue() + query)


def value(row: Row, name: str) -> str:
    term = row[name]
    assert isinstance(term, NamedNode | Literal), (name, term)
    return term.value


def example(words: str) -> str:
    """The query of the one example whose title holds ``words``."""
    (query,) = [q for title, q in EXAMPLES if words in title]
    return query


@pytest.mark.parametrize("title", [t for t, q in EXAMPLES if q.lstrip().startswith("SELECT")])
def test_every_select_example_returns_rows(kg: KnowledgeGraph, title: str) -> None:
    assert select(kg, QUERIES[title]), title


def test_a_countys_bureau_and_its_guidance_up_to_the_national_bureau(kg: KnowledgeGraph) -> None:
    rows = select(kg, example("secrecy bureau of a county"))
    v = kg.vocab
    assert [value(r, "bureau") for r in rows] == [v.bureau(c) for c in ("330106", "330100", "330000", "central")]
    assert [value(r, "name") for r in rows] == [
        "杭州市西湖区国家保密局",
        "杭州市国家保密局",
        "浙江省国家保密局",
        "国家保密局",
    ]


def test_the_rules_with_their_articles_and_instruments(kg: KnowledgeGraph) -> None:
    law = load_law()
    rows = select(kg, example("rules drawn from the law"))
    found = {(value(r, "rule"), value(r, "article")) for r in rows}
    expected = {
        (kg.vocab.rule(rule.id), law.articles[a].label(law)[0]) for rule in law.rules.values() for a in rule.articles
    }
    assert found == expected
    art6 = next(r for r in rows if value(r, "article") == "《保守国家秘密法》（2024）第六条")
    assert value(art6, "number") == "6" and value(art6, "documentNumber") == law.instruments["bmf-2024"].number
    assert value(art6, "text") == law.instruments["bmf-2024"].url


def test_the_rules_with_a_time_limit(kg: KnowledgeGraph) -> None:
    law = load_law()
    rows = select(kg, example("time limit"))
    timed = {r.id: r for r in law.rules.values() if r.within_hours is not None}
    assert {value(r, "rule") for r in rows} == {kg.vocab.rule(i) for i in timed}
    for r in rows:
        rule = timed[value(r, "rule").rsplit("/", 1)[1]]
        assert int(value(r, "hours")) == rule.within_hours
    assert len(rows) == sum(len(r.basis) for r in timed.values())  # one row per basis


def test_bureaus_per_level(kg: KnowledgeGraph) -> None:
    rows = select(kg, example("Secrecy bureaus per level"))
    counts = {value(r, "level"): int(value(r, "bureaus")) for r in rows}
    expected: dict[str, int] = {}
    for c in kg.directory.committees.values():
        if has_bureau(c):
            expected[c.level] = expected.get(c.level, 0) + 1
    assert counts == expected and counts["central"] == 1
