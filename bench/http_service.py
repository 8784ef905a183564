"""HTTP benchmark: our service beside a FastAPI "hello" endpoint, rdflib-endpoint and ``oxigraph serve``.

    .venv/bin/python bench/http_service.py                   # full run, about 7 minutes
    .venv/bin/python bench/http_service.py --quick           # a short run, about 2 minutes
    .venv/bin/python bench/http_service.py --json out.json   # also write the figures

Everything is prepared here: the graph is built with ``baomi-kg build --no-validate``; the peers are
installed into ``.cache/bench-venv`` (versions pinned below, never into ``.venv``); every server runs on
127.0.0.1 on a free port and is stopped at the end, also on an error or Ctrl-C.  Each row is measured
twice: sequential latency (median, p99) over one keep-alive connection with a Python client, then
throughput with ``wrk -t2 -c32`` against the same URLs.  Answers are compared across the three SPARQL
servers, and the issue's targets are checked at the end.  See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from xml.sax import SAXException

import rdflib
from inputs import distinct_inputs, rotation_script  # this folder: the script's own, first on sys.path
from ports import free_port
from rdflib.exceptions import Error as RdflibError

from graph.namespaces import Vocab, declare_prefixes

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PEER_VENV = ROOT / ".cache" / "bench-venv"
OXIGRAPH_VERSION = "0.5.13"
RDFLIB_ENDPOINT_VERSION = "0.6.3"
PEER_REQUIREMENTS = {"oxigraph": OXIGRAPH_VERSION, "rdflib-endpoint": RDFLIB_ENDPOINT_VERSION}
# rdflib-endpoint's command line comes with its "cli" extra (click, uvicorn[standard]).
PEER_PINS = [f"oxigraph=={OXIGRAPH_VERSION}", f"rdflib-endpoint[cli]=={RDFLIB_ENDPOINT_VERSION}"]

SERVER_CPU, CLIENT_CPU = "0", "1"
WRK_THREADS, WRK_CONNECTIONS = 2, 32
BLOCK = 10  # sequential requests in a row to one target before the next target's turn

# A code, a name, an address, pinyin, a district of a municipality and a unit, in rotation.
JURISDICTION_INPUTS = ["330106", "杭州市", "浙江省杭州市西湖区文三路", "hangzhou", "北京市朝阳区", "外交部"]

SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"
JSON_ACCEPT = "application/json"

OURS, OXIGRAPH, RDFLIB, HELLO = "ours", "oxigraph", "rdflib-endpoint", "hello"
SPARQL_TARGETS = (OURS, OXIGRAPH, RDFLIB)


@dataclass(frozen=True)
class Query:
    key: str
    label: str
    text: str
    describe: bool = False


QUERIES = [
    Query(
        "chain",
        "chain to centre (path*)",
        """\
SELECT ?committee ?name WHERE {
  committee:330106 bm:guidedBy* ?committee .
  ?committee rdfs:label ?name . FILTER (LANG(?name) = "zh")
}""",
    ),
    Query(
        "province",
        "under a province (path+)",
        """\
SELECT ?committee ?name WHERE {
  ?committee bm:guidedBy+ committee:330000 ; rdfs:label ?name .
  FILTER (LANG(?name) = "zh")
} ORDER BY ?committee""",
    ),
    Query(
        "counts",
        "counts per level",
        """\
SELECT ?level (COUNT(?c) AS ?committees) WHERE {
  ?c a bm:PartyConfidentialityCommittee ; bm:level/skos:notation ?level .
} GROUP BY ?level ORDER BY DESC(?committees)""",
    ),
    Query(
        "label",
        "exact label",
        """\
SELECT ?committee WHERE { ?committee rdfs:label "中共杭州市委保密委员会"@zh }""",
    ),
    Query(
        "search",
        "label substring search",
        """\
