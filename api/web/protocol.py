"""The HTTP/1.1 connection: uvicorn's httptools protocol with a header read timeout, a cap on the request head and
problem+json for the answers the server gives before the application sees a request.

uvicorn has no timeout for reading a request's line and headers: a client that sends half of them keeps its
connection, and enough such clients keep every connection the server has.  Here the head must be complete within
``header_timeout`` seconds of the connection, or of the request's first byte on a kept-alive connection, and within
:data:`MAX_HEAD_BYTES`; otherwise the connection is answered (408, 431) and closed.  Malformed requests get uvicorn's
400 as problem+json.

The CLI hands uvicorn :func:`protocol_class` of its settings; with several worker processes uvicorn takes the
import string ``"api.web.protocol:GuardedHttpProtocol"``, which reads its settings from the environment.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, ClassVar

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.server import ServerState

from api.web.middleware import security_headers
from api.web.problems import PROBLEMS, problem_body
from api.web.urls import public_base
from graph.settings import Settings

__all__ = ["MAX_HEAD_BYTES", "GuardedHttpProtocol", "protocol_class"]

MAX_HEAD_BYTES = 128 * 1024  # the request line (a GET query up to 64 KiB percent-encoded) and the headers
LINGER_SECONDS = 2.0  # how long what a refused client still sends is read and dropped


@functools.cache
def _environment_settings() -> Settings:
    return Settings()


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header read timeout, a head size cap and problem+json errors."""

    settings: ClassVar[Settings | None] = None  # None: read from the environment

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        settings = type(self).settings or _environment_settings()
        self.header_timeout = settings.header_timeout
        self.problem_base = public_base(settings)
        self.head_timer: asyncio.TimerHandle | None = None
        self.in_head = True  # bytes now arriving belong to a request line or headers
        self.head_bytes = 0
        self.lingering = False  # answered before the application: what still arrives is dropped

    # -- the timer: armed by a new connection or a request's first byte, stopped by the end of the headers ---------
    def _arm(self) -> None:
        if self.head_timer is None:
            self.head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if self.transport.is_closing() or self.lingering:
            return
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False  # a pipelined head stalled behind a response: close after that response
            return
        if self.head_bytes == 0:  # an idle connection: nothing to answer
            self.transport.close()
            return
        self.logger.info("request head not complete within %s s: connection closed", self.header_timeout)
        self._answer("request-timeout", f"the request line and headers did not arrive within {self.header_timeout} s")

    # -- uvicorn's hooks ---------------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.lingering:
            return
        if self.in_head:
            self.head_bytes += len(data)  # reset when the headers end, so body bytes are never counted
        super().data_received(data)
        if self.in_head and self.head_bytes > MAX_HEAD_BYTES and not (self.lingering or self.transport.is_closing()):
            self.logger.info("request head over %d bytes: connection closed", MAX_HEAD_BYTES)
            self._answer("header-too-large", f"the request line and headers are larger than {MAX_HEAD_BYTES} bytes")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        self.in_head = False
        self.head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self.in_head = True  # what follows is the next request's head
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        self._answer("bad-request", msg)

    # -- answering before the application ------------------------------------------------------------------------
    def _answer(self, slug: str, detail: str) -> None:
        """Write a problem and close the connection."""
        body = problem_body(self.problem_base, slug, detail)
        head = [STATUS_LINE[PROBLEMS[slug][0]]]
        headers = [
            *self.server_state.default_headers,
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
            *security_headers(""),
        ]
        head += [b"%s: %s\r\n" % (name, value) for name, value in headers]
        self.transport.write(b"".join([*head, b"\r\n", body]))
        # Closing now, with the client still sending, would reset the connection and lose the answer: end our side,
        # drop what still comes for a moment, then close (a lingering close).
        self.lingering = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)


def protocol_class(settings: Settings) -> type[GuardedHttpProtocol]:
    """The protocol class for one process, with these settings."""
    return type("GuardedHttpProtocol", (GuardedHttpProtocol,), {"settings": settings})
