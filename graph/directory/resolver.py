"""Resolve what a user types to one region or unit: a code, a name, pinyin or an address.

Accepted forms: a six-digit division code (also the 2-, 4- and 12-digit forms), ``central``;
a full or short Chinese name of a region, its committee, Party committee or office
(杭州市, 杭州, 中共杭州市委保密委员会); a unit's name (外交部); pinyin with or without spaces and
tones (Hangzhou, xi hu, Xī'ān); English labels; an address-like string
(浙江省杭州市西湖区文三路).  An address is read by picking out every region name in it (longest
first) and choosing the region whose own chain of higher divisions accounts for the most of them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from graph.directory.address import Former, former_names, lexicon
from graph.directory.address import read as read_address
from graph.directory.model import Directory
from graph.errors import Ambiguous, InvalidRequest, NotFound
from graph.sources.divisions import NATION_CODE
from graph.sources.lineage import FormerDivision, former_divisions, formers_named, formers_with_code
from graph.sources.romanize import lookup_keys, normalise_pinyin, place_aliases

__all__ = ["Match", "Resolver", "is_latin"]

MAX_QUERY_LENGTH = 200
_CODE = re.compile(r"^\d+$")
_SEPARATORS = re.compile(r"[\s,，、;；/|()（）·\-_.。:：]+")
# What may stand between two place names of an address: division suffixes left after a short name, 的.
_ZH_FILLERS = tuple("省市区县州盟旗的")
_LATIN_FILLERS = tuple(
    sorted(
        (
            "province",
            "sheng",
            "city",
            "shi",
            "district",
            "qu",
            "county",
            "xian",
            "prefecture",
            "zhou",
            "diqu",
            "area",
            "autonomous",
            "zizhi",
            "region",
            "league",
            "meng",
            "banner",
            "qi",
            "of",
            "the",
            "and",
            "in",
            "china",
            "zhongguo",
            "prc",
        ),
        key=len,
        reverse=True,
    )
)
_OUTSIDE = ("香港", "澳门", "澳門", "台湾", "臺灣", "台灣", "hongkong", "macao", "macau", "taiwan")
_CENTRAL_ALIASES = ("central", "中央", "中国", "全国", "china", "中华人民共和国", "中国共产党中央委员会", "中共中央")


class Match(NamedTuple):
    kind: str  # "region" | "unit" | "body" (a Party body off the division tree: 兵团, 第八师, 雄安新区)
    key: str  # region code, or the committee id of a unit's committee


@dataclass
class _Index:
    """Exact keys, scan keys and suggestion vocabulary, built once per directory."""

    exact: dict[str, set[Match]] = field(default_factory=dict)
    scan_zh: dict[str, set[str]] = field(default_factory=dict)  # Chinese name -> region codes
    scan_py: dict[str, set[str]] = field(default_factory=dict)  # pinyin key -> region codes
    suggest: dict[str, set[Match]] = field(default_factory=dict)
    near: dict[str, set[str]] = field(default_factory=dict)  # a character (or pinyin start) -> suggestion words

    def add(self, table: dict[str, set[Match]], key: str, match: Match) -> None:
        if key:
            table.setdefault(key, set()).add(match)

    def add_suggestion(self, word: str, match: Match) -> None:
        if word:
            self.add(self.suggest, word, match)
            for key in _near_keys(word):
                self.near.setdefault(key, set()).add(word)


def _outside_reason(text: str) -> str:
    """Why a place that exists has no committee here: the graph covers mainland China only."""
    key = _clean_zh(text).lower()
    if any(name in key for name in _OUTSIDE):
        return "the graph covers the divisions of mainland China; Hong Kong, Macao and Taiwan are not in it"
    return ""


def _former_code(digits: str, living: Mapping[str, object]) -> Former | None:
    """The former division a code that no living division bears was the code of (500105: 重庆 江北区)."""
    code = digits[:6] if len(digits) == 12 and digits.endswith("000000") else digits
    if len(code) != 6 or code in living:
        return None
    return next((f for fs in former_names().values() for f in fs if f.former_code == code), None)


def _near_keys(word: str) -> set[str]:
    """Keys that a misspelt word likely shares with the right one: its characters, or its pinyin's start."""
    return {word[:2]} if word.isascii() else set(word)


