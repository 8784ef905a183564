"""Old names today: a lookup of a division that no longer exists answers with what became of it (golden cases of
``tests/golden/old_names``, over REST and through the CLI), and states a living namesake beside it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.cli.main import main
from tests.helpers.golden import golden_cases, golden_values
from tests.helpers.old_names import STATUS, check_old_name

EXIT_STATUS = {0: 200, 3: 300, 4: 404}


@pytest.mark.parametrize("case", golden_cases("old_names"))
def test_golden_over_rest(client: TestClient, case: dict[str, Any]) -> None:
    r = client.get("/api/v1/jurisdiction", params={"q": case["query"]})
    check_old_name(r.status_code, r.json(), case)
    expected_type = "application/json" if r.status_code == 200 else "application/problem+json"
    assert r.headers["content-type"] == expected_type


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_golden_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    for case in golden_values("old_names"):
        code = main(["lookup", "--json", case["query"]])
        body = json.loads(capsys.readouterr().out)
        check_old_name(EXIT_STATUS[code], body, case)


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_the_cli_text_says_what_became_of_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "崇文区"]) == 0
    out = capsys.readouterr().out
    assert "崇文区 (110103) was merged" in out and "东城区 (110101)" in out
    assert main(["lookup", "江北区"]) == 0
    assert "also former:" in capsys.readouterr().out
    assert main(["lookup", "341400"]) == 3
    assert "巢湖市 (341400) was split up" in capsys.readouterr().err


def test_a_name_of_today_keeps_its_answer(client: TestClient) -> None:
    """A name no former division bore answers exactly as before: no `former` or `also_former` member at all."""
    body = client.get("/api/v1/jurisdiction", params={"q": "杭州"}).json()
    assert body["region"]["code"] == "330100" and "former" not in body and "also_former" not in body
    problem = client.get("/api/v1/jurisdiction", params={"q": "朝阳区"}).json()
    assert problem["status"] == STATUS["ambiguous"] and "also_former" not in problem


def test_renumbering_before_1984_makes_no_second_place(client: TestClient) -> None:
    """Names the source's noisy renumbering before 1984 gave other codes are not former namesakes (阳高县, 邯郸市)."""
    for q in ("阳高县", "邯郸市", "正定县", "海口市"):
        body = client.get("/api/v1/jurisdiction", params={"q": q}).json()
        assert "also_former" not in body, (q, body.get("also_former"))
