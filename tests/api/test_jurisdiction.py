"""The REST jurisdiction answers: golden cases over HTTP (in-process and on a real server), incidents."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.helpers.golden import golden_cases, golden_values
from tests.helpers.jurisdiction import check_answer, check_leak_lines, incident_params
from tests.helpers.server import LiveServer


@pytest.mark.parametrize("case", golden_cases("jurisdiction"))
def test_golden_in_process(client: TestClient, case: dict[str, Any]) -> None:
    r = client.get("/api/v1/jurisdiction", params={"q": case["query"]})
    check_answer(r.status_code, r.json(), case)


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_golden_on_a_real_server(live_server: LiveServer) -> None:
    for case in golden_values("jurisdiction"):
        r = httpx.get(live_server.url + "/api/v1/jurisdiction", params={"q": case["query"]})
        check_answer(r.status_code, r.json(), case)
        expected_type = "application/json" if r.status_code == 200 else "application/problem+json"
        assert r.headers["content-type"] == expected_type


@pytest.mark.parametrize("case", golden_cases("incident"))
def test_incident(client: TestClient, case: dict[str, Any]) -> None:
    from graph.sources.textbook import load_textbook

    r = client.get("/api/v1/jurisdiction/incident", params=incident_params(case))
    assert r.status_code == case["status"], r.text
    body = r.json()
    if r.status_code == 200:
        assert body["committee"]["id"] == case["committee"]
        assert body["settled"] is case["settled"]
        assert body["settled"] == (body["cadre_managed_by"] is None or body["cadre_managed_by"]["on_chain"])
        if "manager" in case:
            assert body["cadre_managed_by"]["id"] == case["manager"]
            assert body["cadre_managed_by"]["on_chain"] is case["manager_on_chain"]
        if not body["settled"]:
            assert body["not_settled"] and body["committee"] == body["place_committee"]
        if "not_settled_contains" in case:
            assert any(case["not_settled_contains"] in x for x in body["not_settled"]), body["not_settled"]
        # Every statement quotes the words of the passage it cites; duty 7 is always among them.
        texts = {p.id: p.text_zh for p in load_textbook().passages}
        assert body["supported"] and body["supported"][0]["passage"] == "ch5.1.duty7"
        assert all(f["quote"] in texts[f["passage"]] for f in body["supported"])
        assert body["passages"] == list(dict.fromkeys(f["passage"] for f in body["supported"]))
        assert body["reasoning"] and body["office"]["name_zh"].endswith("办公室")
        check_leak_lines(body, case)
    else:
        assert r.headers["content-type"] == "application/problem+json"
        assert body["status"] == r.status_code
        if "detail_contains" in case:
            assert case["detail_contains"] in body["detail"]


def test_incident_never_gives_the_central_committee_a_local_duty(client: TestClient) -> None:
    for level in ("central", "provincial", "municipal", "county"):
        body = client.get("/api/v1/jurisdiction/incident", params={"region": "330106", "cadre_level": level}).json()
        assert body["committee"]["level"] != "central"


def test_openapi_documents_the_incident_answer(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/v1/jurisdiction/incident"]["get"]
    assert {"200", "300", "404", "422"} <= set(op["responses"])
    assert {p["name"] for p in op["parameters"]} == {"region", "cadre_level", "cadre_managed_by", "as_of"}
    model = spec["components"]["schemas"]["IncidentAnswer"]
    assert {"settled", "supported", "not_settled", "place_committee", "cadre_managed_by"} <= set(model["properties"])
    assert {"report_to", "investigated_by", "organised_by", "rules", "basis"} <= set(model["properties"])
    assert "report_to" in op["responses"]["200"]["description"]
    assert all("description" in model["properties"][k] for k in ("settled", "supported", "not_settled"))


@pytest.mark.parametrize("q", ["", " ", "x" * 201])
def test_bad_q_is_422_problem(client: TestClient, q: str) -> None:
    r = client.get("/api/v1/jurisdiction", params={"q": q})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"


def test_missing_q_is_422_problem(client: TestClient) -> None:
    r = client.get("/api/v1/jurisdiction")
    assert r.status_code == 422 and r.json()["type"].endswith("/problems/invalid-parameters")


def test_openapi_documents_the_jurisdiction_answers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/v1/jurisdiction"]["get"]
    assert {"200", "300", "404", "422"} <= set(op["responses"])
    assert op["parameters"][0]["examples"]["address"]["value"] == "浙江省杭州市西湖区文三路"


@pytest.mark.parametrize(
    ("query", "bureau", "basis"),
    [
        ("仙桃", "仙桃市国家保密局", "bmtl-2024-art3"),  # a county-level city: its own bureau, guided from above
        ("330106", "杭州市西湖区国家保密局", "bmf-2024-art6"),
        ("浙江", "浙江省国家保密局", "bmf-2024-art6"),
        ("中央", "国家保密局", "bmf-2024-art6"),
        ("外交部", "国家保密局", "bmf-2024-art6"),  # a central unit: the national bureau, in charge nationwide
        ("第八师", "石河子市国家保密局", "bmf-2024-art6"),  # a body off the tree: the bureau of its seat
    ],
)
def test_a_lookup_names_the_competent_secrecy_bureau(client: TestClient, query: str, bureau: str, basis: str) -> None:
    body = client.get("/api/v1/jurisdiction", params={"q": query}).json()
    assert body["bureau"]["name_zh"] == bureau
    assert body["bureau"]["iri"].rsplit("/", 2)[-2] == "bureau"
    assert any(iri.endswith("/article/" + basis) for iri in body["bureau_basis"])
    assert any(iri.endswith("/source/org-overview") for iri in body["bureau_basis"]), "one body, two nameplates"
