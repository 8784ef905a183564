"""Operations: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import os

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.web.deps import StateDep
from api.web.paths import HEALTHZ, METRICS, READYZ

router = APIRouter(tags=["operations"])


@router.get(HEALTHZ)
async def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get(READYZ, responses={503: {"description": "Not ready yet"}})
def readyz(state: StateDep) -> JSONResponse:
    """Readiness: the graph is loaded and the store answers."""
    if not state.ready:
        return JSONResponse({"status": "starting"}, status_code=503)
    store_ok = state.kg.backend.ask("ASK { ?s ?p ?o }")
    body = {
        "status": "ok" if store_ok else "empty",
        "store": str(state.kg.backend.spec),
        "committees": len(state.kg.directory.committees),
        "pid": os.getpid(),
    }
    return JSONResponse(body, status_code=200 if store_ok else 503)


@router.get(METRICS, response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
def metrics(state: StateDep) -> Response:
    """Prometheus metrics of this process."""
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
