"""Synthetic growth: departments, enterprises and institutions that set up their own committees.

Every department, enterprise and institution may set up a confidentiality committee or leading
group (``ch5.1.p5``); nationally they number in the hundreds of thousands.  To measure how the
service scales, :func:`synthetic_units` invents N such units spread over the real counties and
cities — plausible names, deterministic for a seed — and :func:`write_dataset` writes the real
graph plus the units (each with its committee or leading group, its office and its link to the
committee that leads the region's work) as one N-Quads file.

The units' own facts sit in the named graph ``graph/synthetic/<seed>``, derived from a source that
says they are synthetic; their committees' links rest on the same passages as the real ones.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from graph.build.assemble import Inputs, build_quads, load_inputs
from graph.build.departmental import units_quads
from graph.namespaces import PROV, RDF, RDFS, Vocab
from graph.sources.divisions import Division, Divisions
from graph.sources.romanize import english_name, romanize, stem
from graph.sources.units import Unit
from graph.vocab import Level

__all__ = ["synthetic_units", "write_dataset"]

# (zh, en) of local government and Party departments: one of each per region at most.
_DEPARTMENTS = [
    ("公安局", "Public Security Bureau"),
    ("财政局", "Finance Bureau"),
    ("教育局", "Education Bureau"),
    ("民政局", "Civil Affairs Bureau"),
    ("司法局", "Justice Bureau"),
    ("审计局", "Audit Bureau"),
    ("统计局", "Statistics Bureau"),
    ("商务局", "Commerce Bureau"),
    ("水利局", "Water Resources Bureau"),
    ("自然资源局", "Natural Resources Bureau"),
    ("生态环境局", "Ecology and Environment Bureau"),
    ("交通运输局", "Transport Bureau"),
    ("农业农村局", "Agriculture and Rural Affairs Bureau"),
    ("应急管理局", "Emergency Management Bureau"),
    ("市场监督管理局", "Market Regulation Bureau"),
    ("科学技术局", "Science and Technology Bureau"),
    ("文化和旅游局", "Culture and Tourism Bureau"),
    ("人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("退役军人事务局", "Veterans Affairs Bureau"),
    ("档案局", "Archives Bureau"),
    ("发展和改革委员会", "Development and Reform Commission"),
    ("卫生健康委员会", "Health Commission"),
    ("委组织部", "Organization Department of the Party Committee"),
    ("委宣传部", "Publicity Department of the Party Committee"),
    ("委统战部", "United Front Work Department of the Party Committee"),
]
_BRAND = "华兴达信恒通博远安盛泰新科锐宏德瑞中联海鼎汇和晶创益航天金"
_INDUSTRIES = [
    ("科技", "Technology"),
    ("电子", "Electronics"),
    ("通信", "Communications"),
    ("软件", "Software"),
    ("机械", "Machinery"),
    ("化工", "Chemicals"),
    ("能源", "Energy"),
    ("建设", "Construction"),
    ("航天", "Aerospace"),
    ("材料", "Materials"),
    ("信息", "Information"),
    ("测绘", "Surveying and Mapping"),
    ("船舶", "Shipbuilding"),
    ("光电", "Optoelectronics"),
    ("精密仪器", "Precision Instruments"),
]
_INSTITUTIONS = [
    ("第{n}中学", "No. {n} Middle School"),
    ("第{n}人民医院", "No. {n} People's Hospital"),
    ("{n}号档案馆", "Archive No. {n}"),
    ("第{n}研究所", "Research Institute No. {n}"),
    ("第{n}职业技术学校", "No. {n} Vocational School"),
    ("第{n}测绘院", "Surveying Institute No. {n}"),
]
_LEVEL_WEIGHTS = {Level.PROVINCIAL: 1, Level.MUNICIPAL: 4, Level.COUNTY: 15}


def _pick_regions(divisions: Divisions, rng: random.Random, count: int) -> list[Division]:
    pools = {level: [d for d in divisions if d.level == level] for level in _LEVEL_WEIGHTS}
    levels = rng.choices(list(_LEVEL_WEIGHTS), weights=list(_LEVEL_WEIGHTS.values()), k=count)
    return [rng.choice(pools[level]) for level in levels]


def synthetic_units(divisions: Divisions, count: int, seed: int) -> Iterator[Unit]:
    """``count`` plausible units with unique names, the same ones for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - made-up test data, not secrets
    used: set[str] = set()
    numbers: dict[tuple[str, int], int] = {}
    for i, region in enumerate(_pick_regions(divisions, rng, count)):
        place_zh, place_en = region.name, english_name(region.name, region.type)
        if region.level == Level.COUNTY:  # many counties share names: qualify by the nearest higher division
            parent = divisions[region.parent]
            place_zh = parent.name + place_zh
            place_en = f"{place_en}, {english_name(parent.name, parent.type)}"
        short = stem(region.name, region.type)
        roll = rng.random()
        kind = "department" if roll < 0.15 else ("enterprise" if roll < 0.7 else "institution")
        zh = ""
        if kind == "department":
            name_zh, name_en = rng.choice(_DEPARTMENTS)
            zh = f"中共{place_zh}{name_zh}" if name_zh.startswith("委") else place_zh + name_zh
            en = f"{place_en} {name_en}"
        if kind == "enterprise" or zh in used:
            kind = "enterprise"
            brand = "".join(rng.sample(_BRAND, 2))
            trade_zh, trade_en = rng.choice(_INDUSTRIES)
            zh = f"{short}{brand}{trade_zh}有限公司"
            en = f"{romanize(short)} {romanize(brand)} {trade_en} Co., Ltd."
        if kind == "institution" or zh in used:
            kind = "institution"
            template = rng.randrange(len(_INSTITUTIONS))
            key = (region.code, template)
            numbers[key] = numbers.get(key, 0) + 1
            zh_t, en_t = _INSTITUTIONS[template]
            zh = place_zh + zh_t.format(n=numbers[key])
            en = f"{en_t.format(n=numbers[key])}, {place_en}"
        if zh in used:  # an enterprise name drawn twice: number it
            zh, en = f"{zh}（{i}）", f"{en} ({i})"
        used.add(zh)
        body = "leading-group" if rng.random() < 0.2 else "committee"
        yield Unit(f"s{seed}-{i:07d}", zh, zh, en, kind, region.code, body)


