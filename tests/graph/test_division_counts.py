"""Year-end counts of the divisions against the official ones (data/division_counts_official.csv): every figure the
official table gives is compared with the count of the table rebuilt as of that day, and every difference must be in
data/division_counts_differences.csv with its current figures and an explanation; a row whose figures are stale, or
whose difference is gone, fails too.  Also the counts by level and type themselves (graph.answers.stats)."""

from __future__ import annotations

import csv
from datetime import date
from functools import cache

from graph.answers.stats import count_divisions
from graph.paths import DATA_DIR
from graph.sources.divisions import load_divisions
from graph.sources.history import divisions_as_of

OFFICIAL = DATA_DIR / "division_counts_official.csv"
DIFFERENCES = DATA_DIR / "division_counts_differences.csv"
DIFFERENCE_COLUMNS = ["year", "field", "official", "ours", "difference", "explanation"]
# Columns of the official table that are counts: a level's total, or a type of division.
LEVEL_FIELDS = {"provincial": "provincial", "prefecture_level": "municipal", "county_level": "county"}
NOT_COUNTS = {"year", "as_of", "source_title", "publisher", "date", "url", "note"}


def _read(path: object) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:  # type: ignore[call-overload]
        return list(csv.DictReader(f))


@cache
def _ours(day: date) -> dict[str, int]:
    """Our counts at the end of ``day``: each level's total under the official table's column name, and each type."""
    counts = count_divisions((d.level, d.type) for d in divisions_as_of(day).divisions)
    figures = {field: next(c.total for c in counts if c.level == level) for field, level in LEVEL_FIELDS.items()}
    return figures | {kind: n for c in counts for kind, n in c.types.items()}


def _comparisons() -> dict[tuple[str, str], tuple[int, int]]:
    """(year, field) -> (official, ours) for every figure the official table gives."""
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for row in _read(OFFICIAL):
        ours = _ours(date.fromisoformat(row["as_of"]))
        for field, text in row.items():
            if field not in NOT_COUNTS and text:
                found[(row["year"], field)] = (int(text), ours.get(field, 0))
    return found


def test_the_official_table_gives_five_years_or_more_and_only_fields_we_count() -> None:
    rows = _read(OFFICIAL)
    assert len({r["year"] for r in rows}) >= 5
    known = set(LEVEL_FIELDS) | {
        t for c in count_divisions((d.level, d.type) for d in load_divisions()) for t in c.types
    }
    known |= {"地区", "盟", "自治旗", "特区", "林区"}  # types of the past that today's table may lack
    assert set(rows[0]) - NOT_COUNTS <= known


def test_every_difference_from_the_official_counts_is_explained_with_current_figures() -> None:
    rows = _read(DIFFERENCES)
    assert rows and list(rows[0]) == DIFFERENCE_COLUMNS
    explained = {(r["year"], r["field"]): r for r in rows}
    assert len(explained) == len(rows), "a (year, field) is explained twice"
    problems: list[str] = []
    for (year, field), (official, ours) in sorted(_comparisons().items()):
        row = explained.pop((year, field), None)
        if official == ours:
            if row is not None:
                problems.append(f"{year} {field}: no longer differs ({ours}), yet the file explains a difference")
            continue
        if row is None:
            problems.append(f"{year} {field}: official {official}, ours {ours}: not explained in {DIFFERENCES.name}")
        elif (int(row["official"]), int(row["ours"]), int(row["difference"])) != (official, ours, ours - official):
            problems.append(
                f"{year} {field}: the file says official {row['official']}, ours {row['ours']}, difference "
                f"{row['difference']}; now official {official}, ours {ours}, difference {ours - official}"
            )
        elif len(row["explanation"].split()) < 5:
            problems.append(f"{year} {field}: no explanation")
    problems += [f"{y} {f}: the official table gives no such figure" for y, f in explained]
    assert not problems, "\n".join(problems)


def test_prefecture_level_counts_match_every_year() -> None:
    for (year, field), (official, ours) in _comparisons().items():
        if field == "prefecture_level":
            assert ours == official, year


def test_counts_by_level_and_type_add_up_and_today_is_the_table() -> None:
    today = load_divisions()
    counts = count_divisions((d.level, d.type) for d in today)
    assert [c.level for c in counts] == ["provincial", "municipal", "county"]
    for c in counts:
        assert c.total == sum(c.types.values()) == sum(1 for d in today if d.level == c.level)
        assert list(c.types.values()) == sorted(c.types.values(), reverse=True)


def test_a_forest_area_is_shennongjia_only_and_restored_districts_are_districts() -> None:
    # 西林区 (伊春, merged in 2019) and 北林区 (绥化, set up in 1999) end in 林区 but are districts.
    day = date(2008, 12, 31)
    table = divisions_as_of(day).divisions
    assert [d.name for d in table if d.type == "林区"] == ["神农架林区"]
    assert table["230705"].name == "西林区" and table["230705"].type == "市辖区"
