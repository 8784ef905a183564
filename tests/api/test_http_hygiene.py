"""HTTP hygiene: no 5xx from odd input, HEAD and Allow right, every error problem+json (uvicorn's too), a header read
timeout, security headers, links only to http(s) IRIs, URLs from the public base and not from ``Host``, and a 413
the client can read."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import select
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Triple
from starlette.types import Message, Scope

from api.web.middleware import DRAIN_BYTES
from api.web.pages import resource_html
from api.web.protocol import MAX_HEAD_BYTES
from api.web.urls import public_base
from graph.kg import KnowledgeGraph
from graph.settings import Settings
from tests.helpers.responses import PROBLEM, Response, problem
from tests.helpers.server import LiveServer

STATIC = Path(__file__).resolve().parents[2] / "api" / "web" / "static"
COMMITTEE = "https://w3id.org/baomi-kg/id/committee/330106"
JURISDICTION = "/api/v1/jurisdiction?q=" + "杭州市西湖区"


def is_problem(r: Response, status: int) -> dict[str, Any]:
    """A problem whose type is a URL of the serving host."""
    body = problem(r, status)
    assert body["type"].startswith("http://127.0.0.1:")
    return body


def raw_exchange(url: str, data: bytes, *, wait: float = 5.0) -> bytes:
    """Send raw bytes to a server and read what comes back until it closes the connection."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as s:
        s.sendall(data)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def split_response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


# -- no 5xx from odd paths ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/viz/static/%00",
        "/viz/static/viz.js%00.png",
        "/viz/vendor/%00/x",
        "/viz/static/" + "a" * 5000,
        "/viz/static/" + "a/" * 3000,
        "/viz/static/..%2F..%2Froutes%2Fexport.py",
        "/viz/static/%2E%2E/%2E%2E/app.py",
        "/viz/vendor/%2Fetc%2Fpasswd",
        "/viz/static/",
        "/viz/%00/x",
        "/viz/static/viz.js/",
        "/viz/static/%FF%FE",
    ],
)
def test_odd_viewer_paths_are_404_problems(client: TestClient, path: str) -> None:
    is_problem(client.get(path), 404)


def test_viewer_files_are_still_served(client: TestClient) -> None:
    r = client.get("/viz/static/viz.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert client.get("/viz/vendor/cytoscape/cytoscape.min.js").status_code == 200


# -- a client that goes away mid-body -----------------------------------------------------------------
def test_client_disconnect_mid_body_is_one_quiet_line(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    sent: list[Message] = []
    messages: Iterator[Message] = iter(
        [{"type": "http.request", "body": b"SELECT * WHERE", "more_body": True}, {"type": "http.disconnect"}]
    )

    async def receive() -> Message:
        return next(messages)

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/sparql-query"),
            (b"content-length", b"1000"),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }
    with caplog.at_level(logging.INFO):
        anyio.run(client.app, scope, receive, send)  # no exception escapes to the server
    assert sent[0]["status"] == 499
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert len([r for r in caplog.records if "closed the connection" in r.getMessage()]) == 1


def test_client_disconnect_on_a_real_server_logs_no_traceback(live_server: LiveServer) -> None:
    before = live_server.log.stat().st_size
    port = int(live_server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100000\r\n\r\nSELECT * WHERE { ?s ?p ?o }"
        )
        time.sleep(0.3)
    time.sleep(0.5)
    assert httpx.get(live_server.url + "/healthz").status_code == 200
    log = live_server.log.read_bytes()[before:].decode("utf-8", "replace")
    assert "Traceback" not in log and "Exception in ASGI" not in log and " 500" not in log, log


# -- HEAD and Allow --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/sparql", "text/html"),
        ("/sparql", "text/turtle"),
        (JURISDICTION, "application/json"),
        ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
        ("/id/committee/330106.ttl", "*/*"),
        ("/api/v1/committees?limit=2", "*/*"),
        ("/viz", "*/*"),
        ("/docs", "*/*"),
        ("/no/such/path", "*/*"),
        ("/api/v1/committees/999999", "*/*"),
    ],
)
def test_head_answers_as_get_without_a_body(client: TestClient, path: str, accept: str) -> None:
    get, head = client.get(path, headers={"Accept": accept}), client.head(path, headers={"Accept": accept})
    assert head.status_code == get.status_code and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))


