"""Lookup consistency: pinyin and English reach every place the Chinese name does; former names answer with what
became of them."""

from __future__ import annotations

import pytest

from graph.errors import Ambiguous
from graph.kg import KnowledgeGraph
from graph.sources.romanize import romanize


def test_pinyin_and_english_reach_every_candidate_of_the_chinese_name(kg: KnowledgeGraph) -> None:
    resolver = kg.resolver
    narrower: list[str] = []
    for code, region in kg.directory.regions.items():
        if code == "CN":
            continue
        pairs = {region.name_zh: {romanize(region.name_zh), region.name_en}}
        pairs.setdefault(region.short_zh, set()).add(romanize(region.short_zh))
        for zh, latins in pairs.items():
            chinese = {m.key for m in resolver.candidates(zh) if m.kind == "region"}
            for latin in latins:
                if not latin or not latin.isascii():
                    continue
                found = {m.key for m in resolver.candidates(latin)}
                if not chinese <= found:
                    narrower.append(f"{zh} {sorted(chinese)} vs {latin!r} {sorted(found)}")
    assert not narrower, f"{len(narrower)} names: " + "; ".join(narrower[:10])


def test_an_abolished_name_answers_what_replaced_it(kg: KnowledgeGraph) -> None:
    answer = kg.lookup("重庆市江北区")
    assert answer.region.code == "500157" and answer.former is not None
    assert answer.former.code == "500105" and "merged into another division in 2025" in answer.former.note


def test_the_code_of_a_split_division_offers_its_successors(kg: KnowledgeGraph) -> None:
    with pytest.raises(Ambiguous) as info:
        kg.lookup("452200")
    assert [c["code"] for c in info.value.candidates] == ["450200", "451300"]
    assert "柳州地区" in info.value.extra["former"]["note"]


def test_a_renamed_city_read_through_to_its_district(kg: KnowledgeGraph) -> None:
    assert kg.lookup("湖北省襄樊市樊城区").region.code == "420606"


def test_a_long_address_is_read_in_linear_time(kg: KnowledgeGraph) -> None:
    import time

    resolver = kg.resolver
    text = ("浙江省杭州市西湖区文三路" * 20)[:200]
    start = time.perf_counter()
    for _ in range(200):
        resolver.candidates(text)
    assert (time.perf_counter() - start) / 200 < 0.002
