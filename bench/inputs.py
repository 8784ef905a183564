"""Jurisdiction inputs shared by the benchmarks."""

from __future__ import annotations

import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def distinct_inputs() -> list[str]:
    """Every county-level division as a code, a 12-digit code and a full address: more texts than the
    service remembers answers for, sent in a cycle, so that each lookup is worked out afresh."""
    with (ROOT / "data" / "divisions.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["code"]: r for r in csv.DictReader(handle)}

    def address(code: str) -> str:
        row = rows[code]
        return (address(row["parent"]) if row["parent"] else "") + row["name"]

    counties = [code for code, row in rows.items() if row["level"] == "county"]
    return [*counties, *(c + "000000" for c in counties), *(address(c) for c in counties)]


def rotation_script(paths: list[str], out: Path) -> Path:
    """A wrk Lua script that sends ``paths`` in turn."""
    out.write_text(
        "local paths = {" + ", ".join(json.dumps(p) for p in paths) + "}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n",
        encoding="utf-8",
    )
    return out