def test_head_on_a_real_server(live_server: LiveServer) -> None:
    for path in ("/sparql", JURISDICTION):
        get, head = httpx.get(live_server.url + path), httpx.head(live_server.url + path)
        assert head.status_code == get.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(get.content))


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/sparql", "GET, HEAD, POST"),
        ("DELETE", "/sparql", "GET, HEAD, POST"),
        ("POST", JURISDICTION, "GET, HEAD"),
        ("PATCH", "/id/committee/330106", "GET, HEAD"),
        ("POST", "/docs", "GET, HEAD"),
        ("PUT", "/api/v1/committees/330106", "GET, HEAD"),
    ],
)
def test_405_allow_lists_every_method_of_the_path(client: TestClient, method: str, path: str, allow: str) -> None:
    r = client.request(method, path)
    is_problem(r, 405)
    assert r.headers["allow"] == allow


# -- every error is problem+json -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/no/such/path", {}, 404),
        ("GET", "/sparql/", {}, 404),  # no redirect: it would name the Host header's host
        ("PUT", "/sparql", {}, 405),
        (
            "POST",
            "/sparql",
            {"content": b"x" * 2_000_000, "headers": {"Content-Type": "application/sparql-query"}},
            413,
        ),
        ("POST", "/sparql", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
    ],
)
def test_errors_are_problems(client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int) -> None:
    r = client.request(method, path, follow_redirects=False, **kwargs)
    is_problem(r, status)
    assert r.headers["x-content-type-options"] == "nosniff"


def test_a_streamed_body_over_the_cap_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"#" * 50_000

    r = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    is_problem(r, 413)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"GET /\x00 HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    ],
)
def test_server_level_400_is_a_problem(live_server: LiveServer, request_bytes: bytes) -> None:
    status, headers, body = split_response(raw_exchange(live_server.url, request_bytes))
    assert status == 400 and headers["content-type"] == PROBLEM and headers["x-content-type-options"] == "nosniff"
    problem = json.loads(body)
    assert problem["status"] == 400 and problem["type"] == live_server.url + "/problems/bad-request"


def test_an_oversized_head_is_431(live_server: LiveServer) -> None:
    huge = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * (MAX_HEAD_BYTES + 300_000) + b"\r\n\r\n"
    status, headers, body = split_response(raw_exchange(live_server.url, huge))
    assert status == 431 and headers["content-type"] == PROBLEM and json.loads(body)["status"] == 431


