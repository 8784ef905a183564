"""GET /api/v1/committees/{id}/bureau: the secrecy bureau of a committee's office and its powers by level."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.sources.law import load_law


def _bureau(client: TestClient, committee_id: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/committees/{committee_id}/bureau")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _powers(body: dict[str, Any]) -> dict[str, bool]:
    return {p["rule"].rsplit("/", 1)[1]: p["settled"] for p in body["powers"]}


@pytest.mark.parametrize(
    ("committee_id", "name", "guided_by", "assesses", "monitors"),
    [
        ("central", "国家保密局", None, True, True),
        ("330000", "浙江省国家保密局", "国家保密局", True, True),
        ("110000", "北京市国家保密局", "国家保密局", True, True),
        ("330100", "杭州市国家保密局", "浙江省国家保密局", False, True),
        ("330127", "淳安县国家保密局", "杭州市国家保密局", False, False),
        ("110105", "北京市朝阳区国家保密局", "北京市国家保密局", False, False),
        ("429004", "仙桃市国家保密局", "湖北省国家保密局", False, False),
    ],
)
def test_powers_by_level(
    client: TestClient, committee_id: str, name: str, guided_by: str | None, assesses: bool, monitors: bool
) -> None:
    body = _bureau(client, committee_id)
    assert body["bureau"]["name_zh"] == name
    assert body["same_body_as"]["iri"].endswith(f"/office/{committee_id}")
    assert (body["guided_by"] or {}).get("name_zh") == guided_by
    powers = _powers(body)
    assert powers["inspection"] and powers["leak-report"] and powers["leak-investigation"]
    assert ("leak-assessment" in powers) == assesses and ("delegation-by-bureaus" in powers) == assesses
    assert ("monitoring-districted-city" in powers) == monitors
    assert all(powers.values()) and body["not_settled"] == []
    report = next(p for p in body["powers"] if p["rule"].endswith("/leak-report"))
    assert report["within_hours"] == 24
    articles = load_law().articles
    assert all(iri.rsplit("/", 1)[1] in articles for p in body["powers"] for iri in p["basis"] if "/article/" in iri)


@pytest.mark.parametrize("committee_id", ["441900", "222400", "652900", "152900"])  # 东莞, 延边州, 阿克苏地区, 阿拉善盟
def test_a_prefecture_the_texts_do_not_name_gets_those_powers_as_not_settled(
    client: TestClient, committee_id: str
) -> None:
    body = _bureau(client, committee_id)
    powers = _powers(body)
    assert powers["monitoring-districted-city"] is False and powers["classified-systems-approval"] is False
    assert powers["inspection"] is True and "leak-assessment" not in powers
    assert len(body["not_settled"]) == 1 and body["region"]["name"] in body["not_settled"][0]


def test_a_departmental_body_has_no_bureau_of_its_own(client: TestClient) -> None:
    r = client.get("/api/v1/committees/u-mfa/bureau")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert "国家保密局" in r.json()["detail"]


def test_an_unknown_committee_is_a_404(client: TestClient) -> None:
    assert client.get("/api/v1/committees/999999/bureau").status_code == 404
