"""The checks of a jurisdiction answer read back as JSON, the same over every server and store (the golden cases
of ``tests/golden/jurisdiction`` and ``tests/golden/incident``)."""

from __future__ import annotations

from typing import Any


def check_answer(status: int, body: dict[str, Any], case: dict[str, Any]) -> None:
    """An answer of ``/api/v1/jurisdiction`` (status and JSON body) is what the golden ``case`` says."""
    expected = {"found": 200, "ambiguous": 300, "unknown": 404}[case["status"]]
    assert status == expected, body
    if status == 200:
        assert body["region"]["code"] == case["region"]
        assert [c["id"] for c in body["chain"]] == case["chain"]
        assert body["chain"][0] == body["committee"]
        for c in body["chain"]:
            assert set(c) >= {"id", "iri", "name_zh", "name_en", "level"}
        assert body["passages"] and all(p.startswith("ch5.1.") for p in body["passages"])
        assert body["office"]["name_zh"].removesuffix("（推定）").endswith("办公室")  # inferred bodies say so
        if "committee" in case:
            assert body["committee"]["name_zh"] == case["committee"]
    elif status == 300:
        assert body["type"].endswith("/problems/ambiguous")
        codes = [c["code"] for c in body["candidates"]]
        if "candidates" in case:
            assert sorted(codes) == sorted(case["candidates"])
        assert all({"code", "name", "path"} <= set(c) for c in body["candidates"])
    else:
        assert body["type"].endswith("/problems/not-found")
        assert "suggestions" in body


def incident_params(case: dict[str, Any]) -> dict[str, str]:
    """The query parameters of ``/api/v1/jurisdiction/incident`` that a golden incident case gives."""
    return {k: case[k] for k in ("region", "cadre_level", "cadre_managed_by") if k in case}


LEAK_RULES = ("leak-report", "leak-relay", "leak-investigation", "leak-assessment", "leak-major-case-committee")


def article_ids(iris: list[str]) -> list[str]:
    """The article ids (bmtl-2024-art61p1) of the article IRIs among ``iris``, in order."""
    return [iri.rsplit("/article/", 1)[1] for iri in iris if "/article/" in iri]


def check_leak_lines(body: dict[str, Any], case: dict[str, Any]) -> None:
    """The administrative line of a leak answer (``report_to``, ``investigated_by``) and its bases are what the
    golden ``case`` says; checked on every answer: the deadlines, the relay's end, the rules and the bases."""
    report, inv, organised = body["report_to"], body["investigated_by"], body["organised_by"]
    assert report["within_hours"] == 24 and report["relay_within_hours"] == 24
    assert report["relayed_to"] and report["relayed_to"][-1]["name_zh"] == "国家保密局"
    assert report["relayed_to"][-1]["iri"].endswith("/bureau/central")
    assert report["body"]["iri"].endswith("/bureau/" + body["place_committee"]["id"])
    assert inv["body"] == report["body"] and inv["assessment_by"][-1]["name_zh"] == "国家保密局"
    assert inv["settled"] is False and inv["not_settled"]
    assert report["also"]["zh"] and "上级主管部门" in report["also"]["en"]
    assert report["notes"] and "同级" in report["notes"][0]
    assert organised["committee"] == body["committee"] and organised["office"] == body["office"]
    assert [r.rsplit("/", 1)[1] for r in body["rules"]] == list(LEAK_RULES)
    assert report["rules"] + inv["rules"] + organised["rules"] == body["rules"]
    for part in (report, inv, organised):
        assert part["basis"] and set(part["basis"]) <= set(body["basis"])
    assert organised["basis"][0].endswith("/passage/ch5.1.duty7")
    assert [c["iri"] for c in body["citations"]] == body["basis"]
    assert all(any(b.endswith("/passage/" + p) for b in body["basis"]) for p in body["passages"])
    if "report_to" in case:
        assert report["body"]["name_zh"] == case["report_to"]
        assert report["within_hours"] == case["report_within_hours"]
        assert report["relay_within_hours"] == case["relay_within_hours"]
        assert [b["name_zh"] for b in report["relayed_to"]] == case["relayed_to"]
        assert inv["body"]["name_zh"] == case["investigated_by"]
        assert [b["name_zh"] for b in inv["assessment_by"]] == case["assessment_by"]
        assert article_ids(report["basis"]) == case["report_articles"]
        assert article_ids(body["basis"]) == case["articles"]
    if "report_note_contains" in case:
        assert any(case["report_note_contains"] in n for n in report["notes"][1:]), report["notes"]
    if "investigation_not_settled_contains" in case:
        assert any(case["investigation_not_settled_contains"] in n for n in inv["not_settled"]), inv["not_settled"]
