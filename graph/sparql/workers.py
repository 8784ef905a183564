"""Confined worker processes that run untrusted work (SPARQL queries) and are stopped at a deadline.

Oxigraph cannot cancel a query from Python, and no query checker can be trusted to be perfect, so
each query is checked and run in a child process forked from the service once the store is open:
the children share the in-memory store copy-on-write (an on-disk store is reopened read-only in
each child).  Right after the fork a worker confines itself (:mod:`graph.sparql.sandbox`: no network,
bounded memory, death with the server, no inherited descriptors).  When a query passes its deadline
its worker is killed — the work really stops — and a fresh worker takes its place.

The server talks to a worker over a socket pair with length-prefixed frames (:mod:`graph.sparql.frames`);
a frame longer than ``max_answer`` ends the worker.  At most ``size``
queries run at once; a bounded number wait for a worker, and past that a request is turned away at
once (:class:`graph.errors.ServiceBusy`) instead of piling up.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import pickle  # noqa: S403 - only from this process to the workers it forked, never back
import signal
import socket
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from graph.errors import BaomiError, QueryMemoryExceeded, QueryTimeout, QueryTooComplex, ServiceBusy, StoreError
from graph.settings import quiet_rust_backtraces
from graph.sparql import sandbox
from graph.sparql.frames import ERR, HEADER, HELLO, OK, Channel, error_reply, rebuild_error, recv_exactly, send_frame
from graph.sparql.sandbox import Confinement

__all__ = ["Handler", "WorkerLimits", "WorkerPool"]

log = logging.getLogger("baomi_kg.workers")

Handler = Callable[[object], bytes]
_STDERR_KEPT = 64 << 10


@dataclass(frozen=True)
class WorkerLimits:
    size: int = 2  # workers, so queries that run at once
    memory_budget: int = 2 << 30  # bytes each worker may allocate beyond what it shares with the server
    sandbox: bool = True  # seccomp and a network namespace (off only where the platform has neither)
    max_waiting: int = 64  # requests that may wait for a worker before new ones are turned away
    what: str = "query"  # what the workers run, for messages
    max_answer: int = 1 << 30  # bytes: a worker that announces a longer answer is ended (it cannot be one of ours)


# -- the worker side -------------------------------------------------------------------------------
def _worker_main(
    sock: socket.socket, stderr: int, parent: int, setup: Callable[[], Handler], limits: WorkerLimits
) -> None:
    """The life of one worker: confine, report, then answer one request at a time until told to stop."""
    os.dup2(stderr, 2)  # what the runtime prints as it dies reaches the server, which reads the cause
    quiet_rust_backtraces()  # the cause is in the first line; a backtrace would only bury it
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        confinement = sandbox.confine(
            parent=parent, keep_fds=(sock.fileno(),), memory_budget=limits.memory_budget, sandbox=limits.sandbox
        )
    except Exception as exc:  # noqa: BLE001 - reported to the server, which refuses to go on
        send_frame(sock, ERR, error_reply(StoreError(f"the worker sandbox could not be set up: {exc}")))
        return
    try:
        handler = setup()
    except Exception as exc:  # noqa: BLE001
        send_frame(sock, ERR, error_reply(StoreError(f"the worker could not open the store: {exc}")))
        return
    send_frame(sock, HELLO, json.dumps(dataclasses.asdict(confinement)).encode())
    while True:
        try:
            tag, size = HEADER.unpack(recv_exactly(sock, HEADER.size))
            job = pickle.loads(recv_exactly(sock, size))  # noqa: S301 - from the server that forked us
        except (EOFError, OSError):
            return
        try:
            reply, payload = OK, handler(job)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back as an answer, never a crash
            reply, payload = ERR, error_reply(exc)
        try:
            send_frame(sock, reply, payload)
        except OSError:
            return


# -- the server side -------------------------------------------------------------------------------
@dataclass
class _Worker:
    pid: int
    sock: socket.socket
    stderr: int  # read end of the worker's standard error
    confinement: Confinement | None = None
    channel: Channel | None = None  # the event loop's end of ``sock``, from the worker's first job on


def _read_available(fd: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    with contextlib.suppress(OSError):
        while size < _STDERR_KEPT:
            chunk = os.read(fd, _STDERR_KEPT)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    return b"".join(chunks)


class WorkerPool:
    """A fixed number of confined workers; :meth:`run` hands one a job and awaits its answer."""

    def __init__(self, setup: Callable[[], Handler], limits: WorkerLimits) -> None:
        self._setup = setup
        self.limits = limits
        self._idle: deque[_Worker] = deque()
        self._free: asyncio.Semaphore | None = None  # made on the event loop that runs the queries
        self._waiting = 0
        self._lock = threading.Lock()
        self._all: dict[int, _Worker] = {}
        self._closed = False
        self.confinement: Confinement | None = None

    def start(self) -> Confinement:
        """Fork the workers and wait until each has confined itself; raise if one could not."""
        if self.limits.sandbox:
            sandbox.available()
        confinement = Confinement(False, False, 0)
        for _ in range(self.limits.size):
            worker = self._spawn()
            confinement = self._hello_blocking(worker)
            self._idle.append(worker)
        return confinement

    def _spawn(self) -> _Worker:
        parent_sock, child_sock = socket.socketpair()
        err_r, err_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its exit status tells the server how it ended
            code = 0
            try:
                parent_sock.close()
                os.close(err_r)
                _worker_main(child_sock, err_w, parent, self._setup, self.limits)
            except BaseException:  # noqa: BLE001
                code = 70
            os._exit(code)
        child_sock.close()
        os.close(err_w)
        os.set_blocking(err_r, False)
        worker = _Worker(pid, parent_sock, err_r)
        with self._lock:
            self._all[pid] = worker
        return worker

    def _hello_blocking(self, worker: _Worker) -> Confinement:
        worker.sock.settimeout(60)
        try:
            tag, size = HEADER.unpack(recv_exactly(worker.sock, HEADER.size))
            payload = recv_exactly(worker.sock, size)
        except (EOFError, OSError) as exc:
            _, note = self._retire(worker)
            last = note[-500:] or "no message"
            raise StoreError(f"a {self.limits.what} worker died while starting: {last}") from exc
        confinement = self._accept_hello(worker, tag, payload)
        worker.sock.setblocking(False)
        return confinement

    def _accept_hello(self, worker: _Worker, tag: bytes, payload: bytes) -> Confinement:
        if tag != HELLO:
            self._retire(worker)
            raise rebuild_error(payload)
        fields = json.loads(payload)
        worker.confinement = Confinement(
            bool(fields["seccomp"]), bool(fields["network_namespace"]), int(fields["memory_limit"])
        )
        if self.confinement is None:
            self.confinement = worker.confinement
        return worker.confinement

    def _retire(self, worker: _Worker) -> tuple[int, str]:
        """Kill a worker (if it still runs) and reap it; its wait status and last words on standard error."""
        with self._lock:
            if self._all.pop(worker.pid, None) is None:
                return 0, ""  # reaped already: its pid may belong to another process by now
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        status = 0
        with contextlib.suppress(ChildProcessError):
            _, status = os.waitpid(worker.pid, 0)
        note = _read_available(worker.stderr).decode("utf-8", "replace").strip()
        if worker.channel is None:
            worker.sock.close()  # otherwise the channel's transport owns it, closed on the event loop's thread
        with contextlib.suppress(OSError):
            os.close(worker.stderr)
        return status, note

    async def run(self, job: object, timeout: float) -> bytes:
        """Run ``job`` in a worker; raise :class:`QueryTimeout` if it is not answered within ``timeout`` seconds."""
        if self._closed:
            raise StoreError(f"the {self.limits.what} workers are shut down")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._acquire(deadline)
        outcome = "crashed"
        try:
            async with asyncio.timeout_at(deadline):
                channel = await self._channel(loop, worker)
                if worker.confinement is None:  # a replacement: its first frame says it is confined
                    tag, payload = await channel.receive()
                    self._accept_hello(worker, tag, payload)
                frame = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
                channel.send(HEADER.pack(OK, len(frame)) + frame)
                tag, payload = await channel.receive()
            outcome = "answered"
        except TimeoutError:
            outcome = "timeout"
            raise QueryTimeout(f"the {self.limits.what} ran longer than {timeout:g} s and was stopped") from None
        except (EOFError, OSError):
            raise self._death_error(worker) from None
        finally:
            if outcome == "answered":
                self._idle.append(worker)
                self._release()
            else:
                # A worker that did not answer (timeout, crash, or the client went away) is replaced.
                if worker.channel is not None:
                    worker.channel.close()
                loop.create_task(self._replace(worker))
        if tag == OK:
            return payload
        raise rebuild_error(payload)

    def _death_error(self, worker: _Worker) -> BaomiError:
        """What a worker's death means for the client, read from its exit status and last words."""
        status, note = self._retire(worker)  # it is gone already: its socket closed as it exited
        cause = sandbox.exit_cause(status, note.encode())
        first = note.splitlines()[0][:500] if note else "no message"
        log.warning("%s worker %d ended (%s): %s", self.limits.what, worker.pid, cause, first)
        if cause == "memory":
            return QueryMemoryExceeded(
                f"the {self.limits.what} needed more than the {self.limits.memory_budget >> 20} "
                f"MiB a {self.limits.what} may use, and was stopped"
            )
        if cause == "stack":
            return QueryTooComplex(f"the {self.limits.what} is nested too deeply for the engine")
        return StoreError(f"the {self.limits.what} worker stopped unexpectedly")

    async def _channel(self, loop: asyncio.AbstractEventLoop, worker: _Worker) -> Channel:
        """The worker's socket as the event loop reads it, made on its first job."""
        if worker.channel is None:
            channel = Channel(self.limits.max_answer)
            await loop.connect_accepted_socket(lambda: channel, sock=worker.sock)
            worker.channel = channel
        return worker.channel

    async def _replace(self, worker: _Worker) -> None:
        try:
            await asyncio.to_thread(self._retire, worker)
            if not self._closed:
                self._idle.append(self._spawn())
        finally:
            self._release()

    async def _acquire(self, deadline: float) -> _Worker:
        """The most recently used idle worker (its caches are the warmest); a bounded wait for one."""
        if self._free is None:
            self._free = asyncio.Semaphore(self.limits.size)
        if not self._free.locked():
            await self._free.acquire()  # a worker is idle: no waiting, no timer
            return self._idle.pop()
        if self._waiting >= self.limits.max_waiting:
            raise ServiceBusy(
                f"all {self.limits.size} {self.limits.what} workers are busy and {self._waiting} wait; "
                "try again shortly",
                retry_after=2,
            )
        self._waiting += 1
        try:
            async with asyncio.timeout_at(deadline):
                await self._free.acquire()
        except TimeoutError:
            raise ServiceBusy(
                f"every {self.limits.what} worker stayed busy until the deadline; try again shortly", retry_after=5
            ) from None
        finally:
            self._waiting -= 1
        return self._idle.pop()

    def _release(self) -> None:
        if self._free is not None:
            self._free.release()

    def pids(self) -> list[int]:
        with self._lock:
            return list(self._all)

    def close(self) -> None:
        """Stop every worker; on the event loop's thread while it runs, as the service does at shutdown."""
        self._closed = True
        with self._lock:
            workers = list(self._all.values())
        for worker in workers:
            if worker.channel is not None:
                try:
                    worker.channel.close()
                except RuntimeError:  # its event loop is closed already: nothing reads the socket any more
                    worker.sock.close()
            self._retire(worker)
