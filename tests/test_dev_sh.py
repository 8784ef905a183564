"""./dev.sh installs once: a later `./dev.sh serve` skips pip unless pyproject.toml or constraints.txt changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Stands in for the virtualenv's python and baomi-kg: each call is written to calls.log, and nothing is installed.
FAKE = """#!/bin/sh
echo "$(basename "$0") $*" >> "$(dirname "$0")/../../calls.log"
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for name in ("dev.sh", "pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / name, tmp_path / name)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "baomi-kg"):
        (bin_dir / name).write_text(FAKE, encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    return tmp_path


def dev_sh(checkout: Path, *args: str, **env: str) -> list[str]:
    """The calls ``./dev.sh ARGS`` makes of the stand-ins, in order."""
    log = checkout / "calls.log"
    log.unlink(missing_ok=True)
    subprocess.run(
        ["./dev.sh", *args],
        cwd=checkout,
        check=True,
        timeout=120,
        env={**os.environ, "PYTHON": sys.executable, **env},
    )
    return log.read_text(encoding="utf-8").splitlines()


def serve(checkout: Path) -> list[str]:
    return dev_sh(checkout, "serve", "--port", "8123")


def _has_seccomp() -> bool:
    """dev.sh serve installs libseccomp first where it is missing (with sudo): not in a test."""
    if not sys.platform.startswith("linux"):
        return True
    found = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    return "libseccomp.so.2 " in found


@pytest.mark.skipif(shutil.which("sha256sum") is None and shutil.which("shasum") is None, reason="no SHA-256 tool")
@pytest.mark.skipif(not _has_seccomp(), reason="dev.sh serve would install libseccomp")
def test_a_second_serve_skips_pip_until_what_it_installs_changes(checkout: Path) -> None:
    first = serve(checkout)
    assert [c.split()[:4] for c in first[:2]] == [["python", "-m", "pip", "install"]] * 2
    assert first[2:] == ["baomi-kg serve --port 8123"]
    assert serve(checkout) == ["baomi-kg serve --port 8123"]
    with (checkout / "constraints.txt").open("a", encoding="utf-8") as handle:
        handle.write("# a new pin\n")
    assert [c.split()[0] for c in serve(checkout)] == ["python", "python", "baomi-kg"]
    assert serve(checkout) == ["baomi-kg serve --port 8123"]


def _tested_parts_installed() -> bool:
    """dev.sh test installs the system packages the tests drive where they are missing (with sudo): not in a test."""
    return all(shutil.which(c) for c in ("dot", "chromium", "virtuoso-t", "javac")) and _has_seccomp()


@pytest.mark.skipif(not _tested_parts_installed(), reason="dev.sh test would install system packages")
def test_the_tests_run_in_two_workers_unless_told(checkout: Path) -> None:
    bin_dir = checkout / ".venv" / "bin"
    for name in ("ruff", "mypy"):
        (bin_dir / name).write_text(FAKE, encoding="utf-8")
        (bin_dir / name).chmod(0o755)

    def pytest_call(**env: str) -> str:
        calls = dev_sh(checkout, "test", "-m", "not slow", **env)
        assert "ruff check ." in calls and "mypy " in calls
        (call,) = [c for c in calls if c.startswith("python -m pytest")]
        return call

    assert pytest_call() == "python -m pytest -n 2 --dist loadfile -m not slow"
    assert pytest_call(TEST_WORKERS="0") == "python -m pytest -n 0 --dist loadfile -m not slow"