SELECT ?c ?name WHERE {
  ?c a bm:ConfidentialityCommittee ; rdfs:label ?name .
  FILTER (CONTAINS(?name, "延边"))
}""",
    ),
    Query("describe", "DESCRIBE", "DESCRIBE committee:441900", describe=True),
]
# The queries the issue wants at least 10x faster than rdflib-endpoint ("property-path, count and text-search").
TEN_X = ("province", "counts", "search")

HELLO_APP = Path(__file__).with_name("hello_app.py")


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Figures:
    times: list[float] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    bodies: dict[str, bytes] = field(default_factory=dict)
    rps: float | None = None
    wrk_errors: str = ""
    reconnects: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self.times, n=100, method="inclusive")[98] * 1000

    def as_json(self) -> dict[str, Any]:
        return {
            "n": len(self.times),
            "median_ms": round(self.median_ms, 4),
            "p99_ms": round(self.p99_ms, 4),
            "requests_per_s": self.rps,
            "bad_responses": len(self.bad),
            "reconnects": self.reconnects,
            "wrk_errors": self.wrk_errors or None,
        }


def log(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


# -- preparing: the graph, the peers, the servers ------------------------------------------------------
def build_graph(out: Path) -> Path:
    log("building the graph (baomi-kg build --no-validate)")
    subprocess.run(
        [str(VENV_BIN / "baomi-kg"), "build", "--no-validate", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out / "baomi-kg.nq"


def ensure_peers() -> None:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        log(f"creating {PEER_VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    probe = "import importlib.metadata as m, json, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    have = subprocess.run([str(python), "-c", probe, *PEER_REQUIREMENTS], capture_output=True, text=True)
    if have.returncode == 0 and json.loads(have.stdout) == PEER_REQUIREMENTS:
        return
    log(f"installing {' '.join(PEER_PINS)} into {PEER_VENV.relative_to(ROOT)}")
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PEER_PINS],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pip install failed:\n{done.stdout}\n{done.stderr}")


def start(name: str, cmd: list[str], tmp: Path, pin: bool, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    cmd = [part.replace("{port}", str(port)) for part in cmd]
    if pin:
        cmd = ["taskset", "-c", SERVER_CPU, *cmd]
    log_path = tmp / f"{name}.log"
    with log_path.open("wb") as out:
        # A session of its own, so that stopping it reaches the children too (our SPARQL worker processes).
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    return Server(name, port, proc, log_path)


def stop(server: Server) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.proc.pid, signal.SIGTERM)
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait()
    with contextlib.suppress(ProcessLookupError):  # children left behind by a process that already ended
        os.killpg(server.proc.pid, signal.SIGKILL)


def get(port: int, path: str, accept: str = "*/*", timeout: float = 60) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        resp = conn.getresponse()
        return resp.status, resp.getheader("content-type", ""), resp.read()
    finally:
        conn.close()


def wait_ready(server: Server, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            tail = server.log.read_text(errors="replace").splitlines()[-15:]
            raise RuntimeError(
                f"{server.name} exited with {server.proc.returncode} while starting:\n" + "\n".join(tail)
            )
        with contextlib.suppress(OSError):
            if get(server.port, path, timeout=5)[0] == 200:
                return
        time.sleep(0.25)
    raise RuntimeError(f"{server.name} was not ready within {timeout:.0f} s (log: {server.log})")


def load_oxigraph(server: Server, nquads: Path) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    try:
        with nquads.open("rb") as body:
            conn.request(
                "POST",
                "/store",
                body=body,
                headers={"Content-Type": "application/n-quads", "Content-Length": str(nquads.stat().st_size)},
            )
            resp = conn.getresponse()
            resp.read()
    finally:
        conn.close()
    if resp.status not in (200, 201, 204):
        raise RuntimeError(f"oxigraph refused the N-Quads: HTTP {resp.status}")


def server_env() -> dict[str, str]:
    """The environment without BAOMI_KG_* settings, so that our service runs with its defaults."""
    return {k: v for k, v in os.environ.items() if not k.startswith("BAOMI_KG_")}


def start_all(servers: dict[str, Server], tmp: Path, nquads: Path, pin: bool) -> None:
    """Start the four servers, each entered in ``servers`` as soon as it runs (so that it is stopped)."""
    peer_bin = PEER_VENV / "bin"
    servers[HELLO] = start(HELLO, [str(VENV_BIN / "python"), str(HELLO_APP), "{port}"], tmp, pin, server_env())
    servers[OURS] = start(
        OURS, [str(VENV_BIN / "baomi-kg"), "serve", "--host", "127.0.0.1", "--port", "{port}"], tmp, pin, server_env()
    )
    servers[OXIGRAPH] = start(
        OXIGRAPH, [str(peer_bin / "oxigraph"), "serve", "--bind", "127.0.0.1:{port}", "--union-default-graph"], tmp, pin
    )
    servers[RDFLIB] = start(
        RDFLIB,
        [str(peer_bin / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", "{port}", str(nquads)],
        tmp,
        pin,
    )


def ready_all(servers: dict[str, Server], nquads: Path) -> None:
    ask = "?" + urlencode({"query": "ASK {}"})
    log("waiting for the servers (our first start builds and validates the graph cache)")
    wait_ready(servers[HELLO], "/hello", 120)
    wait_ready(servers[OXIGRAPH], "/query" + ask, 120)
    log("loading the N-Quads into oxigraph's in-memory store")
    load_oxigraph(servers[OXIGRAPH], nquads)
    wait_ready(servers[OURS], "/readyz", 900)
    wait_ready(servers[RDFLIB], "/" + ask, 600)


def sparql_path(target: str, query: str) -> str:
    route = {OURS: "/sparql", OXIGRAPH: "/query", RDFLIB: "/"}[target]
    return route + "?" + urlencode({"query": query})


def prologue(text: str) -> str:
    """Explicit PREFIX declarations for the prefixes ``text`` uses: the peers predeclare none of ours."""
    used = {p: iri for p, iri in Vocab().prefixes.items() if re.search(rf"(?<![\w-]){re.escape(p)}:", text)}
    return declare_prefixes(used)


# -- measuring --------------------------------------------------------------------------------------------
def sequential(rows: list[Row], servers: dict[str, Server], n: int, warmup: int) -> None:
    """Per (row, target): ``warmup`` GETs, then ``n`` timed GETs from send to last byte.

    One keep-alive connection per server.  The targets compared with each other (the three SPARQL
    servers on one query; the jurisdiction lookup and hello) take turns in blocks of ``BLOCK``
    requests, so that a change in the machine's background load weighs on each of them alike, while
    consecutive requests still find the server warm.
    """
    conns = {name: http.client.HTTPConnection("127.0.0.1", s.port, timeout=120) for name, s in servers.items()}

    def one(row: Row, target: str, i: int, timed: bool) -> None:
        conn, figures, path = conns[target], row.figures[target], row.paths[target][i % len(row.paths[target])]
        for attempt in range(2):
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": row.accept})
                resp = conn.getresponse()
                body = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the connection while it was idle (uvicorn's keep-alive timeout is 5 s,
                # shorter than the turns of slow servers): connect again, outside the timed span.
                if attempt:
                    raise
                conn.close()
                conn.connect()
                figures.reconnects += 1
        elapsed = time.perf_counter() - started
        if resp.status != 200 or not body:
            figures.bad.append(f"HTTP {resp.status}, {len(body)} bytes for {path[:60]}")
        if timed:
            figures.times.append(elapsed)
        figures.bodies[path] = body

    groups = [[(row, t) for row in rows if row.query is None for t in row.paths]]
    groups += [[(row, t) for t in row.paths] for row in rows if row.query is not None]
    try:
        for group in groups:
            log(f"{' / '.join(sorted({row.label for row, _ in group}))}: {n} sequential requests per target")
            for row, target in group:
                row.figures[target] = Figures()
                for i in range(warmup):
                    one(row, target, i, timed=False)
            for start in range(0, n, BLOCK):
                for row, target in group:
                    for i in range(start, min(n, start + BLOCK)):
                        one(row, target, i, timed=True)
    finally:
        for conn in conns.values():
            conn.close()


def _cpu_ticks(pgid: int) -> int:
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                total += int(fields[11]) + int(fields[12])
    return total


def wait_idle(server: Server, timeout: float = 300) -> None:
    """Wait until the server's processes stop using CPU: wrk leaves queued requests behind on slow servers."""
    deadline = time.monotonic() + timeout
    last = _cpu_ticks(server.proc.pid)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = _cpu_ticks(server.proc.pid)
        if now - last <= 1:
            return
        last = now


