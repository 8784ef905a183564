"""Build benchmark: time and peak memory of a full build, triples per second, loading the prebuilt graph,
and in the same run plain rdflib parsing the same N-Triples, side by side.

    python bench/build.py            # prints a table; each figure from a fresh process
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

STEPS = {
    "build (no validation)": """
from graph.namespaces import Vocab; from graph.build.prebuilt import build
r = build(Vocab(), validate=False); out['triples'] = len(r.quads)""",
    "build + SHACL validation": """
from graph.namespaces import Vocab; from graph.build.prebuilt import build
r = build(Vocab(), validate=True); out['triples'] = len(r.quads)""",
    "load prebuilt N-Quads (pyoxigraph)": """
from graph.store.backend import EmbeddedBackend
b = EmbeddedBackend.in_memory(Path(ARG)); out['triples'] = b.count()""",
    "open service state (store + directory + resolver)": """
from graph.kg import KnowledgeGraph
kg = KnowledgeGraph.open(); kg.resolver; out['triples'] = kg.backend.count()""",
    "rdflib: parse the same N-Triples": """
import rdflib
g = rdflib.Graph(); g.parse(ARG_NT, format='nt'); out['triples'] = len(g)""",
    "pyoxigraph: parse the same N-Triples": """
import pyoxigraph
s = pyoxigraph.Store(); s.bulk_load(path=ARG_NT, format=pyoxigraph.RdfFormat.N_TRIPLES); out['triples'] = len(s)""",
}

RUNNER = """
import json, resource, sys, time
from pathlib import Path
ARG, ARG_NT = sys.argv[1], sys.argv[2]
out = {}
t = time.perf_counter()
exec(compile(sys.stdin.read(), 'step', 'exec'))
out['seconds'] = time.perf_counter() - t
out['peak_mib'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "api.cli", "build", "--no-validate", "--out", tmp], cwd=root, check=True,
                       capture_output=True)
        nq, nt = Path(tmp) / "baomi-kg.nq", Path(tmp) / "baomi-kg.nt"
        rows = []
        for name, code in STEPS.items():
            proc = subprocess.run([sys.executable, "-c", RUNNER, str(nq), str(nt)], input=code, text=True, cwd=root,
                                  capture_output=True, check=True)
            rows.append((name, json.loads(proc.stdout)))
    print(f"{'step':52} {'seconds':>8} {'peak MiB':>9} {'triples':>9} {'triples/s':>11}")
    for name, r in rows:
        rate = r["triples"] / r["seconds"] if r["seconds"] else 0
        print(f"{name:52} {r['seconds']:8.2f} {r['peak_mib']:9.0f} {r['triples']:9d} {rate:11,.0f}")


if __name__ == "__main__":
    main()
