"""Search across committees, regions and units, in Chinese, pinyin and English.

A query is compared with every entry in four ways: its id or division code (exact or prefix),
its Chinese names (substring), the normalised pinyin keys of its place or unit name (prefix; see
:func:`graph.sources.romanize.lookup_keys`) and its English labels (case-insensitive, from the start of a word).
Hits are ranked exact > prefix > substring, then by level (central, provincial, municipal, county,
departmental), then by id.  The index is built once per :class:`~graph.directory.model.Directory`.
"""

from __future__ import annotations

import threading
import unicodedata
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from graph.directory.model import Directory, PathStep, Region, level_rank
from graph.directory.resolver import is_latin
from graph.errors import InvalidRequest
from graph.sources.divisions import NATION_CODE
from graph.sources.romanize import lookup_keys, normalise_pinyin, place_aliases, romanize
from graph.vocab import Level

__all__ = [
    "MAX_QUERY_LENGTH",
    "SearchAnswer",
    "SearchHit",
    "SearchIndex",
    "index_entries",
    "matching_committees",
    "search",
    "search_index",
]

MAX_QUERY_LENGTH = 200
GRADES = ("exact", "prefix", "substring")
METHODS = ("code", "zh", "pinyin", "en")
_KIND_ORDER = {"region": 0, "committee": 1, "unit": 2}

Kind = Literal["committee", "region", "unit"]
Grade = Literal["exact", "prefix", "substring"]
Method = Literal["code", "zh", "pinyin", "en"]


class SearchHit(BaseModel):
    kind: Kind
    id: str = Field(description="Committee id, division code (CN for the nation) or unit id")
    name_zh: str
    name_en: str
    short_zh: str | None = None
    level: Level
    committee: str | None = Field(description="Id of the committee of this region or unit (itself for a committee)")
    path: list[PathStep] = Field(
        description="Regions from the province down: those above a region; for a committee "
        "or unit, down to and including the region it lies in"
    )
    match: Grade = Field(description="How the best match was made: exact, prefix or substring")
    by: Method = Field(description="What matched best: code, zh (Chinese name), pinyin or en (English label)")
    matched_by: list[Method] = Field(description="Every way the entry matched")


class SearchAnswer(BaseModel):
    query: str
    total: int = Field(description="Number of hits before the limit")
    items: list[SearchHit]


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: Kind
    id: str
    level: str
    zh: tuple[str, ...]
    pinyin: tuple[str, ...]
    en: tuple[str, ...]  # lowercased
    committee: str = ""  # the committee of a region or unit, or the committee itself


@dataclass(frozen=True, slots=True)
class _Query:
    raw: str
    zh: str
    pinyin: str  # '' when the query is not Latin script
    en: str


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _at_word(needle: str, name: str) -> bool:
    """``needle`` occurs in ``name`` at the start of a word (so "hangzhou" is not found in "changzhou")."""
    start = name.find(needle)
    while start > 0:
        if not name[start - 1].isalnum():
            return True
        start = name.find(needle, start + 1)
    return start == 0


def _grade_text(needle: str, names: Iterable[str], *, inside: Literal["", "any", "word"] = "") -> int | None:
    """0 if a name is ``needle``, 1 if one starts with it, 2 if one contains it anywhere or at a word ("any",
    "word"; by default containing does not count)."""
    best: int | None = None
    for name in names:
        if name == needle:
            return 0
        if name.startswith(needle):
            best = 1
        elif best is None and (inside == "any" and needle in name or inside == "word" and _at_word(needle, name)):
            best = 2
    return best


def _place_keys(name: str, division_type: str) -> set[str]:
    try:
        return lookup_keys(name, division_type)
    except ValueError:  # the nation has no division-type ending
        return {normalise_pinyin(romanize(name))}


def _names(*names: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in names if n))


def index_entries(directory: Directory) -> list[_Entry]:
    """Every committee, region and unit of ``directory`` with its keys (romanizing every name: about a second,
    so the start-up snapshot keeps them)."""
    entries: list[_Entry] = []
    region_keys: dict[str, tuple[str, ...]] = {}
    aliases = place_aliases()
    for code, r in sorted(directory.regions.items()):
        keys = _place_keys(r.name_zh, r.type) | {normalise_pinyin(n) for n in (r.name_en, *aliases.get(code, ()))}
        if r.short_zh != r.name_zh:
            keys |= _place_keys(r.short_zh, r.type)
        region_keys[code] = tuple(sorted(k for k in keys if k))
        entries.append(
            _Entry(
                "region",
                code,
                r.level,
                _names(r.name_zh, r.short_zh),
                region_keys[code],
                _names(r.name_en.lower()),
                directory.committee_of_region.get(code, ""),
            )
        )
    for cid, c in sorted(directory.committees.items()):
        en = _names(c.name_en.lower(), c.short_en.lower())
        if c.unit is None:
            entries.append(
                _Entry("committee", cid, c.level, _names(c.name_zh, c.short_zh), region_keys.get(c.region, ()), en, cid)
            )
            continue
        unit_keys = tuple(sorted({normalise_pinyin(romanize(n)) for n in (c.unit.name_zh, c.unit.short_zh) if n}))
        entries.append(_Entry("committee", cid, c.level, _names(c.name_zh, c.short_zh), unit_keys, en, cid))
        entries.append(
            _Entry(
                "unit",
                c.unit.id,
                "departmental",
                _names(c.unit.name_zh, c.unit.short_zh),
                unit_keys,
                _names(c.unit.name_en.lower()),
                cid,
            )
        )
    return entries


