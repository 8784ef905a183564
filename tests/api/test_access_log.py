"""The access log of a real ``baomi-kg serve``: one line per request with the path and status, never what was
looked up or asked (query strings and bodies stay out of the log)."""

from __future__ import annotations

import re
import time

import httpx

from tests.helpers.server import LiveServer

LOOKED_UP = "保密测试单位XYZ"


def test_requests_are_logged_without_their_query_strings_or_bodies(live_server: LiveServer) -> None:
    url = live_server.url
    lookup = httpx.get(url + "/api/v1/jurisdiction", params={"q": LOOKED_UP})
    sparql_get = httpx.get(url + "/sparql", params={"query": f'ASK {{ ?s ?p "{LOOKED_UP}" }}'})
    sparql_post = httpx.post(
        url + "/sparql",
        content=f'ASK {{ ?s ?p "{LOOKED_UP}" }}'.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert lookup.status_code == 404 and sparql_get.status_code == 200 and sparql_post.status_code == 200
    deadline = time.monotonic() + 5
    lines: list[str] = []
    while time.monotonic() < deadline:
        log = live_server.log.read_text(encoding="utf-8", errors="replace")
        lines = [line for line in log.splitlines() if re.search(r'"(GET|POST) /(api/v1/jurisdiction|sparql)"', line)]
        if len(lines) >= 3:
            break
        time.sleep(0.1)
    assert any(re.search(r'"GET /api/v1/jurisdiction" 404 [\d.]+ ms$', line) for line in lines), lines
    assert any(re.search(r'"GET /sparql" 200 [\d.]+ ms$', line) for line in lines), lines
    assert any(re.search(r'"POST /sparql" 200 [\d.]+ ms$', line) for line in lines), lines
    log = live_server.log.read_text(encoding="utf-8", errors="replace")
    assert LOOKED_UP not in log
    assert "?q=" not in log and "query=" not in log
