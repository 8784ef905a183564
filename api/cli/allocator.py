"""The memory allocator of a bulk load.

Oxigraph's bulk loader makes and frees millions of small buffers per batch (one per index key);
with the C library's allocator that bookkeeping takes about a third of the load's CPU time.
`mimalloc <https://github.com/microsoft/mimalloc>`_ (the ``cmeel-mimalloc`` wheel) does the same
work in a fraction of it, and on large pages its sorts miss the TLB less; but an allocator has to
be in place before the process starts.  So a command that bulk-loads runs itself again, once, with
mimalloc preloaded.

The setting ``allocator`` (``BAOMI_KG_ALLOCATOR``) picks: ``auto`` (mimalloc where installed, the
default), ``mimalloc`` (required: an error if it is missing) or ``system`` (never preload).
"""

from __future__ import annotations

import ctypes
import os
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from graph.errors import InvalidRequest
from graph.settings import end_preload_rerun, preload_rerun_environment

__all__ = ["in_use", "mimalloc_library", "rerun_with_mimalloc"]


def mimalloc_library() -> Path | None:
    """The installed mimalloc shared library, if any."""
    try:
        files = distribution("cmeel-mimalloc").files or []
    except PackageNotFoundError:
        return None
    for file in files:
        if file.name == "libmimalloc.so":
            path = Path(str(file.locate()))
            return path if path.is_file() else None
    return None


def in_use() -> str:
    """``mimalloc`` when it serves this process's allocations, else ``system``."""
    try:
        ctypes.CDLL(None).mi_version  # noqa: B018 - only mimalloc defines it
    except (AttributeError, OSError, TypeError):  # not defined, or no process handle (Windows)
        return "system"
    return "mimalloc"


def rerun_with_mimalloc(choice: str) -> None:
    """Replace this process by the same command with mimalloc preloaded, when ``choice`` asks for it.

    Returns (and the command goes on as it is) when mimalloc is already in place, when it was
    tried once already, when ``choice`` is ``system``, or under ``auto`` when it is not installed.
    """
    if end_preload_rerun():  # the second run: never a third
        if choice == "mimalloc" and in_use() != "mimalloc":
            raise InvalidRequest("allocator mimalloc: the library could not be preloaded")
        return
    if choice == "system" or in_use() == "mimalloc":
        return
    library = mimalloc_library() if sys.platform == "linux" else None
    if library is None:
        if choice == "mimalloc":
            raise InvalidRequest(
                "allocator mimalloc: install the cmeel-mimalloc package (Linux only), or set BAOMI_KG_ALLOCATOR=system"
            )
        return
    env = preload_rerun_environment(library)
    # 2 MiB pages where the system offers them: the loader's sorts jump around big arrays of keys.
    env.setdefault("MIMALLOC_ALLOW_LARGE_OS_PAGES", "1")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)  # noqa: S606 - the same command again
