"""Fixtures of the client matrix: the JavaScript clients from npm, installed once (pinned) under .cache/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.npm import installed_node_modules


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The pinned npm packages in .cache/clients-npm/node_modules, installed on first use and reused."""
    return installed_node_modules()
