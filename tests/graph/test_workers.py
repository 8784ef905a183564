"""The worker pool's own contract, with plain handlers: answers come back whole, a worker that overruns its
deadline or announces more than it may send is ended and replaced, and errors come back as domain errors."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

import pytest

from graph.errors import QuerySyntaxError, QueryTimeout, StoreError
from graph.sparql.workers import Handler, WorkerLimits, WorkerPool

T = TypeVar("T")


def _handle(job: object) -> bytes:
    kind, size = cast("tuple[str, int]", job)
    if kind == "sleep":
        time.sleep(size)
        return b"late"
    if kind == "fail":
        raise QuerySyntaxError("bad query", 2, 5)
    return bytes(range(256)) * (size // 256) + b"x" * (size % 256)


def _setup() -> Handler:
    return _handle


def _pool(**limits: object) -> WorkerPool:
    pool = WorkerPool(_setup, WorkerLimits(size=1, sandbox=False, **limits))  # type: ignore[arg-type]
    pool.start()
    return pool


def _run(pool: WorkerPool, steps: Callable[[], Awaitable[T]]) -> T:
    """Run ``steps`` on an event loop and close the pool on it, as the service does at shutdown."""

    async def go() -> T:
        try:
            return await steps()
        finally:
            pool.close()

    return asyncio.run(go())


@pytest.mark.parametrize("size", [0, 1, 70_000, 3_000_000])
def test_answers_of_every_size_come_back_whole(size: int) -> None:
    pool = _pool()

    async def go() -> list[bytes]:
        return [await pool.run(("echo", size), 30) for _ in range(3)]

    for answer in _run(pool, go):
        assert len(answer) == size
        assert answer == _handle(("echo", size))


def test_an_answer_longer_than_allowed_ends_the_worker_and_the_next_job_is_answered() -> None:
    pool = _pool(max_answer=100_000)
    first = pool.pids()

    async def go() -> tuple[bytes, list[int]]:
        with pytest.raises(StoreError):
            await pool.run(("echo", 200_000), 30)
        return await pool.run(("echo", 1000), 30), pool.pids()

    answer, now = _run(pool, go)
    assert len(answer) == 1000
    assert now != first  # the worker that overran was replaced


def test_a_job_past_its_deadline_is_stopped_and_its_worker_replaced() -> None:
    pool = _pool()
    first = pool.pids()

    async def go() -> tuple[bytes, list[int]]:
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            await pool.run(("sleep", 30), 0.5)
        assert time.monotonic() - started < 5
        return await pool.run(("echo", 10), 30), pool.pids()

    answer, now = _run(pool, go)
    assert len(answer) == 10
    assert now != first


def test_a_domain_error_comes_back_with_its_fields() -> None:
    pool = _pool()
    with pytest.raises(QuerySyntaxError) as caught:
        _run(pool, lambda: pool.run(("fail", 0), 30))
    assert (caught.value.line, caught.value.column) == (2, 5)
