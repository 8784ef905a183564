"""The JavaScript clients of the client matrix, from npm: pinned, installed once under ``.cache/clients-npm`` and
reused while the pins stay the same."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NPM_FOLDER = ROOT / ".cache" / "clients-npm"
# Pinned: a new version is a deliberate change here, and the folder is installed again when this changes.
NPM_PACKAGES = {
    "@comunica/query-sparql": "4.5.0",
    "sparql-http-client": "3.1.0",
    "@zazuko/yasgui": "4.6.2",
}


def installed_node_modules() -> Path:
    """The pinned npm packages in .cache/clients-npm/node_modules, installed on first use and reused; a failed test
    when Node.js or npm is missing or the install fails."""
    manifest = json.dumps({"private": True, "type": "module", "dependencies": NPM_PACKAGES}, indent=2) + "\n"
    package_json = NPM_FOLDER / "package.json"
    modules = NPM_FOLDER / "node_modules"
    if (
        package_json.is_file()
        and package_json.read_text(encoding="utf-8") == manifest
        and all((modules / name / "package.json").is_file() for name in NPM_PACKAGES)
    ):
        return modules
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.fail("Node.js and npm are needed for the JavaScript clients (Debian: apt-get install nodejs npm)")
    NPM_FOLDER.mkdir(parents=True, exist_ok=True)
    package_json.write_text(manifest, encoding="utf-8")
    done = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"],
        cwd=NPM_FOLDER,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
    )
    if done.returncode != 0:
        pytest.fail(f"npm install of {', '.join(NPM_PACKAGES)} failed:\n{done.stderr[-3000:]}")
    return modules
