"""Addresses as people write them: exact-division accuracy and time per lookup, beside jionlp and cpca.

    .venv/bin/python bench/addresses.py                      # the held-out split (test), all three parsers
    .venv/bin/python bench/addresses.py --split dev          # the split the lookup is tuned on
    .venv/bin/python bench/addresses.py --ours-only --misses 40   # ours alone, with the first misses

The test set is the data of "Neural Chinese Address Parsing" (Li, Lu, Xie, Li; NAACL 2019), whose every
character carries a label (prov, city, district, town, road, poi …).  It is read from ``--data`` (the
``data/`` folder of a clone of leodotnet/neural-chinese-address-parsing; default ``.cache/addresses``);
it has no licence, so it is not kept in this repository (see bench/README.md).

The expected division of an address is worked out from its labels alone, never by the lookup under test:
the last of its prov, city and district spans names the division; a span names every division whose
name is the span or starts with it (宁波 → 宁波市), and the division must lie under the divisions the
other spans name.  An address whose labels name no division of today's table (江东区, merged into 鄞州区
in 2016), or name several, is left out and counted.

A lookup is exact when it answers that one division: ours when it resolves to the code, a peer when the
province, city and county it gives are the names of that division and the divisions above it.  jionlp and
cpca run in their own virtualenv under ``.cache/`` (pinned below, never in ``.venv``).  Every parser is timed
one address per call, as a lookup is made; cpca, whose interface takes a list, is also timed per address of
one call over the whole list (the "batch" row: throughput, not the time of one lookup).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / ".cache" / "addresses"
PEER_VENV = ROOT / ".cache" / "bench-addresses-venv"
PEER_PINS = {"jionlp": "1.5.31", "cpca": "0.5.5"}
SPAN_LABELS = ("prov", "city", "district")

PEERS = Path(__file__).with_name("address_peers.py")  # run by the peers' own Python


def read_split(folder: Path, split: str) -> list[tuple[str, dict[str, str]]]:
    """Each address of a split, with the first span of each label."""
    path = folder / f"{split}.txt"
    if not path.is_file():
        raise SystemExit(
            f"{path} is missing: clone leodotnet/neural-chinese-address-parsing and pass --data "
            "CLONE/data (see bench/README.md)"
        )
    out: list[tuple[str, dict[str, str]]] = []
    chars: list[str] = []
    spans: dict[str, str] = {}
    label = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if chars:
                out.append(("".join(chars).replace("_", " ").strip(), spans))
            chars, spans, label = [], {}, ""
            continue
        char, tag = line.split(" ", 1)
        chars.append(char)
        head, _, name = tag.partition("-")
        if head == "B":
            label = name if name not in spans else ""
            if label:
                spans[label] = ""
        if label and name == label and head in ("B", "I"):
            spans[label] += char
        elif head not in ("B", "I"):
            label = ""
    return out


class Table:
    """The division table (data/divisions.csv), read independently of the code under test."""

    def __init__(self) -> None:
        with (ROOT / "data" / "divisions.csv").open(encoding="utf-8", newline="") as handle:
            self.rows = {r["code"]: r for r in csv.DictReader(handle)}

    def lineage(self, code: str) -> list[str]:
        chain = [code]
        while parent := self.rows[chain[-1]]["parent"]:
            chain.append(parent)
        return chain

    def named(self, span: str) -> set[str]:
        span = span.strip()
        if len(span) < 2:
            return set()
        return {c for c, r in self.rows.items() if r["name"] == span or r["name"].startswith(span)}

    def expected(self, spans: dict[str, str]) -> tuple[str | None, str]:
        given = [spans[k] for k in SPAN_LABELS if spans.get(k)]
        if not given:
            return None, "no division labelled"
        sets = [self.named(s) for s in given]
        if not sets[-1]:
            return None, "labelled division not in today's table"
        fits = {g for g in sets[-1] if all(s & set(self.lineage(g)) for s in sets[:-1] if s)}
        if len(fits) != 1:
            return None, "labels name no single division of today's table"
        return fits.pop(), ""


def ensure_peers() -> Path:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    probe = "import importlib.metadata as m, json, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    have = subprocess.run([str(python), "-c", probe, *PEER_PINS], capture_output=True, text=True)
    if have.returncode != 0 or json.loads(have.stdout) != PEER_PINS:
        pins = [f"{n}=={v}" for n, v in PEER_PINS.items()]
        print(f"installing {' '.join(pins)} into {PEER_VENV.relative_to(ROOT)}", file=sys.stderr)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins], check=True
        )
    return python


def run_peer(python: Path, which: str, texts: list[str]) -> tuple[list[list[str | None]], float]:
    done = subprocess.run(
        [str(python), str(PEERS), which], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return answer["answers"], answer["seconds"]


def peer_exact(table: Table, code: str, names: list[str | None]) -> bool:
    want = {table.rows[c]["name"] for c in table.lineage(code)}
    return {n for n in names if n} == want


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA, help="the data/ folder of the address-parsing data set")
    ap.add_argument("--split", choices=("dev", "test"), default="test", help="dev tunes, test reports (default)")
    ap.add_argument("--ours-only", action="store_true", help="leave jionlp and cpca out")
    ap.add_argument("--misses", type=int, default=0, help="print this many of our misses")
    ap.add_argument("--repeat", type=int, default=3, help="time our lookups over this many passes, keep the best")
    args = ap.parse_args()

    from graph.errors import LookupFailed
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    table = Table()
    cases: list[tuple[str, str]] = []
    left_out: dict[str, int] = {}
    for text, spans in read_split(args.data, args.split):
        code, why = table.expected(spans)
        if code is None:
            left_out[why] = left_out.get(why, 0) + 1
        elif text:
            cases.append((text[:200], code))
    texts = [t for t, _ in cases]

    resolver = KnowledgeGraph.open(Settings(store="memory")).resolver
    answers: list[str] = []
    best = float("inf")
    for _ in range(max(1, args.repeat)):
        answers = []
        start = time.perf_counter()
        for text in texts:
            try:
                answers.append(resolver.resolve(text).key)
            except LookupFailed as exc:
                answers.append(type(exc).__name__)
        best = min(best, time.perf_counter() - start)
    rows = [("baomi-kg lookup", sum(a == c for a, (_, c) in zip(answers, cases, strict=True)), best)]

    if not args.ours_only:
        python = ensure_peers()
        for which, label in (("jionlp", "jionlp"), ("cpca", "cpca"), ("cpca-batch", "cpca")):
            got, seconds = run_peer(python, which, texts)
            name = f"{label} {PEER_PINS[label]}" + (" (batch)" if which == "cpca-batch" else "")
            rows.append((name, sum(peer_exact(table, c, g) for (_, c), g in zip(cases, got, strict=True)), seconds))

    n = len(cases)
    print(
        f"split {args.split}: {n} addresses with one expected division"
        f" ({sum(left_out.values())} left out: " + "; ".join(f"{v} {k}" for k, v in sorted(left_out.items())) + ")"
    )
    print(f"{'parser':<22} {'exact':>7} {'accuracy':>9} {'µs/lookup':>10} {'× ours':>8}")
    ours_us = rows[0][2] / n * 1e6
    for name, exact, seconds in rows:
        us = seconds / n * 1e6
        print(f"{name:<22} {exact:>7} {exact / n:>8.1%} {us:>10.1f} {us / ours_us:>8.1f}")
    if args.misses:
        shown = 0
        for (text, code), answer in zip(cases, answers, strict=True):
            if answer != code and shown < args.misses:
                shown += 1
                print(f"  miss: {text}  expected {code} {table.rows[code]['name']}  got {answer}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
