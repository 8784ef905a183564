"""Build benchmark: time and peak memory of a full build, triples per second, loading the prebuilt graph,
and in the same run plain rdflib parsing the same N-Triples, side by side.

    python bench/build.py            # prints a table; each figure from a fresh process

Each step is a function below, run by this same file in a fresh process (``--step NAME``): its clock starts
before the step imports what it needs, so an import is part of the figure.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_without_validation(nq: Path, nt: Path) -> int:
    from graph.build.prebuilt import build
    from graph.namespaces import Vocab

    return len(build(Vocab(), validate=False).quads)


def build_with_validation(nq: Path, nt: Path) -> int:
    from graph.build.prebuilt import build
    from graph.namespaces import Vocab

    return len(build(Vocab(), validate=True).quads)


def load_prebuilt(nq: Path, nt: Path) -> int:
    from graph.store.backend import EmbeddedBackend

    return EmbeddedBackend.in_memory(nq).count()


def open_service_state(nq: Path, nt: Path) -> int:
    from graph.kg import KnowledgeGraph

    kg = KnowledgeGraph.open()
    _ = kg.resolver  # the resolver is built on first use: part of what a service opens
    return kg.backend.count()


def rdflib_parse(nq: Path, nt: Path) -> int:
    import rdflib

    g = rdflib.Graph()
    g.parse(nt, format="nt")
    return len(g)


def pyoxigraph_parse(nq: Path, nt: Path) -> int:
    import pyoxigraph

    s = pyoxigraph.Store()
    s.bulk_load(path=nt, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return len(s)


# step -> what it does with the N-Quads and N-Triples of the built graph, returning the triples it holds
STEPS: dict[str, Callable[[Path, Path], int]] = {
    "build (no validation)": build_without_validation,
    "build + SHACL validation": build_with_validation,
    "load prebuilt N-Quads (pyoxigraph)": load_prebuilt,
    "open service state (store + directory + resolver)": open_service_state,
    "rdflib: parse the same N-Triples": rdflib_parse,
    "pyoxigraph: parse the same N-Triples": pyoxigraph_parse,
}


def run_step(name: str, nq: Path, nt: Path) -> None:
    """One step, in this process: its seconds, the process's peak memory and the triples, as a JSON line."""
    started = time.perf_counter()
    triples = STEPS[name](nq, nt)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"triples": triples, "seconds": seconds, "peak_mib": peak_mib}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)  # one step, in a fresh process
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        run_step(args.step, *args.files)
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "api.cli", "build", "--no-validate", "--out", tmp],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        nq, nt = Path(tmp) / "baomi-kg.nq", Path(tmp) / "baomi-kg.nt"
        rows = []
        for name in STEPS:
            proc = subprocess.run(
                [sys.executable, __file__, "--step", name, str(nq), str(nt)],
                text=True,
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            rows.append((name, json.loads(proc.stdout)))
    print(f"{'step':52} {'seconds':>8} {'peak MiB':>9} {'triples':>9} {'triples/s':>11}")
    for name, r in rows:
        rate = r["triples"] / r["seconds"] if r["seconds"] else 0
        print(f"{name:52} {r['seconds']:8.2f} {r['peak_mib']:9.0f} {r['triples']:9d} {rate:11,.0f}")


if __name__ == "__main__":
    main()
