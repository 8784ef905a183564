"""JavaScript clients from npm under Node, driven as their READMEs drive them: Comunica's query engine with the
endpoint as a SPARQL source, and sparql-http-client's stream client (GET) and parsing client (POST)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.client_queries import ASK, CONSTRUCT, EXPECTED_SELECT, GUIDE, GUIDED_BY, SELECT
from tests.helpers.server import LiveServer

pytestmark = pytest.mark.slow  # runs the JavaScript clients under Node.js

SCRIPT = Path(__file__).with_name("node_clients.mjs")


@pytest.fixture(scope="module")
def answers(node_modules: Path, live_server: LiveServer) -> dict[str, dict[str, object]]:
    node = shutil.which("node")
    assert node, "Node.js is needed for the JavaScript clients"
    queries = {"endpoint": live_server.url + "/sparql", "select": SELECT, "ask": ASK, "construct": CONSTRUCT}
    # Imports resolve from the folder the packages are installed in: the script is handed over on stdin.
    done = subprocess.run(
        [node, "--input-type=module", "-", json.dumps(queries)],
        input=SCRIPT.read_text(),
        cwd=node_modules.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"the Node clients failed:\n{done.stderr[-3000:]}"
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("client", ["comunica", "streamClient", "parsingClient"])
def test_select(answers: dict[str, dict[str, object]], client: str) -> None:
    assert answers[client]["select"] == EXPECTED_SELECT


@pytest.mark.parametrize("client", ["comunica", "streamClient", "parsingClient"])
def test_ask(answers: dict[str, dict[str, object]], client: str) -> None:
    assert answers[client]["ask"] is True


@pytest.mark.parametrize("client", ["comunica", "streamClient", "parsingClient"])
def test_construct(answers: dict[str, dict[str, object]], client: str) -> None:
    triples = answers[client]["construct"]
    assert isinstance(triples, list)
    assert sorted(triples) == sorted([c, GUIDED_BY, GUIDE] for c in EXPECTED_SELECT)
