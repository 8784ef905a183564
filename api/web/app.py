"""The FastAPI application: a thin skin over :mod:`graph`.

The graph is opened once in the lifespan (from the prebuilt cache or the configured store), the
SPARQL workers are forked (at once, or once ``serve`` has filled the memory store: see
:mod:`api.web.startup`), and routers are mounted.  Every error leaves as problem+json.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.web import openapi, problems, startup
from api.web.middleware import RequestGuard, log_access_to_stderr
from api.web.paths import EXPORT, ID, JURISDICTION, ONTOLOGY, SPARQL, VIZ
from api.web.routes import (
    authority,
    catalog,
    changes,
    docs,
    export,
    home,
    jurisdiction,
    linked_data,
    ops,
    problem_types,
    sparql,
    stats,
)
from api.web.state import Metrics, ServiceState
from graph.kg import KnowledgeGraph
from graph.settings import Settings, supervisor_pid
from graph.sources.lineage import former_divisions
from graph.sparql.sandbox import die_with_parent

__all__ = ["create_app"]

log = logging.getLogger("baomi_kg.api")

DESCRIPTION = f"""\
The reference knowledge graph of China's Party confidentiality (保密) committee system: the Central
Confidentiality Committee and the committees of every provincial, municipal and county Party committee,
their offices and Party committees, departmental committees, and the guidance, supervision and
reporting links between them, each traceable to a passage of the source text.

* **SPARQL 1.1** at `{SPARQL}` (read-only, no outbound requests, with a timeout);
* **jurisdiction** at `{JURISDICTION}`: which committee and office are competent for a place,
  a unit or a leak case, and the chain up to the centre;
* **Linked Data**: every IRI under `{ID}` dereferences here; the ontology is at `{ONTOLOGY}`;
* **exports** at `{EXPORT}` (GraphML, GEXF, Cytoscape.js, D3, DOT, Mermaid, RDF, SVG, PNG)
  and an offline interactive **viewer** at `{VIZ}`.

Errors are RFC 9457 `application/problem+json`.
"""


def _tie_to_supervisor() -> None:
    """A uvicorn worker started by ``serve --workers N`` dies with its supervisor, even one killed with -9: it
    would otherwise keep the listening socket, and a restart would fail with 'Address already in use'."""
    supervisor = supervisor_pid()
    if supervisor is not None and supervisor != os.getpid() and sys.platform.startswith("linux"):
        die_with_parent(supervisor)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    _tie_to_supervisor()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = ServiceState(settings, KnowledgeGraph.open(settings), metrics)
        finishing: asyncio.Task[None] | None = None
        try:
            state.kg.resolver  # noqa: B018 - the directory and resolver (start-up snapshot): all a lookup needs
            former_divisions()  # what became of former divisions, for a lookup of an old name (half a second, once)
            gc.freeze()  # the directory lives as long as the process: keep the collector from rescanning it
            if state.kg.store_filled:
                startup.finish(state)  # fork the workers before the first request
            else:  # serve is filling the memory store: lookups are answered meanwhile (see api.web.startup)
                finishing = asyncio.create_task(startup.finish_when_filled(state))
        except BaseException:
            # uvicorn then exits with "Application startup failed"; workers left running would keep it waiting.
            startup.stop(state)
            raise
        app.state.service = state
        try:
            yield
        finally:
            if finishing is not None and not finishing.done():
                finishing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await finishing
            startup.stop(state)

    metrics = Metrics()
    app = FastAPI(
        title="baomi-kg",
        version="0.1.0",
        summary="Knowledge graph of China's Party confidentiality committee system",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,  # served from the package by api.web.routes.docs
        redirect_slashes=False,  # its redirect would name the host of the Host header (see api.web.urls)
        openapi_tags=[
            {"name": "jurisdiction", "description": "Which committee is competent, and its chain to the centre"},
            {
                "name": "classification authority",
                "description": "定密权限: whether an organ may classify a matter at a level, and where it goes if not",
            },
            {"name": "committees", "description": "Committees, their subordinates and chains"},
            {"name": "regions", "description": "Administrative regions"},
            {"name": "content", "description": "Duties and main tasks from the source text"},
            {"name": "search", "description": "Search committees, regions and units in Chinese, pinyin and English"},
            {"name": "sparql", "description": "SPARQL 1.1 Protocol"},
            {"name": "linked data", "description": "Dereferenceable IRIs, ontology and VoID"},
            {
                "name": "export",
                "description": "The graph or a scoped part of it for Gephi, Cytoscape, yEd, Graphviz, D3 and RDF tools",
            },
            {"name": "viewer", "description": "The offline interactive viewer"},
            {"name": "operations", "description": "Health, readiness and metrics"},
        ],
    )
    problems.install(app)
    openapi.install(app)
    # Routes are matched in order: the busiest first (no two modules share a path).
    for module in (
        jurisdiction,
        sparql,
        ops,
        home,
        catalog,
        authority,
        export,
        stats,
        changes,
        linked_data,
        docs,
        problem_types,
    ):
        app.include_router(module.router)
    app.add_middleware(startup.StartupGate)  # innermost: CORS preflights and the request guard come first
    if settings.cors_origins:
        # Everything here is a public read: any page may read the answers, but no cookie or credential is used.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=False,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["*"],
            expose_headers=[
                "Content-Disposition",
                "Content-Location",
                "Retry-After",
                "X-Graph-Nodes",
                "X-Graph-Edges",
                "Link",
            ],
            max_age=600,
        )
    if settings.access_log:
        log_access_to_stderr()
    app.add_middleware(
        RequestGuard, limit=settings.max_request_bytes, metrics=metrics, log_requests=settings.access_log
    )
    return app
