"""Start-up benchmark: from `baomi-kg serve` to its first jurisdiction answer, cold (empty cache) and warm, beside
the old cold path (the build validated with SHACL, as without data/validated.json).

    .venv/bin/python bench/start.py [--root CHECKOUT] [--runs N] [--no-old] [--dev-sh]

Each start is the command a user types (`CHECKOUT/.venv/bin/baomi-kg serve --port P`, with the default settings:
`BAOMI_KG_*` variables are dropped) and is timed until `GET /api/v1/jurisdiction?q=330106` answers 200; then the
server is stopped. *cold*: an empty cache folder (`BAOMI_KG_CACHE_DIR`), so the graph is built, checked against the
record and cached, and the start-up snapshot written. *warm*: a second start on the cache the cold start left.
*old cold path*: an empty cache and a copy of `data/` without `validated.json` (`BAOMI_KG_DATA_DIR`), so the build
is validated with SHACL, as every first start did before. `--root` measures another checkout, e.g. a fresh clone
with its own `.venv`; `--dev-sh` starts `./dev.sh serve --port P` instead (its dependencies already installed).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ports import free_port

ROOT = Path(__file__).resolve().parent.parent
LOOKUP = "/api/v1/jurisdiction?q=330106"
TIMEOUT = 600.0  # seconds a start may take before the run is given up


def first_answer(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", LOOKUP)
        response = conn.getresponse()
        body = response.read()
        return response.status == 200 and b'"330106"' in body
    except OSError:
        return False
    finally:
        conn.close()


def start(root: Path, cache: Path, log: Path, data: Path | None = None, *, dev_sh: bool = False) -> float:
    """Seconds from starting `baomi-kg serve` (or `./dev.sh serve`) to its first jurisdiction answer."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOMI_KG_")}
    env["BAOMI_KG_CACHE_DIR"] = str(cache)
    if data is not None:
        env["BAOMI_KG_DATA_DIR"] = str(data)
    port = free_port()
    with log.open("wb") as out:
        started = time.perf_counter()
        command = [str(root / "dev.sh")] if dev_sh else [str(root / ".venv" / "bin" / "baomi-kg")]
        proc = subprocess.Popen(
            [*command, "serve", "--port", str(port)],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            while time.perf_counter() - started < TIMEOUT:
                if proc.poll() is not None:
                    raise SystemExit(f"the server exited during start-up:\n{log.read_text(errors='replace')[-3000:]}")
                if first_answer(port):
                    return time.perf_counter() - started
                time.sleep(0.01)
            raise SystemExit(f"no answer within {TIMEOUT:.0f} s")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def progress_lines(log: Path) -> list[str]:
    return [line for line in log.read_text(errors="replace").splitlines() if line.startswith("baomi-kg: ")]


def summary(name: str, runs: list[float]) -> str:
    each = ", ".join(f"{r:.2f}" for r in runs)
    return (
        f"{name:26} median {statistics.median(runs):7.2f} s   min {min(runs):7.2f}   max {max(runs):7.2f}   "
        f"runs: {each}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to start (with its own .venv)")
    parser.add_argument("--runs", type=int, default=3, help="starts of each kind (default 3)")
    parser.add_argument("--no-old", action="store_true", help="leave out the old cold path (about a minute)")
    parser.add_argument("--dev-sh", action="store_true", help="start ./dev.sh serve instead of .venv/bin/baomi-kg")
    args = parser.parse_args()
    root = args.root.resolve()
    before = os.getloadavg()
    cold: list[float] = []
    warm: list[float] = []
    old: list[float] = []
    with tempfile.TemporaryDirectory(prefix="baomi-kg-start-") as tmp:
        work = Path(tmp)
        for i in range(args.runs):
            cache = work / f"cache-{i}"
            cold.append(start(root, cache, work / f"cold-{i}.log", dev_sh=args.dev_sh))
            print(f"... cold {i + 1}: {cold[-1]:.2f} s", file=sys.stderr)
        lines = progress_lines(work / "cold-0.log")
        for i in range(args.runs):
            warm.append(start(root, work / "cache-0", work / f"warm-{i}.log", dev_sh=args.dev_sh))
            print(f"... warm {i + 1}: {warm[-1]:.2f} s", file=sys.stderr)
        if not args.no_old:
            data = work / "data"
            shutil.copytree(root / "data", data, ignore=shutil.ignore_patterns("validated.json"))
            old.append(start(root, work / "cache-old", work / "old.log", data, dev_sh=args.dev_sh))
            print(f"... old cold path: {old[-1]:.2f} s", file=sys.stderr)
            old_lines = progress_lines(work / "old.log")
    after = os.getloadavg()
    how = "./dev.sh serve" if args.dev_sh else "baomi-kg serve"
    print(f"{how} to its first answer (GET {LOOKUP}), {root}, {os.cpu_count()} CPUs")
    print(summary("cold (empty cache)", cold))
    print(summary("warm (second start)", warm))
    if old:
        print(summary("old cold path (SHACL)", old))
    print(
        "targets: cold within 30 s: "
        + ("PASS" if max(cold) <= 30 else "FAIL")
        + "; warm within 1.5 s: "
        + ("PASS" if max(warm) <= 1.5 else "FAIL")
        + " (slowest run of each)"
    )
    print("cold start said:")
    for line in lines:
        print("  " + line)
    if old:
        print("old cold path said:")
        for line in old_lines:
            print("  " + line)
    print(f"load average before {before[0]:.2f}, after {after[0]:.2f}")


if __name__ == "__main__":
    main()
