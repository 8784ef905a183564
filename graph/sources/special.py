"""Party bodies that are not one-to-one with a division, and divisions that have no Party body at all.

``data/special_bodies.csv`` lists the Party committee of the Xinjiang Production and Construction Corps
(兵团), the Party committees of its 14 divisions (师, most run together with a county-level city: 师市合一)
and the Hebei Xiong'an New Area working committee (党工委, a dispatched organ of the provincial committee,
to which three counties are entrusted: 托管).  Each row names its source, an id of ``data/sources.csv``; what no
source states (above all the confidentiality body each of them is taken to have, and the guidance links of
those bodies) is built as an *inferred* body, typed ``bm:InferredBody`` and carrying the row's note.  Which
graph each of their triples sits in (the source's or a labelled inference's) is the provenance table's
(``data/provenance.csv``) to say.

``data/outside_divisions.csv`` lists divisions of the official code table that have no CPC body (金门县,
governed by the Taiwan authorities): their region stays in the graph, with the reason and no committee.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from graph.errors import DataError
from graph.paths import DATA_DIR
from graph.sources.divisions import NATION_CODE, Divisions
from graph.vocab import Level

__all__ = [
    "KINDS",
    "RELATIONS",
    "OutsideDivision",
    "SpecialBody",
    "load_outside",
    "load_special_bodies",
    "special_guidance",
]

# kind -> the ontology class of the Party body
KINDS = {
    "corps": "CorpsPartyCommittee",
    "corps-division": "CorpsDivisionPartyCommittee",
    "work-committee": "WorkCommittee",
}
# relation -> the link between the Party body and its related divisions
RELATIONS = {"paired": "pairedWithDivision", "corps-city": "pairedWithDivision", "entrusted": "entrustedTo", "": ""}
LEVELS = (Level.PROVINCIAL, Level.MUNICIPAL)  # the levels a special body may take


@dataclass(frozen=True, slots=True)
class SpecialBody:
    id: str
    kind: str
    name_zh: str
    name_en: str
    short_zh: str
    short_en: str
    aliases: tuple[str, ...]
    upper_party: tuple[str, ...]  # body ids or division codes / "central" whose Party committee leads this one
    guided_by: str  # committee id (a division code, "central") or a body id: the inferred guide of its body
    seat: str  # the division the body sits in (answers report it as the place)
    divisions: tuple[str, ...]
    relation: str
    level: str
    source: str  # the id in data/sources.csv of the outside source the row is read from
    note: str

    @property
    def committee_id(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class OutsideDivision:
    code: str
    name: str
    reason_zh: str
    reason_en: str
    source: str  # the id in data/sources.csv


def _rows(path: Path) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc}") from exc


@cache
def _read_special(path: Path) -> tuple[SpecialBody, ...]:
    out: list[SpecialBody] = []
    try:
        for r in _rows(path):
            out.append(
                SpecialBody(
                    r["id"],
                    r["kind"],
                    r["name_zh"],
                    r["name_en"],
                    r["short_zh"],
                    r["short_en"],
                    tuple(r["aliases"].split()),
                    tuple(r["upper_party"].split()),
                    r["guided_by"],
                    r["seat"],
                    tuple(r["divisions"].split()),
                    r["relation"],
                    r["level"],
                    r["source"],
                    r["note"],
                )
            )
    except KeyError as exc:
        raise DataError(f"{path.name}: missing column {exc}") from exc
    ids = {b.id for b in out}
    problems = [f"{b.id}: unknown kind {b.kind!r}" for b in out if b.kind not in KINDS]
    problems += [f"{b.id}: unknown relation {b.relation!r}" for b in out if b.relation not in RELATIONS]
    problems += [f"{b.id}: level {b.level!r}" for b in out if b.level not in LEVELS]
    problems += [f"{b.id}: no source" for b in out if not b.source]
    problems += [f"{b.id}: guide {b.guided_by!r} is itself" for b in out if b.guided_by == b.id]
    if len(ids) != len(out):
        problems.append("duplicate ids")
    if problems:
        raise DataError(f"{path.name}: " + "; ".join(problems))
    return tuple(out)


def load_special_bodies(divisions: Divisions | None = None, path: Path | None = None) -> tuple[SpecialBody, ...]:
    """The special bodies; with ``divisions``, only those whose seat, guide and upper bodies are present, with
    the related divisions that are present (a test may build a piece of the country)."""
    bodies = _read_special(path or DATA_DIR / "special_bodies.csv")
    if divisions is None:
        return bodies
    kept: dict[str, SpecialBody] = {}
    for b in bodies:  # the file lists upper bodies before lower ones
        codes = (b.seat, *b.upper_party, b.guided_by)
        if all(c in divisions.by_code or c in kept or c == "central" for c in codes):
            kept[b.id] = replace(b, divisions=tuple(c for c in b.divisions if c in divisions.by_code))
    return tuple(kept.values())


@cache
def _read_outside(path: Path) -> tuple[OutsideDivision, ...]:
    try:
        out = tuple(
            OutsideDivision(r["code"], r["name"], r["reason_zh"], r["reason_en"], r["source"]) for r in _rows(path)
        )
    except KeyError as exc:
        raise DataError(f"{path.name}: missing column {exc}") from exc
    missing = [r.code for r in out if not r.source]
    if missing:
        raise DataError(f"{path.name}: no source for {missing}")
    return out


def load_outside(divisions: Divisions | None = None, path: Path | None = None) -> tuple[OutsideDivision, ...]:
    """Divisions of the code table without any CPC body (present in ``divisions`` when given)."""
    rows = _read_outside(path or DATA_DIR / "outside_divisions.csv")
    return tuple(r for r in rows if divisions is None or r.code in divisions.by_code)


def special_guidance(bodies: tuple[SpecialBody, ...], divisions: Divisions) -> dict[str, str]:
    """County committee id -> the special body whose (inferred) confidentiality body guides it instead of the
    committee of the nearest higher division: the cities paired with a 师 (or tied to the corps) and the
    counties entrusted to a working committee."""
    out: dict[str, str] = {}
    for b in bodies:
        for code in b.divisions:
            if code == NATION_CODE or code not in divisions.by_code:
                continue
            if code in out:
                raise DataError(f"special_bodies.csv: {code} is related to both {out[code]} and {b.id}")
            out[code] = b.id
    return out