def throughput(server: Server, paths: list[str], accept: str, seconds: int, tmp: Path, pin: bool) -> tuple[float, str]:
    """Requests per second from ``wrk``, and a note of any socket errors or non-2xx answers."""
    cmd = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-H",
        f"Accept: {accept}",
    ]
    if pin:
        cmd = ["taskset", "-c", CLIENT_CPU, *cmd]
    if len(paths) > 1:
        cmd += ["-s", str(rotation_script(paths, tmp / "rotate.lua"))]
    cmd.append(server.base + paths[0])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 120).stdout
    wait_idle(server)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise RuntimeError(f"no Requests/sec in wrk's output:\n{out}")
    problems = []
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        problems.append(f"{m.group(1)} non-2xx/3xx")
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        problems.append(f"socket errors connect {m[1]} read {m[2]} write {m[3]} timeout {m[4]}")
    return float(rate.group(1)), "; ".join(problems)


# -- answers ------------------------------------------------------------------------------------------------
def answer_of(query: Query, body: bytes) -> tuple[int, Any]:
    """(size, canonical content) of an answer: rows of a SELECT, the set of triples of a DESCRIBE."""
    if query.describe:
        fmt = "xml" if body.lstrip().startswith((b"<?xml", b"<rdf:RDF")) else "nt"
        graph = rdflib.Graph()
        try:
            graph.parse(data=body, format=fmt)
        except (RdflibError, SAXException) as exc:
            raise ValueError(f"not {fmt}: {exc}") from exc
        return len(graph), frozenset(graph)
    bindings = json.loads(body)["results"]["bindings"]
    rows = sorted(tuple(sorted((var, b["value"], b.get("xml:lang", "")) for var, b in sol.items())) for sol in bindings)
    return len(rows), rows


