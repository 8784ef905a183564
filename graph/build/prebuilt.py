"""The built graph as files: full builds, serializations, and the cache consumers start from.

Consumers (the CLI, the service) never rebuild on start-up.  The first use of a given input
builds and validates the graph once and caches its sorted N-Quads under the cache folder,
keyed by a fingerprint of everything that shapes the output (``ontology/``, ``data/``, the
code of ``graph/`` and the base IRI); later starts load that file in well under a second.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Quad, RdfFormat, Store, Triple, serialize

from graph.build.assemble import Inputs, build_quads, load_inputs
from graph.namespaces import Vocab
from graph.paths import DATA_DIR, ONTOLOGY_DIR, module_file

__all__ = ["BuildResult", "build", "cache_dir", "fingerprint", "prebuilt_path", "sorted_nquads", "write_outputs"]

# The modules whose code shapes the built graph (tests check this covers every module the build imports).
BUILD_MODULES = ("graph.build.assemble", "graph.build.prebuilt", "graph.build.validate", "graph.errors",
                 "graph.namespaces", "graph.paths", "graph.sources.divisions", "graph.sources.naming",
                 "graph.sources.provenance", "graph.sources.romanize", "graph.sources.special",
                 "graph.sources.textbook", "graph.sources.units")


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


def build(vocab: Vocab, *, validate: bool = True, inputs: Inputs | None = None) -> BuildResult:
    """Build the graph from ``data/`` and ``ontology/`` (and validate it, unless told not to)."""
    quads = list(build_quads(inputs or load_inputs(), vocab))
    if validate:
        from graph.build.validate import validate_quads  # pySHACL is only needed when building

        validate_quads(quads, vocab)
    return BuildResult(quads, sorted_nquads(quads))


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
    files = [*((path.name, path) for path in sorted(ONTOLOGY_DIR.glob("*.ttl"))),
             *((path.name, path) for path in sorted(DATA_DIR.glob("*.csv"))),
             *((path.name, path) for path in sorted(DATA_DIR.glob("*.toml"))),
             *((name, module_file(name)) for name in BUILD_MODULES)]
    for name, path in files:
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    configured = os.environ.get("BAOMI_KG_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "baomi-kg"


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
    """The cached N-Quads of the validated graph for these inputs, built on first use."""
    path = cache_dir() / f"graph-{fingerprint(vocab)}.nq"
    if not path.exists() and build_if_missing:
        _atomic_write(path, build(vocab).nquads)
    return path
