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
