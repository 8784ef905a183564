"""The administrative divisions of mainland China, read from ``data/divisions.csv``.

The table gives each division's code, name, level, nearest higher division (``parent``) and
type.  The nearest higher division is what the committee system follows: districts of the
four municipalities and county-level units directly under a province have the province as
parent, and a prefecture-level city without counties has no county-level children.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from graph.errors import DataError
from graph.paths import DATA_DIR
from graph.vocab import DIVISION_LEVELS, LOCAL_LEVELS

__all__ = [
    "NATION_CODE",
    "TYPE_TERMS",
    "Division",
    "Divisions",
    "load_divisions",
]

NATION_CODE = "CN"
NATION_NAME = "中华人民共和国"

# Division type (as written in the table) -> local name of its concept in the ontology.
TYPE_TERMS: dict[str, str] = {
    "国家": "TypeNation",
    "省": "TypeProvince",
    "自治区": "TypeAutonomousRegion",
    "直辖市": "TypeMunicipality",
    "地级市": "TypePrefectureCity",
    "地区": "TypePrefecture",
    "自治州": "TypeAutonomousPrefecture",
    "盟": "TypeLeague",
    "市辖区": "TypeDistrict",
    "县级市": "TypeCountyCity",
    "县": "TypeCounty",
    "自治县": "TypeAutonomousCounty",
    "旗": "TypeBanner",
    "自治旗": "TypeAutonomousBanner",
    "林区": "TypeForestryDistrict",
    "特区": "TypeSpecialDistrict",
}


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: str
    parent: str  # code of the nearest higher division; NATION_CODE for provinces, "" for the nation
    type: str


@dataclass(frozen=True)
class Divisions:
    """All divisions, the nation first, then by code."""

    by_code: Mapping[str, Division]

    def __iter__(self) -> Iterator[Division]:
        return iter(self.by_code.values())

    def __len__(self) -> int:
        return len(self.by_code)

    def __getitem__(self, code: str) -> Division:
        return self.by_code[code]

    @cached_property
    def children(self) -> Mapping[str, tuple[str, ...]]:
        kids: dict[str, list[str]] = {}
        for d in self:
            if d.parent:
                kids.setdefault(d.parent, []).append(d.code)
        return {k: tuple(v) for k, v in kids.items()}

    def ancestors(self, code: str) -> list[Division]:
        """The chain of nearest higher divisions, the parent first, up to and including the nation."""
        out: list[Division] = []
        current = self.by_code[code].parent
        while current:
            out.append(self.by_code[current])
            current = self.by_code[current].parent
        return out

    def count_by_level(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(DIVISION_LEVELS, 0)
        for d in self:
            counts[d.level] += 1
        return counts


def _check(rows: list[Division]) -> None:
    codes = {d.code for d in rows}
    problems: list[str] = []
    for d in rows:
        if d.code == NATION_CODE:
            continue
        if len(d.code) != 6 or not d.code.isdigit():
            problems.append(f"{d.code}: not a six-digit code")
        if d.level not in LOCAL_LEVELS:
            problems.append(f"{d.code}: unknown level {d.level!r}")
        if d.type not in TYPE_TERMS:
            problems.append(f"{d.code}: unknown type {d.type!r}")
        if d.parent not in codes:
            problems.append(f"{d.code}: parent {d.parent!r} is not in the table")
    if len(codes) != len(rows):
        problems.append("duplicate codes")
    if problems:
        raise DataError("divisions.csv: " + "; ".join(problems[:10]))


def load_divisions(path: Path | None = None) -> Divisions:
    """Read the division table and add the nation as the root."""
    path = path or DATA_DIR / "divisions.csv"
    rows = [Division(NATION_CODE, NATION_NAME, "central", "", "国家")]
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                parent = record["parent"] or NATION_CODE
                rows.append(Division(record["code"], record["name"], record["level"], parent, record["type"]))
    except (OSError, KeyError) as exc:
        raise DataError(f"cannot read {path}: {exc}") from exc
    _check(rows)
    return Divisions({d.code: d for d in rows})
