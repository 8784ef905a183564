"""The checks of a lookup of an old name read back as JSON (``tests/golden/old_names``), the same over REST (the
answer or its problem) and through the CLI (``lookup --json``: the answer, or the failure with the same members)."""

from __future__ import annotations

from typing import Any

STATUS = {"found": 200, "ambiguous": 300, "unknown": 404}


def check_former(former: dict[str, Any], spec: dict[str, Any]) -> None:
    """A ``former`` block (or an item of ``also_former``) is what the golden ``spec`` says."""
    assert former["code"] == spec["code"] and former["name"] == spec["name"], former
    assert former["change"] == spec["change"] and former["year"] == spec["year"]
    assert former["ended"]["id"] == spec["event"]
    assert former["ended"]["old"]["code"] == spec["code"]
    if "document" in spec:
        assert former["ended"]["document"] == spec["document"]
    successors = {s["code"]: s for s in former["successors"]}
    assert sorted(successors) == sorted(spec["successors"]), former["note"]
    for code, s in successors.items():
        assert s["event"] == s["chain"][0] and s["event"]["id"] == spec["event"]
        assert s["path"] or s["level"] == "provincial"
        assert code in former["note"]
        parts = sorted(p["code"] for p in s.get("parts", []))
        assert parts == sorted(spec.get("parts", {}).get(code, [])), s
        if code in spec.get("chain", {}):
            assert [e["id"] for e in s["chain"]] == spec["chain"][code]
    assert [e["id"] for e in former.get("flagged", [])] == spec.get("flagged", [])
    if not successors:
        assert "no successor" in former["note"] or "names no division" in former["note"]


def check_old_name(status: int, body: dict[str, Any], case: dict[str, Any]) -> None:
    """A lookup's status and JSON body are what the golden ``case`` says."""
    assert status == STATUS[case["status"]], body
    if status == 200:
        assert body["region"]["code"] == case["region"]
        assert body["chain"][0] == body["committee"] and body["chain"][-1]["id"] == "central"
    elif status == 300:
        assert sorted(c["code"] for c in body["candidates"]) == sorted(case["candidates"])
        for c in body["candidates"]:
            assert bool(c.get("former")) == (c["code"] in case.get("former_candidates", {}))
            if c.get("former"):
                assert sorted(s["code"] for s in c["successors"]) == case["former_candidates"][c["code"]]
                assert c["note"] and c["path"]
    if "former" in case:
        check_former(body["former"], case["former"])
    else:
        assert "former" not in body
    if "also_former" in case:
        assert [f["code"] for f in body["also_former"]] == [f["code"] for f in case["also_former"]]
        for found, spec in zip(body["also_former"], case["also_former"], strict=True):
            check_former(found, spec)
    else:
        assert "also_former" not in body
