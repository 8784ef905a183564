"""History benchmark: a lookup as of a past day beside a lookup of today, and the build with the history beside the
build without it.

    .venv/bin/python bench/history.py                # everything (the build rows validate with SHACL: minutes)
    .venv/bin/python bench/history.py --no-shacl     # the build rows without SHACL validation
    .venv/bin/python bench/history.py --no-http      # without the HTTP rows (no server is started)
    .venv/bin/python bench/history.py --json F       # also write the figures

Lookups: the same division texts asked of today's directory and as of days spread over the history (each day in a
state of its own, fewer states than the directories kept, so the cache is warm after one untimed pass).  Timed
in blocks that alternate between today and the past, so that a change in the machine's load weighs on both.  First
through :class:`graph.kg.KnowledgeGraph` in this process, then over HTTP against ``baomi-kg serve``
(``GET /api/v1/jurisdiction?q=…[&as_of=…]`` over one keep-alive connection).  The target of issue 15: the p99 of an
as-of lookup within 2x the p99 of a current one.

Build: each row in a fresh process (``--step NAME``), its time and peak memory; the graph's build with the change
events of data/history.csv and the same build with none (``Inputs.history = ()``).  The target: the build with the
history under 2x the time and memory of the build without.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import inspect
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from ports import free_port  # this folder: the script's own, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
# Texts that name a division on every day below: a code, a name, an address, pinyin, a district of a municipality,
# and a code whose name changed (420600: 襄樊市 until 2010, 襄阳市 since).
TEXTS = ["330106", "杭州市", "浙江省杭州市西湖区文三路", "hangzhou", "北京市朝阳区", "420600"]
# Days spread over the history, each in a different state (year ends, and days inside a year or month).
DAYS = [
    date(1984, 12, 31),
    date(1990, 6, 30),
    date(1997, 12, 31),
    date(2000, 12, 31),
    date(2005, 6, 30),
    date(2009, 6, 30),
    date(2010, 12, 31),
    date(2015, 12, 31),
    date(2019, 6, 30),
    date(2021, 2, 10),
    date(2024, 12, 31),
]
ROUNDS, BLOCK = 40, 10  # timed passes over every (text, day); requests in a row to one side before the other's turn

Lookup = Callable[[str], object]


# -- lookups ----------------------------------------------------------------------------------------------------------
def as_of_lookup(kg: Any) -> tuple[str, Callable[[str, date], object]]:
    """The domain's as-of lookup, ``KnowledgeGraph.lookup(text, as_of=day)``."""
    if "as_of" not in inspect.signature(kg.lookup).parameters:
        raise SystemExit("KnowledgeGraph.lookup takes no as_of yet: there is no as-of lookup to measure")
    return "KnowledgeGraph.lookup(text, as_of=day)", lambda text, day: kg.lookup(text, as_of=day)


def timed(calls: list[Lookup], args: list[str]) -> list[float]:
    times = []
    for call, arg in zip(calls, args, strict=True):
        started = time.perf_counter()
        call(arg)
        times.append(time.perf_counter() - started)
    return times


def alternate(
    today: Sequence[tuple[Lookup, str]], past: Sequence[tuple[Lookup, str]]
) -> tuple[list[float], list[float]]:
    """Each list timed in blocks of BLOCK calls, the two sides taking turns."""
    a: list[float] = []
    b: list[float] = []
    for i in range(0, max(len(today), len(past)), BLOCK):
        for side, out in ((today[i : i + BLOCK], a), (past[i : i + BLOCK], b)):
            if side:
                out += timed([c for c, _ in side], [x for _, x in side])
    return a, b


