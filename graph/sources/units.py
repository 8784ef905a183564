"""Departments and units that set up their own confidentiality committees (``ch5.1.p5``).

The bundled table ``data/departments.csv`` lists the departments of the Party Central Committee
and the component departments of the State Council; all of them sit in the jurisdiction of the
Central Confidentiality Committee.  Synthetic units (``baomi-kg synth``) use the same record.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from graph.errors import DataError
from graph.paths import DATA_DIR
from graph.sources.divisions import NATION_CODE

__all__ = ["UNIT_KINDS", "Unit", "load_departments"]

# Unit kind -> local name of its class in the ontology.
UNIT_KINDS = {
    "party-department": "Department",
    "state-council-department": "Department",
    "department": "Department",
    "enterprise": "Enterprise",
    "institution": "PublicInstitution",
}


@dataclass(frozen=True, slots=True)
class Unit:
    id: str  # the committee of unit X has the id "u-X"
    name_zh: str
    short_zh: str
    name_en: str
    kind: str
    region: str  # code of the division whose committee leads the region's work
    body: str = "committee"  # or "leading-group"

    @property
    def committee_id(self) -> str:
        return "u-" + self.id


def load_departments(path: Path | None = None) -> list[Unit]:
    path = path or DATA_DIR / "departments.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            units = [
                Unit(r["id"], r["name_zh"], r["short_zh"], r["name_en"], r["kind"], NATION_CODE)
                for r in csv.DictReader(handle)
            ]
    except (OSError, KeyError) as exc:
        raise DataError(f"cannot read {path}: {exc!r}") from exc
    ids = [u.id for u in units]
    bad = [u.id for u in units if u.kind not in UNIT_KINDS or not u.id.replace("-", "").isalnum()]
    if bad or len(set(ids)) != len(ids):
        raise DataError(f"{path.name}: bad or duplicate ids: {bad or ids}")
    return units
