"""The commands that make the graph: ``build`` (and write it out), ``validate`` (and record the conforming
build), ``synth`` (the graph with synthetic units, for scale tests)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from api.cli.options import EXIT_OK, settings_from
from graph.errors import InvalidRequest, ValidationFailed
from graph.vocab import LOCAL_LEVELS

__all__ = ["add_build", "add_synth", "add_validate", "cmd_build", "cmd_synth", "cmd_validate"]


def cmd_build(args: argparse.Namespace) -> int:
    from graph.build.assemble import COMMITTEE_CLASSES, load_inputs
    from graph.build.prebuilt import build, write_outputs
    from graph.namespaces import Vocab

    vocab = Vocab(settings_from(args).base_iri)
    started = time.perf_counter()
    inputs = load_inputs()
    result = build(vocab, validate=not args.no_validate, inputs=inputs)
    files = write_outputs(result, vocab, Path(args.out))
    levels = inputs.divisions.count_by_level()
    print("divisions: " + ", ".join(f"{level} {levels[level]}" for level in LOCAL_LEVELS))
    classes: dict[str, int] = {}
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    seen: set[tuple[str, str]] = set()
    for q in result.quads:
        if q.predicate.value == rdf_type and q.object.value.startswith(vocab.ns):  # type: ignore[union-attr]
            key = (q.subject.value, q.object.value)  # type: ignore[union-attr]
            if key not in seen:
                seen.add(key)
                local = q.object.value.removeprefix(vocab.ns)  # type: ignore[union-attr]
                classes[local] = classes.get(local, 0) + 1
    print("instances by class:")
    for local in sorted(classes, key=lambda k: (-classes[k], k)):
        print(f"  {local:34} {classes[local]:>6}")
    print(
        "committees by level: "
        + ", ".join(f"{level} {classes.get(names[0], 0)}" for level, names in COMMITTEE_CLASSES.items())
    )
    print(
        f"quads: {len(result.quads)}; validated: {'no' if args.no_validate else 'yes'}; "
        f"{time.perf_counter() - started:.1f} s"
    )
    if not args.no_validate:
        print(_record_conformance(result.nquads, vocab))
    for kind, path in files.items():
        print(f"  {kind:9} {path}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from graph.build.prebuilt import build
    from graph.namespaces import Vocab

    vocab = Vocab(settings_from(args).base_iri)
    result = build(vocab)
    print(f"valid: {len(result.quads)} quads conform to ontology/shapes.ttl")
    print(_record_conformance(result.nquads, vocab))
    return EXIT_OK


def _record_conformance(nquads: bytes, vocab: Any) -> str:
    """Record a build that has just conformed (a start from the same build then skips SHACL), and say so."""
    from graph.build import record
    from graph.namespaces import DEFAULT_BASE

    path = record.record_path()
    if vocab.base != DEFAULT_BASE:
        return f"not recorded in {path}: it records builds with the bundled base IRI {DEFAULT_BASE} only"
    if record.write(nquads, vocab, path):
        return f"recorded in {path}: a start from this build skips SHACL validation"
    return f"{path} already records this build"


def cmd_synth(args: argparse.Namespace) -> int:
    from graph.build.synth import write_dataset
    from graph.namespaces import Vocab

    if args.units < 0:
        raise InvalidRequest("--units must be zero or more")
    vocab = Vocab(settings_from(args).base_iri)
    out = Path(args.out)
    started = time.perf_counter()
    count = write_dataset(out, args.units, args.seed, vocab)
    print(
        f"wrote {count} quads ({args.units} synthetic units, seed {args.seed}) to {out} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if args.validate:
        from pyoxigraph import RdfFormat, Store

        from graph.build.validate import check

        store = Store()
        store.bulk_load(path=str(out), format=RdfFormat.N_QUADS)
        violations = check(store, vocab)
        if violations:
            raise ValidationFailed(
                "SHACL validation of the synthetic dataset failed:\n" + "\n".join(f"  {v}" for v in violations[:50]),
                [(v.focus, v.rule, v.message) for v in violations],
            )
        print("valid: the dataset conforms to ontology/shapes.ttl")
    return EXIT_OK


def add_build(sub: Any) -> None:
    """``build``: the graph from data/ and ontology/, written out."""
    b = sub.add_parser("build", help="build and validate the graph from data/ and ontology/, and write it out")
    b.add_argument("--out", required=True, help="folder for the Turtle, N-Triples, N-Quads, TriG and JSON-LD files")
    b.add_argument("--no-validate", action="store_true", help="skip the SHACL validation")
    b.set_defaults(func=cmd_build)


def add_validate(sub: Any) -> None:
    """``validate``: the graph built and checked against the shapes."""
    v = sub.add_parser(
        "validate",
        help="build the graph, validate it against ontology/shapes.ttl and record the "
        "conforming build in data/validated.json",
    )
    v.set_defaults(func=cmd_validate)


def add_synth(sub: Any) -> None:
    """``synth``: the graph with N synthetic units."""
    sy = sub.add_parser("synth", help="write the graph plus N synthetic unit committees, for scale tests")
    sy.add_argument("--units", type=int, required=True, help="how many synthetic units")
    sy.add_argument("--seed", type=int, default=1, help="random seed (same seed, same units)")
    sy.add_argument("--out", required=True, help="N-Quads file to write")
    sy.add_argument("--validate", action="store_true", help="validate the result with SHACL (slow for big N)")
    sy.set_defaults(func=cmd_synth)
