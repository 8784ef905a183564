"""The law in the graph: every article a golden case cites, and every basis of a rule, is a resource of the built
graph with its instrument, and the instrument is a source with title, number, issuer, date and address."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from graph.kg import KnowledgeGraph
from graph.sources.law import load_law
from tests.helpers.golden import GOLDEN

ARTICLE_ID = re.compile(r"^[a-z]+-\d{4}-art\d+(?:p\d+)?(?:-[a-z]+)?$")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def cited_articles() -> dict[str, set[str]]:
    """Article id -> the golden cases (folder/file) that cite it, over every folder of golden cases."""
    cited: dict[str, set[str]] = {}
    for path in sorted(GOLDEN.glob("*/*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        for text in _strings(case):
            tail = text.rsplit("/", 1)[-1]  # an IRI or a bare id
            if ARTICLE_ID.match(tail):
                cited.setdefault(tail, set()).add(f"{path.parent.name}/{path.name}")
    return cited


def _ask(kg: KnowledgeGraph, query: str) -> bool:
    return kg.backend.ask(kg.vocab.sparql_prologue() + query)


def _article_in_graph(kg: KnowledgeGraph, article: str) -> bool:
    v = kg.vocab
    return _ask(
        kg,
        f"""ASK {{
            <{v.article(article)}> a bm:Article ; bm:articleNumber ?n ; dct:isPartOf ?inst .
            ?inst a bm:LegalInstrument ; dct:title ?title ; bm:documentNumber ?number ; dct:publisher ?issuer ;
                  dct:date ?date ; rdfs:seeAlso ?url .
            ?graph prov:wasDerivedFrom ?inst .
        }}""",
    )


def test_golden_cases_cite_articles() -> None:
    cited = cited_articles()
    assert {"bmtl-2024-art61p1", "bmf-2024-art17p2"} <= set(cited), sorted(cited)
    assert any(folder.startswith("incident/") for folders in cited.values() for folder in folders)
    assert any(folder.startswith("authority/") for folders in cited.values() for folder in folders)


def test_every_cited_article_is_in_the_graph_with_its_source(kg: KnowledgeGraph) -> None:
    missing = {a: sorted(cases) for a, cases in cited_articles().items() if not _article_in_graph(kg, a)}
    assert missing == {}


def test_every_basis_of_every_rule_is_in_the_graph(kg: KnowledgeGraph) -> None:
    v = kg.vocab
    for rule in load_law().rules.values():
        for ref in rule.basis:
            assert _ask(kg, f"ASK {{ <{v.rule(rule.id)}> bm:basis <{v.basis(ref)}> . <{v.basis(ref)}> a ?class }}"), (
                rule.id,
                ref,
            )


@pytest.mark.parametrize("article", ["bmtl-2024-art61p1", "nope-2024-art1"])
def test_the_check_finds_a_missing_article(kg: KnowledgeGraph, article: str) -> None:
    assert _article_in_graph(kg, article) == (article in load_law().articles)
