"""A bounded schemathesis run over the OpenAPI schema of a real server: no 5xx, no schema violation.

Runs the schemathesis command (its pytest plugin does not support this pytest) against the live
server, deterministically, with every operation of the schema.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.server import LiveServer

pytestmark = pytest.mark.slow  # fuzzes every operation of a real server

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"
# A request with no export parameter asks for the whole graph (9,777 nodes as GraphML: about 7 s on a quiet machine,
# more beside the other test worker); what the run checks is the status and the schema, and the server bounds an
# export itself (BAOMI_KG_HEAVY_TIMEOUT), so the client waits longer than schemathesis's 10 s.
REQUEST_TIMEOUT = "120"


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server: LiveServer, tmp_path: Path) -> None:
    st = Path(sys.executable).with_name("schemathesis")
    proc = subprocess.run(
        [
            str(st),
            "run",
            live_server.url + "/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            "30",
            "--generation-deterministic",
            "--request-timeout",
            REQUEST_TIMEOUT,
            "--no-color",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks", "PYTHONPATH": os.getcwd()},
    )
    tail = "\n".join(line[:300] for line in proc.stdout.splitlines()[-60:])
    assert proc.returncode == 0, tail
    assert "passed" in proc.stdout and "failures" not in proc.stdout.lower().split("summary")[-1], tail
