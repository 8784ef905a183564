"""Bounded concurrency for the heavy routes (exports, search, Linked Data, long lists).

Those routes run in threads and hold the interpreter while they compute; a few at a time keep the event
loop answering everything else at once.  A request that finds every slot taken waits a bounded time in
a bounded queue, and is otherwise turned away with a 503 and ``Retry-After`` (:class:`ServiceBusy`)
instead of piling up memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from graph.errors import ServiceBusy

__all__ = ["Gate"]


class Gate:
    def __init__(self, slots: int, max_waiting: int, max_wait: float) -> None:
        self.slots = slots
        self.max_waiting = max_waiting
        self.max_wait = max_wait
        self._free: asyncio.Semaphore | None = None  # made on the event loop that serves the requests
        self._waiting = 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._free is None:
            self._free = asyncio.Semaphore(self.slots)
        free = self._free
        if free.locked():
            if self._waiting >= self.max_waiting:
                raise ServiceBusy(
                    f"{self.slots} heavy requests are running and {self._waiting} wait; try again shortly",
                    retry_after=2,
                )
            self._waiting += 1
            try:
                async with asyncio.timeout(self.max_wait):
                    await free.acquire()
            except TimeoutError:
                raise ServiceBusy(
                    f"no slot for a heavy request freed within {self.max_wait:g} s; try again shortly", retry_after=5
                ) from None
            finally:
                self._waiting -= 1
        else:
            await free.acquire()
        try:
            yield
        finally:
            free.release()
