"""Worker processes that run untrusted SPARQL queries and can be stopped at a deadline.

Oxigraph cannot cancel a query from Python, so each query runs in a child process forked from
the service after the store is open: the children share the in-memory store copy-on-write (an
on-disk store is reopened read-only in each child).  When a query passes its deadline, its
worker is killed — the work really stops — and a fresh worker takes its place; the other
workers, and every request that does not run SPARQL, carry on meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle  # noqa: S403 - only between this process and the workers it forked
import signal
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from pyoxigraph import Store

from .endpoint import PreparedQuery, execute_on_store
from .errors import QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreError

__all__ = ["QueryWorkers"]

StoreSource = Store | Callable[[], Store]
_OK, _ERR = b"K", b"E"

_ERRORS: dict[str, type[Exception]] = {
    "QuerySyntaxError": QuerySyntaxError,
    "ResultTooLarge": ResultTooLarge,
    "StoreError": StoreError,
}


def _serve(conn: Connection, source: StoreSource) -> None:
    """The loop of one worker: receive a prepared query, answer with bytes or an error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    store = source() if callable(source) else source
    while True:
        try:
            q: PreparedQuery = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        # An answer goes back as raw bytes behind a one-byte tag (no pickling of a large result), an error pickled.
        try:
            reply = _OK + execute_on_store(store, q)
        except QuerySyntaxError as exc:
            reply = _ERR + pickle.dumps(("QuerySyntaxError", str(exc), exc.line, exc.column))
        except (ResultTooLarge, StoreError) as exc:
            reply = _ERR + pickle.dumps((type(exc).__name__, str(exc), None, None))
        except Exception as exc:  # noqa: BLE001 - anything else becomes a store error, never a crash
            reply = _ERR + pickle.dumps(("StoreError", f"{type(exc).__name__}: {exc}", None, None))
        try:
            conn.send_bytes(reply)
        except (BrokenPipeError, OSError):
            os._exit(0)


def _settle(future: asyncio.Future[bool], answered: bool) -> None:
    if not future.done():
        future.set_result(answered)


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection


class QueryWorkers:
    def __init__(self, source: StoreSource, size: int = 2) -> None:
        self._source = source
        self._size = size
        self._ctx = multiprocessing.get_context("fork")
        self._idle: deque[_Worker] = deque()
        self._free: asyncio.Semaphore | None = None  # made on the event loop that runs the queries
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._closed = False
        self.killed = 0  # queries stopped at their deadline (for metrics)

    def start(self) -> None:
        for _ in range(self._size):
            self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_serve, args=(child, self._source), daemon=True, name="sparql-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    async def run(self, q: PreparedQuery, timeout: float) -> bytes:
        """Run ``q`` in a worker; raise :class:`QueryTimeout` if it is not done within ``timeout`` seconds.

        Waits on the event loop (for a free worker, then for the worker's pipe), never on a thread.
        """
        if self._closed:
            raise StoreError("the query workers are shut down")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._acquire(deadline, timeout)
        healthy = False
        try:
            worker.conn.send(q)
            ready: asyncio.Future[bool] = loop.create_future()
            fd = worker.conn.fileno()
            loop.add_reader(fd, _settle, ready, True)
            expiry = loop.call_at(deadline, _settle, ready, False)  # cheaper than wait_for's extra task
            try:
                answered = await ready
            finally:
                expiry.cancel()
                loop.remove_reader(fd)
                os.set_blocking(fd, True)  # uvloop leaves a watched descriptor non-blocking
            if not answered:
                self.killed += 1
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            reply = worker.conn.recv_bytes()
            healthy = True
        except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
            raise StoreError("the query worker stopped unexpectedly") from exc
        finally:
            # A worker that did not answer (timeout, crash, or the client went away) is killed and replaced.
            if healthy:
                self._idle.append(worker)
            else:
                self._retire(worker)
                if not self._closed:
                    self._idle.append(self._spawn())
            self._release()
        if reply[:1] == _OK:
            return reply[1:]
        name, message, line, column = pickle.loads(reply[1:])  # noqa: S301 - from our own forked worker
        if name == "QuerySyntaxError":
            raise QuerySyntaxError(message, line, column)
        raise _ERRORS.get(name, StoreError)(message)

    async def _acquire(self, deadline: float, timeout: float) -> _Worker:
        """The most recently used idle worker (its caches are the warmest), waiting until the deadline for one."""
        if self._free is None:
            self._free = asyncio.Semaphore(self._size)
        if not self._free.locked():
            await self._free.acquire()  # a worker is idle: no waiting, no timer
            return self._idle.pop()
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(self._free.acquire(), max(0.0, deadline - loop.time()))
        except TimeoutError:
            raise QueryTimeout(f"every query worker stayed busy for {timeout:g} s; try again later") from None
        return self._idle.pop()

    def _release(self) -> None:
        if self._free is not None:
            self._free.release()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)
