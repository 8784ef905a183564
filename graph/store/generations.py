"""The folder of an on-disk store: generations of Oxigraph stores and the manifest that names the current one.

``oxigraph:PATH`` is a folder laid out as::

    PATH/baomi-kg-store.json       the manifest: the current generation, its load id and quad count
    PATH/generation-<time>-<id>/   one Oxigraph (RocksDB) store per load
    PATH/.baomi-kg-load.lock       held by the load that is running, if any

A load fills a fresh generation beside the current one and switches the manifest (written to a
temporary file, synced, then renamed over the old one) only once the new generation is complete,
verified and on disk.  A load stopped at any moment, even by ``kill -9``, leaves the manifest
naming the previous generation, which readers go on opening as before.  The generation that was
current before the switch is kept one load longer (a running service may still read it); older
ones, and those of loads that never finished, are removed by the next load.

A folder of RocksDB files without a manifest (the layout of earlier versions, or an Oxigraph store
not written by ``baomi-kg load``) is not read; loading into it replaces it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from graph.errors import StoreError

__all__ = ["MANIFEST", "Manifest", "NewGeneration", "current_generation", "read_manifest"]

MANIFEST = "baomi-kg-store.json"
_FORMAT = "baomi-kg on-disk store 1"
_LOCK = ".baomi-kg-load.lock"
_PREFIX = "generation-"
_PART = ".part"
# What RocksDB writes into its folder: the files of an old-layout store.
_ROCKSDB_NAMES = ("CURRENT", "IDENTITY", "LOCK", "LOG")
_ROCKSDB_PREFIXES = ("MANIFEST-", "OPTIONS-", "LOG.old.")
_ROCKSDB_SUFFIXES = (".sst", ".log", ".blob", ".dbtmp")
_HARMLESS = ("lost+found",)  # the root of a mounted file system


@dataclass(frozen=True)
class Manifest:
    generation: str  # a folder name inside PATH
    load_id: str  # the load id quad the generation holds (see graph.directory.snapshot)
    quads: int  # how many quads the generation holds, load id included
    base_iri: str  # the base IRI the graph was loaded with
    previous: str | None = None  # the generation current before this one, kept one load longer
    format: str = _FORMAT


def _load_hint(folder: Path) -> str:
    return f"run `baomi-kg load --store oxigraph:{folder}`"


def _is_rocksdb_file(name: str) -> bool:
    return name in _ROCKSDB_NAMES or name.startswith(_ROCKSDB_PREFIXES) or name.endswith(_ROCKSDB_SUFFIXES)


def _has_old_layout(folder: Path) -> bool:
    """RocksDB files straight in the folder: a store of an earlier layout, or one not written by baomi-kg."""
    try:
        return (folder / "CURRENT").read_bytes().startswith(b"MANIFEST-")
    except OSError:
        return False


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest; None when there is none; :class:`StoreError` when it is there but unreadable."""
    path = folder / MANIFEST
    try:
        raw = json.loads(path.read_bytes())
        if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
            raise ValueError(f"not a manifest of format {_FORMAT!r}")
        manifest = Manifest(**raw)
        if (
            not manifest.generation.startswith(_PREFIX)
            or "/" in manifest.generation
            or not isinstance(manifest.quads, int)
            or not manifest.load_id
        ):
            raise ValueError("its fields do not hold together")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        raise StoreError(f"the manifest {path} cannot be read ({exc}): {_load_hint(folder)} again") from exc
    return manifest