class SearchIndex:
    """Every committee, region and unit of a directory, with the keys a query is compared with."""

    def __init__(self, directory: Directory, entries: list[_Entry] | None = None) -> None:
        """``entries``: those :func:`index_entries` gave for this directory before (kept in the start-up snapshot)."""
        self._directory = weakref.ref(directory)
        self.entries: list[_Entry] = index_entries(directory) if entries is None else entries

    @property
    def directory(self) -> Directory | None:
        return self._directory()

    @staticmethod
    def parse(text: str) -> _Query:
        raw = _clean(text)
        if not raw:
            raise InvalidRequest("the search text is empty")
        if len(raw) > MAX_QUERY_LENGTH:
            raise InvalidRequest(f"the search text is longer than {MAX_QUERY_LENGTH} characters")
        return _Query(raw, raw.replace(" ", ""), normalise_pinyin(raw) if is_latin(raw) else "", raw.lower())

    @staticmethod
    def grade(entry: _Entry, q: _Query) -> tuple[int, list[Method]] | None:
        """The best grade of ``entry`` for ``q`` (0 exact, 1 prefix, 2 substring) and every method that matched."""
        found: list[tuple[int, Method]] = []
        code = _grade_text(q.raw, (entry.id,))
        if code is not None:
            found.append((code, "code"))
        zh = _grade_text(q.zh, entry.zh, inside="any")
        if zh is not None:
            found.append((zh, "zh"))
        if q.pinyin:
            py = _grade_text(q.pinyin, entry.pinyin)
            if py is not None:
                found.append((py, "pinyin"))
        en = _grade_text(q.en, entry.en, inside="word")
        if en is not None:
            found.append((en, "en"))
        if not found:
            return None
        best = min(g for g, _ in found)
        ordered = sorted(found, key=lambda gm: (gm[0], METHODS.index(gm[1])))
        return best, [m for _, m in ordered]

    def hits(self, text: str) -> list[tuple[_Entry, int, list[Method]]]:
        """Every entry matching ``text``, best first."""
        q = self.parse(text)
        out: list[tuple[_Entry, int, list[Method]]] = []
        for entry in self.entries:
            graded = self.grade(entry, q)
            if graded is not None:
                out.append((entry, graded[0], graded[1]))
        out.sort(key=lambda h: (h[1], level_rank(h[0].level), h[0].id, _KIND_ORDER[h[0].kind]))
        return out


_CACHE: dict[int, SearchIndex] = {}
_LOCK = threading.Lock()


def search_index(directory: Directory, entries: list[_Entry] | None = None) -> SearchIndex:
    """The search index of ``directory``, built on first use (from ``entries`` when given) and dropped with the
    directory."""
    key = id(directory)
    with _LOCK:
        index = _CACHE.get(key)
        if index is None or index.directory is not directory:
            index = SearchIndex(directory, entries)
            _CACHE[key] = index
            weakref.finalize(directory, _CACHE.pop, key, None)
        return index


def _path(d: Directory, region: Region, *, inclusive: bool) -> list[PathStep]:
    if region.code == NATION_CODE:
        return []
    steps = [*d.region_path(region.code), *([region] if inclusive else [])]
    return [PathStep(code=r.code, name=r.name_zh) for r in steps]


def _hit(d: Directory, entry: _Entry, grade: int, methods: list[Method]) -> SearchHit:
    common = {
        "kind": entry.kind,
        "id": entry.id,
        "level": entry.level,
        "match": GRADES[grade],
        "by": methods[0],
        "matched_by": methods,
    }
    if entry.kind == "region":
        r = d.regions[entry.id]
        return SearchHit(
            **common,
            name_zh=r.name_zh,
            name_en=r.name_en,
            short_zh=r.short_zh or None,
            committee=d.committee_of_region.get(r.code),
            path=_path(d, r, inclusive=False),
        )
    c = d.committees[entry.committee]
    path = _path(d, d.regions[c.region], inclusive=True)
    if entry.kind == "unit" and c.unit is not None:
        return SearchHit(
            **common,
            name_zh=c.unit.name_zh,
            name_en=c.unit.name_en,
            short_zh=c.unit.short_zh or None,
            committee=c.id,
            path=path,
        )
    return SearchHit(
        **common, name_zh=c.name_zh, name_en=c.name_en, short_zh=c.short_zh or None, committee=c.id, path=path
    )


def search(directory: Directory, text: str, limit: int = 20) -> SearchAnswer:
    """Committees, regions and units whose code, Chinese names, pinyin or English labels match ``text``."""
    if limit < 1:
        raise InvalidRequest("limit must be at least 1")
    hits = search_index(directory).hits(text)
    return SearchAnswer(
        query=_clean(text), total=len(hits), items=[_hit(directory, e, g, m) for e, g, m in hits[:limit]]
    )


def matching_committees(directory: Directory, text: str) -> set[str]:
    """Ids of the committees (Party and departmental) whose names match ``text``."""
    return {e.id for e, _, _ in search_index(directory).hits(text) if e.kind == "committee"}
