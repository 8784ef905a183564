"""The administrative line of a leak answer (graph.answers.leak_report): every place reports to a bureau and the
report ends at 国家保密局; every article cited exists in data/legal/ with an instrument read at a URL."""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest

from api.cli.main import main
from graph.answers.incident import incident_for
from graph.kg import KnowledgeGraph
from graph.paths import DATA_DIR
from tests.helpers.golden import golden_values
from tests.helpers.jurisdiction import LEAK_RULES, article_ids


def _csv(name: str) -> dict[str, dict[str, str]]:
    with (DATA_DIR / "legal" / name).open(encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def _check_cited(article_id: str) -> None:
    articles, instruments = _csv("articles.csv"), _csv("instruments.csv")
    assert article_id in articles, f"{article_id} is not in data/legal/articles.csv"
    instrument = articles[article_id]["instrument"]
    assert instrument in instruments, f"{article_id}: instrument {instrument} is not in instruments.csv"
    assert instruments[instrument]["url"].startswith(("http://", "https://")), instrument


def test_every_article_of_the_golden_cases_exists() -> None:
    cited = [
        a for case in golden_values("incident") for a in case.get("articles", []) + case.get("report_articles", [])
    ]
    assert "bmtl-2024-art61p1" in cited and "bmtl-2024-art61p2" in cited
    for article_id in dict.fromkeys(cited):
        _check_cited(article_id)


@pytest.mark.parametrize("place", ["330000", "330127", "110105", "429004", "652922", "659001"])
def test_every_article_an_answer_cites_exists(kg: KnowledgeGraph, place: str) -> None:
    answer = incident_for(kg.directory, kg.resolver, place, None, None)
    articles = _csv("articles.csv")
    for citation in answer.citations:
        if citation.ref.startswith("passage:"):
            assert citation.url is None
            continue
        _check_cited(citation.ref)
        assert citation.url == articles[citation.ref]["url"]
    assert article_ids(answer.basis) == [c.ref for c in answer.citations if ":" not in c.ref]
    assert [r.rsplit("/", 1)[1] for r in answer.rules] == list(LEAK_RULES)


def test_every_place_reports_to_its_own_bureau_and_up_to_the_national_one(kg: KnowledgeGraph) -> None:
    d = kg.directory
    for code, cid in d.committee_of_region.items():
        if code == "CN":
            continue
        answer = incident_for(d, kg.resolver, code, None, None)
        report = answer.report_to
        assert report.body.iri == d.vocab.bureau(cid) and report.body.name_zh.endswith("保密局")
        # Up the division tree: the bureau of each higher division that has a committee, then 国家保密局.
        expected, parent = [], d.regions[code].parent
        while parent:
            if parent in d.committee_of_region:
                expected.append(d.vocab.bureau(d.committee_of_region[parent]))
            parent = d.regions[parent].parent
        assert [b.iri for b in report.relayed_to] == expected and expected[-1] == d.vocab.bureau("central")
        assert answer.investigated_by.assessment_by[-1].iri == d.vocab.bureau("central")


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_cli_incident_names_the_bureau_and_the_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["incident", "淳安县"]) == 0
    out = capsys.readouterr().out
    assert "report to:       淳安县国家保密局, within 24 hours" in out
    assert "杭州市国家保密局 › 浙江省国家保密局 › 国家保密局, each within 24 hours" in out
    assert "bmtl-2024-art61p1" in out and "中共淳安县委保密委员会" in out


def test_cli_incident_json_is_the_rest_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["incident", "--json", "659001", "--cadre-managed-by", "外交部"]) == 0
    answer: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert answer["report_to"]["body"]["name_zh"] == "石河子市国家保密局"
    assert [b["name_zh"] for b in answer["report_to"]["relayed_to"]] == ["新疆维吾尔自治区国家保密局", "国家保密局"]
    assert "外交部" in answer["report_to"]["notes"][1]


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_cli_incident_ambiguous_place_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["incident", "--json", "朝阳区"]) == 3
    assert {c["code"] for c in json.loads(capsys.readouterr().out)["candidates"]} == {"110105", "220104"}
