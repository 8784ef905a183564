"""``as_of`` on GET /api/v1/export and on the viewer's index, and ``baomi-kg export --as-of``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.cli.main import main

PROBLEM = "application/problem+json"


def _committees(data: dict[str, Any]) -> list[str]:
    return [n["data"]["name_zh"] for n in data["elements"]["nodes"] if n["data"]["kind"] == "committee"]


def test_the_export_of_a_past_day(client: TestClient) -> None:
    r = client.get("/api/v1/export", params={"format": "cytoscape", "chain": "襄樊市", "as_of": "2009-06-30"})
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"].endswith('-as-of-2009-06-30.cyjs"')
    assert _committees(r.json()) == ["中央保密委员会", "中共湖北省委保密委员会", "中共襄樊市委保密委员会"]
    assert r.json()["data"]["as_of"] == "2009-06-30"
    # A year is its last day: the rename of 2010 has taken effect.
    r = client.get("/api/v1/export", params={"format": "cytoscape", "chain": "420600", "as_of": "2010"})
    assert _committees(r.json())[-1] == "中共襄阳市委保密委员会"


def test_a_place_not_there_that_day_is_a_bad_scope(client: TestClient) -> None:
    r = client.get("/api/v1/export", params={"format": "d3", "chain": "两江新区", "as_of": "2024-06-30"})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["parameter"] == "chain" and "2024-06-30" in body["detail"]


@pytest.mark.parametrize("day", ["2010-13-01", "abc", "20100", ""])
def test_a_malformed_day_is_a_bad_parameter(client: TestClient, day: str) -> None:
    for path in ("/api/v1/export?format=d3&depth=0", "/viz/index.json"):
        r = client.get(path, params={"as_of": day})
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, (path, r.text)
        assert "as_of" in r.json()["detail"]


def test_the_viewer_index_of_a_past_day(client: TestClient) -> None:
    today = client.get("/viz/index.json").json()
    past = client.get("/viz/index.json", params={"as_of": "2009-06-30"}).json()
    assert today["as_of"] is None and past["as_of"] == "2009-06-30"
    field = past["fields"].index("name_zh")
    names = {row[0]: row[field] for row in past["committees"]}
    assert names["420600"] == "中共襄樊市委保密委员会"
    assert "500156" not in names  # 武隆区 was 武隆县 (500232) until 2016
    assert names["500232"] == "中共武隆县委保密委员会"
    assert not [row for row in past["committees"] if row[past["fields"].index("level")] == "departmental"]
    assert past["palette"] == today["palette"] and past["layout"] == today["layout"]


def test_the_cli_exports_a_past_day(capsysbinary: pytest.CaptureFixture[bytes], client: TestClient) -> None:
    args = ["export", "-f", "d3", "--chain", "420600", "--as-of", "2009-06-30", "--edges", "guidance"]
    assert main(args) == 0
    cli = json.loads(capsysbinary.readouterr().out)
    web = client.get("/api/v1/export?format=d3&chain=420600&as_of=2009-06-30&edges=guidance").json()
    assert cli == web and cli["graph"]["as_of"] == "2009-06-30"


def test_the_cli_refuses_a_malformed_day_before_opening_the_graph(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "-f", "d3", "--as-of", "2009-02-30", "--store", "oxigraph:/nonexistent/store"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "as_of" in err and "Traceback" not in err
