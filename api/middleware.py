"""One ASGI middleware for every request: the request-body cap (413) and the request metrics.

They share one layer because each layer of the stack costs every request its share of the latency.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .state import Metrics

__all__ = ["RequestGuard"]


class _TooLarge(Exception):
    pass


class RequestGuard:
    """Refuse request bodies over ``limit`` bytes (announced or streamed), and count and time every request
    by its route template (not its raw path, to keep label sets small)."""

    def __init__(self, app: ASGIApp, limit: int, metrics: Metrics) -> None:
        self.app = app
        self.limit = limit
        self.metrics = metrics
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

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            if scope["method"] in ("GET", "HEAD"):  # no body to watch
                await self.app(scope, receive, tracking_send)
                return
            declared = dict(scope.get("headers") or []).get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.limit:
                raise _TooLarge
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if status == 500:  # nothing sent yet
                status = 413
                await self._refuse(scope, send)
        finally:
            route: Any = scope.get("route")
            name = getattr(route, "path", None) or "unmatched"
            key = (scope["method"], name, str(status))
            counter = self._counters.get(key)
            if counter is None:
                counter = self._counters[key] = self.metrics.requests.labels(*key)
            counter.inc()
            timer = self._timers.get(name)
            if timer is None:
                timer = self._timers[name] = self.metrics.latency.labels(name)
            timer.observe(time.perf_counter() - started)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = json.dumps({
            "type": "/problems/request-too-large", "title": "Request too large", "status": 413,
            "detail": f"the request body is larger than {self.limit} bytes", "instance": scope.get("path", ""),
        }).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
