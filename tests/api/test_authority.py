"""The classification authority answer (定密权限) over REST and the CLI: the golden cases of tests/golden/authority,
bad input as problem+json, and the command's one-line errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.cli.main import main
from tests.helpers.authority import authority_params, check_authority
from tests.helpers.cli import run_cli
from tests.helpers.golden import golden_cases

PATH = "/api/v1/classification-authority"


@pytest.mark.parametrize("case", golden_cases("authority"))
def test_golden_over_rest(client: TestClient, case: dict[str, Any]) -> None:
    r = client.get(PATH, params=authority_params(case))
    assert r.status_code == case["status"], r.text
    body = r.json()
    if r.status_code == 200:
        assert r.headers["content-type"] == "application/json"
        assert body["query"] == case["organ"]
        check_authority(body, case)
        return
    assert r.headers["content-type"] == "application/problem+json"
    assert body["status"] == r.status_code and body["type"].startswith("http")
    if "detail_contains" in case:
        assert case["detail_contains"] in body["detail"]
    if r.status_code == 300:
        assert len(body["candidates"]) >= 2
    if r.status_code == 404:
        assert "suggestions" in body


@pytest.mark.parametrize("level", ["内部", "top", "4", "绝密密"])
def test_a_bad_level_is_400_problem(client: TestClient, level: str) -> None:
    r = client.get(PATH, params={"organ": "淳安县", "level": level})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"].endswith("/problems/bad-request") and body["parameter"] == "level"
    assert "绝密, 机密 or 秘密" in body["detail"]


@pytest.mark.parametrize("level", ["绝密", "绝密级", "top-secret", "Top Secret", "top_secret"])
def test_every_spelling_of_a_level_is_read(client: TestClient, level: str) -> None:
    body = client.get(PATH, params={"organ": "杭州", "level": level}).json()
    assert body["level"] == "top-secret" and body["may_classify"] is False


def test_the_answer_is_the_same_over_rest_and_the_cli(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    rest = client.get(PATH, params={"organ": "淳安县", "level": "机密", "delegated": "秘密"}).json()
    assert main(["authority", "淳安县", "--level", "机密", "--delegated", "秘密", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == rest


def test_cli_text_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["authority", "东莞", "--level", "secret"]) == 0
    out = capsys.readouterr().out
    assert "may classify:    not settled by the texts read" in out
    assert "refer to:        广东省的省级机关" in out and "bmf-2024-art17p2" in out
    assert "not settled:" in out


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_cli_lookup_failures_exit_as_lookup_does(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["authority", "朝阳区", "--level", "机密", "--json"]) == 3
    assert {c["code"] for c in json.loads(capsys.readouterr().out)["candidates"]} == {"110105", "220104"}
    assert main(["authority", "杭洲市", "--level", "机密", "--json"]) == 4


@pytest.mark.parametrize(
    "args",
    [["--level", "内部"], ["--level", "机密", "--delegated", "top"]],
)
def test_cli_bad_level_is_one_line_exit_2(args: list[str]) -> None:
    proc = run_cli("authority", "淳安县", *args)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown classification level" in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_openapi_documents_the_answer(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    op = spec["paths"][PATH]["get"]
    assert {"200", "300", "400", "404", "422"} <= set(op["responses"])
    assert [p["name"] for p in op["parameters"]] == ["organ", "level", "delegated"]
    organ_examples = {e["value"] for e in op["parameters"][0]["examples"].values()}
    assert {"浙江", "杭州", "东莞", "淳安县", "外交部"} <= organ_examples
    assert len(op["responses"]["200"]["content"]["application/json"]["examples"]) >= 5
    model = spec["components"]["schemas"]["AuthorityAnswer"]
    assert {"may_classify", "highest_level", "settled", "delegation", "refer_to", "not_settled", "basis"} <= set(
        model["properties"]
    )
    assert "from" in spec["components"]["schemas"]["Delegation"]["properties"]
