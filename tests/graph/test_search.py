"""Search across committees, regions and units: Chinese, pinyin, English and codes, and the ranking."""

from __future__ import annotations

import pytest

from graph.directory.model import level_rank
from graph.directory.search import GRADES, SearchAnswer, matching_committees, search, search_index
from graph.errors import InvalidRequest
from graph.kg import KnowledgeGraph
from tests.helpers.expected import named_after_hangzhou


def ids(answer: SearchAnswer, kind: str) -> list[str]:
    return [h.id for h in answer.items if h.kind == kind]


def test_chinese_name_finds_the_city_first_then_its_committee_and_districts(kg: KnowledgeGraph) -> None:
    answer = search(kg.directory, "杭州", limit=100)
    first = answer.items[0]
    assert (first.kind, first.id, first.match, first.by) == ("region", "330100", "exact", "zh")
    assert first.committee == "330100"
    assert [p.name for p in first.path] == ["浙江省"]
    committees = ids(answer, "committee")
    assert committees[0] == "330100"
    hangzhou = named_after_hangzhou(kg)
    assert set(committees) == hangzhou  # every committee named after Hangzhou, and no other
    assert answer.total == len(answer.items)


@pytest.mark.parametrize("text", ["hangzhou", "Hangzhou", "HANGZHOU", "Háng zhōu"])
def test_pinyin_and_english_find_hangzhou(kg: KnowledgeGraph, text: str) -> None:
    answer = search(kg.directory, text, limit=5)
    first = answer.items[0]
    assert (first.kind, first.id, first.match) == ("region", "330100", "exact")
    assert "pinyin" in first.matched_by
    assert answer.items[1].kind == "committee" and answer.items[1].id == "330100"


def test_english_label_match_is_reported(kg: KnowledgeGraph) -> None:
    answer = search(kg.directory, "Hangzhou", limit=100)
    city = next(h for h in answer.items if h.kind == "region" and h.id == "330100")
    assert "en" in city.matched_by
    district = next(h for h in answer.items if h.kind == "committee" and h.id == "330106")
    assert (district.by, district.match) == ("en", "substring")  # "… Xihu District Committee (Hangzhou)"


def test_english_matches_words_not_inside_words(kg: KnowledgeGraph) -> None:
    # Regression: a plain substring search for "hangzhou" also found Changzhou and Zhangzhou.
    answer = search(kg.directory, "hangzhou", limit=100)
    names = {h.name_en for h in answer.items}
    assert not any(n.startswith(("Changzhou", "Zhangzhou")) for n in names)


@pytest.mark.parametrize("text", ["xi hu", "xihu", "Xī Hú", "XiHu"])
def test_pinyin_with_spaces_and_tones_finds_every_xihu(kg: KnowledgeGraph, text: str) -> None:
    answer = search(kg.directory, text, limit=50)
    regions = ids(answer, "region")
    assert {"330106", "360103"} <= set(regions)  # 西湖区 of Hangzhou and of Nanchang
    assert all(h.match == "exact" for h in answer.items if h.id in ("330106", "360103"))
    xihu = next(h for h in answer.items if h.kind == "region" and h.id == "330106")
    assert xihu.by == "pinyin" and [p.code for p in xihu.path] == ["330000", "330100"]


def test_pinyin_prefix(kg: KnowledgeGraph) -> None:
    answer = search(kg.directory, "hangzh", limit=20)
    hit = next(h for h in answer.items if h.kind == "region" and h.id == "330100")
    assert (hit.match, hit.by) == ("prefix", "pinyin")


def test_units_and_departmental_committees(kg: KnowledgeGraph) -> None:
    by_zh = search(kg.directory, "外交部").items
    assert [(h.kind, h.id, h.match) for h in by_zh] == [("unit", "mfa", "exact"), ("committee", "u-mfa", "prefix")]
    assert by_zh[0].committee == "u-mfa" and by_zh[0].level == "departmental"
    by_pinyin = search(kg.directory, "waijiao").items
    assert {(h.kind, h.id) for h in by_pinyin} == {("unit", "mfa"), ("committee", "u-mfa")}
    assert all(h.by == "pinyin" for h in by_pinyin)
    by_en = search(kg.directory, "foreign affairs").items
    assert ("unit", "mfa") in {(h.kind, h.id) for h in by_en}
    assert all("en" in h.matched_by for h in by_en)


def test_code(kg: KnowledgeGraph) -> None:
    answer = search(kg.directory, "330106")
    assert [(h.kind, h.id, h.by, h.match) for h in answer.items] == [
        ("region", "330106", "code", "exact"),
        ("committee", "330106", "code", "exact"),
    ]


@pytest.mark.parametrize("text", ["杭州", "hangzhou", "xi", "州", "district", "ministry", "33"])
def test_ranking_exact_then_prefix_then_substring_then_level_then_id(kg: KnowledgeGraph, text: str) -> None:
    answer = search(kg.directory, text, limit=10_000)
    assert answer.total == len(answer.items) > 0
    keys = [(GRADES.index(h.match), level_rank(h.level), h.id) for h in answer.items]
    assert keys == sorted(keys)


def test_limit_keeps_the_best_and_reports_the_total(kg: KnowledgeGraph) -> None:
    everything = search(kg.directory, "州", limit=10_000)
    top = search(kg.directory, "州", limit=3)
    assert top.total == everything.total > 3
    assert top.items == everything.items[:3]


def test_nothing_matches(kg: KnowledgeGraph) -> None:
    answer = search(kg.directory, "qqqqzz")
    assert answer.total == 0 and answer.items == []


@pytest.mark.parametrize("text", ["", "   ", "x" * 201])
def test_empty_or_long_text_is_refused(kg: KnowledgeGraph, text: str) -> None:
    with pytest.raises(InvalidRequest):
        search(kg.directory, text)


def test_every_province_is_found_first_by_its_full_name(kg: KnowledgeGraph) -> None:
    provinces = [r for r in kg.directory.regions.values() if r.level == "provincial"]
    assert len(provinces) == 31
    for region in provinces:
        first = search(kg.directory, region.name_zh, limit=1).items[0]
        assert (first.kind, first.id, first.match) == ("region", region.code, "exact"), region.name_zh


def test_matching_committees_is_the_committee_part_of_search(kg: KnowledgeGraph) -> None:
    found = matching_committees(kg.directory, "Hangzhou")
    assert found == named_after_hangzhou(kg)
    assert matching_committees(kg.directory, "外交") == {"u-mfa"}


def test_the_index_is_built_once_per_directory(kg: KnowledgeGraph) -> None:
    assert search_index(kg.directory) is search_index(kg.directory)
    index = search_index(kg.directory)
    assert index.directory is kg.directory
    expected = (
        len(kg.directory.regions)
        + len(kg.directory.committees)
        + sum(1 for c in kg.directory.committees.values() if c.unit is not None)
    )
    assert len(index.entries) == expected
