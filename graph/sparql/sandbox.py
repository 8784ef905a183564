"""Confinement of a process that runs untrusted work: no network, bounded memory, dies with its parent.

The query workers (:mod:`graph.sparql.workers`) call :func:`confine` right after they are forked, before they
read any request.  Each layer holds on its own, so a query that slips past the query checker
(:mod:`graph.sparql.reader`) still cannot do harm:

* **no network** – a seccomp filter (libseccomp, through ``pyseccomp``) makes ``socket``, ``connect``,
  ``bind``, ``listen``, ``accept``, ``execve`` and io_uring fail; where the kernel allows it (root, or
  unprivileged user namespaces) the worker also moves into a network namespace of its own, which has
  no interface but a loopback that is down;
* **bounded memory** – ``RLIMIT_AS`` caps the address space at what the worker shares with the server
  at fork time plus a budget; an allocation past it fails and the worker dies, reported as a memory
  limit (see :func:`exit_cause`);
* **no leftovers** – the kernel kills the worker when its parent dies (``PR_SET_PDEATHSIG``), and every
  descriptor it inherited (listening sockets, pipes to other workers) is closed but the ones it needs.

Linux only: :func:`available` says what this machine offers, and the service refuses to run untrusted
queries without the sandbox unless told otherwise (``BAOMI_KG_QUERY_SANDBOX=off``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import resource
import signal
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph.errors import SandboxUnavailable

__all__ = ["Confinement", "available", "confine", "die_with_parent", "exit_cause"]

_PR_SET_PDEATHSIG = 1
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000

# Refused with EACCES: every way to reach another host or run another program.
_DENIED = ("socket", "connect", "bind", "listen", "accept", "accept4", "execve", "execveat")
# io_uring can open and connect sockets without the system calls above.
_ABSENT = ("io_uring_setup", "io_uring_enter", "io_uring_register")


@dataclass(frozen=True)
class Confinement:
    """What a confined process got (reported back to the server, which logs it once)."""

    seccomp: bool
    network_namespace: bool
    memory_limit: int  # bytes of address space allowed beyond what the worker shared at fork; 0 = none

    def describe(self) -> str:
        parts = []
        if self.seccomp:
            parts.append("seccomp (no sockets, no exec)")
        if self.network_namespace:
            parts.append("an empty network namespace")
        if self.memory_limit:
            parts.append(f"{self.memory_limit >> 20} MiB of memory each")
        return ", ".join(parts) or "no confinement"


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def _seccomp_module() -> Any:
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(f"the query sandbox needs Linux (this is {sys.platform})")
    try:
        import pyseccomp
    except (ImportError, RuntimeError, OSError) as exc:
        raise SandboxUnavailable(f"the query sandbox needs libseccomp ({exc})") from exc
    return pyseccomp


def available() -> None:
    """Raise :class:`SandboxUnavailable` when this machine cannot confine a worker."""
    _seccomp_module()


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` (the process that forked or spawned it) ends."""
    if _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(0)


def _close_inherited(keep: Iterable[int]) -> None:
    low = 3
    for fd in sorted({fd for fd in keep if fd >= 3}):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, resource.getrlimit(resource.RLIMIT_NOFILE)[0])


def _own_network_namespace() -> bool:
    libc = _libc()
    if libc.unshare(_CLONE_NEWNET) == 0:
        return True
    # Without CAP_SYS_ADMIN, a new user namespace grants it inside (where the kernel allows that).
    return bool(libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0)


def _address_space() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _limit_memory(budget: int) -> int:
    """Cap the address space at its size now plus ``budget``; the budget applied (0 where it cannot be read)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    size = _address_space()
    if budget <= 0 or size == 0:
        return 0
    resource.setrlimit(resource.RLIMIT_AS, (size + budget, size + budget))
    return budget


def _install_filter() -> None:
    seccomp = _seccomp_module()
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in _DENIED:
        rules.add_rule(seccomp.ERRNO(errno.EACCES), name)
    for name in _ABSENT:
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), name)
    rules.load()  # also sets no_new_privs: the filter cannot be lifted, and children inherit it


def confine(*, parent: int, keep_fds: Iterable[int], memory_budget: int, sandbox: bool) -> Confinement:
    """Confine the calling process (a freshly forked worker); raise if a required layer cannot be had."""
    if sys.platform.startswith("linux"):
        die_with_parent(parent)
    _close_inherited(keep_fds)
    if not sandbox:
        return Confinement(False, False, _limit_memory(memory_budget))
    namespace = _own_network_namespace()
    budget = _limit_memory(memory_budget)
    _install_filter()
    return Confinement(True, namespace, budget)


# Messages the Rust runtime prints before aborting, and what they mean for the client.
_CAUSES = (
    (b"memory allocation of", "memory"),
    (b"MemoryError", "memory"),
    (b"has overflowed its stack", "stack"),
)


def exit_cause(status: int, stderr: bytes) -> str:
    """Why a worker died: ``memory`` (over its bound), ``stack`` (too deep), ``killed`` or ``crash``."""
    for marker, cause in _CAUSES:
        if marker in stderr:
            return cause
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        return "killed"
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSEGV:
        return "stack"  # Oxigraph's recursive parser and evaluator overflow the stack on deep input
    return "crash"