def compare_answers(query: Query, bodies: dict[str, bytes]) -> str | None:
    answers = {t: answer_of(query, body) for t, body in bodies.items()}
    first = next(iter(answers.values()))[1]
    if all(content == first for _, content in answers.values()):
        return None
    unit = "triples" if query.describe else "rows"
    sizes = ", ".join(f"{t} {size}" for t, (size, _) in answers.items())
    same = len({size for size, _ in answers.values()}) == 1
    return f"answers differ for {query.label}: {sizes} {unit}" + (" (same size, other content)" if same else "")


def count_quads(servers: dict[str, Server], accept: str = SELECT_ACCEPT) -> dict[str, int]:
    text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    counts = {}
    for target in SPARQL_TARGETS:
        status, _, body = get(servers[target].port, sparql_path(target, text), accept, timeout=300)
        counts[target] = int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) if status == 200 else -1
    return counts


def http_stack(python: Path) -> str:
    probe = "import importlib.util as u; print(*[m for m in ('uvloop', 'httptools') if u.find_spec(m)])"
    found = subprocess.run([str(python), "-c", probe], capture_output=True, text=True).stdout.split()
    loop = "uvloop" if "uvloop" in found else "asyncio"
    parser = "httptools" if "httptools" in found else "h11"
    return f"{loop} + {parser}"


# -- the run --------------------------------------------------------------------------------------------------
@dataclass
class Row:
    key: str
    label: str
    paths: dict[str, list[str]]  # target -> paths in rotation
    accept: str
    figures: dict[str, Figures] = field(default_factory=dict)
    query: Query | None = None


def plan() -> list[Row]:
    jurisdiction = ["/api/v1/jurisdiction?q=" + quote(q) for q in JURISDICTION_INPUTS]
    distinct = ["/api/v1/jurisdiction?q=" + quote(q) for q in distinct_inputs()]
    rows = [
        Row("jurisdiction", "jurisdiction lookup", {OURS: jurisdiction}, JSON_ACCEPT),
        Row("jurisdiction-distinct", f"  {len(distinct):,} distinct inputs", {OURS: distinct}, JSON_ACCEPT),
        Row("hello", "hello (ceiling)", {HELLO: ["/hello"]}, JSON_ACCEPT),
    ]
    for q in QUERIES:
        text = prologue(q.text) + q.text
        rows.append(
            Row(
                q.key,
                q.label,
                {t: [sparql_path(t, text)] for t in SPARQL_TARGETS},
                GRAPH_ACCEPT if q.describe else SELECT_ACCEPT,
                query=q,
            )
        )
    return rows


def measure(rows: list[Row], servers: dict[str, Server], args: argparse.Namespace, tmp: Path) -> None:
    n, warmup, seconds = (50, 5, 3) if args.quick else (300, 20, 10)
    pin = not args.no_pin
    if pin:
        os.sched_setaffinity(0, {int(CLIENT_CPU)})
    sequential(rows, servers, n, warmup)
    for row in rows:
        for target, paths in row.paths.items():
            log(f"{row.label} on {target}: wrk for {seconds} s")
            figures = row.figures[target]
            figures.rps, figures.wrk_errors = throughput(servers[target], paths, row.accept, seconds, tmp, pin)


