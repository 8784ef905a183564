"""Tests for graph.sources.romanize against the division table, the reviewed data files and a golden file."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from graph.sources.romanize import english_name, lookup_keys, normalise_pinyin, romanize, stem, syllables

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
GOLDEN = Path(__file__).resolve().parent / "golden" / "romanize.csv"

AUTONOMOUS_TYPES = {"自治区", "自治州", "自治县", "自治旗"}
# Autonomous regions named after the region rather than a group.
REGION_NAMED = {"内蒙古自治区", "西藏自治区"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def divisions() -> list[dict[str, str]]:
    return read_csv(DATA / "divisions.csv")


@cache
def overrides() -> list[dict[str, str]]:
    return read_csv(DATA / "pinyin_overrides.csv")


@cache
def ethnic_groups() -> dict[str, str]:
    return {row["zh"]: row["en"] for row in read_csv(DATA / "ethnic_groups.csv")}


def join_pinyin(syls: list[str]) -> str:
    """Reference implementation of the apostrophe rule, for checking romanize."""
    word = syls[0] + "".join("'" + s if s[0] in "aoe" else s for s in syls[1:])
    return word[0].upper() + word[1:]


# --- golden file ---------------------------------------------------------------------------


def test_golden_covers_every_division_type() -> None:
    golden_types = {row["type"] for row in read_csv(GOLDEN)}
    assert golden_types == {row["type"] for row in divisions()}
    assert len(read_csv(GOLDEN)) >= 60


def test_golden_rows_are_real_divisions() -> None:
    known = {(row["name"], row["type"]) for row in divisions()}
    assert [row["name"] for row in read_csv(GOLDEN) if (row["name"], row["type"]) not in known] == []


@pytest.mark.parametrize("row", read_csv(GOLDEN), ids=lambda row: row["name"])
def test_golden(row: dict[str, str]) -> None:
    assert romanize(row["name"]) == row["romanized"]
    assert english_name(row["name"], row["type"]) == row["english"]
    assert stem(row["name"], row["type"]) == row["stem"]


# --- pinyin overrides ----------------------------------------------------------------------


def test_override_table_is_well_formed() -> None:
    words = [row["word"] for row in overrides()]
    assert len(words) == len(set(words))
    for row in overrides():
        syls = row["pinyin"].split()
        assert len(syls) == len(row["word"]), row
        assert all(re.fullmatch(r"[a-zü]+", s) for s in syls), row
        assert row["note"].strip(), row


@pytest.mark.parametrize("row", overrides(), ids=lambda row: row["word"])
def test_override_is_applied(row: dict[str, str]) -> None:
    expected = row["pinyin"].split()
    assert syllables(row["word"]) == expected
    assert romanize(row["word"]) == join_pinyin(expected)


@pytest.mark.parametrize("row", overrides(), ids=lambda row: row["word"])
def test_override_is_applied_inside_division_names(row: dict[str, str]) -> None:
    # Each row must concern a real division, and the full name must carry the reviewed reading.
    hits = [d["name"] for d in divisions() if row["word"] in d["name"]]
    assert hits, f"{row['word']} occurs in no division name"
    expected = row["pinyin"].split()
    for name in hits:
        syls = syllables(name)
        at = name.index(row["word"])
        assert syls[at : at + len(expected)] == expected, name


# --- ethnic groups -------------------------------------------------------------------------


def test_every_zu_in_a_division_name_is_a_known_group() -> None:
    missing = []
    for row in divisions():
        name = row["name"]
        for end in (m.end() for m in re.finditer("族", name)):
            if not any(name[:end].endswith(zh) for zh in ethnic_groups()):
                missing.append(name)
    assert missing == []


def test_every_autonomous_division_names_a_known_group() -> None:
    # Some Xinjiang and Inner Mongolia names drop 族 (伊犁哈萨克自治州, 鄂伦春自治旗).
    forms = set(ethnic_groups()) | {zh.removesuffix("族") for zh in ethnic_groups() if len(zh) > 2}
    missing = []
    for row in divisions():
        if row["type"] in AUTONOMOUS_TYPES and row["name"] not in REGION_NAMED:
            before = row["name"].split("自治")[0]
            if not any(before.endswith(form) for form in forms):
                missing.append(row["name"])
    assert missing == []


def test_every_group_has_an_english_name_used_in_labels() -> None:
    used: set[str] = set()
    for row in divisions():
        name = row["name"]
        if row["name"] in REGION_NAMED:
            continue
        label = english_name(name, row["type"])
        for zh, en in ethnic_groups().items():
            bare = zh.removesuffix("族")
            if zh in name or (len(bare) > 1 and bare + "自治" in name):
                assert en.isascii() and en.strip(), zh
                assert en in label, (name, label)
                used.add(zh)
    assert sorted(set(ethnic_groups()) - used) == []


# --- whole table ---------------------------------------------------------------------------


def test_english_name_is_ascii_for_every_division() -> None:
    bad = []
    for row in divisions():
        label = english_name(row["name"], row["type"])
        if not label.strip() or not label.isascii() or label != label.strip():
            bad.append((row["name"], label))
    assert bad == []


def test_siblings_have_distinct_english_names() -> None:
    by_label: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in divisions():
        by_label[(row["parent"], english_name(row["name"], row["type"]))].append(row["name"])
    assert {key: names for key, names in by_label.items() if len(names) > 1} == {}


def test_one_syllable_per_character_for_every_division() -> None:
    for row in divisions():
        syls = syllables(row["name"])
        assert len(syls) == len(row["name"]), row["name"]
        assert all(re.fullmatch(r"[a-zü]+", s) for s in syls), (row["name"], syls)


def test_stem_is_a_prefix_of_at_least_two_characters_or_the_name() -> None:
    for row in divisions():
        short = stem(row["name"], row["type"])
        assert short == row["name"] or (len(short) >= 2 and row["name"].startswith(short)), row["name"]


def test_lookup_keys_for_every_division() -> None:
    for row in divisions():
        keys = lookup_keys(row["name"], row["type"])
        assert all(re.fullmatch(r"[a-z]+", key) for key in keys), row["name"]
        assert normalise_pinyin(romanize(row["name"])) in keys
        assert normalise_pinyin(romanize(stem(row["name"], row["type"]))) in keys
        assert normalise_pinyin(english_name(row["name"], row["type"])) in keys


# --- individual functions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("西安", "Xi'an"),
        ("淳安", "Chun'an"),
        ("六安", "Lu'an"),
        ("东阿", "Dong'e"),
        ("安庆", "Anqing"),
        ("鄂尔多斯", "E'erduosi"),
    ],
)
def test_romanize_apostrophes(name: str, expected: str) -> None:
    assert romanize(name) == expected


def test_syllables_keep_u_umlaut() -> None:
    assert syllables("吕梁") == ["lü", "liang"]
    assert syllables("略阳县") == ["lüe", "yang", "xian"]


def test_overrides_win_in_context() -> None:
    # 单 alone is dān; the override for 单县 must decide the English stem too.
    assert english_name("单县", "县") == "Shan County"
    assert stem("单县", "县") == "单县"


def test_unknown_type_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown division type"):
        english_name("杭州市", "城市")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xī'ān", "xian"),
        ("xi an", "xian"),
        ("Xi-An", "xian"),
        ("xian1", "xian"),
        ("XI1 AN1", "xian"),
        ("Lǚliáng", "lvliang"),
        ("Lüliang", "lvliang"),
        ("LÜLIANG", "lvliang"),
        ("lu:liang", "lvliang"),
        ("lv3liang2", "lvliang"),
        ("Chóngqìng Shì", "chongqingshi"),
        ("ＢＥＩＪＩＮＧ", "beijing"),
        ("", ""),
        ("重庆", ""),
    ],
)
def test_normalise_pinyin(text: str, expected: str) -> None:
    assert normalise_pinyin(text) == expected


def test_lookup_keys_examples() -> None:
    assert {"xihuqu", "xihu", "xihudistrict"} <= lookup_keys("西湖区", "市辖区")
    assert {"lvliang", "luliang", "lvliangshi", "luliangshi"} <= lookup_keys("吕梁市", "地级市")
    assert {"tibet", "xizang", "tibetautonomousregion"} <= lookup_keys("西藏自治区", "自治区")
    assert {"yanbian", "yanbiankoreanautonomousprefecture"} <= lookup_keys("延边朝鲜族自治州", "自治州")
    for typed in ("Xī'ān", "xi an", "Xi-An", "xian1"):
        assert normalise_pinyin(typed) in lookup_keys("西安市", "地级市")
