"""Heavy requests (exports, search) answered by worker processes, so that they never hold the event loop.

An export of the whole graph or a one-letter search keeps the interpreter busy for seconds; in a thread
it would take the interpreter lock from the event loop over and over, and every other request would
wait.  Instead they run in a few worker processes forked from the service once the graph is open
(:class:`graph.sparql.workers.WorkerPool`: the directory is shared copy-on-write, each worker's memory is
bounded, and it dies with the service).  At most ``BAOMI_KG_HEAVY_SLOTS`` run at once; a bounded
number wait, and past that a request gets a 503 with ``Retry-After``.

A job is a module-level function of this module and its arguments; it returns a small JSON head and
the body bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any, cast

from graph.directory.search import search
from graph.export.scope import Scope
from graph.kg import KnowledgeGraph
from graph.settings import Settings
from graph.sparql.workers import Handler, WorkerLimits, WorkerPool

__all__ = ["Job", "export_job", "run", "search_job", "start"]

Head = dict[str, Any]
Job = Callable[..., tuple[Head, bytes]]


def export_job(
    kg: KnowledgeGraph, fmt: str, scope: Scope, as_of: date | None, max_picture_nodes: int, timeout: float
) -> tuple[Head, bytes]:
    # Imported by a worker's first export, not by the service's start (the writers bring networkx: 0.1 s).
    from graph.export.formats import export

    result = export(kg, fmt, scope, as_of=as_of, max_picture_nodes=max_picture_nodes, timeout=timeout)
    return {
        "media_type": result.media_type,
        "filename": result.filename,
        "nodes": result.nodes,
        "edges": result.edges,
    }, result.body


def search_job(kg: KnowledgeGraph, text: str, limit: int) -> tuple[Head, bytes]:
    return {}, search(kg.directory, text, limit).model_dump_json().encode()


def start(kg: KnowledgeGraph, settings: Settings) -> WorkerPool:
    """Fork the heavy workers (after the directory is read, so that they share it)."""
    kg.search_index  # noqa: B018 - read from the snapshot here and shared, not built once per worker

    def setup() -> Handler:
        own = kg.for_worker()

        def handle(job: object) -> bytes:
            fn, args = cast("tuple[Job, tuple[Any, ...]]", job)  # a (function, arguments) pair from this module
            head, body = fn(own, *args)
            return json.dumps(head).encode() + b"\n" + body

        return handle

    # No seccomp here: pictures run Graphviz, and an external store is reached over the network. These
    # workers run only this module's own code on checked parameters, never a user's query.
    limits = WorkerLimits(
        size=settings.heavy_slots,
        memory_budget=settings.heavy_memory_mb << 20,
        sandbox=False,
        max_waiting=settings.max_waiting_heavy,
        what="request",
    )
    pool = WorkerPool(setup, limits)
    pool.start()
    return pool


async def run(pool: WorkerPool, timeout: float, fn: Job, *args: Any) -> tuple[Head, bytes]:
    payload = await pool.run((fn, args), timeout)
    head, _, body = payload.partition(b"\n")
    return json.loads(head), body
