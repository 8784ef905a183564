"""The frames between the service and its worker processes, on a socket pair.

A frame is a tag (one byte: an answer, an error, or a worker's hello) and a length (eight bytes) before the
payload.  The worker side reads and writes with blocking calls; the service side is a :class:`Channel`, an
asyncio protocol per worker, so the event loop reads a worker's socket as data arrives (no reader registered
per call) and a large answer never holds the loop.  Errors travel as JSON with the name of a domain error
class and its fields: the service never unpickles what a process that ran untrusted input sends.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from collections import deque

from graph.errors import BaomiError, QueryMemoryExceeded, QueryTooComplex, StoreError

__all__ = ["ERR", "HEADER", "HELLO", "OK", "Channel", "error_reply", "rebuild_error", "recv_exactly", "send_frame"]

OK, ERR, HELLO = b"K", b"E", b"H"
HEADER = struct.Struct("!cQ")  # tag, payload length
ONE_WRITE = 64 << 10  # a frame up to this size is written at once, so the service wakes once to the whole of it


# -- the worker side (blocking) ------------------------------------------------------------------------
def send_frame(sock: socket.socket, tag: bytes, payload: bytes) -> None:
    header = HEADER.pack(tag, len(payload))
    if len(payload) <= ONE_WRITE:  # one write: the server wakes once, to the whole answer
        sock.sendall(header + payload)
    else:
        sock.sendall(header)
        sock.sendall(payload)


def recv_exactly(sock: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError
        got += n
    return bytes(buffer)


def error_reply(exc: BaseException) -> bytes:
    """An error as JSON: the server never unpickles what a process that ran untrusted input sends."""
    if isinstance(exc, MemoryError):
        exc = QueryMemoryExceeded("the work needed more memory than its worker may use")
    elif isinstance(exc, RecursionError):
        exc = QueryTooComplex("the query is nested too deeply to be read")
    elif not isinstance(exc, BaomiError):
        exc = StoreError(f"{type(exc).__name__}: {exc}")
    extra = {k: v for k, v in vars(exc).items() if isinstance(v, str | int | float | list | dict | type(None))}
    return json.dumps({"error": type(exc).__name__, "message": str(exc), "extra": extra}).encode()


# -- the service side (the event loop) --------------------------------------------------------------
class Channel(asyncio.Protocol):
    """The event loop's end of one worker's socket: frames are gathered as their bytes arrive."""

    def __init__(self, max_answer: int) -> None:
        self.max_answer = max_answer
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.frames: deque[tuple[bytes, bytes]] = deque()
        self.waiter: asyncio.Future[None] | None = None
        self.ended = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if not self.buffer and len(data) >= HEADER.size:  # most answers: one whole frame in one read
            tag, size = HEADER.unpack_from(data)
            if len(data) == HEADER.size + size and size <= self.max_answer:
                self.frames.append((tag, data[HEADER.size :]))
                self._wake()
                return
        self.buffer += data
        while len(self.buffer) >= HEADER.size:
            tag, size = HEADER.unpack_from(self.buffer)
            if size > self.max_answer:
                self.close()  # not a frame of ours: the worker is ended and replaced
                return
            end = HEADER.size + size
            if len(self.buffer) < end:
                break
            self.frames.append((tag, bytes(self.buffer[HEADER.size : end])))
            del self.buffer[:end]
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self._wake()

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def receive(self) -> tuple[bytes, bytes]:
        """The next frame; :class:`EOFError` once the worker's end is closed."""
        while not self.frames:
            if self.ended:
                raise EOFError
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None
        return self.frames.popleft()

    def send(self, frame: bytes) -> None:
        if self.ended or self.transport is None:
            raise EOFError
        self.transport.write(frame)

    def close(self) -> None:
        """Stop reading and close the socket (on the event loop's thread; once)."""
        if not self.ended and self.transport is not None:
            self.ended = True
            self.transport.abort()
            self._wake()


def _error_classes() -> dict[str, type[BaomiError]]:
    """Every domain error class by name (only these are rebuilt from a worker's word)."""
    found: dict[str, type[BaomiError]] = {}
    pending: list[type[BaomiError]] = [BaomiError]
    while pending:
        cls = pending.pop()
        found.setdefault(cls.__name__, cls)
        pending.extend(cls.__subclasses__())
    return found


def rebuild_error(payload: bytes) -> BaomiError:
    """The domain error a worker reported, with its attributes (line, column, offered formats …)."""
    try:
        fields = json.loads(payload)
        name, message, extra = str(fields["error"]), str(fields["message"]), dict(fields["extra"])
    except (ValueError, KeyError, TypeError):
        return StoreError("a worker sent an unreadable answer")
    cls = _error_classes().get(name, StoreError)
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    exc.__dict__.update(extra)
    return exc
