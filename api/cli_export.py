"""Placeholder: the ``export`` command, filled in by its own change."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any, store_opts: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``export`` subcommand to the ``baomi-kg`` parser."""
