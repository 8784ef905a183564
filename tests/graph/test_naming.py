"""Names of bodies (data/naming_rules.md): the rules swept over every division, the golden naming cases,
the English aliases and the polyphonic audit."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graph.kg import KnowledgeGraph
from graph.paths import DATA_DIR
from graph.sources.divisions import NATION_CODE, Divisions, load_divisions
from graph.sources.naming import OWN_NAME_TYPES, Names, names_for
from graph.sources.romanize import english_name, label_alias, romanize, syllables
from tests.helpers.golden import golden_cases

NAME_CASES = [c for c in golden_cases("jurisdiction") if c.id.startswith("name-")]


@pytest.fixture(scope="module")
def divisions() -> Divisions:
    return load_divisions()


@pytest.fixture(scope="module")
def all_names(divisions: Divisions) -> dict[str, Names]:
    return {d.code: names_for(d, divisions) for d in divisions}


def _sources() -> set[str]:
    with (DATA_DIR / "name_sources.csv").open(encoding="utf-8", newline="") as fh:
        return {row["id"] for row in csv.DictReader(fh)}


def _english_labels(n: Names) -> list[str]:
    bodies = (n.region, n.party, n.committee, n.office)
    return [text for b in bodies for text in (b.en, b.short_en, b.display_en) if text] + [n.nameplate_en]


def _doubled(label: str) -> bool:
    words = re.findall(r"[A-Za-z']+", label)
    # "Prefecture Prefectural" is the same word twice as much as "County County" is.
    return any(
        a.lower() == b.lower() or (len(a) >= 8 and a[:8].lower() == b[:8].lower())
        for a, b in zip(words, words[1:], strict=False)
    )


def test_no_label_has_a_doubled_word(all_names: dict[str, Names]) -> None:
    bad = [label for n in all_names.values() for label in _english_labels(n) if _doubled(label)]
    assert not bad, bad[:10]
    zh = [b.zh for n in all_names.values() for b in (n.party, n.committee, n.office)]
    # 济南市市中区 and 青岛市市南区 are real names; a doubled 委 or type word is not.
    assert not [t for t in zh if re.search(r"(委委|县县|旗旗|盟盟|地区地区)", t)]


def test_prefecture_party_committee_is_prefectural_in_english(
    divisions: Divisions, all_names: dict[str, Names]
) -> None:
    prefectures = [d for d in divisions if d.type == "地区"]
    assert len(prefectures) == 7
    assert all_names["652900"].party.en == "CPC Aksu Prefectural Committee"
    for d in prefectures:
        assert all_names[d.code].party.en.endswith(" Prefectural Committee")
        assert "Prefecture Prefectural" not in all_names[d.code].committee.en


def test_county_level_bodies_bear_their_own_name_and_districts_keep_their_city(
    divisions: Divisions, all_names: dict[str, Names]
) -> None:
    own = districts = 0
    for d in divisions:
        if d.level != "county":
            continue
        n, parent = all_names[d.code], divisions[d.parent]
        if d.type in OWN_NAME_TYPES:
            own += 1
            assert n.party.zh == f"中共{d.name}委员会"
            assert n.committee.zh == f"中共{d.name}委保密委员会"
            assert n.nameplate_zh == f"{d.name}国家保密局"
            assert f"中共{parent.name}{d.name}委保密委员会" in [t for t, _ in n.committee.former]
            assert f"{parent.name}{d.name}国家保密局" in [t for t, _ in n.office.former]
            assert "(" not in n.committee.en
        else:
            assert d.type == "市辖区"
            districts += 1
            assert n.committee.zh == f"中共{parent.name}{d.name}委保密委员会"
            assert not n.committee.former
    assert own + districts == 2847 and own > 1800


def test_provincial_and_prefecture_bodies_bear_their_own_name(
    divisions: Divisions, all_names: dict[str, Names]
) -> None:
    for d in divisions:
        if d.level in ("provincial", "municipal"):
            n = all_names[d.code]
            assert n.party.zh.startswith(f"中共{d.name}") and not n.committee.former


def test_no_two_bodies_share_an_official_name_without_a_display_label(all_names: dict[str, Names]) -> None:
    seen: dict[tuple[str, str], list[str]] = {}
    for code, n in all_names.items():
        for kind, b in (("party", n.party), ("committee", n.committee), ("office", n.office)):
            seen.setdefault((kind, b.zh), []).append(code)
            seen.setdefault((kind, b.en), []).append(code)
        seen.setdefault(("nameplate", n.nameplate_zh), []).append(code)
        seen.setdefault(("nameplate", n.nameplate_en), []).append(code)
    shared = {code for codes in seen.values() if len(codes) > 1 for code in codes}
    for code in shared:
        for b in (all_names[code].party, all_names[code].committee, all_names[code].office):
            assert b.display_zh and b.display_en, code
    displays = Counter(
        text
        for n in all_names.values()
        for b in (n.party, n.committee, n.office)
        for text in (b.display_zh, b.display_en)
        if text
    )
    assert displays and max(displays.values()) == 1
    unshared = [code for code, n in all_names.items() if code not in shared and n.committee.display_zh]
    assert not unshared, unshared[:5]


def test_chinese_official_names_are_unique(all_names: dict[str, Names]) -> None:
    committees = Counter(n.committee.zh for n in all_names.values())
    assert max(committees.values()) == 1


@pytest.mark.parametrize("case", NAME_CASES)
def test_golden_names(divisions: Divisions, case: dict[str, Any]) -> None:
    n = names_for(divisions[case["region"]], divisions)
    want = case["names"]
    got = {
        "region_en": n.region.en,
        "committee_zh": n.committee.zh,
        "committee_en": n.committee.en,
        "party_zh": n.party.zh,
        "party_en": n.party.en,
        "office_zh": n.office.zh,
        "office_en": n.office.en,
        "nameplate_zh": n.nameplate_zh,
        "nameplate_en": n.nameplate_en,
        "former_zh": [t for t, lang in n.committee.former if lang == "zh"],
    }
    assert got == want


@pytest.mark.parametrize("case", NAME_CASES)
def test_golden_name_lookups(kg: KnowledgeGraph, case: dict[str, Any]) -> None:
    for query in case["lookups"]:
        assert kg.lookup(query).region.code == case["region"], query


def test_the_graph_carries_display_labels_and_former_names(kg: KnowledgeGraph) -> None:
    yiwu = kg.directory.committees["330782"]
    assert yiwu.name_zh == "中共义乌市委保密委员会"
    assert yiwu.short_zh == "义乌市保密委"  # the shortest alternative label, whatever else is there


def test_every_place_alias_has_a_source_and_labels_use_it(divisions: Divisions) -> None:
    known = _sources()
    with (DATA_DIR / "place_aliases.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        assert row["source"] in known, row
        assert row["code"] in divisions.by_code, row
        if row["label"] == "yes":
            d = divisions[row["code"]]
            assert label_alias(d.code) == row["alias"]
            assert english_name(d.name, d.type, d.code).startswith(row["alias"])
    for code, name in (("230100", "Harbin"), ("150100", "Hohhot"), ("650100", "Urumqi")):
        n = names_for(divisions[code], divisions)
        for label in (n.region.en, n.party.en, n.committee.en, n.office.en, n.nameplate_en):
            assert name in label and romanize(divisions[code].name.removesuffix("市")) not in label, label


def test_override_sources_are_recorded() -> None:
    known = _sources()
    with (DATA_DIR / "pinyin_overrides.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            assert not row["source"] or row["source"] in known, row
            assert None not in row, row


def _audit() -> list[dict[str, str]]:
    with (DATA_DIR / "polyphonic_audit.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_polyphonic_audit_is_current() -> None:
    spec = importlib.util.spec_from_file_location("polyphonic_audit", Path(DATA_DIR) / "polyphonic_audit.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render() == (DATA_DIR / "polyphonic_audit.csv").read_text(encoding="utf-8")


def test_pinyin_of_every_polyphonic_name_is_the_recorded_spelling(divisions: Divisions) -> None:
    rows = _audit()
    known = _sources()
    audited = {row["code"] for row in rows}
    for row in rows:
        d = divisions[row["code"]]
        assert d.name == row["name"]
        assert romanize(d.name) == row["pinyin"], row
        assert syllables(d.name)[int(row["position"])] == row["chosen"], row
        assert row["basis"] in ("source", "generic", "inference"), row
        assert (row["basis"] == "source") == bool(row["source"]), row
        assert not row["source"] or row["source"] in known, row
    assert len(audited) == 2472
    for code in ("341500", "320116", "341200", "140400", "140428", "130225", "330382", "410621"):
        assert code in audited, code
    assert NATION_CODE not in audited
