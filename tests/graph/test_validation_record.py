"""data/validated.json: the bundled build is on record, and only that very build skips SHACL validation."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad

from graph.build import prebuilt, record, validate
from graph.build.prebuilt import BuildResult, build, check_conformance, sorted_nquads
from graph.errors import ValidationFailed
from graph.namespaces import Vocab
from graph.paths import DATA_DIR
from tests.helpers.small_graph import small_quads

V = Vocab()
RERUN = "run `.venv/bin/baomi-kg validate` (it validates the build with SHACL and rewrites data/validated.json)"


@pytest.fixture(scope="module")
def bundled() -> BuildResult:
    return build(V, validate=False)


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the SHACL validations that run (each one a real validation, passed through)."""
    calls: list[int] = []
    real = validate.validate_quads

    def counted(quads: list[Quad], vocab: Vocab) -> None:
        calls.append(len(quads))
        real(quads, vocab)

    monkeypatch.setattr(validate, "validate_quads", counted)
    yield calls


def test_the_record_vouches_for_the_bundled_build(bundled: BuildResult) -> None:
    on_record = record.recorded()
    assert on_record is not None, f"{record.record_path()} is missing or unreadable: {RERUN}"
    found = record.differences(record.describe(bundled.nquads, V), on_record)
    assert found == [], f"data/validated.json does not record this build ({'; '.join(found)}): {RERUN}"
    assert record.record_path() == DATA_DIR / "validated.json"


def test_the_bundled_build_skips_shacl_and_says_so_in_one_line(
    bundled: BuildResult, validations: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="baomi_kg.build"):
        check_conformance(bundled, V, trust_record=True)
    assert validations == []
    lines = [r.getMessage() for r in caplog.records if r.name == "baomi_kg.build"]
    assert len(lines) == 1, lines
    assert lines[0].startswith("SHACL validation skipped: this build (sha256 ")
    assert lines[0].endswith(f"is the one {record.record_path()} records as conforming")


def test_without_trust_the_bundled_build_is_validated(monkeypatch: pytest.MonkeyPatch, bundled: BuildResult) -> None:
    seen: list[int] = []
    monkeypatch.setattr(validate, "validate_quads", lambda quads, vocab: seen.append(len(quads)))
    check_conformance(bundled, V)  # baomi-kg validate and a validating baomi-kg build always run SHACL
    assert seen == [len(bundled.quads)]


def test_a_flipped_byte_is_another_graph(monkeypatch: pytest.MonkeyPatch, bundled: BuildResult) -> None:
    at = bundled.nquads.index(b'"\xe4\xb8\xad\xe5\x85\xb1')  # the first Chinese literal that starts with 中共
    flipped = bytearray(bundled.nquads)
    flipped[at + 3] ^= 0x01
    assert "the graph differs" in record.mismatch(bytes(flipped), V)
    seen: list[int] = []
    monkeypatch.setattr(validate, "validate_quads", lambda quads, vocab: seen.append(len(quads)))
    check_conformance(BuildResult(bundled.quads, bytes(flipped)), V, trust_record=True)
    assert seen == [len(bundled.quads)], "a build the record does not name must be validated"


def test_an_invalid_graph_not_on_record_is_validated_and_refused(
    validations: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    """The small, valid graph of the SHACL tests with a second office for 西湖区's committee: not the recorded
    build, so SHACL runs and refuses it."""
    quads = small_quads(V)
    office = next(
        q
        for q in quads
        if q.subject.value == V.committee("330106")  # type: ignore[union-attr]
        and q.predicate.value == V.term("hasOffice")
    )
    bad = [*quads, Quad(office.subject, office.predicate, NamedNode(V.ns + "AnotherOffice"), office.graph_name)]
    with caplog.at_level(logging.INFO, logger="baomi_kg.build"), pytest.raises(ValidationFailed) as failed:
        check_conformance(BuildResult(bad, sorted_nquads(bad)), V, trust_record=True)
    assert validations == [len(bad)]
    assert "exactly-one-office" in failed.value.report
    assert any(
        "validating the build with SHACL" in r.getMessage() and "the graph differs" in r.getMessage()
        for r in caplog.records
    )


@pytest.mark.parametrize("change", ["shapes_sha256", "base_iri", "pyshacl", "graph.build.validate"])
def test_other_shapes_base_or_validator_are_not_trusted(tmp_path: Path, bundled: BuildResult, change: str) -> None:
    data = json.loads(record.record_path().read_text(encoding="utf-8"))
    if change in data:
        data[change] = "0" * 64 if change.endswith("sha256") else "https://example.org/other/"
    else:
        data["validator"][change] = "0.0.1"
    changed = tmp_path / "validated.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    assert record.mismatch(bundled.nquads, V, record.record_path()) == ""
    why = record.mismatch(bundled.nquads, V, changed)
    assert why and "records another build" in why and "the graph differs" not in why


def test_no_record_or_an_unreadable_one_is_not_trusted(tmp_path: Path, bundled: BuildResult) -> None:
    assert record.mismatch(bundled.nquads, V, tmp_path / "validated.json").startswith("no record in ")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert record.mismatch(bundled.nquads, V, tmp_path / "broken.json").startswith("no record in ")


def test_write_records_the_build_for_the_bundled_base_only(tmp_path: Path, bundled: BuildResult) -> None:
    path = tmp_path / "validated.json"
    assert record.write(bundled.nquads, V, path)
    assert record.mismatch(bundled.nquads, V, path) == ""
    assert not record.write(bundled.nquads, V, path), "an unchanged record is not rewritten"
    assert path.read_bytes() == record.record_path().read_bytes()
    other = tmp_path / "other.json"
    assert not record.write(bundled.nquads, Vocab("https://example.org/kg/"), other)
    assert not other.exists()


@pytest.mark.slow
def test_validate_command_records_a_conforming_build_and_not_a_failing_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from api.cli.main import EXIT_FAILED, EXIT_OK, main

    path = tmp_path / "validated.json"
    monkeypatch.setattr(record, "record_path", lambda: path)
    monkeypatch.setattr(validate, "validate_quads", lambda quads, vocab: None)  # as if it conformed
    assert main(["validate"]) == EXIT_OK
    assert f"recorded in {path}" in capsys.readouterr().out
    assert path.read_bytes() == (DATA_DIR / "validated.json").read_bytes(), "the same build gives the same record"
    assert main(["validate"]) == EXIT_OK
    assert f"{path} already records this build" in capsys.readouterr().out
    path.unlink()

    def fails(quads: list[Quad], vocab: Vocab) -> None:
        raise ValidationFailed("SHACL validation failed with 1 violation(s)", [("x", "rule", "message")])

    monkeypatch.setattr(validate, "validate_quads", fails)
    assert main(["validate"]) == EXIT_FAILED
    assert not path.exists()


@pytest.mark.slow
def test_a_start_from_an_empty_cache_builds_without_shacl(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, validations: list[int]
) -> None:
    monkeypatch.setenv("BAOMI_KG_CACHE_DIR", str(tmp_path / "cache"))
    path = prebuilt.prebuilt_path(V)
    assert path.parent == tmp_path / "cache" and path.name.startswith("graph-")
    assert validations == []
    assert record.mismatch(path.read_bytes(), V) == ""
