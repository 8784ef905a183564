"""Export benchmark: time and peak memory of every export format for the whole graph, and beside them
networkx's own writers (write_graphml, write_gexf 1.3) on the same projection, in one run.

    python bench/export.py            # prints a table; each row from a fresh process
    python bench/export.py --json F   # also writes the figures as JSON

Each row opens the graph (the prebuilt cache), builds the directory and the resolver, then measures one
export of the whole graph (all levels, all edge kinds, Chinese labels): its wall time, the growth of the
process's peak resident memory during it, and the size of the output.  A row is a function below, run by
this same file in a fresh process (``--row NAME``).
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from graph.export.formats import export
from graph.export.projection import project
from graph.export.scope import Scope, make_scope
from graph.kg import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
OUR_FORMATS = ("graphml", "gexf", "cytoscape", "d3", "dot", "mermaid", "turtle", "ntriples", "jsonld", "svg", "png")

Row = Callable[[KnowledgeGraph, Scope], bytes]  # the export of a scope of the graph, as bytes


def ours(fmt: str, kg: KnowledgeGraph, scope: Scope) -> bytes:
    return export(kg, fmt, scope).body


def projection_only(kg: KnowledgeGraph, scope: Scope) -> bytes:
    project(kg.directory, scope)
    return b""


def networkx_graphml(kg: KnowledgeGraph, scope: Scope) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(project(kg.directory, scope), buf)
    return buf.getvalue()


def networkx_gexf(kg: KnowledgeGraph, scope: Scope) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(project(kg.directory, scope), buf, version="1.3")
    return buf.getvalue()


ROWS: dict[str, Row] = {
    **{f"baomi-kg {fmt}": functools.partial(ours, fmt) for fmt in OUR_FORMATS},
    "projection only (graph.export.projection.project)": projection_only,
    "networkx write_graphml (same projection)": networkx_graphml,
    "networkx write_gexf 1.3 (same projection)": networkx_gexf,
}


def run_row(name: str) -> None:
    """One row, in this process: the graph opened first, then the export timed; a JSON line of its figures."""
    kg = KnowledgeGraph.open()
    _ = kg.directory, kg.resolver  # built before the clock starts
    scope = make_scope()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    body = ROWS[name](kg, scope)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_growth_mib": (after - before) / 1024,
                "peak_mib": after / 1024,
                "bytes": len(body),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures to this file too")
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds per row (pictures of the whole graph take Graphviz a while)"
    )
    parser.add_argument("--row", choices=ROWS, help=argparse.SUPPRESS)  # one row, in a fresh process
    args = parser.parse_args()
    if args.row:
        run_row(args.row)
        return
    _ = KnowledgeGraph.open().directory  # build the prebuilt cache once, outside the figures
    results: dict[str, dict[str, float]] = {}
    print(f"{'export of the whole graph':44} {'seconds':>8} {'peak +MiB':>10} {'peak MiB':>9} {'output MB':>10}")
    for name in ROWS:
        try:
            proc = subprocess.run(
                [sys.executable, __file__, "--row", name],
                text=True,
                cwd=ROOT,
                capture_output=True,
                check=True,
                timeout=args.timeout,
            )
        except subprocess.TimeoutExpired:
            print(f"{name:44} {'timeout':>8}")
            continue
        except subprocess.CalledProcessError as exc:
            print(f"{name:44} failed: {exc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout)
        results[name] = r
        print(
            f"{name:44} {r['seconds']:8.2f} {r['peak_growth_mib']:10.0f} {r['peak_mib']:9.0f} {r['bytes'] / 1e6:10.1f}",
            flush=True,
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