def current_generation(folder: Path) -> tuple[Path, Manifest]:
    """The generation readers open, and the manifest that names it; :class:`StoreError` saying why there is none."""
    if not folder.exists():
        raise StoreError(f"no Oxigraph store at {folder}: load one first with {_load_hint(folder)[4:]}")
    if not folder.is_dir():
        raise StoreError(
            f"{folder} is not a folder: give oxigraph:PATH the folder of a store written by `baomi-kg load`"
        )
    manifest = read_manifest(folder)
    if manifest is None:
        try:
            names = [entry.name for entry in folder.iterdir() if entry.name not in _HARMLESS]
        except OSError as exc:
            raise StoreError(f"cannot read the store folder {folder}: {exc}") from exc
        if not names or names == [_LOCK]:
            raise StoreError(f"no Oxigraph store at {folder}: load one first with {_load_hint(folder)[4:]}")
        if _has_old_layout(folder):
            raise StoreError(
                f"{folder} holds an Oxigraph store without a baomi-kg manifest (an older layout, or a "
                f"store not written by baomi-kg): {_load_hint(folder)} again to replace it"
            )
        if all(name.startswith(_PREFIX) or name == _LOCK or name.endswith(_PART) for name in names):
            raise StoreError(
                f"{folder} holds no finished load (the first load was interrupted): {_load_hint(folder)} again"
            )
        raise StoreError(
            f"{folder} is not a baomi-kg store (no {MANIFEST}): give the folder of a store "
            f"written by `baomi-kg load`, or load one with `baomi-kg load --store oxigraph:PATH`"
        )
    path = folder / manifest.generation
    if not (path / "CURRENT").is_file():
        raise StoreError(
            f"the generation {manifest.generation} named by {folder / MANIFEST} is missing or "
            f"incomplete: {_load_hint(folder)} again"
        )
    return path, manifest


def _sync_tree(path: Path) -> None:
    """Put a generation's files and folder entries on disk before the manifest names it."""
    for entry in path.iterdir():
        try:
            fd = os.open(entry, os.O_RDONLY)
        except (FileNotFoundError, IsADirectoryError):
            continue
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    _sync_dir(path)


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    tmp = folder / (MANIFEST + _PART)
    with tmp.open("wb") as handle:
        handle.write(json.dumps(asdict(manifest), indent=2).encode() + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / MANIFEST)
    _sync_dir(folder)


class NewGeneration:
    """A fresh generation folder being filled by one load, beside the current one.

    Holds the folder's load lock from creation until :meth:`commit` or :meth:`discard`, so two loads
    never run into one folder at once (the lock goes with the process, however it ends).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._lock: int | None = os.open(folder / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot write the store folder {folder}: {exc}") from exc
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._release()
            raise StoreError(f"another `baomi-kg load` is writing into {folder}; wait for it to finish") from exc
        try:
            self._refuse_foreign()
            self.previous = read_manifest(folder)
        except BaseException:
            self._release()
            raise
        self._prune(self._kept())  # generations of interrupted loads, and those more than one load back
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        self.path = folder / f"{_PREFIX}{stamp}-{uuid.uuid4().hex[:8]}"
        self.path.mkdir()
        self.committed = False

    def _refuse_foreign(self) -> None:
        old_layout = _has_old_layout(self.folder)
        for entry in self.folder.iterdir():
            name = entry.name
            if (
                name in (MANIFEST, MANIFEST + _PART, _LOCK, *_HARMLESS)
                or name.startswith(_PREFIX)
                or (old_layout and _is_rocksdb_file(name))
            ):
                continue
            raise StoreError(
                f"{self.folder} holds files that are not part of a baomi-kg store (such as {name}): "
                "give an empty or new folder"
            )

    def _kept(self) -> set[str]:
        if self.previous is None:
            return set()
        return {self.previous.generation} | ({self.previous.previous} if self.previous.previous else set())

    def _prune(self, keep: set[str]) -> None:
        for entry in self.folder.iterdir():
            if entry.name.startswith(_PREFIX) and entry.name not in keep and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)

    def commit(self, load_id: str, quads: int, base_iri: str) -> Manifest:
        """Make this generation (complete, verified and closed by the caller) the one readers open."""
        _sync_tree(self.path)
        manifest = Manifest(
            self.path.name, load_id, quads, base_iri, previous=self.previous.generation if self.previous else None
        )
        _write_manifest(self.folder, manifest)
        self.committed = True
        # Only now may what the new generation replaces go: the one before the previous, and an old layout.
        self._prune({manifest.generation, *([manifest.previous] if manifest.previous else [])})
        if _has_old_layout(self.folder):
            for entry in self.folder.iterdir():
                if entry.is_file() and _is_rocksdb_file(entry.name):
                    entry.unlink(missing_ok=True)
        self._release()
        return manifest

    def discard(self) -> None:
        """Give up a load that failed: its generation goes, the current one stays as it was."""
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock)
            self._lock = None
