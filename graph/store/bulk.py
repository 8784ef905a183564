"""Bulk loading of an embedded Oxigraph store: N-Quads in parallel, and the memory the loaders leave behind.

This module holds the machinery under :meth:`graph.store.backend.EmbeddedBackend.load`: a reader of one byte
range of a file (:class:`_Range`, read with pread so that several loaders share one descriptor),
:func:`parallel_bulk_load`, which splits an N-Quads file at line ends and runs one Oxigraph bulk loader per
range in threads (for an on-disk store), and :func:`return_free_memory`, which hands the heap the loaders
freed back to the system.  The backend's interface stays in :mod:`graph.store.backend`.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import threading
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat, Store

from graph.errors import StoreError

__all__ = ["parallel_bulk_load", "return_free_memory"]


class _Range(io.RawIOBase):
    """One byte range of a file, read with pread (so that several readers share one descriptor)."""

    def __init__(self, fd: int, start: int, end: int) -> None:
        self.fd, self.pos, self.end = fd, start, end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self.end - self.pos)
        if size <= 0:
            return 0
        data = os.pread(self.fd, size, self.pos)
        buffer[: len(data)] = data
        self.pos += len(data)
        return len(data)


def parallel_bulk_load(store: Store, nquads: Path, parts: int | None = None) -> None:
    """Bulk-load an N-Quads file with one loader per core, each on its own range of whole lines.

    One Oxigraph bulk loader keeps about one core busy; N-Quads lines stand alone, so the file splits
    cleanly. ``lenient`` skips re-validating IRIs that the serializer that wrote the file already checked.
    """
    size = nquads.stat().st_size
    if parts is None:
        parts = max(1, min(os.cpu_count() or 1, size // (32 << 20) + 1))
    fd = os.open(nquads, os.O_RDONLY)
    try:
        cuts = [0]
        for i in range(1, parts):
            offset = max(size * i // parts, cuts[-1])
            newline = os.pread(fd, 1 << 20, offset).find(b"\n")
            cuts.append(size if newline < 0 else offset + newline + 1)
        cuts.append(size)
        errors: list[BaseException] = []

        def load(start: int, end: int) -> None:
            try:
                reader = io.BufferedReader(_Range(fd, start, end), 1 << 20)
                store.bulk_load(input=reader, format=RdfFormat.N_QUADS, lenient=True)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller below
                errors.append(exc)

        threads = [
            threading.Thread(target=load, args=(cuts[i], cuts[i + 1])) for i in range(parts) if cuts[i] < cuts[i + 1]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise StoreError(f"loading {nquads.name} failed: {errors[0]}") from errors[0]
    finally:
        os.close(fd)


def return_free_memory() -> None:
    """Hand the heap that the bulk loaders freed back to the system (allocators keep it per thread otherwise)."""
    with contextlib.suppress(OSError, AttributeError, TypeError):
        process = ctypes.CDLL(None)
        collect = getattr(process, "mi_collect", None)  # mimalloc, when a bulk load runs with it
        if collect is not None:
            collect(True)
        else:
            process.malloc_trim(0)  # the GNU C library's
