"""GET /api/v1/export, the viewer's files, and the ``baomi-kg export`` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.cli.main import main
from graph.vocab import EXPORT_FORMATS

STATIC = Path(__file__).resolve().parents[2] / "api" / "web" / "static"
FORMATS = {f.name: f for f in EXPORT_FORMATS}


@pytest.fixture(scope="module")
def api(client: TestClient) -> TestClient:
    """The session's in-process client: the app with its defaults, opened once."""
    return client


MEDIA = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "cytoscape": "application/json",
    "d3": "application/json",
    "dot": "text/vnd.graphviz",
    "mermaid": "text/plain",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "svg": "image/svg+xml",
    "png": "image/png",
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_has_its_media_type_and_a_file_name(api: TestClient, fmt: str) -> None:
    r = api.get("/api/v1/export", params={"format": fmt, "chain": "330106", "lang": "en"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == MEDIA[fmt]
    ext = FORMATS[fmt].extension
    suffix = "" if FORMATS[fmt].rdf else "-en"
    assert r.headers["content-disposition"] == f'attachment; filename="baomi-kg-chain-330106{suffix}.{ext}"'
    assert int(r.headers["x-graph-nodes"]) == 12 and len(r.content) > 100


def test_scope_parameters_repeat_or_use_commas(api: TestClient) -> None:
    a = api.get(
        "/api/v1/export",
        params=[
            ("format", "d3"),
            ("root", "330000"),
            ("depth", "1"),
            ("level", "provincial"),
            ("level", "municipal"),
            ("edges", "guidance"),
        ],
    )
    b = api.get("/api/v1/export?format=d3&root=330000&depth=1&level=provincial,municipal&edges=guidance")
    assert a.status_code == b.status_code == 200
    assert a.content == b.content
    data = json.loads(a.content)
    assert len(data["nodes"]) == 12 and len(data["links"]) == 11


def test_view_scope_with_expand(api: TestClient) -> None:
    r = api.get("/api/v1/export?format=cytoscape&depth=0&expand=central,330000&edges=guidance")
    ids = {n["data"]["committee"] for n in r.json()["elements"]["nodes"]}
    assert {"central", "110000", "330100"} <= ids and "330106" not in ids


@pytest.mark.parametrize(
    ("query", "parameter", "allowed"),
    [
        ("format=pdf", "format", list(FORMATS)),
        ("format=dot&lang=fr", "lang", ["zh", "en"]),
        ("format=dot&level=village", "level", ["central", "provincial", "municipal", "county", "departmental"]),
        (
            "format=dot&edges=friendship",
            "edges",
            ["guidance", "reporting", "office", "leadership", "departmental", "administrative"],
        ),
        (
            "format=svg",
            "format",
            [f for f in FORMATS if f not in ("svg", "png")],
        ),  # the whole graph is too big a picture
    ],
)
def test_bad_values_are_a_problem_listing_the_valid_ones(
    api: TestClient, query: str, parameter: str, allowed: list[str]
) -> None:
    r = api.get("/api/v1/export?" + query)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"].endswith("/problems/invalid-parameters")
    assert body["parameter"] == parameter and body["allowed"] == allowed


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("format=dot&root=999999", "root"),
        ("format=dot&root=朝阳区", "root"),
        ("format=dot&chain=330106&root=330000", "chain"),
        ("format=dot&root=330106&level=provincial", "level"),
    ],
)
def test_impossible_scopes_are_problems(api: TestClient, query: str, parameter: str) -> None:
    r = api.get("/api/v1/export?" + query)
    assert r.status_code == 422 and r.json()["parameter"] == parameter


def test_ambiguous_root_lists_the_candidates(api: TestClient) -> None:
    body = api.get("/api/v1/export?format=dot&root=朝阳区").json()
    assert {c["code"] for c in body["suggestions"]} == {"110105", "220104"}


def test_negative_depth_is_a_problem_not_a_crash(api: TestClient) -> None:
    r = api.get("/api/v1/export?format=dot&depth=-1")
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"


