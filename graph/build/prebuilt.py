"""The built graph as files: full builds, serializations, and the cache consumers start from.

Consumers (the CLI, the service) never rebuild on start-up.  The first use of a given input
builds and validates the graph once and caches its sorted N-Quads under the cache folder,
keyed by a fingerprint of everything that shapes the output (``ontology/``, ``data/``, the
code of ``graph/`` and the base IRI); later starts load that file in well under a second.
That first build is not validated again when it is the build ``data/validated.json`` records
as conforming to the SHACL shapes (:mod:`graph.build.record`); any other build is.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Quad, RdfFormat, Store, Triple, serialize

from graph.build import record
from graph.build.assemble import Inputs, build_quads, load_inputs
from graph.namespaces import Vocab
from graph.paths import DATA_DIR, ONTOLOGY_DIR, module_file

__all__ = [
    "BuildResult",
    "build",
    "check_conformance",
    "fingerprint",
    "prebuilt_path",
    "sorted_nquads",
    "write_outputs",
]

log = logging.getLogger("baomi_kg.build")

# The modules whose code shapes the built graph (tests check this covers every module the build imports).
BUILD_MODULES = (
    "graph.build.assemble",
    "graph.build.departmental",
    "graph.build.history",
    "graph.build.law",
    "graph.build.prebuilt",
    "graph.build.record",
    "graph.build.special_bodies",
    "graph.build.validate",
    "graph.build.writer",
    "graph.errors",
    "graph.namespaces",
    "graph.paths",
    "graph.settings",
    "graph.sources.divisions",
    "graph.sources.history",
    "graph.sources.law",
    "graph.sources.naming",
    "graph.sources.provenance",
    "graph.sources.romanize",
    "graph.sources.special",
    "graph.sources.textbook",
    "graph.sources.units",
    "graph.vocab",
)


@dataclass(frozen=True)
class BuildResult:
    quads: list[Quad]
    nquads: bytes  # sorted, one quad per line: the canonical form two builds are compared by


def _serialize(items: Iterable[Quad] | Iterable[Triple], format: RdfFormat, **options: object) -> bytes:
    return serialize(items, format=format, **options) or b""  # type: ignore[arg-type]


def sorted_nquads(quads: Iterable[Quad]) -> bytes:
    lines = _serialize(quads, RdfFormat.N_QUADS).splitlines()
    return b"".join(line + b"\n" for line in sorted(set(lines)))


def sorted_ntriples(store: Store) -> bytes:
    """The union graph: every distinct triple once, sorted."""
    triples = {q.triple for q in store}
    lines = _serialize(triples, RdfFormat.N_TRIPLES).splitlines()
    return b"".join(line + b"\n" for line in sorted(set(lines)))


def build(
    vocab: Vocab, *, validate: bool = True, inputs: Inputs | None = None, trust_record: bool = False
) -> BuildResult:
    """Build the graph from ``data/`` and ``ontology/`` and validate it, unless told not to (see
    :func:`check_conformance` for ``trust_record``)."""
    quads = list(build_quads(inputs or load_inputs(), vocab))
    result = BuildResult(quads, sorted_nquads(quads))
    if validate:
        check_conformance(result, vocab, trust_record=trust_record)
    return result


def check_conformance(result: BuildResult, vocab: Vocab, *, trust_record: bool = False) -> None:
    """Raise :class:`~graph.errors.ValidationFailed` unless the build conforms to the SHACL shapes.

    With ``trust_record``, a build that ``data/validated.json`` records as conforming (the same N-Quads,
    shapes, base IRI and validator) is not validated again; every other build is.
    """
    if trust_record:
        why = record.mismatch(result.nquads, vocab)
        if not why:
            log.info(
                "SHACL validation skipped: this build (sha256 %s) is the one %s records as conforming",
                hashlib.sha256(result.nquads).hexdigest()[:12],
                record.record_path(),
            )
            return
        log.info("validating the build with SHACL (about a minute): %s", why)
    from graph.build.validate import validate_quads  # pySHACL is only needed when validating

    validate_quads(result.quads, vocab)


def write_outputs(result: BuildResult, vocab: Vocab, out: Path) -> dict[str, Path]:
    """Write the dataset (N-Quads, TriG, JSON-LD) and its union graph (N-Triples, Turtle) to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    store = Store()
    store.bulk_extend(result.quads)
    union = {q.triple for q in store}
    prefixes = vocab.prefixes
    files = {
        "nquads": out / "baomi-kg.nq",
        "trig": out / "baomi-kg.trig",
        "jsonld": out / "baomi-kg.jsonld",
        "ntriples": out / "baomi-kg.nt",
        "turtle": out / "baomi-kg.ttl",
    }
    files["nquads"].write_bytes(result.nquads)
    files["ntriples"].write_bytes(sorted_ntriples(store))
    ordered = sorted(result.quads, key=str)
    _atomic_write(files["trig"], _serialize(ordered, RdfFormat.TRIG, prefixes=prefixes))
    _atomic_write(files["jsonld"], _serialize(ordered, RdfFormat.JSON_LD, prefixes=prefixes))
    _atomic_write(files["turtle"], _serialize(sorted(union, key=str), RdfFormat.TURTLE, prefixes=prefixes))
    return files


def fingerprint(vocab: Vocab) -> str:
    digest = hashlib.sha256(vocab.base.encode())
    files = [
        *((path.name, path) for path in sorted(ONTOLOGY_DIR.glob("*.ttl"))),
        *((path.name, path) for path in sorted(DATA_DIR.glob("*.csv"))),
        *((f"legal/{path.name}", path) for path in sorted(DATA_DIR.glob("legal/*.csv"))),
        *((path.name, path) for path in sorted(DATA_DIR.glob("*.toml"))),
        *((name, module_file(name)) for name in BUILD_MODULES),
    ]
    for name, path in files:
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prebuilt_path(vocab: Vocab, *, build_if_missing: bool = True) -> Path:
    """The cached N-Quads of the validated graph for these inputs, built on first use (validated unless
    ``data/validated.json`` vouches for the build)."""
    from graph.settings import cache_dir  # where the cache lives does not shape the graph (not a build module)

    path = cache_dir() / f"graph-{fingerprint(vocab)}.nq"
    if not path.exists() and build_if_missing:
        started = time.perf_counter()
        log.info("building the graph from data/ and ontology/ (no cached build of these inputs in %s)", path.parent)
        _atomic_write(path, build(vocab, trust_record=True).nquads)
        log.info("cached the validated graph in %s (%.1f s)", path, time.perf_counter() - started)
    return path