# -- a body over the cap gets a 413 the client can read ---------------------------------------------------------
def test_urllib_reads_the_413_of_a_large_body(live_server: LiveServer) -> None:
    req = urllib.request.Request(
        live_server.url + "/sparql",
        data=b"#" * 2_000_000,
        method="POST",
        headers={"Content-Type": "application/sparql-query"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(req, timeout=30)  # noqa: S310 - a local test server
    assert caught.value.code == 413 and caught.value.headers["content-type"] == PROBLEM
    assert caught.value.headers["connection"] == "close"
    assert json.loads(caught.value.read())["status"] == 413


def test_urllib_reads_the_413_of_a_large_chunked_body(live_server: LiveServer) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"#" * 50_000

    req = urllib.request.Request(
        live_server.url + "/sparql", data=chunks(), method="POST", headers={"Content-Type": "application/sparql-query"}
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(req, timeout=30)  # noqa: S310 - a local test server
    assert caught.value.code == 413 and json.loads(caught.value.read())["status"] == 413


def test_a_body_past_the_drain_ceiling_is_not_waited_for(live_server: LiveServer) -> None:
    started = time.monotonic()
    raw = raw_exchange(
        live_server.url,
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query"
        b"\r\nContent-Length: " + str(DRAIN_BYTES + 1).encode() + b"\r\n\r\nSELECT",
    )
    assert split_response(raw)[0] == 413 and time.monotonic() - started < 2


# -- header read timeout -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def impatient_server() -> Iterator[LiveServer]:
    server = LiveServer(env={"BAOMI_KG_HEADER_TIMEOUT": "1"})
    yield server
    server.stop()


@pytest.mark.slow
def test_half_sent_heads_are_closed_after_the_header_timeout(impatient_server: LiveServer) -> None:
    port = int(impatient_server.url.rsplit(":", 1)[1])
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(50)]
    started = time.monotonic()
    try:
        for i, s in enumerate(sockets):
            if i % 2:  # half send part of a head; the others send nothing at all
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        answers = []
        for s in sockets:
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
            answers.append(b"".join(chunks))
        elapsed = time.monotonic() - started
    finally:
        for s in sockets:
            s.close()
    assert 0.9 < elapsed < 4, elapsed
    assert all(a == b"" for a in answers[::2])  # idle connections: closed without a word
    for raw in answers[1::2]:
        status, headers, body = split_response(raw)
        assert status == 408 and headers["content-type"] == PROBLEM and json.loads(body)["status"] == 408
    assert httpx.get(impatient_server.url + "/healthz").status_code == 200


@pytest.mark.slow
def test_a_trickled_head_is_cut_at_the_header_timeout(impatient_server: LiveServer) -> None:
    port = int(impatient_server.url.rsplit(":", 1)[1])
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"z" * 100:
            if select.select([s], [], [], 0.1)[0]:  # the server has answered: stop sending
                break
            s.sendall(bytes([byte]))
        raw = s.recv(65536)
    assert split_response(raw)[0] == 408 and time.monotonic() - started < 2.5


@pytest.mark.slow
def test_kept_alive_connections_still_work(impatient_server: LiveServer) -> None:
    with httpx.Client(base_url=impatient_server.url) as c:
        assert c.get("/healthz").status_code == 200
        time.sleep(1.5)  # longer than the header timeout, shorter than the keep-alive timeout
        assert c.get("/healthz").status_code == 200


# -- security headers ------------------------------------------------------------------------------------------
def _policy(r: Response) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for directive in r.headers["content-security-policy"].split(";"):
        name, *values = directive.split()
        out[name] = values
    return out


def _allowed(sources: list[str], url: str) -> bool:
    if not re.match(r"https?://", url):
        return "'self'" in sources
    return any(s.startswith("https://") and url.startswith(s) for s in sources)


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/sparql", "text/html"),
        ("/id/committee/330106", "text/html"),
        ("/id/committee/330106.html", "*/*"),
        ("/viz", "*/*"),
        ("/ontology", "text/html"),
        ("/docs", "*/*"),
        ("/redoc", "*/*"),
    ],
)
def test_html_pages_carry_a_policy_that_lets_them_work(client: TestClient, path: str, accept: str) -> None:
    r = client.get(path, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"
    policy = _policy(r)
    assert policy["frame-ancestors"] == ["'none'"] and policy["default-src"] == ["'none'"]
    scripts = policy["script-src"]
    for src in re.findall(r'<script[^>]*\ssrc="([^"]+)"', r.text):
        assert _allowed(scripts, src), src
    for link in re.findall(r"<link[^>]*>", r.text):
        if 'rel="stylesheet"' in link:
            href = re.search(r'href="([^"]+)"', link)
            assert href is not None and _allowed(policy["style-src"], href.group(1)), link
    for inline in re.findall(r"<script>(.*?)</script>", r.text, flags=re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts or "'unsafe-inline'" in scripts
    if path not in ("/docs", "/redoc"):  # those two load from a CDN until they are served from here
        assert all(s == "'self'" or s.startswith("'sha256-") for s in scripts), scripts


@pytest.mark.parametrize("path", ["/healthz", JURISDICTION, "/no/such/path", "/ontology.ttl"])
def test_every_response_says_nosniff(client: TestClient, path: str) -> None:
    assert client.get(path).headers["x-content-type-options"] == "nosniff"


# -- links only for http(s) IRIs -------------------------------------------------------------------------------
def test_linked_data_pages_link_only_http_iris(kg: KnowledgeGraph) -> None:
    see_also = NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    subject = NamedNode(COMMITTEE)
    targets = [
        "javascript:alert(1)",
        "JavaScript:alert(2)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "HTTPS://example.org/upper",
        "https://example.org/ok",
    ]
    triples = [Triple(subject, see_also, NamedNode(t)) for t in targets]
    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    triples.append(Triple(subject, label, Literal("x", language="zh")))
    page = resource_html(COMMITTEE, triples, kg.vocab)
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [h for h in hrefs if not re.match(r"(?:https?://|/|#)", h, flags=re.IGNORECASE)], hrefs
    assert "https://example.org/ok" in hrefs and "HTTPS://example.org/upper" in hrefs
    assert "javascript:alert(1)" in page  # shown as text, not as a link


def test_query_page_links_only_http_iris() -> None:
    page = (STATIC / "sparql.html").read_text(encoding="utf-8")
    cell = page[page.index("function cell(") : page.index("function table(")]
    guard = re.search(r"if \(!/(.+?)/i\.test\(b\.value\)\) \{ return b\.value; \}", cell)
    assert guard is not None and cell.index(guard.group(0)) < cell.index("createElement")
    web = re.compile(guard.group(1).replace("\\/", "/"), re.IGNORECASE)
    for iri in (
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JAVASCRIPT:x",
        "data:text/html,x",
        "java\tscript:x",
        "http:\t//x",
        "vbscript:x",
    ):
        assert not web.search(iri), iri
    for iri in ("http://example.org/x", "https://w3id.org/baomi-kg/id/committee/1", "HTTPS://EXAMPLE.ORG"):
        assert web.search(iri), iri


# -- URLs from the public base, never from Host ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/sparql", "text/turtle"),
        ("/sparql", "application/ld+json"),
        ("/.well-known/void", "text/turtle"),
        ("/api/v1/committees?limit=2", "application/json"),
        ("/api/v1/committees/999999", "*/*"),
        ("/id/committee/330106", "text/html"),
        ("/id/committee/330106", "text/turtle"),
        ("/id/dataset", "text/html"),
        ("/sparql/", "*/*"),
        ("/no/such/path", "*/*"),
        ("/ontology", "text/html"),
    ],
)
def test_the_host_header_is_never_echoed(client: TestClient, path: str, accept: str) -> None:
    r = client.get(path, headers={"Host": "evil.example", "Accept": accept}, follow_redirects=False)
    assert r.status_code < 500
    assert "evil.example" not in r.text
    assert not [v for v in r.headers.values() if "evil.example" in v]


def test_generated_urls_use_the_public_base(client: TestClient) -> None:
    page = client.get("/api/v1/committees?limit=2", headers={"Host": "evil.example"}).json()
    assert page["next"] == "http://127.0.0.1:8000/api/v1/committees?limit=2&offset=2"
    problem = client.get("/api/v1/committees/999999", headers={"Host": "evil.example"}).json()
    assert problem["type"] == "http://127.0.0.1:8000/problems/not-found"
    assert "<http://127.0.0.1:8000/sparql>" in client.get("/sparql", headers={"Accept": "text/turtle"}).text


@pytest.mark.parametrize(
    ("settings", "base"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"host": "::1", "port": 9000}, "http://[::1]:9000"),
        ({"host": "0.0.0.0", "port": 80}, "http://0.0.0.0:80"),  # noqa: S104 - a setting, nothing binds here
        ({"public_url": "https://kg.example.org/baomi/"}, "https://kg.example.org/baomi"),
    ],
)
def test_public_base(settings: dict[str, Any], base: str) -> None:
    assert public_base(Settings(**settings)) == base
