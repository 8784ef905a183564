"""The baomi-kg command: outputs, JSON shapes and exit codes, run as a real process where it matters."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from api.cli.main import main
from graph.paths import DATA_DIR
from tests.helpers.cli import run_cli as run


@pytest.mark.slow  # opens the graph anew or starts a server: the fast lane has a lighter test of it
def test_stats_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert set(stats) >= {"committees", "departmental", "offices", "party_committees", "regions", "triples"}
    assert stats["committees"]["central"] == 1
    assert set(stats["committees"]) == {"central", "provincial", "municipal", "county"}


@pytest.mark.slow
def test_lookup_json_is_the_jurisdiction_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "--json", "浙江省杭州市西湖区文三路"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert set(answer["region"]) >= {"code", "name", "level", "path"}
    assert [step["name"] for step in answer["region"]["path"]] == ["浙江省", "杭州市"]
    for key in ("committee", "office", "party_committee", "chain"):
        assert key in answer
    for committee in [answer["committee"], *answer["chain"]]:
        assert set(committee) >= {"id", "iri", "name_zh", "name_en", "level"}
    assert [c["id"] for c in answer["chain"]] == ["330106", "330100", "330000", "central"]


@pytest.mark.slow
def test_lookup_ambiguous_exits_3_with_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "--json", "朝阳区"]) == 3
    out = json.loads(capsys.readouterr().out)
    assert {c["code"] for c in out["candidates"]} == {"110105", "220104"}
    assert all({"code", "name", "path"} <= set(c) for c in out["candidates"])


@pytest.mark.slow
def test_lookup_unknown_exits_4_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "--json", "杭洲市"]) == 4
    out = json.loads(capsys.readouterr().out)
    assert "330100" in [s["code"] for s in out["suggestions"]]


@pytest.mark.slow
def test_query_formats(capsys: pytest.CaptureFixture[str]) -> None:
    q = "SELECT ?n WHERE { committee:330100 rdfs:label ?n FILTER(LANG(?n) = 'zh') }"
    assert main(["query", q]) == 0
    assert "中共杭州市委保密委员会" in capsys.readouterr().out
    assert main(["query", "--format", "json", q]) == 0
    assert json.loads(capsys.readouterr().out)["results"]["bindings"][0]["n"]["value"] == "中共杭州市委保密委员会"
    assert main(["query", "--format", "csv", q]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "中共杭州市委保密委员会"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["lookup"], "the following arguments are required"),
        (["query", "INSERT DATA { <a> <b> <c> }"], "read-only"),
        (["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], "SERVICE"),
        (["query", "SELEC ?x WHERE { ?x ?y ?z }"], "SELECT"),
        (["stats", "--store", "mongodb://x"], "unknown store"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_usage_is_one_line_exit_2_no_traceback(args: list[str], needle: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert "Traceback" not in proc.stderr


def test_lookup_found_as_a_process() -> None:
    proc = run("lookup", "仙桃")
    assert proc.returncode == 0
    assert "中共湖北省委保密委员会" in proc.stdout


@pytest.mark.slow
def test_validate_over_invalid_data_names_the_resource_and_rule(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    table = data / "divisions.csv"
    # put a Hangzhou district under Beijing: the code no longer fits its nearest higher division
    table.write_text(
        table.read_text(encoding="utf-8").replace("330106,西湖区,county,330100", "330106,西湖区,county,110000"),
        encoding="utf-8",
    )
    proc = run("validate", env={"BAOMI_KG_DATA_DIR": str(data), "BAOMI_KG_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 1
    assert "id/region/330106" in proc.stderr and "region-parent-consistent" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_build_writes_every_format_and_prints_counts(tmp_path: Path) -> None:
    proc = run("build", "--no-validate", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "divisions: provincial 31, municipal 333, county" in proc.stdout
    assert "CountyCommittee" in proc.stdout
    assert {p.name for p in tmp_path.iterdir()} >= {"baomi-kg.ttl", "baomi-kg.nt", "baomi-kg.jsonld", "baomi-kg.nq"}
