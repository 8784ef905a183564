"""Read a Chinese address down the division tree: 浙江省杭州市西湖区文三路 → 西湖区.

An address names its divisions from the largest down, each inside the one before, with nothing but
division suffixes between them (省, 市, 市辖区 …).  The reading walks the text once, from the left:

* a name is read only where it is a division's name, not the start of a street, road, market, town or
  landmark word (延安路, 中山北路, 解放碑, 黄龙商贸城, 红山街道, 龙港镇, 盘龙城 — see :data:`STREET`);
* once a division is read, the next name counts only if it lies inside it (义乌市福田街道: 福田 is not in
  义乌, so the reading stops at 义乌; 青岛市南区: 市南区 is in 青岛);
* anything else ends the reading (河北雄安新区: 安新 is not read), until a province's name starts a new
  address (…萧县中国浙江省杭州市建德市); the reading with the most names wins; on a tie, one that ends at a
  living division, then one written out again after 中国, then the first;
* names of divisions that were abolished or renamed (``data/former_names.csv``: 柳州地区, 襄樊, 重庆的
  江北区) are read as such, and lead to what replaced them when finer names follow;
* an address in Hong Kong, Macao or Taiwan is not read as a mainland namesake (香港九龙 is not 九龙县).

Every step looks at a bounded window of the text, so a reading is linear in the length of the text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import NamedTuple, Protocol

from graph.paths import DATA_DIR
from graph.vocab import Level

__all__ = ["FILLERS", "OUTSIDE", "STREET", "Former", "Reading", "former_names", "lexicon", "read"]

# What may stand between two division names: suffixes left after a short name, and 市辖区 as code lists print it.
FILLERS = ("市辖区", "省", "市", "区", "县", "州", "盟", "旗", "的")
# Hong Kong, Macao and Taiwan: places that exist, whose namesakes on the mainland an address must not reach.
OUTSIDE = ("香港", "澳门", "澳門", "台湾", "臺灣", "台灣")
# What, right after a short name, makes it part of a street, market, town or landmark word rather than a
# division: 延安路, 中山北路, 解放碑, 黄龙商贸城, 红山街道, 龙港镇, 盘龙城 (城 but not 城区, 城北 …) — unless a
# division's name starts there (江苏镇江: 镇江 is a city).
STREET = re.compile(
    r"[东西南北中]{0,2}[一二三四五六七八九十\d]{0,3}(?:路|街|大道|巷|弄|胡同|桥)"
    r"|碑|广场|商贸城|商城|商场|市场|城(?![区东西南北中关厢乡镇])|镇|乡|村|社区|小区|花园|公园|新村|大厦|工业园|开发区|山庄"
)
_SUFFIXES = tuple("省市区县州盟旗")
_FILLER_CHARS = frozenset(f[0] for f in FILLERS)


class Former(NamedTuple):
    """A division that was abolished or renamed, and what took its place (``data/former_names.csv``)."""

    name: str
    province: str
    former_parent: str  # the names above it, space-separated
    former_code: str
    year: str
    change: str  # 撤销, 更名, 撤县设市 …
    successor: str  # the living division that took its place, or ''
    successor_name: str

    def reason(self) -> str:
        what = "renamed" if self.change == "更名" else "abolished"
        where = " ".join([*self.former_parent.split(), self.name])
        now = f", now part of {self.successor_name} ({self.successor})" if self.successor else ""
        if self.change == "更名" and self.successor:
            now = f"; it is now {self.successor_name} ({self.successor})"
        return f"{where} ({self.former_code}) was {what} in {self.year} ({self.change}){now}"


@cache
def former_names() -> dict[str, tuple[Former, ...]]:
    """Former names (and the short form of former city names: 襄樊 for 襄樊市) -> the divisions that bore them."""
    out: dict[str, list[Former]] = {}
    path = DATA_DIR / "former_names.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            f = Former(
                row["name"],
                row["province"],
                row["former_parent"],
                row["former_code"],
                row["year"],
                row["change"],
                row["successor"],
                row["successor_name"],
            )
            out.setdefault(f.name, []).append(f)
            if f.name.endswith("市") and len(f.name) >= 3:
                out.setdefault(f.name[:-1], []).append(f)
    return {k: tuple(v) for k, v in out.items()}


class _Region(Protocol):
    @property
    def name_zh(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def parent(self) -> str | None: ...


class Reading(NamedTuple):
    codes: frozenset[str]  # the living divisions read (several when the text is ambiguous)
    names: int  # how many names the reading is made of
    former: Former | None = None  # the finest name read is that of a former division
    outside: bool = False  # the address lies in Hong Kong, Macao or Taiwan
    restated: bool = False  # the reading starts after 中国: an address written out again in full

    def rank(self) -> tuple[int, bool, bool]:
        """The fullest reading wins; on a tie one ending at a living division, then one restated in full."""
        return self.names, self.former is None, self.restated


def _lineage(regions: Mapping[str, _Region], code: str) -> Iterator[str]:
    current: str | None = code
    while current:
        yield current
        current = regions[current].parent


def lexicon(names: Mapping[str, set[str]]) -> dict[str, tuple[int, ...]]:
    """The lengths of the names (living and former) that start with each pair of characters, longest first."""
    sizes: dict[str, set[int]] = {}
    for name in (*names, *former_names()):
        if len(name) >= 2:
            sizes.setdefault(name[:2], set()).add(len(name))
    return {k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()}


def read(
    text: str, names: Mapping[str, set[str]], regions: Mapping[str, _Region], sizes: Mapping[str, tuple[int, ...]]
) -> Reading | None:
    """The best reading of ``text`` (already cleaned of spaces and punctuation), or None when no name is in it.

    ``names`` maps each full and short division name to the codes bearing it; ``sizes`` is its :func:`lexicon`.
    """
    former = former_names()
    n = len(text)
    readings: list[Reading] = []

    def starts_name(i: int) -> bool:
        return any(text[i : i + size] in names for size in sizes.get(text[i : i + 2], ()) if i + size <= n)

    def options(i: int) -> Iterator[tuple[int, set[str] | None, tuple[Former, ...]]]:
        """The names that start at ``i``, longest first: (end, living codes, former divisions)."""
        for size in sizes.get(text[i : i + 2], ()):
            if i + size > n:
                continue
            piece = text[i : i + size]
            codes, old = names.get(piece), former.get(piece, ())
            if (codes or old) and (
                piece.endswith(_SUFFIXES) or not STREET.match(text, i + size) or starts_name(i + size)
            ):
                yield i + size, codes, old

    def steps(i: int) -> Iterator[tuple[int, set[str] | None, tuple[Former, ...]]]:
        """Names that may follow at ``i``; also those starting at a suffix just read (乐山市中区: 乐山 + 市中区)."""
        yield from options(i)
        if i > 0 and text[i - 1] in "市区县":
            yield from options(i - 1)

    def inside(code: str, current: frozenset[str]) -> bool:
        return any(c in current for c in _lineage(regions, code))

    def former_inside(f: Former, current: frozenset[str]) -> bool:
        above = set(f.former_parent.split())
        return any(regions[c].name_zh in above for c in current)

    i = 0
    current: frozenset[str] = frozenset()
    count, last, end = 0, None, 0  # names read, the former division read last, where the reading stands
    start = 0  # where the reading began
    while i < n:
        if current or last:
            step: tuple[int, frozenset[str], Former | None] | None = None
            for j, codes, old in steps(i):
                living = frozenset(c for c in codes or () if inside(c, current)) if current else frozenset()
                if living:
                    step = (j, living, None)
                    break
                olds = [f for f in old if former_inside(f, current)] if current else []
                if olds:
                    step = (j, frozenset(f.successor for f in olds if f.successor), olds[0])
                    break
            if step is not None:
                i, current, last = step[0], step[1] or current, step[2]
                count += 1
                if step[2] is not None and not step[1]:
                    current = frozenset()  # nothing known replaced it: the reading ends at the former name
                end = i
                continue
            if text[i : i + 1] in _FILLER_CHARS and i == end:
                i += 3 if text.startswith("市辖区", i) else 1
                end = i
                continue
            readings.append(Reading(current, count, last, restated=text.endswith("中国", 0, start)))
            if count == 1:  # a lone name may be the tail of a town or street word (许村镇江西省: 镇江): look again
                i = start + 1
            current, count, last = frozenset(), 0, None
            restart = False
        else:
            restart = not readings
        # Outside any reading: skip to a name that may start an address (any name at first, later a province's).
        pair = text[i : i + 2]
        if pair not in sizes and pair not in OUTSIDE:
            i += 1
            continue
        if not readings and not current and text[i : i + 2] in OUTSIDE and not STREET.match(text, i + 2):
            return Reading(frozenset(), 0, outside=True)
        for j, codes, old in options(i):
            if codes:
                provinces = frozenset(c for c in codes if regions[c].level == Level.PROVINCIAL)
                current, count, last, start, i, end = provinces or frozenset(codes), 1, None, i, j, j
                break
            if old and not codes and restart:
                f = old[0]
                current = frozenset(x.successor for x in old if x.successor)
                count, last, start, i, end = 1, f, i, j, j
                break
        else:
            i += 1
    if current or last:
        readings.append(Reading(current, count, last, restated=text.endswith("中国", 0, start)))
    if not readings:
        return None
    return max(readings, key=Reading.rank)  # the first of the best
