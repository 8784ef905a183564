"""Every setting, read from environment variables prefixed ``BAOMI_KG_`` (and from the CLI's options).

Credentials for an external store come only from the environment
(``BAOMI_KG_STORE_USER`` / ``BAOMI_KG_STORE_PASSWORD``), never from the command line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.namespaces import DEFAULT_BASE

__all__ = [
    "ALLOCATOR_RERUN",
    "ENV_PREFIX",
    "Settings",
    "cache_dir",
    "data_dir",
    "debug",
    "end_preload_rerun",
    "hand_to_workers",
    "preload_rerun_environment",
    "quiet_rust_backtraces",
    "supervisor_pid",
]

ENV_PREFIX = "BAOMI_KG_"


def cache_dir() -> Path:
    """The folder of the built graph and the start-up snapshots: ``BAOMI_KG_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/baomi-kg``, else ``~/.cache/baomi-kg``."""
    configured = os.environ.get(ENV_PREFIX + "CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "baomi-kg"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    host: str = Field("127.0.0.1", description="Interface the service binds to")
    port: int = Field(8000, ge=0, le=65535, description="Port the service listens on")
    base_iri: str = Field(DEFAULT_BASE, description="Base IRI of the ontology and of every minted IRI")
    public_url: str = Field("", description="External URL of the service, if it differs from http://host:port")
    store: str = Field("memory", description="memory, oxigraph:PATH or sparql:QUERY_URL")
    data_file: str = Field(
        "", description="N-Quads file the memory store loads instead of the bundled graph (e.g. from `baomi-kg synth`)"
    )
    update_url: str = Field("", description="SPARQL update endpoint of an external store")
    gsp_url: str = Field("", description="Graph Store Protocol endpoint of an external store")
    store_user: str = Field("", description="User for an external store (environment only)")
    store_auth: Literal["basic", "digest"] = Field("basic", description="HTTP authentication for an external store")
    store_password: SecretStr = Field(SecretStr(""), description="Password for an external store (environment only)")
    query_timeout: float = Field(10.0, gt=0, description="Seconds a SPARQL query may run before it is stopped")
    query_workers: int = Field(2, ge=1, le=64, description="Worker processes that run SPARQL queries")
    query_memory_mb: int = Field(
        2048,
        ge=64,
        description="Memory (MiB) each SPARQL worker may allocate beyond "
        "the store it shares with the server; a query that needs more is stopped",
    )
    query_sandbox: Literal["on", "off"] = Field(
        "on",
        description="Confine SPARQL workers (seccomp: no sockets, no exec; a network namespace where the "
        "kernel allows one). `off` only where the platform has no seccomp: queries can then reach the network",
    )
    query_check: bool = Field(
        True,
        description="Refuse SERVICE, updates and foreign graphs before a query runs "
        "(off only to test that the sandbox alone stops them)",
    )
    max_query_bytes: int = Field(512_000, ge=1024, description="Longest SPARQL query text (UTF-8 bytes): 413")
    max_query_depth: int = Field(64, ge=4, le=1000, description="Deepest nesting of brackets in a query: 400")
    max_query_groups: int = Field(2000, ge=10, description="Most group graph patterns ({ … }) in a query: 400")
    heavy_slots: int = Field(
        2, ge=1, le=64, description="Heavy requests (exports, search, Linked Data, lists) that run at once"
    )
    max_waiting_heavy: int = Field(32, ge=0, description="Heavy requests that may wait for a slot; more get a 503")
    max_wait_heavy: float = Field(30.0, gt=0, description="Seconds a heavy request may wait for a slot: 503")
    heavy_timeout: float = Field(120.0, gt=0, description="Seconds an export or search may run before it is stopped")
    heavy_memory_mb: int = Field(
        2048,
        ge=64,
        description="Memory (MiB) each export/search worker may allocate beyond what it shares with the server",
    )
    max_waiting_queries: int = Field(
        64, ge=0, description="Queries that may wait for a busy worker; more get a 503 with Retry-After"
    )
    max_request_bytes: int = Field(1_000_000, ge=1024, description="Largest accepted request body")
    max_result_bytes: int = Field(64_000_000, ge=1024, description="Largest SPARQL result sent back")
    max_page_size: int = Field(1000, ge=1, description="Largest page of a REST list")
    cors_origins: list[str] = Field(
        default_factory=lambda: ["*"],
        description="Origins whose pages may read the "
        "answers (JSON list; default every origin, without credentials; [] for none)",
    )
    workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes")
    access_log: bool = Field(
        True, description="Log every request: client, method, path, status and time, never its query string or body"
    )
    allocator: Literal["auto", "mimalloc", "system"] = Field(
        "auto",
        description="Memory allocator of `baomi-kg load`: mimalloc where installed (auto), mimalloc or the "
        "C library's (system)",
    )
    header_timeout: float = Field(
        10.0,
        gt=0,
        description="Seconds a client may take to send a request's line and headers before its connection is closed",
    )


# -- the environment beyond the settings --------------------------------------------------------------------------
# What the project reads from the environment, or hands on through it to the processes it starts, besides the
# settings above: every other module asks here.
ALLOCATOR_RERUN = ENV_PREFIX + "ALLOCATOR_RERUN"  # set for a command run again with an allocator preloaded
_SUPERVISOR_PID = ENV_PREFIX + "SUPERVISOR_PID"


def data_dir(default: Path) -> Path:
    """The folder of the source data: ``BAOMI_KG_DATA_DIR`` (a build over other inputs, e.g. corrected or test
    ones), else ``default``."""
    return Path(os.environ.get(ENV_PREFIX + "DATA_DIR") or default)


def debug() -> bool:
    """Whether ``BAOMI_KG_DEBUG`` asks the command to show an unexpected error's traceback."""
    return bool(os.environ.get(ENV_PREFIX + "DEBUG"))