HEAVY_CLIENTS = 16


@dataclass
class Liveness:
    """A light request's latency while ``HEAVY_CLIENTS`` heavy ones run at once on the same server."""

    probe: str
    heavy: str
    times: list[float] = field(default_factory=list)
    heavy_statuses: dict[int, int] = field(default_factory=dict)
    heavy_seconds: float = 0.0
    errors: int = 0

    def percentile_ms(self, q: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def liveness(server: Server, probe: str, heavy: str, accept: str) -> Liveness:
    """Probe ``probe`` every 10 ms over one keep-alive connection while ``HEAVY_CLIENTS`` threads each GET
    ``heavy`` once (the issue's case: 16 whole-graph GraphML exports at once)."""
    figures = Liveness(probe, heavy)
    done = threading.Event()

    def probing() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        while not done.is_set():
            started = time.perf_counter()
            try:
                conn.request("GET", probe)
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    figures.times.append(time.perf_counter() - started)
                else:
                    figures.errors += 1
            except OSError:
                figures.errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            time.sleep(0.01)
        conn.close()

    def heavy_one() -> None:
        try:
            status, _, _ = get(server.port, heavy, accept, timeout=600)
        except OSError:
            status = 0
        figures.heavy_statuses[status] = figures.heavy_statuses.get(status, 0) + 1

    prober = threading.Thread(target=probing)
    prober.start()
    time.sleep(0.5)
    started = time.perf_counter()
    workers = [threading.Thread(target=heavy_one) for _ in range(HEAVY_CLIENTS)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    figures.heavy_seconds = time.perf_counter() - started
    done.set()
    prober.join()
    return figures


def measure_liveness(servers: dict[str, Server]) -> dict[str, Liveness]:
    whole_graph = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    out = {}
    log(f"ours: /healthz while {HEAVY_CLIENTS} whole-graph GraphML exports run")
    out[OURS] = liveness(servers[OURS], "/healthz", "/api/v1/export?format=graphml", "application/graphml+xml")
    log(f"oxigraph: ASK {{}} while {HEAVY_CLIENTS} whole-graph CONSTRUCTs run")
    out[OXIGRAPH] = liveness(
        servers[OXIGRAPH], sparql_path(OXIGRAPH, "ASK {}"), sparql_path(OXIGRAPH, whole_graph), GRAPH_ACCEPT
    )
    return out


def liveness_lines(figures: dict[str, Liveness]) -> list[str]:
    lines = [f"light requests while {HEAVY_CLIENTS} heavy ones run at once (p50 / p99 / max ms; heavy answers)"]
    for target, f in figures.items():
        statuses = ", ".join(f"{n} x {code}" for code, n in sorted(f.heavy_statuses.items()))
        lines.append(
            f"  {target:9} {f.probe[:30]:30} {f.percentile_ms(0.5):7.1f} {f.percentile_ms(0.99):7.1f} "
            f"{f.percentile_ms(1.0):7.1f}   {statuses} in {f.heavy_seconds:.0f} s"
            + (f", {f.errors} probe errors" if f.errors else "")
        )
    return lines


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "-"
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def fmt_rps(rps: float | None) -> str:
    return "-" if rps is None else f"{rps:.0f}"


def table(rows: list[Row]) -> list[str]:
    groups = (OURS, OXIGRAPH, RDFLIB)
    lines = [
        f"{'':25}" + "".join(f"  {' ' + g + ' ':-^21}" for g in groups),
        f"{'':25}" + f"  {'median':>6} {'p99':>6} {'req/s':>7}" * len(groups),
    ]
    for row in rows:
        cells = []
        for g in groups:
            f = row.figures.get(HELLO if row.key == "hello" and g == OURS else g)
            median, p99, rps = (f.median_ms, f.p99_ms, f.rps) if f else (None, None, None)
            cells.append(f"  {fmt_ms(median):>6} {fmt_ms(p99):>6} {fmt_rps(rps):>7}")
        lines.append(f"{row.label:25}" + "".join(cells))
    return lines


def checks(rows: list[Row], alive: dict[str, Liveness]) -> list[tuple[bool, str]]:
    by_key = {row.key: row for row in rows}
    out: list[tuple[bool, str]] = []
    live = alive[OURS]
    out.append(
        (
            live.percentile_ms(0.99) < 50 and live.errors == 0,
            f"/healthz p99 {live.percentile_ms(0.99):.1f} ms < 50 ms while {HEAVY_CLIENTS} whole-graph exports "
            f"run, {live.errors} probe errors",
        )
    )
    jur, hello = by_key["jurisdiction"].figures[OURS], by_key["hello"].figures[HELLO]
    limit = 2 * hello.median_ms
    out.append(
        (
            jur.median_ms <= limit,
            f"jurisdiction median {fmt_ms(jur.median_ms)} ms <= 2 x hello "
            f"{fmt_ms(hello.median_ms)} ms = {fmt_ms(limit)} ms",
        )
    )
    if jur.rps is not None and hello.rps is not None:
        floor = 0.6 * hello.rps
        out.append(
            (
                jur.rps >= floor,
                f"jurisdiction {jur.rps:.0f} req/s >= 60% of hello {hello.rps:.0f} req/s "
                f"= {floor:.0f} req/s ({100 * jur.rps / hello.rps:.0f}%)",
            )
        )
    for q in QUERIES:
        figs = by_key[q.key].figures
        ours, oxi = figs[OURS].median_ms, figs[OXIGRAPH].median_ms
        limit = max(1.5 * oxi, oxi + 1.0)
        out.append(
            (
                ours <= limit,
                f"{q.label}: {fmt_ms(ours)} ms <= max(1.5 x, +1 ms) of oxigraph {fmt_ms(oxi)} ms = {fmt_ms(limit)} ms",
            )
        )
    for key in TEN_X:
        figs = by_key[key].figures
        ours, rdf = figs[OURS].median_ms, figs[RDFLIB].median_ms
        out.append(
            (
                rdf >= 10 * ours,
                f"{by_key[key].label}: {rdf / ours:.1f}x faster than rdflib-endpoint "
                f"({fmt_ms(ours)} vs {fmt_ms(rdf)} ms), needs 10x",
            )
        )
    return out


def report(
    rows: list[Row],
    alive: dict[str, Liveness],
    args: argparse.Namespace,
    quads: dict[str, int],
    nquads_lines: int,
    warnings: list[str],
    load: tuple[float, float, float],
) -> dict[str, Any]:
    n, seconds = (50, 3) if args.quick else (300, 10)
    ours_stack, peer_stack = http_stack(VENV_BIN / "python"), http_stack(PEER_VENV / "bin" / "python")
    print(
        f"baomi-kg HTTP benchmark{' (--quick)' if args.quick else ''}: ours vs oxigraph {OXIGRAPH_VERSION} "
        f"(in memory) vs rdflib-endpoint {RDFLIB_ENDPOINT_VERSION}"
    )
    print(f"graph: {nquads_lines:,} quads built; served: " + ", ".join(f"{t} {c:,}" for t, c in quads.items()))
    print(f"latency: {n} sequential GETs per row and server after a warm-up, the servers taking turns in blocks")
    print(f"  of {BLOCK}; one keep-alive connection per server (Python http.client); ms from send to last byte")
    print(f"throughput: wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{seconds}s, same URLs, requests/s")
    print()
    for line in table(rows):
        print(line)
    print()
    for line in liveness_lines(alive):
        print(line)
    print()
    results = checks(rows, alive)
    print("targets")
    for ok, text in results:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    print()
    pinning = (
        f"2 cores: the servers are pinned to CPU {SERVER_CPU}, wrk and the latency client to CPU {CLIENT_CPU}"
        " (taskset),\n    so oxigraph's threads, and our event loop with its 2 SPARQL worker processes,"
        " share one core"
        if not args.no_pin
        else "2 cores, no pinning (--no-pin): wrk competes with the servers for the CPUs, lowering every req/s"
    )
    notes = [
        pinning,
        f"ours and hello: uvicorn on {ours_stack} from .venv, 1 worker, access log on (serve's defaults)",
        f"rdflib-endpoint: its CLI over rdflib Dataset(default_union=True); uvicorn on {peer_stack}",
        "oxigraph: `oxigraph serve --union-default-graph` in memory (no --location); N-Quads POSTed",
        "hello row: the hello app (async handler returning a small JSON), shown in the ours columns",
        "jurisdiction inputs, in rotation:\n    " + ", ".join(JURISDICTION_INPUTS) + "\n    (answers are "
        "remembered per input text; the distinct-inputs row cycles through more texts than are kept)",
        "10x rule read on the path query over a subtree (path+), the count and the text search",
        f"load average (1 min) before / after: {load[0]:.2f} / {os.getloadavg()[0]:.2f}; other work on the machine"
        "\n    skews the figures, p99 most",
    ]
    print("notes")
    for note in notes:
        print(f"  - {note}")
    for warning in warnings:
        print(textwrap.fill(f"warning: {warning}", width=100, subsequent_indent="    "))
    return {
        "quick": args.quick,
        "pinned": not args.no_pin,
        "sequential_requests": n,
        "wrk_seconds": seconds,
        "wrk": {"threads": WRK_THREADS, "connections": WRK_CONNECTIONS},
        "versions": {"oxigraph": OXIGRAPH_VERSION, "rdflib-endpoint": RDFLIB_ENDPOINT_VERSION},
        "http_stack": {"ours": ours_stack, "rdflib-endpoint": peer_stack},
        "quads": {"built": nquads_lines, **quads},
        "load_average": {"before": load[0], "after": os.getloadavg()[0]},
        "rows": {
            row.key: {"label": row.label, "servers": {t: f.as_json() for t, f in row.figures.items()}} for row in rows
        },
        "liveness": {
            t: {
                "probe": f.probe,
                "heavy": f.heavy,
                "p50_ms": f.percentile_ms(0.5),
                "p99_ms": f.percentile_ms(0.99),
                "max_ms": f.percentile_ms(1.0),
                "heavy_statuses": f.heavy_statuses,
                "heavy_seconds": f.heavy_seconds,
                "errors": f.errors,
            }
            for t, f in alive.items()
        },
        "checks": [{"pass": ok, "check": text} for ok, text in results],
        "warnings": warnings,
    }


def verify(rows: list[Row]) -> list[str]:
    warnings = []
    for row in rows:
        for target, f in row.figures.items():
            if f.bad:
                warnings.append(f"{row.label} on {target}: {len(f.bad)} bad responses, first: {f.bad[0]}")
            if f.wrk_errors:
                warnings.append(f"{row.label} on {target} under wrk: {f.wrk_errors}")
        if row.query is not None:
            bodies = {t: next(iter(f.bodies.values())) for t, f in row.figures.items()}
            try:
                differ = compare_answers(row.query, bodies)
            except (ValueError, KeyError, TypeError) as exc:
                differ = f"could not read the answers to {row.label}: {exc}"
            if differ:
                warnings.append(differ)
    return warnings


def run(args: argparse.Namespace, tmp: Path, servers: dict[str, Server]) -> dict[str, Any]:
    load = os.getloadavg()
    nquads = build_graph(tmp / "graph")
    nquads_lines = sum(1 for line in nquads.open("rb") if line.strip())
    ensure_peers()
    start_all(servers, tmp, nquads, not args.no_pin)
    ready_all(servers, nquads)
    quads = count_quads(servers)
    rows = plan()
    measure(rows, servers, args, tmp)
    alive = measure_liveness(servers)
    warnings = verify(rows)
    if len(set(quads.values())) != 1:
        warnings.insert(0, f"the servers hold different numbers of quads: {quads}")
    return report(rows, alive, args, quads, nquads_lines, warnings, load)


def _exit_on_term(signum: int, frame: Any) -> None:
    sys.exit(128 + signum)  # SystemExit runs the finally that stops the servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 requests per row and 3 s of wrk")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    parser.add_argument("--no-pin", action="store_true", help="do not pin servers and load generator to CPUs")
    args = parser.parse_args()
    if not (VENV_BIN / "baomi-kg").exists():
        sys.exit(f"{VENV_BIN / 'baomi-kg'} not found: install the project into .venv first (./dev.sh)")
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: install Debian's package (apt-get install wrk)")
    if not args.no_pin and (shutil.which("taskset") is None or len(os.sched_getaffinity(0)) < 2):
        log("no taskset or fewer than 2 CPUs: running without pinning (as --no-pin)")
        args.no_pin = True
    signal.signal(signal.SIGTERM, _exit_on_term)
    servers: dict[str, Server] = {}
    with tempfile.TemporaryDirectory(prefix="baomi-bench-") as tmp_name:
        try:
            figures = run(args, Path(tmp_name), servers)
        except KeyboardInterrupt:
            log("interrupted: stopping the servers")
            sys.exit(130)
        finally:
            for server in servers.values():
                stop(server)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
