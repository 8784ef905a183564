"""Jena's ``rsparql`` from Debian (libapache-jena-java): SELECT in each of its result formats, ASK and CONSTRUCT,
the query read from a file as on the command line.

Debian ships Jena's command classes (``arq.rsparql`` in jena-cmds.jar) but not the ``rsparql`` script that starts
them, so the test starts the class as the script does, on the classpath of the package and its dependencies.
Debian's jena-core.jar 4.5.0-2 also relocates its bundled Xerces classes to ``xerces.*`` while leaving their
message files under ``org/apache/jena/ext/xerces/``, which stops every Jena command at start ("internal error" in
XSSimpleTypeDecl); the files are put where the classes look for them, copied from the same jar.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from tests.helpers.client_queries import ASK, CONSTRUCT, EXPECTED_SELECT, GUIDE, GUIDED_BY, SELECT
from tests.helpers.java import JAVA_DIR, debian_classpath
from tests.helpers.server import LiveServer

pytestmark = pytest.mark.slow  # runs Jena's rsparql (Java) for each query

PACKAGE = "libapache-jena-java"
_XERCES_RESOURCES = "org/apache/jena/ext/xerces/"


@pytest.fixture(scope="module")
def rsparql(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    java = shutil.which("java")
    if java is None or shutil.which("dpkg-query") is None or not (JAVA_DIR / "jena-cmds.jar").is_file():
        pytest.fail(
            f"Jena's rsparql needs Debian's {PACKAGE} and a Java runtime: "
            f"apt-get install {PACKAGE} default-jre-headless"
        )
    classpath = debian_classpath(PACKAGE)
    resources = tmp_path_factory.mktemp("jena-xerces-resources")
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        names = jar.namelist()
        if "xerces/impl/dv/SchemaDVFactory.class" in names:  # the relocation mismatch of Debian's build
            for name in names:
                if name.startswith(_XERCES_RESOURCES) and not name.endswith(("/", ".class")):
                    target = resources / "xerces" / name[len(_XERCES_RESOURCES) :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jar.read(name))
    return [java, "-cp", ":".join([str(resources), *classpath]), "arq.rsparql"]


def _run(rsparql: list[str], server: LiveServer, query: str, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "query.rq"
    path.write_text(query, encoding="utf-8")
    done = subprocess.run(
        [*rsparql, "--service", server.url + "/sparql", "--query", str(path), *options],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"rsparql failed:\n{done.stderr[-3000:]}"
    return done.stdout


def test_select_table(rsparql: list[str], live_server: LiveServer, tmp_path: Path) -> None:
    out = _run(rsparql, live_server, SELECT, tmp_path)
    assert re.findall(r"\|\s*(committee:\d+)\s*\|", out) == [
        f"committee:{c.rsplit('/', 1)[1]}" for c in EXPECTED_SELECT
    ], out


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_formats(rsparql: list[str], live_server: LiveServer, tmp_path: Path, fmt: str) -> None:
    out = _run(rsparql, live_server, SELECT, tmp_path, f"--results={fmt}")
    if fmt == "json":
        assert [b["c"]["value"] for b in json.loads(out)["results"]["bindings"]] == EXPECTED_SELECT
    else:
        assert re.findall(r"https://w3id\.org/baomi-kg/id/committee/\d+", out) == EXPECTED_SELECT, out


def test_ask(rsparql: list[str], live_server: LiveServer, tmp_path: Path) -> None:
    assert _run(rsparql, live_server, ASK, tmp_path).strip() == "Ask => Yes"


@pytest.mark.parametrize(("option", "rdf_format"), [("--results=ttl", "turtle"), ("--results=nt", "nt")])
def test_construct(rsparql: list[str], live_server: LiveServer, tmp_path: Path, option: str, rdf_format: str) -> None:
    graph = Graph().parse(data=_run(rsparql, live_server, CONSTRUCT, tmp_path, option), format=rdf_format)
    assert set(graph) == {(URIRef(c), URIRef(GUIDED_BY), URIRef(GUIDE)) for c in EXPECTED_SELECT}
