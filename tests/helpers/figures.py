"""Measured figures (latency percentiles, status histograms) printed when measured and again at the end of the run,
by the ``pytest_terminal_summary`` hook of tests/conftest.py (which also gathers those of pytest-xdist's workers)."""

from __future__ import annotations

FIGURES: list[str] = []


def report(line: str) -> None:
    """Print a measured figure now (shown with -s or -rA) and again in the summary at the end of the run."""
    FIGURES.append(line)
    print(line)
