"""Dependencies handed to route handlers: the service state, the graph, the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request, Response
from pydantic import BaseModel

from api.web.params import service
from api.web.state import ServiceState
from graph.directory.model import Directory
from graph.kg import KnowledgeGraph
from graph.settings import Settings

__all__ = ["HEAVY", "DirectoryDep", "KGDep", "SettingsDep", "StateDep", "model_response"]


def model_response(model: BaseModel, status_code: int = 200) -> Response:
    """A JSON response straight from an answer model the domain already validated (no second validation)."""
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


# Async on purpose: these do no I/O, and a sync dependency would cost a trip through the thread pool.
async def get_state(request: Request) -> ServiceState:
    return service(request)


async def get_kg(request: Request) -> KnowledgeGraph:
    return service(request).kg


async def get_directory(request: Request) -> Directory:
    return service(request).kg.directory


async def get_settings(request: Request) -> Settings:
    return service(request).settings


async def heavy_slot(request: Request) -> AsyncIterator[None]:
    """Hold one of the few slots of the heavy routes while the handler runs (see :mod:`api.web.gate`)."""
    async with service(request).heavy.slot():
        yield


HEAVY = Depends(heavy_slot)
StateDep = Annotated[ServiceState, Depends(get_state)]
KGDep = Annotated[KnowledgeGraph, Depends(get_kg)]
DirectoryDep = Annotated[Directory, Depends(get_directory)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
