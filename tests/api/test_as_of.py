"""Answers as of a past day over REST and on the command line.

The golden cases of ``tests/golden/as_of`` are asked of the jurisdiction lookup; a case asked by a code is also asked
of the region, its committee and a leak there, as of the same day, which must tell the same story.  A malformed
day is refused as a bad parameter; today's answers carry no ``as_of`` block at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.cli.main import main
from tests.helpers.golden import golden_cases

PROBLEM = "application/problem+json"


def _check_lookup(status: int, body: dict[str, Any], case: dict[str, Any]) -> None:
    assert status == case["status"], body
    if status != 200:
        assert body["type"].endswith("/problems/not-found")
        for words in case["detail_contains"]:
            assert words in body["detail"], body["detail"]
        if "suggestion" in case:
            assert case["suggestion"] in [s["code"] for s in body["suggestions"]], body["suggestions"]
        return
    assert body["region"]["code"] == case["region"]
    assert body["region"]["name"] == case["region_name"]
    assert body["committee"]["name_zh"] == case["committee"]
    assert [c["name_zh"] for c in body["chain"]] == case["chain"]
    note = body["as_of"]
    assert note["date"] == _day(case)
    assert [e["id"] for e in note["undated_changes"]] == case["undated"]
    assert (note["note"] is not None) == bool(case["undated"]), note
    assert note["exists_today"] is case["exists_today"]
    assert (note["today"] or {}).get("name") == case["today"]
    former = not case["exists_today"]
    # A body of a division gone or renamed since is named by its code and its name of the time.
    assert body["committee"]["iri"].endswith(f"/committee/{case['region']}" + (f"~{case['region_name']}" * former))
    assert body["bureau"]["iri"].rsplit("/bureau/", 1)[1] == body["committee"]["iri"].rsplit("/committee/", 1)[1]


def _day(case: dict[str, Any]) -> str:
    """The day a case asks as of (a year is its last day)."""
    day = str(case["as_of"])
    return f"{day}-12-31" if len(day) == 4 else day


@pytest.mark.slow  # builds the table of some forty past days: the fast lane exports every golden day instead
@pytest.mark.parametrize("case", golden_cases("as_of"))
def test_golden_as_of(client: TestClient, case: dict[str, Any], request: pytest.FixtureRequest) -> None:
    if "known_issue" in case:
        request.applymarker(pytest.mark.xfail(reason=case["known_issue"], strict=True))
    r = client.get("/api/v1/jurisdiction", params={"q": case["query"], "as_of": case["as_of"]})
    expected_type = "application/json" if r.status_code == 200 else PROBLEM
    assert r.headers["content-type"] == expected_type
    _check_lookup(r.status_code, r.json(), case)
    if case["query"].isdigit():
        _check_by_code(client, case, r.json())


def _check_by_code(client: TestClient, case: dict[str, Any], lookup: dict[str, Any]) -> None:
    """The region, its committee and a leak there as of the same day agree with the lookup."""
    code, params = case["query"], {"as_of": case["as_of"]}
    region = client.get(f"/api/v1/regions/{code}", params=params)
    committee = client.get(f"/api/v1/committees/{code}", params=params)
    leak = client.get("/api/v1/jurisdiction/incident", params={"region": code, **params})
    if case["status"] == 404:
        for r in (region, committee, leak):
            assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
            assert _day(case) in r.json()["detail"]
        return
    body = region.json()
    assert region.status_code == 200 and body["name"] == case["region_name"]
    assert body["committee"]["name_zh"] == case["committee"] and body["as_of"]["date"] == _day(case)
    assert body["links"]["self"].endswith(f"/regions/{code}?as_of={_day(case)}")
    assert body["as_of"]["exists_today"] is case["exists_today"]
    body = committee.json()
    assert committee.status_code == 200, body
    assert body["name_zh"] == case["committee"] and body["region"]["name"] == case["region_name"]
    assert body["guided_by"]["name_zh"] == case["chain"][1]
    assert body["iri"] == lookup["committee"]["iri"] and body["office"] == lookup["office"]
    assert [d["number"] for d in body["duties"]] == list(range(1, 9))  # the duties of every local committee
    key = body["iri"].rsplit("/committee/", 1)[1]
    assert body["composition"]["head"]["iri"].endswith(f"/post/{key}/head")
    assert body["composition"]["head"]["usually_from_leadership_of"] == lookup["party_committee"]["iri"]
    assert body["as_of"] == lookup["as_of"]
    body = leak.json()
    assert leak.status_code == 200, body
    assert body["region"]["name"] == case["region_name"] and body["place_committee"]["name_zh"] == case["committee"]
    assert body["report_to"]["body"] == lookup["bureau"]
    assert len(body["report_to"]["relayed_to"]) == len(case["chain"]) - 1
    assert body["report_to"]["relayed_to"][-1]["name_zh"] == "国家保密局"
    assert body["as_of"]["undated_changes"] == lookup["as_of"]["undated_changes"]


def test_today_answers_have_no_as_of(client: TestClient) -> None:
    for path, params in (
        ("/api/v1/jurisdiction", {"q": "420600"}),
        ("/api/v1/jurisdiction/incident", {"region": "420600"}),
        ("/api/v1/committees/420600", {}),
        ("/api/v1/regions/420600", {}),
    ):
        r = client.get(path, params=params)
        assert r.status_code == 200 and "as_of" not in r.json(), path
        assert "as_of" not in r.text


@pytest.mark.parametrize("day", ["2010-13-01", "abc", "2010-02-30", "20100", ""])
def test_a_malformed_day_is_a_bad_parameter(client: TestClient, day: str) -> None:
    for path, params in (
        ("/api/v1/jurisdiction", {"q": "420600"}),
        ("/api/v1/jurisdiction/incident", {"region": "420600"}),
        ("/api/v1/committees/420600", {}),
        ("/api/v1/regions/420600", {}),
    ):
        r = client.get(path, params={**params, "as_of": day})
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, (path, r.text)
        assert "as_of" in r.json()["detail"], r.json()


def test_units_and_bodies_off_the_tree_are_today_only(client: TestClient) -> None:
    r = client.get("/api/v1/jurisdiction", params={"q": "外交部", "as_of": "2009"})
    assert r.status_code == 404 and "as they are today" in r.json()["detail"]
    r = client.get("/api/v1/committees/u-mfa", params={"as_of": "2009"})
    assert r.status_code == 404 and "as they are today" in r.json()["detail"]
    assert client.get("/api/v1/jurisdiction", params={"q": "外交部", "as_of": "2030"}).status_code == 404


def test_a_day_after_the_last_change_is_today(client: TestClient) -> None:
    today = client.get("/api/v1/jurisdiction", params={"q": "330106"}).json()
    later = client.get("/api/v1/jurisdiction", params={"q": "330106", "as_of": "2099-01-01"}).json()
    assert later.pop("as_of") == {
        "date": "2099-01-01",
        "undated_changes": [],
        "undated_elsewhere": 0,
        "note": None,
        "before_history": False,
        "law": None,
        "exists_today": True,
        "today": None,
    }
    assert later == today


def test_a_day_before_todays_law_says_that_the_answer_applies_it(client: TestClient) -> None:
    law = client.get("/api/v1/jurisdiction", params={"q": "420600", "as_of": "2009-06-30"}).json()["as_of"]["law"]
    assert "2009-06-30" in law and "today's law" in law
    for text in ("保守国家秘密法（2024年修订）", "2024-05-01", "实施条例（2024年修订）", "2024-09-01"):
        assert text in law
    between = client.get("/api/v1/jurisdiction", params={"q": "420600", "as_of": "2024-06-30"}).json()["as_of"]
    assert "2024-05-01" not in between["law"] and "2024-09-01" in between["law"]
    assert (
        client.get("/api/v1/jurisdiction", params={"q": "420600", "as_of": "2026-01-01"}).json()["as_of"]["law"] is None
    )


def test_openapi_documents_as_of(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/jurisdiction",
        "/api/v1/jurisdiction/incident",
        "/api/v1/committees/{committee_id}",
        "/api/v1/regions/{code}",
        "/api/v1/export",
        "/viz/index.json",
    ):
        assert "as_of" in {p["name"] for p in paths[path]["get"]["parameters"]}, path


def test_cli_refuses_a_malformed_day_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["lookup", "襄樊"], ["incident", "襄樊"], ["export", "-f", "d3"]):
        assert main([*command, "--as-of", "2010-13-01"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "as_of" in err and "Traceback" not in err, err


@pytest.mark.slow
def test_cli_lookup_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["lookup", "--json", "--as-of", "2009", "襄樊"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["committee"]["name_zh"] == "中共襄樊市委保密委员会"
    assert answer["as_of"]["today"] == {"code": "420600", "name": "襄阳市"}
    assert main(["lookup", "--as-of", "2015-06-30", "310108"]) == 0
    out = capsys.readouterr().out
    assert "中共上海市闸北区委保密委员会" in out and "2015-014" in out and "may or may not" in out
    assert main(["incident", "--as-of", "2011", "110103"]) == 4
