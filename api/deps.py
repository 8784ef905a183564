"""Dependencies handed to route handlers: the service state, the graph, the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.directory import Directory
from graph.kg import KnowledgeGraph
from graph.settings import Settings

from .state import ServiceState

__all__ = ["DirectoryDep", "KGDep", "SettingsDep", "StateDep"]


def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def get_kg(request: Request) -> KnowledgeGraph:
    return get_state(request).kg


def get_directory(request: Request) -> Directory:
    return get_state(request).kg.directory


def get_settings(request: Request) -> Settings:
    return get_state(request).settings


StateDep = Annotated[ServiceState, Depends(get_state)]
KGDep = Annotated[KnowledgeGraph, Depends(get_kg)]
DirectoryDep = Annotated[Directory, Depends(get_directory)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
