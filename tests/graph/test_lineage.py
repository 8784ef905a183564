"""What became of former divisions (graph.sources.lineage), and the former names of data/former_names.csv."""

from __future__ import annotations

import csv

from graph.paths import DATA_DIR
from graph.sources.divisions import load_divisions
from graph.sources.lineage import former_divisions, formers_named, formers_with_code

PROVINCE_SPLITS = {("44", "46"), ("51", "50")}  # Hainan from Guangdong (1988), Chongqing from Sichuan (1997)


def test_former_names_never_lead_to_a_namesake_in_another_province() -> None:
    """成都's 东城区 (abolished 1990) is not 北京's: a successor found by the name alone elsewhere is not taken."""
    with (DATA_DIR / "former_names.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    elsewhere = [
        r
        for r in rows
        if r["successor"]
        and r["former_code"][:2] != r["successor"][:2]
        and (r["former_code"][:2], r["successor"][:2]) not in PROVINCE_SPLITS
    ]
    assert not elsewhere, [(r["name"], r["former_code"], r["successor"]) for r in elsewhere]
    chengdu = next(r for r in rows if r["former_code"] == "510102")
    assert chengdu["successor"] == "" and chengdu["source"]


def test_every_successor_is_a_division_of_today_reached_by_usable_events() -> None:
    table = load_divisions().by_code
    for f in former_divisions().values():
        assert f.code not in table or table[f.code].name != f.name
        for s in f.successors:
            assert s.code in table and table[s.code].name == s.name
            assert s.events and all(e.used for e in s.events), (f.code, f.name, s.code)
            for p in s.parts:
                assert table[p.code].parent == s.code and all(e.used for e in p.events)
        if f.flagged:
            assert not f.successors and f.ended in f.flagged


def test_a_chain_of_changes_collapses_to_today() -> None:
    (wuwei,) = formers_with_code("342623")
    (today,) = wuwei.successors
    assert (today.code, today.name) == ("340281", "无为市")
    assert [e.id for e in today.events] == ["1999-050", "2011-010", "2019-018"]


def test_names_offered_for_a_lookup() -> None:
    assert formers_named("城区") == ()  # two characters: too generic
    assert [f.code for f in formers_named("江北区")] == ["500105"]  # 510211, its code until 1997, is the same
    assert [f.code for f in formers_named("莱芜市")] == ["371200"]  # the county-level city of 1985-1992 became it
    assert formers_named("正定县") == ()  # a code given to another county (码位改派) ends no county
    assert formers_with_code("330205") == ()  # a code of today