def domain_rows() -> dict[str, Any]:
    from graph.errors import LookupFailed
    from graph.kg import KnowledgeGraph

    kg = KnowledgeGraph.open()
    _ = kg.directory, kg.resolver
    how, past_lookup = as_of_lookup(kg)
    pairs, failed = [], []
    started = time.perf_counter()
    for day in DAYS:  # the untimed pass: each state's directory and resolver built once
        for text in TEXTS:
            try:
                past_lookup(text, day)
                pairs.append((text, day))
            except LookupFailed:
                failed.append(f"{text} as of {day}")
    warm_s = time.perf_counter() - started
    for text in TEXTS:
        kg.lookup(text)
    gc.freeze()  # as the service does once its directory is read: the collector no longer rescans what is built
    today = [(kg.lookup, t) for _ in range(ROUNDS) for t, _ in pairs]
    past = [(_bind(past_lookup, d), t) for _ in range(ROUNDS) for t, d in pairs]
    a, b = alternate(today, past)
    return {"how": how, "today": a, "as_of": b, "pairs": len(pairs), "failed": failed, "warm_s": warm_s}


def _bind(lookup: Callable[[str, date], object], day: date) -> Lookup:
    return lambda text: lookup(text, day)


# -- over HTTP --------------------------------------------------------------------------------------------------------
def http_rows(tmp: Path) -> dict[str, Any]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOMI_KG_")}
    log_path = tmp / "serve.log"
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "baomi-kg"), "serve", "--port", str(port)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # stopped as a group, with its worker processes
        )
    try:
        conn = _wait_ready(port, proc, log_path)
        probe = json.loads(_get(conn, _path(TEXTS[0], DAYS[0]))[1])
        if "as_of" not in probe:
            return {"skipped": "GET /api/v1/jurisdiction does not answer as_of yet (no as_of block in its answer)"}
        status = {(t, d): _get(conn, _path(t, d))[0] for d in DAYS for t in TEXTS}  # the untimed pass
        paths = [pair for pair, code in status.items() if code == 200]
        bad = [f"{t} as of {d}: {code}" for (t, d), code in status.items() if code != 200]
        for t in TEXTS:
            _get(conn, _path(t, None))

        def request(path: str) -> object:
            return _get(conn, path)

        today = [(request, _path(t, None)) for _ in range(ROUNDS) for t, _ in paths]
        past = [(request, _path(t, d)) for _ in range(ROUNDS) for t, d in paths]
        a, b = alternate(today, past)
        return {"today": a, "as_of": b, "pairs": len(paths), "failed": bad}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _path(text: str, day: date | None) -> str:
    query = {"q": text} | ({"as_of": day.isoformat()} if day else {})
    return "/api/v1/jurisdiction?" + urlencode(query)


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Accept": "application/json"})
    resp = conn.getresponse()
    return resp.status, resp.read()


def _wait_ready(port: int, proc: subprocess.Popen[bytes], log_path: Path) -> http.client.HTTPConnection:
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("baomi-kg serve exited:\n" + log_path.read_text(errors="replace")[-2000:])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with contextlib.suppress(OSError):
            if _get(conn, "/readyz")[0] == 200:
                return conn
        conn.close()
        time.sleep(0.25)
    raise RuntimeError(f"baomi-kg serve was not ready within 900 s (log: {log_path})")


# -- build ------------------------------------------------------------------------------------------------------------
def _build(history: bool, validate: bool) -> int:
    from graph.build.assemble import Inputs, load_inputs
    from graph.build.prebuilt import build
    from graph.namespaces import Vocab

    inputs = load_inputs()
    if not history:
        inputs = replace(inputs, **cast("dict[str, Any]", {"history": ()}))  # no change event: no history at all
    assert isinstance(inputs, Inputs)  # noqa: S101
    return len(build(Vocab(), validate=validate, inputs=inputs).quads)


STEPS: dict[str, Callable[[], int]] = {
    "build with history": lambda: _build(True, False),
    "build without history": lambda: _build(False, False),
    "build + SHACL with history": lambda: _build(True, True),
    "build + SHACL without history": lambda: _build(False, True),
}


