"""Scale benchmark: the same service from the real graph (~175k triples) to ~1M and ~10M triples.

    python bench/scale.py                      # sizes 1e5 (the real graph), 1e6, 1e7
    python bench/scale.py --sizes 1e5,1e6      # a shorter run
    python bench/scale.py --json out.json      # also write the figures

Per size, each step in a fresh process: synthetic growth (`baomi-kg synth`), bulk load into the
embedded on-disk store (`baomi-kg load --store oxigraph:DIR`, which also writes the start-up
snapshot), on-disk size, start-up of `baomi-kg serve` to its first jurisdiction answer (a restart:
the store is loaded already), the server's peak RSS, in-process jurisdiction lookup p50/p99 over
regions and units, and the SPARQL query mix on the on-disk store. References in the same run: plain
pyoxigraph (in memory and on disk) and plain rdflib loading the same N-Quads file. Then the growth
exponent of each figure between sizes (figure ∝ size^k), and, at the middle size, the throughput of
one and of two uvicorn workers on the jurisdiction endpoint (wrk).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from inputs import distinct_inputs, rotation_script  # this folder: the script's own, first on sys.path
from ports import free_port

# httpx is imported in the functions that use it: the measured steps run in processes of this file (--step), and
# their peak memory should count what they measure, not an HTTP client.

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BASE_QUADS = 175_100
QUADS_PER_UNIT = 21.8

QUERIES = {
    "chain (property path)": "SELECT ?c WHERE { committee:330106 bm:guidedBy* ?c }",
    "committees under a province": "SELECT ?c WHERE { ?c bm:guidedBy+ committee:330000 }",
    "counts per level": "SELECT ?l (COUNT(?c) AS ?n) WHERE { ?c a bm:PartyConfidentialityCommittee ; "
    "bm:level ?l } GROUP BY ?l",
    "exact label": 'SELECT ?c WHERE { ?c rdfs:label "中共杭州市西湖区委保密委员会"@zh }',
    "label substring": "SELECT ?c WHERE { ?c a bm:PartyConfidentialityCommittee ; rdfs:label ?l "
    'FILTER(CONTAINS(?l, "西湖")) }',
    "DESCRIBE": "DESCRIBE committee:441900",
}

LOOKUP_INPUTS = [
    "330106",
    "浙江省杭州市西湖区文三路",
    "hangzhou",
    "仙桃",
    "北京市朝阳区",
    "东莞",
    "Hunchun",
    "外交部",
    "广东深圳南山区",
    "延边朝鲜族自治州珲春市",
    "429004",
    "中共杭州市委保密委员会",
]


# -- the steps measured in a process of their own ---------------------------------------------------------------
def lookups_step(store: str, units_file: str, mix_json: str) -> dict[str, object]:
    """Open the store in process; lookup p50/p99 over names, codes and synthetic units; the query mix's medians."""
    from pyoxigraph import QueryBoolean

    from graph.kg import KnowledgeGraph
    from graph.settings import Settings
    from graph.store.backend import EmbeddedBackend

    started = time.perf_counter()
    kg = KnowledgeGraph.open(Settings(store=store))
    _ = kg.resolver  # built here, inside the time of opening
    opened = time.perf_counter() - started
    units = [u for u in Path(units_file).read_text(encoding="utf-8").splitlines() if u]
    rng = random.Random(1)  # a reproducible mix
    queries = [rng.choice(LOOKUP_INPUTS) if not units or rng.random() < 0.5 else rng.choice(units) for _ in range(3000)]
    for q in queries[:200]:
        kg.lookup(q)
    times = []
    for q in queries:
        begun = time.perf_counter()
        kg.lookup(q)
        times.append((time.perf_counter() - begun) * 1000)
    times.sort()
    mix: dict[str, str] = json.loads(mix_json)
    prologue = kg.vocab.sparql_prologue()
    assert isinstance(kg.backend, EmbeddedBackend)  # the query mix runs through pyoxigraph's own API
    medians = {}
    for name, query in mix.items():
        runs = []
        for _ in range(7):
            begun = time.perf_counter()
            answer = kg.backend.store.query(prologue + query, use_default_graph_as_union=True)
            if not isinstance(answer, QueryBoolean):  # rows of a SELECT or triples of a DESCRIBE: all read
                list(answer)
            runs.append((time.perf_counter() - begun) * 1000)
        medians[name] = statistics.median(runs)
    return {
        "open_s": opened,
        "p50_ms": times[len(times) // 2],
        "p99_ms": times[int(len(times) * 0.99)],
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "queries_ms": medians,
    }


def reference_step(kind: str, path: str, folder: str) -> dict[str, object]:
    """The same N-Quads loaded by a plain library: rdflib, or pyoxigraph in memory or on disk."""
    started = time.perf_counter()
    if kind == "rdflib":
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(path, format="nquads")
        n = len(ds)
    else:
        import pyoxigraph

        store = pyoxigraph.Store(folder) if kind == "pyoxigraph-disk" else pyoxigraph.Store()
        store.bulk_load(path=path, format=pyoxigraph.RdfFormat.N_QUADS)
        if kind == "pyoxigraph-disk":
            store.flush()
        n = len(store)
    return {
        "seconds": time.perf_counter() - started,
        "quads": n,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


STEPS = {"lookups": lookups_step, "reference": reference_step}


def step_command(name: str, *args: str) -> list[str]:
    """The command that runs one measured step of this file in a fresh process."""
    return [PY, str(Path(__file__).resolve()), "--step", name, *args]


def cli_command(*args: str) -> list[str]:
    """``baomi-kg ARGS`` as a user would type it."""
    return [PY, "-m", "api.cli", *args]


def run_measured(command: list[str]) -> tuple[str, float, float]:
    """Run a command in its own process (a step of this file or a baomi-kg command); return its stdout, wall time
    and peak RSS in MiB (the kernel's account of that process)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, text=True, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)[:200]}\n{err.read()[-2000:]}")
        return out.read(), wall, usage.ru_maxrss / 1024


def start_server(args: list[str]) -> tuple[subprocess.Popen[bytes], str, float]:
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen(
        cli_command("serve", "--port", str(port), *args), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while True:
        if proc.poll() is not None:
            raise SystemExit("server exited during start-up")
        try:
            r = httpx.get(url + "/api/v1/jurisdiction", params={"q": "330106"}, timeout=1)
            if r.status_code == 200:
                return proc, url, time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)


def peak_rss(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    m = re.search(r"VmHWM:\s+(\d+) kB", text)
    return int(m.group(1)) / 1024 if m else 0.0


def wrk_rps(url: str, seconds: int, script: Path | None = None) -> float:
    if shutil.which("wrk") is None:
        return float("nan")
    rotate = ["-s", str(script)] if script else []
    out = subprocess.run(["wrk", "-t1", "-c16", f"-d{seconds}s", *rotate, url], capture_output=True, text=True).stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(m.group(1)) if m else float("nan")


def one_size(target: float, folder: Path, rdflib_max: float) -> dict[str, object]:
    import httpx

    units = max(0, round((target - BASE_QUADS) / QUADS_PER_UNIT))
    data = folder / f"data-{units}.nq"
    _, synth_s, _ = run_measured(cli_command("synth", "--units", str(units), "--seed", "1", "--out", str(data)))
    names = folder / f"units-{units}.txt"
    with data.open(encoding="utf-8") as nq, names.open("w", encoding="utf-8") as out:
        seen = 0
        for line in nq:
            if "/graph/synthetic/" in line and "rdf-schema#label" in line and line.count('"@zh') == 1:
                out.write(line.split('"')[1] + "\n")
                seen += 1
                if seen >= 2000:
                    break
    store = folder / f"store-{units}"
    loaded, _, load_rss = run_measured(cli_command("load", "--store", f"oxigraph:{store}", "--file", str(data)))
    m = re.search(
        r"in ([\d.]+) s: the store holds (\d+) quads .*, (\w+) allocator.*snapshot written in ([\d.]+) s", loaded
    )
    if not m:
        raise SystemExit(f"unexpected output of baomi-kg load: {loaded!r}")
    load_s, quads, allocator, snapshot_s = float(m.group(1)), int(m.group(2)), m.group(3), float(m.group(4))
    disk = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    server, url, startup = start_server(["--store", f"oxigraph:{store}"])
    try:
        for q in ("仙桃", "hangzhou", "浙江省杭州市西湖区文三路"):
            httpx.get(url + "/api/v1/jurisdiction", params={"q": q})
        server_rss = peak_rss(server.pid)
    finally:
        server.terminate()
        server.wait()
    lookups, _, _ = run_measured(step_command("lookups", f"oxigraph:{store}", str(names), json.dumps(QUERIES)))
    inproc = json.loads(lookups)
    refs: dict[str, dict[str, float]] = {}
    for kind in ("pyoxigraph-memory", "pyoxigraph-disk", "rdflib"):
        if kind == "rdflib" and quads > rdflib_max:
            continue
        ref_dir = folder / f"ref-{units}"
        shutil.rmtree(ref_dir, ignore_errors=True)
        reference, _, _ = run_measured(step_command("reference", kind, str(data), str(ref_dir)))
        refs[kind] = json.loads(reference)
        shutil.rmtree(ref_dir, ignore_errors=True)
    return {
        "target": target,
        "units": units,
        "quads": quads,
        "synth_s": synth_s,
        "load_s": load_s,
        "load_qps": quads / load_s if load_s else 0.0,
        "snapshot_s": snapshot_s,
        "load_rss_mib": load_rss,
        "allocator": allocator,
        "disk_bytes": disk,
        "bytes_per_quad": disk / quads if quads else 0.0,
        "startup_s": startup,
        "server_rss_mib": server_rss,
        "open_s": inproc["open_s"],
        "lookup_p50_ms": inproc["p50_ms"],
        "lookup_p99_ms": inproc["p99_ms"],
        "lookup_rss_mib": inproc["rss_mib"],
        "queries_ms": inproc["queries_ms"],
        "references": refs,
        "store": str(store),
    }


def workers_throughput(store: str, seconds: int, tmp: Path) -> dict[str, float]:
    """Lookups per second with one and with two uvicorn workers, cycling through more inputs than the service
    remembers answers for (so that the server, not the load generator, is what runs out of CPU)."""
    import httpx

    paths = ["/api/v1/jurisdiction?q=" + quote(q) for q in distinct_inputs()]
    script = rotation_script(paths, tmp / "rotate.lua")
    out: dict[str, float] = {}
    for workers in (1, 2):
        server, url, _ = start_server(["--store", f"oxigraph:{store}", "--workers", str(workers)])
        try:
            pids: set[int] = set()
            deadline = time.monotonic() + 120
            while len(pids) < workers and time.monotonic() < deadline:  # every worker up before measuring
                with httpx.Client() as fresh:
                    pids.add(fresh.get(url + "/readyz").json()["pid"])
            out[f"{workers} worker(s) req/s"] = wrk_rps(url + paths[0], seconds, script)
        finally:
            server.terminate()
            server.wait()
    out["ratio"] = out["2 worker(s) req/s"] / out["1 worker(s) req/s"]
    return out


def exponent(a: float, b: float, na: float, nb: float) -> float:
    if a <= 0 or b <= 0 or na == nb:
        return float("nan")
    return math.log(b / a) / math.log(nb / na)


def growth(values: list[float], results: list[dict[str, object]]) -> str:
    sizes = [float(r["quads"]) for r in results]  # type: ignore[arg-type]
    pairs = range(len(values) - 1)
    return " ".join(f"{exponent(values[i], values[i + 1], sizes[i], sizes[i + 1]):+.2f}" for i in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e5,1e6,1e7", help="target sizes in triples, comma-separated")
    parser.add_argument("--rdflib-max", type=float, default=2e7, help="skip rdflib above this many quads")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)  # one measured step, in a fresh process
    parser.add_argument("step_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(STEPS[args.step](*args.step_args)))
        return
    sizes = [float(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="baomi-scale-") as tmp:
        env_cache = Path(tmp) / "cache"
        os.environ["BAOMI_KG_CACHE_DIR"] = str(env_cache)
        shutil.copytree(
            Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "baomi-kg",
            env_cache,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("snapshot-*"),
        )
        for size in sizes:
            print(f"… size {size:.0e}", file=sys.stderr, flush=True)
            results.append(one_size(size, Path(tmp), args.rdflib_max))
        middle = results[min(1, len(results) - 1)]
        workers = workers_throughput(str(middle["store"]), args.wrk_seconds, Path(tmp))
    report(results, workers)
    if args.json:
        Path(args.json).write_text(json.dumps({"sizes": results, "workers": workers}, indent=2), encoding="utf-8")


def report(results: list[dict[str, object]], workers: dict[str, float]) -> None:
    rows = [
        ("quads", "quads", "{:,.0f}"),
        ("synthetic units", "units", "{:,.0f}"),
        ("synth (write N-Quads), s", "synth_s", "{:.1f}"),
        ("bulk load on disk, s", "load_s", "{:.1f}"),
        ("bulk load, quads/s", "load_qps", "{:,.0f}"),
        ("start-up snapshot at load, s", "snapshot_s", "{:.1f}"),
        ("load process peak RSS, MiB", "load_rss_mib", "{:,.0f}"),
        ("on-disk size, MiB", "disk_bytes", "{:,.1f}"),
        ("on-disk bytes per quad", "bytes_per_quad", "{:.0f}"),
        ("restart to first answer, s", "startup_s", "{:.2f}"),
        ("server peak RSS, MiB", "server_rss_mib", "{:,.0f}"),
        ("in-process open (snapshot), s", "open_s", "{:.2f}"),
        ("lookup p50, ms", "lookup_p50_ms", "{:.3f}"),
        ("lookup p99, ms", "lookup_p99_ms", "{:.3f}"),
        ("lookup process peak RSS, MiB", "lookup_rss_mib", "{:,.0f}"),
    ]
    width = 34
    print(
        f"{'figure':{width}}"
        + "".join(f"{r['quads']:>14,}" for r in results)
        + ("   growth exponents" if len(results) > 1 else "")
    )
    for label, key, fmt in rows:
        values = [float(r[key]) / (1024 * 1024 if key == "disk_bytes" else 1) for r in results]  # type: ignore[arg-type]
        line = f"{label:{width}}" + "".join(f"{fmt.format(v):>14}" for v in values)
        if len(results) > 1 and key not in ("quads", "units"):
            line += "   " + growth(values, results)
        print(line)
    print(f"{'allocator of the bulk load':{width}}" + "".join(f"{r['allocator']:>14}" for r in results))
    print("SPARQL query mix on the on-disk store (median ms)")
    for name in QUERIES:
        values = [r["queries_ms"][name] for r in results]  # type: ignore[index]
        line = f"  {name:{width - 2}}" + "".join(f"{v:>14.2f}" for v in values)
        if len(results) > 1:
            line += "   " + growth(values, results)
        print(line)
    print("references: the same N-Quads file loaded by plain libraries (s / quads/s / peak MiB)")
    for kind in ("pyoxigraph-memory", "pyoxigraph-disk", "rdflib"):
        cells = []
        for r in results:
            ref = r["references"].get(kind)  # type: ignore[attr-defined]
            cells.append(
                "skipped"
                if ref is None
                else f"{ref['seconds']:.1f}/{ref['quads'] / ref['seconds']:,.0f}/{ref['rss_mib']:,.0f}"
            )
        print(f"  {kind:{width - 2}}" + "".join(f"{c:>28}" for c in cells))
    print(
        "workers (jurisdiction, every county by code, 12-digit code and address in turn, wrk -t1 -c16, at the "
        "middle size): " + ", ".join(f"{k} {v:,.2f}" for k, v in workers.items())
    )
    print("note: 2 cores; wrk shares them with the server, so absolute req/s understate a dedicated machine.")


if __name__ == "__main__":
    main()