def test_format_by_accept(api: TestClient) -> None:
    r = api.get("/api/v1/export?chain=330106", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    r = api.get("/api/v1/export?chain=330106", headers={"Accept": "application/pdf"})
    assert r.status_code == 406 and "text/turtle" in r.json()["offered"]


def test_openapi_documents_the_export(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    op = spec["paths"]["/api/v1/export"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert names >= {"format", "root", "depth", "expand", "chain", "level", "edges", "lang"}
    assert "image/png" in op["responses"]["200"]["content"]
    assert op["responses"]["422"]["content"]["application/problem+json"]["example"]["parameter"] == "format"


# -- the viewer ----------------------------------------------------------------------------------------------
def test_viewer_page_and_files(api: TestClient) -> None:
    page = api.get("/viz")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/viz/") or s.startswith("data:") or s == "#" for s in sources)
    for path in sources:
        if path.startswith("/viz/"):
            assert api.get(path).status_code == 200, path
    assert api.get("/viz/vendor/cytoscape/LICENSE").text.startswith("Copyright")


def test_viewer_loads_nothing_from_elsewhere() -> None:
    for path in [*(STATIC / "viz").iterdir()]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?:src|href|url|fetch|import)\s*[=(]\s*[\"'`]?(?:https?:)?//", text), path
    vendor = (STATIC / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "cytoscape@3.34.4" in vendor and "sha512-" in vendor


@pytest.mark.parametrize(
    "path", ["/viz/static/..%2F..%2Fapp.py", "/viz/vendor/../../app.py", "/viz/nope/x.js", "/viz/static/missing.js"]
)
def test_viewer_files_stay_in_their_folder(api: TestClient, path: str) -> None:
    r = api.get(path)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_viewer_index(api: TestClient) -> None:
    index = api.get("/viz/index.json").json()
    rows = [dict(zip(index["fields"], row, strict=True)) for row in index["committees"]]
    assert len(rows) == 3244 - 1 + 16 and rows[0]["id"] == "central"  # less 金门, with the 16 bodies off the tree
    tonglu = next(r for r in rows if r["id"] == "330122")
    assert tonglu["upper"] == "330100" and "tonglu" in tonglu["keys"].split()
    assert len(index["duties"]) == 8
    assert [f["name"] for f in index["formats"]] == list(FORMATS)


def test_viewer_index_names_the_basis_and_draws_the_default_kinds(api: TestClient) -> None:
    index = api.get("/viz/index.json").json()
    assert index["edge_kinds"] == ["guidance", "reporting", "office", "leadership", "departmental"]
    assert index["labels"]["edges"]["administrative"] == {
        "zh": "行政管理（保密局）",
        "en": "administrative (secrecy bureaus)",
    }
    assert "bureau" in index["palette"]["nodes"] and "administrative" in index["palette"]["edges"]
    base = "https://w3id.org/baomi-kg/id/"
    assert index["pages"] == {"iri": base, "path": "/id/"}
    citations = index["citations"]
    assert citations[base + "article/bmf-2024-art6"] == {
        "zh": "《保守国家秘密法》（2024）第六条",
        "en": "Law of the People's Republic of China on Guarding State Secrets (2024 revision), art. 6",
    }
    assert citations[base + "source/org-overview"]["zh"]
    assert citations[base + "passage/ch5.1.duty7"]["zh"].startswith("教材 ")
    jurisdiction = api.get("/api/v1/jurisdiction", params={"q": "330122"}).json()
    assert all(iri in citations for iri in jurisdiction.get("bureau_basis", []))  # the panel names each one


def test_export_of_the_administrative_line(api: TestClient) -> None:
    r = api.get("/api/v1/export", params={"format": "d3", "root": "330000", "depth": "1", "edges": "administrative"})
    assert r.status_code == 200, r.text
    assert "baomi-kg-330000-depth1-admi-zh.json" in r.headers["content-disposition"]
    nodes = {n["id"]: n for n in r.json()["nodes"]}
    bureaus = [n for n in nodes.values() if n["kind"] == "bureau"]
    assert len(bureaus) == 12 and nodes["bureau:330000"]["name_zh"] == "浙江省国家保密局"
    assert {(link["source"], link["target"]) for link in r.json()["links"]} >= {
        ("bureau:330100", "office:330100"),
        ("bureau:330100", "bureau:330000"),
    }
    default = api.get("/api/v1/export", params={"format": "d3", "root": "330000", "depth": "1"}).json()
    assert not [n for n in default["nodes"] if n["kind"] == "bureau"]


# -- the command -------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_cli_writes_text_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "--format", "mermaid", "--chain", "330106"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out.startswith("%% baomi-kg") and "西湖区保密委" in out


@pytest.mark.slow
def test_cli_writes_pictures_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "chain.png"
    assert main(["export", "-f", "png", "--chain", "330106", "--lang", "en", "--out", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "export", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "png"], "give --out"),
        (["--format", "pdf"], "invalid choice"),
        (["--format", "dot", "--root", "朝阳区"], "ambiguous"),
        (["--format", "dot", "--depth", "-2"], "depth"),
        (["--format", "dot", "--level", "village"], "invalid choice"),
    ],
)
def test_cli_bad_values_exit_2_with_one_line(args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 2  # argparse adds its usage line


def test_cli_help_lists_formats_and_kinds() -> None:
    done = run("--help")
    assert done.returncode == 0
    for word in [*FORMATS, "guidance", "departmental", "--chain"]:
        assert word in done.stdout


def _kinds(data: Any) -> set[str]:
    return {link["kind"] for link in data["links"]}


@pytest.mark.slow
def test_cli_and_api_agree(api: TestClient, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "-f", "d3", "--root", "330100", "--depth", "1", "--edges", "guidance", "office"]) == 0
    cli = json.loads(capsysbinary.readouterr().out)
    web = api.get("/api/v1/export?format=d3&root=330100&depth=1&edges=guidance,office").json()
    assert cli == web and _kinds(cli) == {"guidance", "office"}