def _clean_zh(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _SEPARATORS.sub("", text)


def is_latin(text: str) -> bool:
    """Latin letters only (tone marks included): the text is pinyin or English, not Chinese."""
    return all(ord(ch) < 0x250 for ch in text)  # Latin letters with tone marks count as pinyin


class Resolver:
    def __init__(self, directory: Directory, index: _Index | None = None) -> None:
        self.directory = directory
        self.index = index or self._build()
        self._max_py = max((len(k) for k in self.index.scan_py), default=1)
        self._sizes: dict[str, tuple[int, ...]] | None = None  # built on the first Chinese address read

    def _build(self) -> _Index:
        idx = _Index()
        d = self.directory
        for code, region in d.regions.items():
            m = Match("region", code)
            names = [region.name_zh, region.short_zh]
            if code in d.committee_of_region:
                c = d.committee_for_region(code)
                names += [c.name_zh, c.short_zh, c.office.name_zh, c.office.short_zh, c.office.nameplate_zh]
                if c.party:
                    names += [c.party.name_zh, c.party.short_zh]
            for name in names:
                idx.add(idx.exact, _clean_zh(name), m)
            idx.add(idx.exact, region.name_en.lower(), m)
            for name in {region.name_zh, region.short_zh}:
                if len(name) >= 2:
                    idx.scan_zh.setdefault(name, set()).add(code)
            idx.add_suggestion(region.name_zh, m)
            if code == NATION_CODE:
                for alias in _CENTRAL_ALIASES:
                    idx.add(idx.exact, alias, m)
                continue
            for key in lookup_keys(region.name_zh, region.type) | {normalise_pinyin(region.name_en)}:
                if len(key) >= 2:
                    idx.scan_py.setdefault(key, set()).add(code)
                    idx.add_suggestion(key, m)
        for code, aliases in place_aliases().items():
            if code in d.regions:
                m = Match("region", code)
                for alias in aliases:
                    idx.add(idx.exact, alias.lower(), m)
                    key = normalise_pinyin(alias)
                    idx.scan_py.setdefault(key, set()).add(code)
                    idx.add_suggestion(key, m)
        for cid, c in d.committees.items():
            if c.special is not None and c.party is not None:  # graph/special.py: names of 兵团, 师, 党工委
                for name in (c.name_zh, c.party.name_zh, c.party.short_zh, *c.special.aliases):
                    idx.add(idx.exact, _clean_zh(name), Match("body", cid))
                idx.add(idx.exact, c.party.name_en.lower(), Match("body", cid))
                idx.add_suggestion(c.party.name_zh, Match("body", cid))
            if c.unit is None:
                continue
            m = Match("unit", cid)
            for name in (c.unit.name_zh, c.unit.short_zh, c.name_zh, c.short_zh, c.office.name_zh):
                idx.add(idx.exact, _clean_zh(name), m)
            idx.add(idx.exact, c.unit.name_en.lower(), m)
            idx.add_suggestion(c.unit.name_zh, m)
        return idx

    # -- resolution --------------------------------------------------------------------------
    def resolve(self, text: str) -> Match:
        """The one region or unit ``text`` names; raises :class:`Ambiguous` or :class:`NotFound`."""
        matches, former = self._read(text)
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise Ambiguous(text, [self.describe(m) for m in matches])
        if former is not None:  # a division that was abolished or renamed: say so, and offer what replaced it
            after = (
                [self.describe(Match("region", former.successor))] if former.successor in self.directory.regions else []
            )
            raise NotFound(text, after, former.reason())
        outside = _outside_reason(text)  # a namesake on the mainland is no suggestion for 香港九龙
        raise NotFound(text, [] if outside else [self.describe(m) for m in self.suggestions(text)], outside)

    def readings(self, text: str) -> tuple[list[Match], tuple[FormerDivision, ...]]:
        """The living readings of ``text`` and the former divisions it names (:mod:`graph.sources.lineage`): by
        their code, by their name (or a city's name without 市) when that is the whole text, or through an address
        (重庆江北区, 湖北襄樊).  A former name that is the whole text outweighs an address read in part of it."""
        matches, former = self._read(text)
        raw = text.strip()
        if _CODE.match(raw):
            code = raw[:6] if len(raw) == 12 and raw.endswith("000000") else raw
            return matches, () if matches or len(code) != 6 else formers_with_code(code)
        if is_latin(raw):
            return matches, ()
        cleaned = _clean_zh(raw)
        named = formers_named(cleaned)
        if named:
            exact = cleaned in self.index.exact or cleaned.lower() in self.index.exact
            return (matches if exact else []), named
        if former is not None:
            found = former_divisions().get((former.former_code, former.name))
            return matches, (found,) if found is not None else ()
        return matches, ()

    def candidates(self, text: str) -> list[Match]:
        """Every best reading of ``text`` (none, one, or several when it is ambiguous)."""
        return self._read(text)[0]

    def _read(self, text: str) -> tuple[list[Match], Former | None]:
        """The best readings of ``text``, or the former division it names when that is what it names."""
        raw = text.strip()
        if not raw:
            raise InvalidRequest("the query is empty")
        if len(raw) > MAX_QUERY_LENGTH:
            raise InvalidRequest(f"the query is longer than {MAX_QUERY_LENGTH} characters")
        if _CODE.match(raw):
            return self._by_code(raw), _former_code(raw, self.directory.regions)
        lowered = raw.lower()
        cleaned = _clean_zh(raw)
        exact = next((self.index.exact[k] for k in (lowered, cleaned, cleaned.lower()) if k in self.index.exact), set())
        if is_latin(raw):
            # Pinyin and English answer at least every place the same name in Chinese does: an English label
            # equal to the pinyin of one of several namesakes does not win over the others.
            key = normalise_pinyin(raw)
            found = self._scan(key, self.index.scan_py, self._max_py, fillers=_LATIN_FILLERS, whole=True) if key else []
            return sorted(exact | {Match("region", code) for code in found}), None
        if exact:
            return sorted(exact), None
        if self._sizes is None:
            self._sizes = lexicon(self.index.scan_zh)
        reading = read_address(cleaned, self.index.scan_zh, self.directory.regions, self._sizes)
        if reading is None or reading.outside:
            return [], None
        if reading.former is not None:
            return [], reading.former
        return [Match("region", code) for code in sorted(reading.codes)], None

    def _by_code(self, digits: str) -> list[Match]:
        if len(digits) == 12 and digits.endswith("000000"):
            digits = digits[:6]
        elif len(digits) in (2, 4):
            digits = digits.ljust(6, "0")
        if len(digits) == 6 and digits in self.directory.regions:
            return [Match("region", digits)]
        return []

    def _scan(
        self, text: str, table: dict[str, set[str]], longest: int, *, fillers: tuple[str, ...], whole: bool
    ) -> list[str]:
        """Read ``text`` as place names from the largest down, and pick the region explaining most of them.

        The text is cut into names with only ``fillers`` between them (suffixes such as 州 in 恩施州, or
        "city", "district"), in the fewest pieces (乐山 + 市中 in 乐山市中, ankang + shiquan in
        ankangshiquan).  In Chinese, anything else before the first name is skipped (中国, 地址：) and
        anything else after it ends the reading: the rest is finer detail, a street or a zone that is no
        division (雄安新区 in 河北雄安新区, whose 安新 must not be read as 安新县).  Pinyin or English
        (``whole``) must be explained entirely, so that "xilin" followed by noise is not read as 西林.
        """
        n = len(text)

        def steps(i: int) -> Iterator[tuple[int, set[str] | None]]:
            for size in range(min(longest, n - i), 1, -1):
                if codes := table.get(text[i : i + size]):
                    yield i + size, codes
            for filler in fillers:
                if text.startswith(filler, i):
                    yield i + len(filler), None

        # Every way of cutting the text into names and fillers, the fewest pieces kept per position reached.
        first = 0 if whole else next((i for i in range(n) if any(c for _, c in steps(i))), n)
        best: dict[int, tuple[int, list[set[str]]]] = {first: (0, [])}
        for i in range(first, n):
            if i in best:
                pieces, found = best[i]
                for j, codes in steps(i):
                    if j not in best or pieces + 1 < best[j][0]:
                        best[j] = (pieces + 1, [*found, codes] if codes else found)
        end = n if whole else max(best)
        tokens = best[end][1] if end in best else []
        if not tokens:
            return []
        scores: dict[str, int] = {}
        for code in set().union(*tokens):
            lineage = {code, *self._ancestors(code)}
            scores[code] = sum(1 for tok in tokens if tok & lineage)
        top = max(scores.values())
        return sorted(code for code, score in scores.items() if score == top)

    def _ancestors(self, code: str) -> Iterable[str]:
        parent = self.directory.regions[code].parent
        while parent:
            yield parent
            parent = self.directory.regions[parent].parent

    def suggestions(self, text: str, limit: int = 5) -> list[Match]:
        raw = text.strip()
        key = normalise_pinyin(raw) if is_latin(raw) else _clean_zh(raw)
        if _CODE.match(raw):
            prefix = raw[:4] if len(raw) >= 4 else raw
            close = [c for c in sorted(self.directory.regions) if c.startswith(prefix)][:limit]
            return [Match("region", c) for c in close]
        # Compare only with words that share a character (or the pinyin's start): fast however many units there are.
        pool = sorted(set().union(*(self.index.near.get(k, set()) for k in _near_keys(key))))[:50_000]
        words = difflib.get_close_matches(key, pool, n=limit * 2, cutoff=0.5)
        out: list[Match] = []
        for word in words:
            for m in sorted(self.index.suggest[word]):
                if m not in out:
                    out.append(m)
        return out[:limit]

    def describe(self, m: Match) -> dict[str, object]:
        """A candidate or suggestion: code, name, level and the path of higher regions."""
        d = self.directory
        if m.kind == "body":
            c = d.committees[m.key]
            return {
                "kind": "body",
                "code": m.key,
                "name": c.party.name_zh if c.party else c.name_zh,
                "name_en": c.party.name_en if c.party else c.name_en,
                "level": c.level,
                "path": [{"code": r.code, "name": r.name_zh} for r in d.region_path(c.region)],
            }
        if m.kind == "unit":
            c = d.committees[m.key]
            region = d.regions[c.region]
            path = [*d.region_path(c.region), region] if c.region != NATION_CODE else []
            return {
                "kind": "unit",
                "code": m.key,
                "name": c.unit.name_zh if c.unit else c.name_zh,
                "name_en": c.unit.name_en if c.unit else c.name_en,
                "level": "departmental",
                "path": [{"code": r.code, "name": r.name_zh} for r in path],
            }
        region = d.regions[m.key]
        return {
            "kind": "region",
            "code": region.code,
            "name": region.name_zh,
            "name_en": region.name_en,
            "level": region.level,
            "path": [{"code": r.code, "name": r.name_zh} for r in d.region_path(m.key)],
        }