def run_step(name: str) -> None:
    started = time.perf_counter()
    quads = STEPS[name]()
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"quads": quads, "seconds": seconds, "peak_mib": peak_mib}))


def build_rows(shacl: bool) -> dict[str, Any] | str:
    from graph.build.assemble import Inputs

    if "history" not in {f.name for f in fields(Inputs)}:
        return "the graph's build does not include the history yet (graph.build.assemble.Inputs has no history)"
    rows = {}
    for name in STEPS:
        if "SHACL" in name and not shacl:
            continue
        done = subprocess.run(
            [sys.executable, __file__, "--step", name], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode:
            return f"{name} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
        rows[name] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


# -- report -----------------------------------------------------------------------------------------------------------
def ms(times: list[float]) -> tuple[float, float]:
    return statistics.median(times) * 1000, statistics.quantiles(times, n=100)[98] * 1000


def print_lookups(title: str, r: dict[str, Any]) -> dict[str, Any]:
    if "skipped" in r:
        print(f"{title}: not measured: {r['skipped']}")
        return r
    (m1, p1), (m2, p2) = ms(r["today"]), ms(r["as_of"])
    verdict = "PASS" if p2 <= 2 * p1 else "FAIL"
    print(f"{title} ({r['pairs']} text-day pairs x {ROUNDS} rounds; {len(r['today'])} lookups a side)")
    print(f"  {'':28} {'median ms':>10} {'p99 ms':>9}")
    print(f"  {'current lookup':28} {m1:10.3f} {p1:9.3f}")
    print(f"  {'as-of lookup (warm)':28} {m2:10.3f} {p2:9.3f}")
    print(f"  target as-of p99 <= 2 x current p99: {verdict} ({p2:.3f} ms vs {2 * p1:.3f} ms; ratio {p2 / p1:.2f})")
    for line in r["failed"]:
        print(f"  not counted (no answer that day): {line}")
    return {"current_ms": [m1, p1], "as_of_ms": [m2, p2], "pass": verdict == "PASS", "pairs": r["pairs"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--no-shacl", action="store_true", help="the build rows without SHACL validation")
    parser.add_argument("--no-http", action="store_true", help="leave out the HTTP rows")
    parser.add_argument("--no-build", action="store_true", help="leave out the build rows")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.step:
        run_step(args.step)
        return
    report: dict[str, Any] = {"load_before": os.getloadavg()}
    d = domain_rows()
    print(f"as-of lookup through {d['how']}; first pass over {len(DAYS)} days (states built): {d['warm_s']:.1f} s")
    report["domain"] = print_lookups("KnowledgeGraph lookups", d)
    if not args.no_http:
        with tempfile.TemporaryDirectory() as tmp:
            report["http"] = print_lookups("HTTP GET /api/v1/jurisdiction", http_rows(Path(tmp)))
    if not args.no_build:
        rows = build_rows(not args.no_shacl)
        report["build"] = rows
        if isinstance(rows, str):
            print(f"build: not measured: {rows}")
        else:
            print(f"{'build step (fresh process)':32} {'seconds':>8} {'peak MiB':>9} {'quads':>9}")
            for name, r in rows.items():
                print(f"{name:32} {r['seconds']:8.2f} {r['peak_mib']:9.0f} {r['quads']:9d}")
            for kind in ("build", "build + SHACL"):
                w, wo = rows.get(f"{kind} with history"), rows.get(f"{kind} without history")
                if w and wo:
                    t, m = w["seconds"] / wo["seconds"], w["peak_mib"] / wo["peak_mib"]
                    verdict = "PASS" if t < 2 and m < 2 else "FAIL"
                    print(f"target {kind} with history under 2x without: {verdict} (time x{t:.2f}, memory x{m:.2f})")
    report["load_after"] = os.getloadavg()
    print(f"load average before {report['load_before'][0]:.2f}, after {report['load_after'][0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