def write_dataset(
    out: Path, count: int, seed: int, vocab: Vocab, *, inputs: Inputs | None = None, chunk: int = 5000
) -> int:
    """Write the real graph and ``count`` synthetic units to ``out`` (N-Quads); return the number of quads."""
    inputs = inputs or load_inputs()
    graph = vocab.graph("synthetic", str(seed))
    source = vocab.source(f"synthetic-{seed}")
    meta = NamedNode(vocab.meta_graph)
    provenance = [
        Quad(NamedNode(graph), NamedNode(PROV + "wasDerivedFrom"), NamedNode(source), meta),
        Quad(NamedNode(source), NamedNode(RDF + "type"), NamedNode(vocab.term("Source")), meta),
        Quad(NamedNode(source), NamedNode(RDF + "type"), NamedNode(PROV + "Entity"), meta),
        Quad(NamedNode(source), NamedNode(RDFS + "label"), Literal(f"合成单位（种子 {seed}）", language="zh"), meta),
        Quad(
            NamedNode(source), NamedNode(RDFS + "label"), Literal(f"Synthetic units (seed {seed})", language="en"), meta
        ),
        Quad(
            NamedNode(source),
            NamedNode(RDFS + "comment"),
            Literal(
                f"{count} invented units made by `baomi-kg synth` for scale tests; not real bodies.", language="en"
            ),
            meta,
        ),
    ]
    total = 0
    with out.open("wb") as handle:
        for quads in (list(build_quads(inputs, vocab)), provenance):
            handle.write(serialize(quads, format=RdfFormat.N_QUADS) or b"")
            total += len(quads)
        batch: list[Unit] = []
        for unit in synthetic_units(inputs.divisions, count, seed):
            batch.append(unit)
            if len(batch) >= chunk:
                total += _write_units(handle, batch, inputs.divisions, graph, vocab)
                batch = []
        if batch:
            total += _write_units(handle, batch, inputs.divisions, graph, vocab)
    return total


def _write_units(handle: BinaryIO, units: list[Unit], divisions: Divisions, graph: str, vocab: Vocab) -> int:
    quads = units_quads(vocab, units, divisions, graph)
    handle.write(serialize(quads, format=RdfFormat.N_QUADS) or b"")
    return len(quads)
