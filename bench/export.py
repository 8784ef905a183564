"""Export benchmark: time and peak memory of every export format for the whole graph, and beside them
networkx's own writers (write_graphml, write_gexf 1.3) on the same projection, in one run.

    python bench/export.py            # prints a table; each row from a fresh process
    python bench/export.py --json F   # also writes the figures as JSON

Each row opens the graph (the prebuilt cache), builds the directory and the resolver, then measures one
export of the whole graph (all levels, all edge kinds, Chinese labels): its wall time, the growth of the
process's peak resident memory during it, and the size of the output.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROWS = {
    **{f"baomi-kg {fmt}": f"body = export(kg, {fmt!r}, scope).body" for fmt in (
        "graphml", "gexf", "cytoscape", "d3", "dot", "mermaid", "turtle", "ntriples", "jsonld", "svg", "png")},
    "projection only (graph.export.scope.project)": "g = project(kg.directory, scope); body = b''",
    "networkx write_graphml (same projection)": """
g = project(kg.directory, scope); buf = io.BytesIO(); nx.write_graphml(g, buf); body = buf.getvalue()""",
    "networkx write_gexf 1.3 (same projection)": """
g = project(kg.directory, scope); buf = io.BytesIO(); nx.write_gexf(g, buf, version='1.3'); body = buf.getvalue()""",
}

RUNNER = """
import io, json, resource, sys, time
import networkx as nx
from graph.export.formats import export
from graph.kg import KnowledgeGraph
from graph.export.scope import make_scope, project
kg = KnowledgeGraph.open(); kg.directory; kg.resolver
scope = make_scope()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
exec(compile(sys.stdin.read(), 'row', 'exec'))
seconds = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({'seconds': seconds, 'peak_growth_mib': (after - before) / 1024, 'peak_mib': after / 1024,
                  'bytes': len(body)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures to this file too")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per row (pictures of the whole graph "
                                                                   "take Graphviz a while)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", "from graph.kg import KnowledgeGraph; KnowledgeGraph.open().directory"],
                   cwd=root, check=True)  # build the prebuilt cache once, outside the figures
    results: dict[str, dict[str, float]] = {}
    print(f"{'export of the whole graph':44} {'seconds':>8} {'peak +MiB':>10} {'peak MiB':>9} {'output MB':>10}")
    for name, code in ROWS.items():
        try:
            proc = subprocess.run([sys.executable, "-c", RUNNER], input=code, text=True, cwd=root,
                                  capture_output=True, check=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{name:44} {'timeout':>8}")
            continue
        except subprocess.CalledProcessError as exc:
            print(f"{name:44} failed: {exc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout)
        results[name] = r
        print(f"{name:44} {r['seconds']:8.2f} {r['peak_growth_mib']:10.0f} {r['peak_mib']:9.0f} "
              f"{r['bytes'] / 1e6:10.1f}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
