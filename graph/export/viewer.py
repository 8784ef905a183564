"""What the offline viewer loads once: a compact index of every committee for client-side search and
navigation, the eight duties of a local committee, the names of what the rules of the law rest on (articles,
passages of the textbook, sources: ``citations``, by IRI, for the basis an answer gives by IRI), and what the page
draws with — the levels and edge kinds with their names (the kinds it draws are those of an export by default),
the palette (:mod:`graph.export.palette`), the rules of the tree layout (:data:`graph.export.layout.TREE_RULES`)
and the export formats — so that the page keeps no copy of them.

Each committee is one row ``[id, level, upper, short_zh, name_zh, short_en, keys, unit]``; ``keys``
holds the normalised pinyin and English keys a user may type (as :mod:`graph.sources.romanize` makes them for the
resolver), ``unit`` the unit's name for a departmental body.  Rows come in tree order (the centre, then each
level by code), so a client can rebuild the tree from ``upper`` alone.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from graph.directory.model import Committee, Directory
from graph.export.layout import TREE_RULES
from graph.export.palette import palette
from graph.export.projection import LINKS
from graph.memo import per_object
from graph.sources.law import load_law
from graph.sources.provenance import load_provenance
from graph.sources.romanize import lookup_keys, normalise_pinyin, romanize
from graph.sources.textbook import Textbook, load_textbook
from graph.vocab import DEFAULT_EDGE_KINDS, EDGE_KINDS, EXPORT_FORMATS, LEVELS, LOCAL_LEVELS, Lang, Level

__all__ = ["FIELDS", "viewer_index"]

FIELDS = ("id", "level", "upper", "short_zh", "name_zh", "short_en", "keys", "unit")
_ORDER: dict[str, int] = {level: i for i, level in enumerate(LEVELS)}


def _keys(d: Directory, c: Committee) -> str:
    if c.special is not None and c.party is not None:  # 兵团, 师, 党工委: their Party body's names
        names = [c.party.name_zh, c.party.short_zh, *c.special.aliases]
        keys = {normalise_pinyin(romanize(n)) for n in names if n} | {normalise_pinyin(c.party.name_en)}
    elif c.unit is not None:
        names = [c.unit.name_zh, c.unit.short_zh]
        keys = {normalise_pinyin(romanize(n)) for n in names if n} | {normalise_pinyin(c.unit.name_en)}
    else:
        region = d.regions[c.region]
        keys = lookup_keys(region.name_zh, region.type) if c.level != Level.CENTRAL else {"zhongyang", "central"}
    return " ".join(sorted(k for k in keys if k))


def _citations(d: Directory, book: Textbook) -> dict[str, dict[str, str]]:
    """The names of everything a rule of the law rests on, by IRI: 《保守国家秘密法》（2024）第六条 and its English, a
    passage of the textbook, an outside source."""
    law, sources = load_law(), load_provenance().sources
    passages = {p.id: p for p in book.passages}
    out: dict[str, dict[str, str]] = {}
    for rule in law.rules.values():
        for ref in rule.basis:
            head, colon, rest = ref.partition(":")
            if not colon:
                zh, en = law.articles[ref].label(law)
            elif head == "passage" and rest in passages:
                p = passages[rest]
                zh, en = f"教材 {p.location}：{p.label_zh}", f"Textbook, {p.location}: {p.label_en}"
            elif head == "source" and rest in sources:
                zh, en = sources[rest].label_zh, sources[rest].label_en
            else:
                zh = en = ref
            out[d.vocab.basis(ref)] = {"zh": zh, "en": en}
    return out


@per_object
def viewer_index(d: Directory) -> dict[str, Any]:
    """The viewer's index of ``d`` (built once per directory)."""
    rows = [
        [
            c.id,
            c.level,
            c.upper or "",
            c.short_zh or c.name_zh,
            c.name_zh,
            c.short_en or c.name_en,
            _keys(d, c),
            c.unit.name_zh if c.unit else "",
        ]
        for c in sorted(d.committees.values(), key=lambda c: (_ORDER[c.level], c.id))
    ]
    book = load_textbook()
    index: dict[str, Any] = {
        "fields": list(FIELDS),
        "levels": list(LEVELS),
        "edge_kinds": list(DEFAULT_EDGE_KINDS),  # what the page draws: the administrative line is not drawn
        "labels": {
            "levels": {lv: {lang: lv.label(lang) for lang in Lang} for lv in LEVELS},
            "edges": {kind: {lang: kind.label(lang) for lang in Lang} for kind in EDGE_KINDS},
        },
        "duty_levels": list(LOCAL_LEVELS),  # the local committees, which carry the duties
        "palette": palette(),
        "layout": asdict(TREE_RULES),
        "formats": [{"name": f.name, "description": f.description} for f in EXPORT_FORMATS],
        "links": [
            {"kind": link.kind, "predicate": link.predicate, "label_zh": link.label_zh, "label_en": link.label_en}
            for link in LINKS
        ],
        "duties": [
            {
                "number": duty.number,
                "passage": duty.passage,
                "label_zh": duty.label_zh,
                "label_en": duty.label_en,
                "text_zh": duty.text_zh,
                "text_en": duty.text_en,
            }
            for duty in book.duties
        ],
        "citations": _citations(d, book),
        "committees": rows,
    }
    return index
