"""Romanization of mainland Chinese place names.

Pinyin comes from pypinyin (with its phrase dictionary), corrected by the reviewed table
``data/pinyin_overrides.csv`` (each reading with its source; ``data/polyphonic_audit.csv`` records the
decision for every polyphonic character of every division name); English labels follow the usual
suffix conventions ("Xihu District", "Yanbian Korean Autonomous Prefecture"), with ethnic group names
taken from ``data/ethnic_groups.csv`` and the standard English names of ``data/place_aliases.csv``
(Harbin, Hohhot, Urumqi) in place of the pinyin where the table marks one as the label.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from graph.paths import DATA_DIR

__all__ = [
    "english_name",
    "english_stem",
    "label_alias",
    "lookup_keys",
    "normalise_pinyin",
    "place_aliases",
    "romanize",
    "stem",
    "syllables",
]

_OVERRIDES_CSV = DATA_DIR / "pinyin_overrides.csv"
_ETHNIC_GROUPS_CSV = DATA_DIR / "ethnic_groups.csv"

# Generic endings per division type, most specific first, with the English type word
# (None where English usage drops it: provinces and cities).
_ENDINGS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "省": (("省", None),),
    "自治区": (("自治区", "Autonomous Region"),),
    "直辖市": (("市", None),),
    "地级市": (("市", None),),
    "县级市": (("市", None),),
    "地区": (("地区", "Prefecture"),),
    "自治州": (("自治州", "Autonomous Prefecture"),),
    "盟": (("盟", "League"),),
    "市辖区": (("新区", "New Area"), ("矿区", "Mining District"), ("区", "District")),
    "县": (("县", "County"),),
    "自治县": (("自治县", "Autonomous County"),),
    "旗": (("联合旗", "United Banner"), ("旗", "Banner")),
    "自治旗": (("自治旗", "Autonomous Banner"),),
    "林区": (("林区", "Forestry District"),),
    "特区": (("特区", "Special District"),),
}

# Only autonomous divisions write some groups without 族 (新疆维吾尔自治区, 鄂伦春自治旗).
_AUTONOMOUS_TYPES = frozenset({"自治区", "自治州", "自治县", "自治旗"})

# Names whose established English form is not the mechanical one; 陕西 must differ from 山西.
_ESTABLISHED: dict[str, tuple[str, str, str]] = {
    # name: (Chinese stem, English stem, English label)
    "内蒙古自治区": ("内蒙古", "Inner Mongolia", "Inner Mongolia Autonomous Region"),
    "西藏自治区": ("西藏", "Tibet", "Tibet Autonomous Region"),
    "陕西省": ("陕西", "Shaanxi", "Shaanxi"),
}

# Banner names end in Chinese positional words that English translates (巴林左旗 → Balin Left Banner).
_SIDE = {"左": "Left", "右": "Right"}
_POSITION = {"前": "Front", "中": "Middle", "后": "Rear"}
_WING_RE = re.compile(r"^(?P<base>.{2,}?)(?P<side>[左右])翼(?P<pos>[前中后]?)$")
_BANNER_RE = re.compile(r"^(?P<base>.{2,}?)(?P<side>[左右]?)(?P<pos>[前中后]?)$")

_TOKEN_RE = re.compile(r"[0-9a-zü]+")


@dataclass(frozen=True)
class _Parts:
    """A division name split into what English labels are built from."""

    stem: str  # Chinese short name
    base: str  # prefix of the name romanized as the English stem
    base_en: str | None  # English stem replacing the romanized base, if any
    qualifier: str  # translated positional words of banners
    groups: tuple[str, ...]  # ethnic groups (canonical Chinese form) in name order
    type_word: str | None


@cache
def _overrides() -> dict[str, tuple[str, ...]]:
    """The reviewed pinyin override table: word → toneless syllables."""
    table: dict[str, tuple[str, ...]] = {}
    with _OVERRIDES_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            word = row["word"].strip()
            syls = tuple(s.replace("v", "ü") for s in row["pinyin"].lower().split())
            # Positional slicing of stems relies on one syllable per character.
            if not word or len(syls) != len(word):
                raise ValueError(f"{_OVERRIDES_CSV.name}: bad row {row!r}")
            if word in table:
                raise ValueError(f"{_OVERRIDES_CSV.name}: duplicate word {word!r}")
            table[word] = syls
    return table


@cache
def place_aliases() -> dict[str, tuple[str, ...]]:
    """English names in use that are not pinyin (Lhasa, Urumqi, Harbin) by division code, from place_aliases.csv."""
    table: dict[str, list[str]] = {}
    with (DATA_DIR / "place_aliases.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            table.setdefault(row["code"].strip(), []).append(row["alias"].strip())
    return {code: tuple(names) for code, names in table.items()}


@cache
def _label_aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    with (DATA_DIR / "place_aliases.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if (row.get("label") or "").strip() == "yes":
                code = row["code"].strip()
                if code in table:
                    raise ValueError(f"place_aliases.csv: two labels for {code}")
                table[code] = row["alias"].strip()
    return table


def label_alias(code: str) -> str | None:
    """The standard English name that replaces the pinyin stem in the labels of a division (230100 → Harbin)."""
    return _label_aliases().get(code)


@cache
def _ethnic_groups() -> dict[str, str]:
    """Ethnic group names used in division names (canonical form with 族) → English."""
    with _ETHNIC_GROUPS_CSV.open(encoding="utf-8", newline="") as fh:
        return {row["zh"].strip(): row["en"].strip() for row in csv.DictReader(fh)}


@cache
def _group_forms(autonomous: bool) -> tuple[tuple[str, str], ...]:
    """(written form, canonical name) pairs, longest first so 土家族 wins over 土族."""
    forms: dict[str, str] = {}
    for zh in _ethnic_groups():
        forms[zh] = zh
        bare = zh.removesuffix("族")
        # One-character bare forms (水, 土, 回) would eat into place names.
        if autonomous and bare != zh and len(bare) >= 2:
            forms[bare] = zh
    return tuple(sorted(forms.items(), key=lambda kv: -len(kv[0])))


def _pypinyin(text: str) -> list[str]:
    # Imported here: loading pypinyin's phrase dictionary costs a noticeable share of a consumer's start-up.
    from pypinyin import Style, lazy_pinyin

    items = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    return [tok for item in items for tok in _TOKEN_RE.findall(item.lower())]


@cache
def _syllables(name: str) -> tuple[str, ...]:
    table = _overrides()
    longest = max(map(len, table), default=0)
    out: list[str] = []
    pending = i = 0
    while i < len(name):
        for size in range(min(longest, len(name) - i), 0, -1):
            word = name[i : i + size]
            if word in table:
                out.extend(_pypinyin(name[pending:i]))
                out.extend(table[word])
                i = pending = i + size
                break
        else:
            i += 1
    out.extend(_pypinyin(name[pending:]))
    return tuple(out)


def syllables(name: str) -> list[str]:
    """Toneless lowercase pinyin syllables of a place name (ü kept as "ü"), overrides applied."""
    return list(_syllables(name))


def _join(syls: list[str] | tuple[str, ...], umlaut: str = "ü") -> str:
    word = ""
    for i, syl in enumerate(syls):
        # Pinyin orthography: an apostrophe stops a/o/e syllables merging with the previous one.
        word += ("'" if i and syl[:1] in ("a", "o", "e") else "") + syl
    word = word.replace("ü", umlaut)
    return word[:1].upper() + word[1:]


def romanize(name: str) -> str:
    """The whole name as one pinyin word: 西安 → Xi'an, 东阿 → Dong'e."""
    return _join(_syllables(name))


def _strip_ending(name: str, division_type: str) -> tuple[str, str | None]:
    try:
        endings = _ENDINGS[division_type]
    except KeyError:
        raise ValueError(f"unknown division type {division_type!r}") from None
    for ending, word in endings:
        # A stem of two or more characters must remain: 清新区 is the district 清新, not a 新区.
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[: -len(ending)], word
    ending, word = endings[-1]
    if name.endswith(ending) and len(name) > len(ending):
        return name[: -len(ending)], word
    return name, word


@cache
def _parse(name: str, division_type: str) -> _Parts:
    rest, type_word = _strip_ending(name, division_type)
    if name in _ESTABLISHED:
        zh, en, _label = _ESTABLISHED[name]
        return _Parts(zh, zh, en, "", (), type_word)
    if len(rest) < 2:
        # 忠县, 城区: nothing shorter is used in speech, but English keeps the type word.
        return _Parts(name, rest, None, "", (), type_word)

    groups: list[str] = []
    forms = _group_forms(division_type in _AUTONOMOUS_TYPES)
    while True:
        hit = next(((form, zh) for form, zh in forms if rest.endswith(form)), None)
        if hit is None:
            break
        form, zh = hit
        if len(rest) == len(form):
            # 东乡族自治县, 鄂伦春自治旗: the group itself names the division.
            stem_zh = zh.removesuffix("族")
            return _Parts(stem_zh, stem_zh, _ethnic_groups()[zh], "", tuple(groups), type_word)
        groups.insert(0, zh)
        rest = rest[: -len(form)]

    base, qualifier = rest, ""
    match = _WING_RE.match(rest)
    if match is None and division_type == "旗":
        match = _BANNER_RE.match(rest)
    if match is not None and (match["side"] or match["pos"]):
        base = match["base"]
        wing = " Wing" if "翼" in rest[len(base) :] else ""
        words = [_SIDE[match["side"]] + wing] if match["side"] else []
        words += [_POSITION[match["pos"]]] if match["pos"] else []
        qualifier = " ".join(words)
    return _Parts(rest, base, None, qualifier, tuple(groups), type_word)


def stem(name: str, division_type: str) -> str:
    """The Chinese short name: 杭州市 → 杭州, 延边朝鲜族自治州 → 延边; 忠县 stays 忠县."""
    return _parse(name, division_type).stem


def _stem_syllables(name: str, prefix: str) -> tuple[str, ...]:
    # Read the stem in the context of the full name, which is what the overrides were reviewed on
    # (单县 → shan, while 单 alone is dan).
    full = _syllables(name)
    if name.startswith(prefix) and len(full) == len(name):
        return full[: len(prefix)]
    return _syllables(prefix)


def _list_groups(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _english(name: str, division_type: str, umlaut: str, code: str | None = None) -> tuple[str, str]:
    """(English stem, English label)."""
    parts = _parse(name, division_type)
    if name in _ESTABLISHED:
        _zh, en, label = _ESTABLISHED[name]
        return en, label
    alias = label_alias(code) if code else None
    if alias is not None:
        # Harbin, Kashgar Prefecture, Bayingolin Mongol Autonomous Prefecture: the standard name replaces the base.
        stem_en = alias
    elif parts.base_en is not None:
        stem_en = parts.base_en
    elif len(parts.base) < 2 and parts.type_word is None:
        # 芒市: a one-character city keeps its ending, as it is usually written.
        stem_en = _join(_syllables(name), umlaut)
    else:
        stem_en = _join(_stem_syllables(name, parts.base), umlaut)
    english_groups = [_ethnic_groups()[zh] for zh in parts.groups]
    words = [stem_en, parts.qualifier, _list_groups(english_groups), parts.type_word or ""]
    return stem_en, " ".join(w for w in words if w)


def english_name(name: str, division_type: str, code: str | None = None) -> str:
    """English label, e.g. 西湖区 → Xihu District, 保亭黎族苗族自治县 → Baoting Li and Miao Autonomous County.

    With the division ``code``, a standard English name marked as the label in place_aliases.csv replaces
    the pinyin (哈尔滨市 230100 → Harbin, 喀什地区 653100 → Kashgar Prefecture).
    """
    # ASCII labels: ü is written u, as on most English maps (吕梁 → Luliang).
    return _english(name, division_type, "u", code)[1]


def english_stem(name: str, division_type: str, code: str | None = None) -> str:
    """The English short name without the type word: 阿克苏地区 652900 → Aksu, 杭州市 → Hangzhou."""
    return _english(name, division_type, "u", code)[0]


def normalise_pinyin(text: str) -> str:
    """Lowercase ASCII letters only: tones, spaces, apostrophes and digits dropped, ü → v."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = text.replace("u\u0308", "v").replace("u:", "v")
    return "".join(ch for ch in text if "a" <= ch <= "z")


def lookup_keys(name: str, division_type: str) -> set[str]:
    """Normalised keys for matching user input: full romanization, stem, English label (ü as v and as u)."""
    parts = _parse(name, division_type)
    stem_en, label = _english(name, division_type, "ü")
    forms = [romanize(name), _join(_stem_syllables(name, parts.stem)), label]
    if name in _ESTABLISHED:
        # "Tibet", "Inner Mongolia", "Shaanxi" are what English speakers type.
        forms.append(stem_en)
    keys: set[str] = set()
    for form in forms:
        keys.add(normalise_pinyin(form))
        keys.add(normalise_pinyin(form.replace("ü", "u")))
    keys.discard("")
    return keys
