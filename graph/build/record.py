"""The record of a build that conformed to the SHACL shapes, so that the same build is not validated again.

SHACL validation is a function of three things only: the data graph, the shapes graph, and the validator
(the code of :mod:`graph.build.validate` and the libraries it runs on).  ``data/validated.json`` records
all three for one build that conformed:

* ``graph_sha256``: the SHA-256 of the build's sorted N-Quads (:func:`graph.build.prebuilt.sorted_nquads`),
  which name every quad exactly once, so equal hashes mean the same dataset;
* ``shapes_sha256`` and ``base_iri``: the shapes file ``ontology/shapes.ttl`` and the base IRI it is
  rebased to before validation;
* ``validator``: the SHA-256 of ``graph/build/validate.py`` and the installed versions of pySHACL, rdflib,
  oxrdflib and pyoxigraph (pySHACL's SPARQL constraints run in Oxigraph through oxrdflib).

A build for which all of these are equal is known to conform, and :func:`mismatch` says so; any other
build (other data, ontology, build code or base IRI, or another validator) is validated as before.  The
record is written by :func:`write` only after a validation that conformed (``baomi-kg validate`` or a
validating ``baomi-kg build``), and only for the bundled base IRI.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from graph.namespaces import DEFAULT_BASE, Vocab
from graph.paths import DATA_DIR, ONTOLOGY_DIR, module_file

__all__ = [
    "RECORD_NAME",
    "VALIDATOR_PACKAGES",
    "Conformance",
    "describe",
    "differences",
    "mismatch",
    "record_path",
    "recorded",
    "write",
]

RECORD_NAME = "validated.json"
VALIDATOR_PACKAGES = ("oxrdflib", "pyoxigraph", "pyshacl", "rdflib")
VALIDATOR_CODE = "graph.build.validate"
ABOUT = (
    "A build that conformed to the SHACL shapes: a start whose build has these hashes, with the same shapes "
    "and validator, skips SHACL validation. Written by `baomi-kg validate`; see data/README.md."
)


@dataclass(frozen=True)
class Conformance:
    """What a SHACL validation ran on: the dataset, the shapes (and their base IRI) and the validator."""

    base_iri: str
    graph_sha256: str
    shapes_sha256: str
    validator: dict[str, str] = field(default_factory=dict)


def record_path() -> Path:
    return DATA_DIR / RECORD_NAME


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _validator() -> dict[str, str]:
    found = {VALIDATOR_CODE: _sha256(module_file(VALIDATOR_CODE).read_bytes())}
    for name in VALIDATOR_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def describe(nquads: bytes, vocab: Vocab) -> Conformance:
    """The hashes of this build (its sorted N-Quads), of the shapes and of the validator installed here."""
    return Conformance(vocab.base, _sha256(nquads), _sha256((ONTOLOGY_DIR / "shapes.ttl").read_bytes()), _validator())


def recorded(path: Path | None = None) -> Conformance | None:
    """The recorded build, or None when there is no readable record."""
    try:
        data = json.loads((path or record_path()).read_text(encoding="utf-8"))
        return Conformance(
            str(data["base_iri"]),
            str(data["graph_sha256"]),
            str(data["shapes_sha256"]),
            {str(k): str(v) for k, v in dict(data["validator"]).items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def differences(found: Conformance, on_record: Conformance) -> list[str]:
    """What differs between this build and the recorded one, in words (empty when they are the same)."""
    out: list[str] = []
    if found.graph_sha256 != on_record.graph_sha256:
        out.append("the graph differs")
    if found.shapes_sha256 != on_record.shapes_sha256:
        out.append("ontology/shapes.ttl differs")
    if found.base_iri != on_record.base_iri:
        out.append(f"the base IRI is {found.base_iri}, not {on_record.base_iri}")
    for name in sorted(set(found.validator) | set(on_record.validator)):
        mine, theirs = found.validator.get(name, "none"), on_record.validator.get(name, "none")
        if mine != theirs:
            out.append(f"{name} is {mine[:12]}, not {theirs[:12]}")
    return out


def mismatch(nquads: bytes, vocab: Vocab, path: Path | None = None) -> str:
    """Why the record does not vouch for this build, or "" when it does (the build then conforms)."""
    path = path or record_path()
    on_record = recorded(path)
    if on_record is None:
        return f"no record in {path}"
    found = differences(describe(nquads, vocab), on_record)
    return f"{path} records another build ({'; '.join(found)})" if found else ""


def write(nquads: bytes, vocab: Vocab, path: Path | None = None) -> bool:
    """Record a build that has just conformed; True if the record changed.  Only a build with the bundled base
    IRI is recorded (the record ships with the data)."""
    if vocab.base != DEFAULT_BASE:
        return False
    path = path or record_path()
    text = (
        json.dumps({"about": ABOUT, **asdict(describe(nquads, vocab))}, ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
    )
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
