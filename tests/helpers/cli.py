"""The ``baomi-kg`` command as the tests run it: a fresh Python process of this virtualenv."""

from __future__ import annotations

import os
import subprocess
import sys

CLI = [sys.executable, "-m", "api.cli"]


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``baomi-kg ARGS`` run to its end, with ``env`` over this process's environment; its output captured."""
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=timeout
    )
