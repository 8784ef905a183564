"""One ASGI middleware for every request: HEAD, the request-body cap (413), the security headers, the metrics and
the access log.

The access log has one line per request: the client, the method, the path, the status and the time taken. It never
holds a query string or a body: those carry what people look up and ask (SPARQL queries, names of units), which a
log kept for operations has no need of.

They share one layer because each layer of the stack costs every request its share of the latency: the headers
are lists made once, appended to each response.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import sys
import time
from pathlib import Path
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.paths import DOCS, REDOC, SPARQL
from api.web.problems import problem_body
from api.web.state import Metrics
from api.web.urls import public_base

__all__ = ["DRAIN_BYTES", "DRAIN_SECONDS", "RequestGuard", "security_headers"]

# A refused body is read and dropped up to this much, so that a client that sends all of it before it reads (as
# urllib does) sees the 413 instead of a connection reset; past either bound the connection is simply closed.
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 5.0

_STATIC = Path(__file__).resolve().parent / "static"

access_log = logging.getLogger("baomi_kg.access")


def log_access_to_stderr() -> None:
    """Send the access log to standard error, one plain line per request (done once per process)."""
    if not access_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.setLevel(logging.INFO)
        access_log.propagate = False


def _inline_script_hashes(page: Path) -> str:
    """CSP sources for the inline scripts of one of our pages (data blocks with a ``type`` are not scripts)."""
    scripts = re.findall(r"<script>(.*?)</script>", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)


def _policy(
    script: str = "'self'",
    style: str = "'self' 'unsafe-inline'",
    img: str = "'self' data:",
    font: str = "'self'",
    extra: str = "",
) -> str:
    # Inline styles stay allowed: the pages carry a <style> element and the viewer sets style attributes; scripts
    # come only from this service (or carry a hash), and no page may be framed.
    return (
        f"default-src 'none'; script-src {script}; style-src {style}; img-src {img}; font-src {font}; "
        f"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'{extra}"
    )


# Swagger UI (/docs) and ReDoc (/redoc) are served from here and started by a script file, so they need no more
# than the strict policy; ReDoc runs its search index in a worker made from a blob: URL.
_POLICIES = {
    SPARQL: _policy(script="'self' " + _inline_script_hashes(_STATIC / "sparql.html")),
    DOCS: _policy(),
    REDOC: _policy(extra="; worker-src blob:"),
}
_COMMON = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


def _headers(policy: str) -> list[tuple[bytes, bytes]]:
    return [*_COMMON, (b"content-security-policy", policy.encode("ascii"))]


_DEFAULT_HEADERS = _headers(_policy())
_HEADERS_BY_PATH = {path: _headers(policy) for path, policy in _POLICIES.items()}


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The security headers of every response on ``path``: its content security policy (strict unless the page
    needs more), ``nosniff``, no referrer and no framing."""
    return _HEADERS_BY_PATH.get(path, _DEFAULT_HEADERS)


class _TooLarge(Exception):
    pass


class RequestGuard:
    """Answer HEAD as GET without the body; refuse request bodies over ``limit`` bytes (announced or streamed) with a
    413 the client can read; add the security headers to every response; count and time every request by its route
    template (not its raw path, to keep label sets small)."""

    def __init__(self, app: ASGIApp, limit: int, metrics: Metrics, log_requests: bool = False) -> None:
        self.app = app
        self.limit = limit
        self.metrics = metrics
        self.log_requests = log_requests
        # Labelled children are looked up once per label set, not once per request.
        self._counters: dict[tuple[str, str, str], Any] = {}
        self._timers: dict[str, Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        seen = 0
        body_pending = True  # whether the client has more of the body to send
        method = scope["method"]
        head = method == "HEAD"
        inner = {**scope, "method": "GET"} if head else scope  # the server still knows it is a HEAD
        extra = security_headers(scope["path"])

        async def limited_receive() -> Message:
            nonlocal seen, body_pending
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                body_pending = message.get("more_body", False)
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", ()), *extra]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            if method in ("GET", "HEAD"):  # no body to watch
                await self.app(inner, receive, tracking_send)
                return
            headers = dict(scope.get("headers") or [])
            declared = headers.get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.limit:
                # Unless the client waits for "100 Continue" before it sends the body, it sends the body anyway.
                if headers.get(b"expect", b"").lower() == b"100-continue" or int(declared) > DRAIN_BYTES:
                    body_pending = False
                raise _TooLarge
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if status == 500:  # nothing sent yet
                status = 413
                if body_pending:
                    await self._drain(receive)
                await self._refuse(scope, send, extra)
        finally:
            route: Any = inner.get("route")
            name = getattr(route, "path", None) or "unmatched"
            key = (method, name, str(status))
            counter = self._counters.get(key)
            if counter is None:
                counter = self._counters[key] = self.metrics.requests.labels(*key)
            counter.inc()
            timer = self._timers.get(name)
            if timer is None:
                timer = self._timers[name] = self.metrics.latency.labels(name)
            elapsed = time.perf_counter() - started
            timer.observe(elapsed)
            if self.log_requests:
                client = scope.get("client") or ("-", 0)
                access_log.info(
                    '%s:%s "%s %s" %d %.1f ms', client[0], client[1], method, scope["path"], status, elapsed * 1000
                )

    @staticmethod
    async def _drain(receive: Receive) -> None:
        """Read and drop the rest of a refused body, within :data:`DRAIN_BYTES` and :data:`DRAIN_SECONDS`."""
        dropped = 0
        with anyio.move_on_after(DRAIN_SECONDS):
            while dropped <= DRAIN_BYTES:
                message = await receive()
                if message["type"] != "http.request":
                    return
                dropped += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return

    async def _refuse(self, scope: Scope, send: Send, extra: list[tuple[bytes, bytes]]) -> None:
        app: Any = scope.get("app")
        state = getattr(getattr(app, "state", None), "service", None)
        base = public_base(state.settings) if state is not None else ""
        body = problem_body(
            base, "request-too-large", f"the request body is larger than {self.limit} bytes", scope.get("path", "")
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                    *extra,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
