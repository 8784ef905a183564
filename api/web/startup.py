"""The service's start: lookups are answered from the start-up snapshot while the memory store is still filling.

``serve`` fills the memory store in a thread while it imports the web stack
(:meth:`graph.store.backend.EmbeddedBackend.preload`).  A jurisdiction lookup needs only the directory and the
resolver, which come from the start-up snapshot, so the service answers lookups as soon as the snapshot is read.
Once the store is full, the SPARQL and heavy workers are forked (they share the store copy-on-write) and the
service is ready.  Until then :class:`StartupGate` holds every other request, so that no route meets a store
being filled or workers not yet started, and ``/readyz`` answers 503 ``starting``.  When the store is full from
the outset (any other store, ``--workers N``, the tests' in-process app) the workers start in the lifespan, before
the first request, as they always did.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from starlette.types import ASGIApp, Receive, Scope, Send

from api.web import heavy
from api.web.paths import HEALTHZ, JURISDICTION, READYZ
from api.web.state import ServiceState

__all__ = ["EARLY_PATHS", "StartupGate", "finish", "finish_when_filled", "stop", "stop_serving"]

log = logging.getLogger("baomi_kg.api")

EARLY_PATHS = frozenset({JURISDICTION, HEALTHZ, READYZ})  # answered before the store is full
_POLL = 0.01  # seconds between two looks at the filling store


class StartupGate:
    """Holds each request but those of :data:`EARLY_PATHS` until the service has started."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in EARLY_PATHS:
            state: ServiceState | None = getattr(scope["app"].state, "service", None)
            if state is not None and not state.started.is_set():
                await state.started.wait()
        await self.app(scope, receive, send)


def finish(state: ServiceState) -> None:
    """Fork the SPARQL and heavy workers (the store must be full) and mark the service ready."""
    kg = state.kg
    confinement = kg.start_workers()
    state.heavy_pool = heavy.start(kg, state.settings)  # they share the directory already read
    state.metrics.triples.set(kg.quads)
    state.ready = True
    state.started.set()
    log.info(
        "serving %s (%s); SPARQL workers confined by %s",
        state.settings.store,
        state.settings.base_iri,
        confinement.describe(),
    )


async def finish_when_filled(state: ServiceState) -> None:
    """:func:`finish` once the store is full, while lookups are answered.  If the store cannot be filled or the
    workers cannot start, the service stops (as a start that fails in the lifespan does) and says why."""
    try:
        while not state.kg.store_filled:
            await asyncio.sleep(_POLL)
        finish(state)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        state.start_error = exc
        log.error("the service could not start: %s", exc)
        state.started.set()  # the requests held at the gate go on, and meet the error
        stop_serving()


def stop_serving() -> None:
    """Have uvicorn shut this process down, as on Ctrl-C (``serve`` then exits with the error: api.web.server)."""
    os.kill(os.getpid(), signal.SIGTERM)


def stop(state: ServiceState) -> None:
    """Stop the workers (those started) and close the graph."""
    state.ready = False
    pool = getattr(state, "heavy_pool", None)
    if pool is not None:
        pool.close()
    state.kg.close()
