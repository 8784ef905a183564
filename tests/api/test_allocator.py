"""`baomi-kg load` runs itself again with mimalloc preloaded (see api/cli/allocator.py): the same store
either way, the choice in the setting honoured, nothing leaking to the processes it starts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import allocator
from api.cli.main import main
from graph.errors import InvalidRequest
from graph.settings import ALLOCATOR_RERUN

pytestmark = pytest.mark.slow  # loads the whole graph into on-disk stores


def load(store: Path, **env: str) -> tuple[str, int]:
    clean = {k: v for k, v in os.environ.items() if k not in ("BAOMI_KG_ALLOCATOR", "LD_PRELOAD")}
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "load", "--store", f"oxigraph:{store}"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**clean, **env},
    )
    assert proc.returncode == 0, proc.stderr
    found = re.search(r"holds (\d+) quads \([\d,]+ quads/s, (\w+) allocator\)", proc.stdout)
    assert found, proc.stdout
    return found.group(2), int(found.group(1))


@pytest.mark.skipif(sys.platform != "linux", reason="mimalloc is preloaded on Linux only")
def test_load_preloads_mimalloc_and_fills_the_same_store(tmp_path: Path) -> None:
    assert allocator.mimalloc_library() is not None, "cmeel-mimalloc is a dependency on Linux"
    fast, fast_count = load(tmp_path / "fast")
    plain, plain_count = load(tmp_path / "plain", BAOMI_KG_ALLOCATOR="system")
    assert (fast, plain) == ("mimalloc", "system")
    assert fast_count == plain_count > 100_000


def test_called_from_python_the_load_never_reruns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_exec(*args: object) -> None:
        raise AssertionError("the calling process was replaced")

    monkeypatch.setattr(os, "execve", no_exec)
    assert main(["load", "--store", f"oxigraph:{tmp_path / 'store'}"]) == 0
    assert f"quads/s, {allocator.in_use()} allocator)" in capsys.readouterr().out


def test_required_mimalloc_that_is_missing_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator, "mimalloc_library", lambda: None)
    with pytest.raises(InvalidRequest, match="cmeel-mimalloc"):
        allocator.rerun_with_mimalloc("mimalloc")
    allocator.rerun_with_mimalloc("auto")  # auto goes on with the system allocator


def test_the_second_run_gives_its_children_the_callers_preload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOCATOR_RERUN, "/opt/callers.so")
    monkeypatch.setenv("LD_PRELOAD", "/lib/libmimalloc.so:/opt/callers.so")
    allocator.rerun_with_mimalloc("auto")
    assert os.environ["LD_PRELOAD"] == "/opt/callers.so"
    assert ALLOCATOR_RERUN not in os.environ

    monkeypatch.setenv(ALLOCATOR_RERUN, "")
    monkeypatch.setenv("LD_PRELOAD", "/lib/libmimalloc.so")
    allocator.rerun_with_mimalloc("auto")
    assert "LD_PRELOAD" not in os.environ


def test_a_second_run_without_mimalloc_in_place_fails_when_it_was_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOCATOR_RERUN, "")
    monkeypatch.setattr(allocator, "in_use", lambda: "system")
    with pytest.raises(InvalidRequest, match="could not be preloaded"):
        allocator.rerun_with_mimalloc("mimalloc")
