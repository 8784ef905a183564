"""Changes between two dates: ``GET /api/v1/changes`` (JSON and CSV, pages, bad parameters) and ``baomi-kg
changes``, over the events of data/history.csv."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from api.cli.main import main
from graph.answers.changes import CSV_COLUMNS
from graph.sources.history import load_history

CHANGES = "/api/v1/changes"
CHONGQING_2025 = {"from": "2025", "to": "2025", "within": "500000"}


def test_the_2025_chongqing_change(client: TestClient) -> None:
    r = client.get(CHANGES, params=CHONGQING_2025)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert (body["from"], body["to"]) == ("2025-01-01", "2025-12-31")
    assert (body["within"], body["within_name"]) == ("500000", "重庆市")
    assert body["count"] == 3 and body["next"] is None
    changes = {c["id"]: c for c in body["changes"]}
    assert sorted(changes) == ["2025-001", "2025-002", "2025-003"]
    jiangbei = changes["2025-003"]
    assert (jiangbei["kind"], jiangbei["old"]["code"], jiangbei["old"]["name"]) == ("merged", "500105", "江北区")
    assert (jiangbei["new"]["code"], jiangbei["new"]["name"]) == ("500157", "两江新区")
    assert jiangbei["document"] == "渝府发〔2025〕15号" and jiangbei["source_url"].startswith("http")
    assert changes["2025-002"]["old"]["name"] == "渝北区"
    assert (changes["2025-001"]["precision"], changes["2025-001"]["date"]) == ("month", "2025-11")
    assert all(c["certain"] for c in body["changes"])


def test_a_window_inside_a_year_marks_the_changes_known_by_their_year(client: TestClient) -> None:
    body = client.get(CHANGES, params={**CHONGQING_2025, "from": "2025-06", "to": "2025-12-15"}).json()
    assert {c["id"]: c["certain"] for c in body["changes"]} == {"2025-001": True, "2025-002": False, "2025-003": False}
    assert body["to"] == "2025-12-15"


def test_within_the_municipalities_and_a_former_prefecture(client: TestClient) -> None:
    beijing = client.get(CHANGES, params={"from": "2010", "to": "2010", "within": "110000"}).json()
    pairs = [(c["old"]["name"], c["new"]["name"]) for c in beijing["changes"]]
    assert pairs == [("崇文区", "东城区"), ("宣武区", "西城区")]
    tianjin = client.get(CHANGES, params={"from": "2009", "to": "2009", "within": "120000", "kind": "merged"}).json()
    assert {c["old"]["name"] for c in tianjin["changes"]} == {"塘沽区", "汉沽区", "大港区"}
    chaohu = client.get(CHANGES, params={"from": "2011", "to": "2011", "within": "341400"}).json()
    assert chaohu["within_name"] == "巢湖市"
    assert {"2011-007", "2011-008", "2011-009", "2011-010"} <= {c["id"] for c in chaohu["changes"]}
    assert next(c for c in chaohu["changes"] if c["id"] == "2011-007")["kind"] == "split"


def test_flagged_events_are_listed_unless_left_out(client: TestClient) -> None:
    every = client.get(CHANGES, params={"from": "1983", "to": "1983", "limit": 1}).json()
    used = client.get(CHANGES, params={"from": "1983", "to": "1983", "limit": 1, "include_flagged": "false"}).json()
    in_1983 = [e for e in load_history() if e.year == 1983]
    assert every["count"] == len(in_1983)
    assert used["count"] == sum(1 for e in in_1983 if not e.flag) < every["count"]


def test_pages_and_their_links(client: TestClient) -> None:
    first = client.get(CHANGES, params={"from": "2010", "to": "2011", "limit": 5}).json()
    assert len(first["changes"]) == 5 and first["count"] > 5 and "offset=5" in first["next"]
    second = client.get(first["next"]).json()
    assert second["offset"] == 5 and second["changes"][0]["id"] != first["changes"][0]["id"]
    assert client.get(CHANGES, params={"from": "2010", "to": "2011", "limit": 100_000}).status_code == 422


def test_csv_by_accept_and_by_format(client: TestClient) -> None:
    by_accept = client.get(CHANGES, params=CHONGQING_2025, headers={"Accept": "text/csv"})
    by_format = client.get(CHANGES, params={**CHONGQING_2025, "format": "csv"})
    assert by_accept.status_code == by_format.status_code == 200
    assert by_accept.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_accept.content == by_format.content
    rows = list(csv.reader(io.StringIO(by_accept.text)))
    assert rows[0] == list(CSV_COLUMNS)
    assert [r[0] for r in rows[1:]] == ["2025-001", "2025-002", "2025-003"]
    record = dict(zip(rows[0], rows[3], strict=True))
    assert (record["old_code"], record["old_name"], record["new_code"], record["certain"]) == (
        "500105",
        "江北区",
        "500157",
        "true",
    )
    page = client.get(CHANGES, params={"from": "2010", "to": "2011", "limit": 2, "format": "csv"})
    assert len(page.text.splitlines()) == 3 and 'rel="next"' in page.headers["link"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"from": "2025-13", "to": "2025"}, 422),
        ({"from": "2025-02-30", "to": "2025"}, 422),
        ({"from": "last year", "to": "2025"}, 422),
        ({"from": "2026", "to": "2025"}, 422),
        ({"from": "2025", "to": "2025", "kind": "moved"}, 422),
        ({"from": "2025", "to": "2025", "within": "50"}, 200),
        ({"from": "2025", "to": "2025", "within": "5001x5"}, 422),
        ({"from": "2025", "to": "2025", "within": "999999"}, 404),
        ({"from": "2025", "to": "2025", "format": "xml"}, 422),
        ({"to": "2025"}, 422),
    ],
)
def test_bad_parameters_are_problems(client: TestClient, params: dict[str, str], status: int) -> None:
    r = client.get(CHANGES, params=params)
    assert r.status_code == status, r.text
    if status != 200:
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["status"] == status


def test_nothing_acceptable_is_406(client: TestClient) -> None:
    r = client.get(CHANGES, params=CHONGQING_2025, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.headers["content-type"] == "application/problem+json"


def test_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["changes", "--from", "2025", "--to", "2025", "--within", "500000"]) == 0
    out = capsys.readouterr().out
    assert "3 changes from 2025-01-01 to 2025-12-31 within 重庆市 (500000)" in out
    assert "500105 江北区 → 500157 两江新区" in out
    assert main(["changes", "--from", "2025", "--to", "2025", "--within", "500000", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 3
    assert main(["changes", "--from", "2025", "--to", "2025", "--within", "500000", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS) and len(lines) == 4
    assert main(["changes", "--from", "2025-13", "--to", "2025"]) == 2
    assert main(["changes", "--from", "2025", "--to", "2024"]) == 2
    assert main(["changes", "--from", "2025", "--to", "2025", "--within", "999999"]) == 4