def hand_to_workers(values: dict[str, object], supervisor: int) -> None:
    """Put settings (by field name) into the environment for the uvicorn worker processes of ``serve --workers N``,
    which read their settings from it, with the process id of the ``serve`` that supervises them."""
    for name, value in values.items():
        os.environ[ENV_PREFIX + name.upper()] = str(value)
    os.environ[_SUPERVISOR_PID] = str(supervisor)


def supervisor_pid() -> int | None:
    """In a uvicorn worker of ``serve --workers N``: the process id of the ``serve`` it must die with."""
    found = os.environ.get(_SUPERVISOR_PID, "")
    return int(found) if found.isdigit() else None


def quiet_rust_backtraces() -> None:
    """Have the Rust runtime print a panic's cause without a backtrace (``RUST_BACKTRACE=0``): a worker's last
    words are read for the cause of its death, which is in the first line."""
    os.environ["RUST_BACKTRACE"] = "0"


def preload_rerun_environment(library: Path) -> dict[str, str]:
    """The environment of this command run again with ``library`` preloaded (``LD_PRELOAD``) before the caller's
    own preload, which :data:`ALLOCATOR_RERUN` keeps for :func:`end_preload_rerun`."""
    env = dict(os.environ)
    env[ALLOCATOR_RERUN] = env.get("LD_PRELOAD", "")
    env["LD_PRELOAD"] = ":".join(filter(None, [str(library), env[ALLOCATOR_RERUN]]))
    return env


def end_preload_rerun() -> bool:
    """In a command run again by :func:`preload_rerun_environment`: give the processes it starts the caller's
    preload back, and say so (True); False in a first run."""
    earlier = os.environ.pop(ALLOCATOR_RERUN, None)
    if earlier is None:
        return False
    if earlier:
        os.environ["LD_PRELOAD"] = earlier
    else:
        os.environ.pop("LD_PRELOAD", None)
    return True
