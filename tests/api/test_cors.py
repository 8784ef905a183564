"""Cross-origin reads: a page of any origin (YASGUI, a notebook) may read the answers, without credentials."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from graph.settings import Settings

ORIGIN = "https://yasgui.example"


@pytest.mark.parametrize(
    "path", ["/sparql?query=ASK%20%7B%7D", "/api/v1/jurisdiction?q=330106", "/id/committee/330106", "/.well-known/void"]
)
def test_a_page_of_another_origin_may_read(client: Any, path: str) -> None:
    r = client.get(path, headers={"Origin": ORIGIN})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers


def test_the_preflight_of_a_query_by_post_is_answered(client: Any) -> None:
    r = client.options(
        "/sparql",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 200
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "content-type" in r.headers["access-control-allow-headers"].lower()
    r = client.post(
        "/sparql", content=b"ASK {}", headers={"Origin": ORIGIN, "Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"


@pytest.mark.slow
def test_the_setting_restricts_or_turns_off_cross_origin_reads() -> None:
    for origins, expected in ((["https://allowed.example"], None), ([], None)):
        with TestClient(create_app(Settings(store="memory", cors_origins=origins))) as c:
            r = c.get("/healthz", headers={"Origin": ORIGIN})
            assert r.headers.get("access-control-allow-origin") == expected
    with TestClient(create_app(Settings(store="memory", cors_origins=["https://allowed.example"]))) as c:
        r = c.get("/healthz", headers={"Origin": "https://allowed.example"})
        assert r.headers["access-control-allow-origin"] == "https://allowed.example"
