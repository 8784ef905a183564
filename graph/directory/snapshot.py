"""Start-up snapshots: the directory, resolver index and search entries of a store, pickled once and reused.

Reading the directory back from a large store (and computing pinyin keys for the resolver and the
search index) takes seconds; a service restart should answer its first lookup at once.  A snapshot is keyed by what
identifies the store's content — the load id that ``baomi-kg load`` writes into the store, or the
prebuilt graph file of the memory store — and by the code that shapes the snapshot, so a
stale one is never used.  Snapshots live in the cache folder and are only ever read by this project.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import pickle  # noqa: S403 - our own cache files, written by this process family only
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.directory.model import Directory
from graph.directory.resolver import _Index
from graph.directory.search import _Entry
from graph.paths import DATA_DIR, module_file
from graph.settings import cache_dir

__all__ = ["Snapshot", "exists", "read", "write"]

log = logging.getLogger("baomi_kg.snapshot")
_CODE = (
    "graph.directory.load",
    "graph.directory.model",
    "graph.directory.resolver",
    "graph.directory.search",
    "graph.sources.romanize",
    "graph.directory.snapshot",
)


@dataclass
class Snapshot:
    directory: Directory
    index: _Index
    graphs: frozenset[str]
    quads: int
    search: list[_Entry]  # the search index's entries (graph.directory.search.index_entries)


def _code_version() -> str:
    digest = hashlib.sha256()
    for name in _CODE:
        digest.update(name.encode())
        digest.update(module_file(name).read_bytes())
    for path in sorted(DATA_DIR.glob("*.csv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _path(key: str) -> Path:
    safe = hashlib.sha256(key.encode()).hexdigest()[:24]
    return cache_dir() / f"snapshot-{_code_version()}-{safe}.pickle"


def exists(key: str) -> bool:
    """Whether a snapshot for ``key`` is in the cache (written by this version of the code)."""
    return _path(key).is_file()


def read(key: str) -> Snapshot | None:
    path = _path(key)
    try:
        with path.open("rb") as handle, _gc_paused():
            snap = pickle.load(handle)  # noqa: S301 - see the module docstring
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError) as exc:
        log.warning("ignoring unreadable snapshot %s: %s", path, exc)
        return None
    return snap if isinstance(snap, Snapshot) else None


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Unpickling a million small objects triggers the cyclic collector over and over; none of them is garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write(key: str, snap: Snapshot) -> None:
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(snap, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        log.warning("could not write snapshot %s: %s", path, exc)
