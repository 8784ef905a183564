"""``baomi-kg stats [--as-of DATE]`` and ``GET /api/v1/stats?as_of=``: the divisions by level and type and their
committees, today (the store's directory) and as of a day (the table rebuilt from data/history.csv), the same object
on both skins."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from api.cli.main import main
from graph.answers.stats import count_divisions
from graph.sources.history import divisions_as_of


def _totals(stats: dict[str, object]) -> dict[str, int]:
    return {c["level"]: c["total"] for c in stats["divisions"]}  # type: ignore[attr-defined]


def test_stats_as_of_a_year_end_counts_the_table_of_that_day(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--as-of", "2010", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    table = divisions_as_of(date(2010, 12, 31)).divisions
    assert stats["as_of"] == "2010-12-31"
    assert stats["divisions"] == [c.model_dump() for c in count_divisions((d.level, d.type) for d in table)]
    assert stats["undated_changes"] == 0  # every change of 2010 has taken effect by its last day
    assert stats["committees"]["central"] == 1
    assert stats["committees"]["municipal"] == _totals(stats)["municipal"]
    # 金门县 has no CPC body today, nor had it then: one county-level division without a committee.
    assert stats["committees"]["county"] == _totals(stats)["county"] - 1


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_stats_inside_a_year_says_its_undated_changes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--as-of", "2010-06-30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("divisions as of 2010-06-30:")
    assert "may or may not show them yet" in out


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_stats_today_adds_the_divisions_to_the_store_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (
        sum(c["total"] for c in stats["divisions"])
        == stats["committees"]["provincial"] + stats["committees"]["municipal"] + stats["committees"]["county"] + 1
    )  # 金门县, without a committee


def test_stats_with_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--as-of", "2010-13"]) == 2
    assert "as_of must be a date" in capsys.readouterr().err


def test_the_web_answer_is_the_cli_answer(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    r = client.get("/api/v1/stats", params={"as_of": "2008-12-31"})
    assert r.status_code == 200, r.text
    assert main(["stats", "--as-of", "2008-12-31", "--json"]) == 0
    assert r.json() == json.loads(capsys.readouterr().out)
    today = client.get("/api/v1/stats").json()
    assert today["as_of"] is None and today["note"] is None
    assert client.get("/api/v1/stats", params={"as_of": "yesterday"}).status_code == 422
