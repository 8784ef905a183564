"""How the bodies of the system are named, in Chinese and English.

The conventions follow official usage (data/naming_rules.md gives each rule with its sources): a Party
committee is 中共<地名>委员会 (short 地名委, an autonomous region's 地名党委, a prefecture's 地委); its
confidentiality committee is 中共<地名>委保密委员会 and the committee's office adds 办公室.

* Province- and prefecture-level bodies bear the name of their own division (中共浙江省委, 中共杭州市委).
* A district (市辖区) keeps its city: 中共杭州市西湖区委保密委员会.
* Every other county-level unit — county, county-level city, banner, autonomous county or banner, forestry
  or special district — bears its own name only: 中共义乌市委保密委员会, not 中共金华市义乌市委….

Where two bodies end up with the same official name (in English, pinyin makes 丰县 and 凤县 both "Feng
County"), the official name stays and a display label adds the higher divisions in brackets.  The long
forms the graph used before (中共金华市义乌市委保密委员会) are kept as alternative labels so that they
still find the body.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from graph.sources.divisions import NATION_CODE, Division, Divisions
from graph.sources.romanize import english_name, english_stem, stem

__all__ = ["OWN_NAME_TYPES", "BodyNames", "Names", "display_qualifier", "names_for", "shared_names"]

# County-level types whose bodies bear their own name only (data/naming_rules.md, rule 2).
OWN_NAME_TYPES = frozenset({"县", "县级市", "旗", "自治县", "自治旗", "林区", "特区"})

# English adjective for the Party committee of each division type whose English name drops the type word,
# or whose type word becomes the adjective (地区 "Aksu Prefecture" → "CPC Aksu Prefectural Committee").
_EN_PARTY_QUALIFIER = {
    "省": "Provincial",
    "直辖市": "Municipal",
    "地级市": "Municipal",
    "县级市": "Municipal",
    "地区": "Prefectural",
}


@dataclass(frozen=True, slots=True)
class BodyNames:
    zh: str
    en: str
    short_zh: str
    short_en: str
    # The official name with its higher divisions, only where another body has the same official name.
    display_zh: str = ""
    display_en: str = ""
    # Older or longer forms still worth finding, as (text, language) pairs.
    former: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Names:
    region: BodyNames
    party: BodyNames
    committee: BodyNames
    office: BodyNames
    nameplate_zh: str
    nameplate_en: str


def _region_en(d: Division) -> str:
    return english_name(d.name, d.type, d.code)


def _party_short_zh(d: Division) -> str:
    if d.type == "自治区":
        return d.name + "党委"
    if d.type == "地区":
        return d.name.removesuffix("地区") + "地委"
    return d.name + "委"


def _party_en(d: Division) -> str:
    qualifier = _EN_PARTY_QUALIFIER.get(d.type)
    if d.type == "地区":
        # The type word becomes the adjective: never "Aksu Prefecture Prefectural Committee".
        return f"CPC {english_stem(d.name, d.type, d.code)} {qualifier} Committee"
    return f"CPC {_region_en(d)} {qualifier} Committee" if qualifier else f"CPC {_region_en(d)} Committee"


def _central() -> Names:
    region = BodyNames("中华人民共和国", "People's Republic of China", "全国", "China")
    party = BodyNames(
        "中国共产党中央委员会", "Central Committee of the Communist Party of China", "中共中央", "CPC Central Committee"
    )
    committee = BodyNames(
        "中央保密委员会", "Central Confidentiality Committee", "中央保密委", "Central Confidentiality Committee"
    )
    office = BodyNames(
        "中央保密委员会办公室",
        "Office of the Central Confidentiality Committee",
        "中央保密办",
        "Central Confidentiality Office",
    )
    return Names(region, party, committee, office, "国家保密局", "National Administration of State Secrets Protection")


def _bodies(d: Division, prefix_zh: str, suffix_en: str) -> Names:
    """The names of a division's bodies, the city (prefix_zh, suffix_en) written in or left out."""
    region_en = _region_en(d)
    region = BodyNames(d.name, region_en, stem(d.name, d.type), region_en)
    party_short = _party_short_zh(d)
    party = BodyNames(f"中共{prefix_zh}{d.name}委员会", _party_en(d) + suffix_en, party_short, _party_en(d))
    # An autonomous region's Party committee is 党委, not 委: its committee spells the whole name out.
    committee_zh = f"中共{d.name}委员会保密委员会" if d.type == "自治区" else f"中共{prefix_zh}{party_short}保密委员会"
    committee = BodyNames(
        committee_zh,
        f"Confidentiality Committee of the {party.en}",
        f"{d.name}保密委",
        f"{region_en} Confidentiality Committee",
    )
    office = BodyNames(
        committee_zh + "办公室",
        f"Office of the {committee.en}",
        f"{d.name}保密办",
        f"{region_en} Confidentiality Office",
    )
    return Names(
        region,
        party,
        committee,
        office,
        f"{prefix_zh}{d.name}国家保密局",
        f"State Secrets Protection Bureau of {region_en}{suffix_en}",
    )


def _official(d: Division, divisions: Divisions) -> Names:
    if d.code == NATION_CODE:
        return _central()
    if d.level == "county" and d.type == "市辖区":
        # A district keeps its city, as in 中共杭州市西湖区委员会 (rule 3).
        parent = divisions[d.parent]
        return _bodies(d, parent.name, f" ({_region_en(parent)})")
    return _bodies(d, "", "")


def _former(d: Division, divisions: Divisions) -> Names | None:
    """The long forms the graph used to give an own-name county-level body (中共金华市义乌市委…), if any."""
    if d.level != "county" or d.type not in OWN_NAME_TYPES:
        return None
    parent = divisions[d.parent]
    return _bodies(d, parent.name, f" ({_region_en(parent)})")


def _texts(n: Names) -> list[tuple[str, str, str]]:
    """(body, language, official name) of every body of a division."""
    out: list[tuple[str, str, str]] = []
    for body, b in (("party", n.party), ("committee", n.committee), ("office", n.office)):
        out += [(body, "zh", b.zh), (body, "en", b.en)]
    return out + [("nameplate", "zh", n.nameplate_zh), ("nameplate", "en", n.nameplate_en)]


_SHARED: dict[int, tuple[Divisions, frozenset[str]]] = {}


def shared_names(divisions: Divisions) -> frozenset[str]:
    """Codes of the divisions some of whose bodies share an official name (in either language) with another."""
    cached = _SHARED.get(id(divisions))
    if cached is not None and cached[0] is divisions:
        return cached[1]
    owners: dict[tuple[str, str, str], list[str]] = {}
    for d in divisions:
        for key in _texts(_official(d, divisions)):
            owners.setdefault(key, []).append(d.code)
    counts = Counter(code for codes in owners.values() if len(codes) > 1 for code in set(codes))
    result = frozenset(counts)
    _SHARED.clear()
    _SHARED[id(divisions)] = (divisions, result)
    return result


def display_qualifier(d: Division, divisions: Divisions) -> tuple[str, str]:
    """The higher divisions that tell a body apart: ("辽宁省朝阳市", "Chaoyang, Liaoning")."""
    chain = [a for a in divisions.ancestors(d.code) if a.code != NATION_CODE]
    if not chain:
        # A province shares an English name only with a city of the same name (吉林省, 吉林市).
        return "省级", "provincial level"
    return "".join(a.name for a in reversed(chain)), ", ".join(_qualifier_en(a) for a in chain)


def _qualifier_en(d: Division) -> str:
    # "Jilin Province" tells the province from the city; other divisions by their usual English name.
    return f"{english_stem(d.name, d.type, d.code)} Province" if d.type == "省" else _region_en(d)


def _with_extras(
    b: BodyNames,
    display: tuple[str, str] | None,
    former: BodyNames | None,
    extra_former: tuple[tuple[str, str], ...] = (),
) -> BodyNames:
    display_zh = f"{b.zh}（{display[0]}）" if display else ""
    display_en = f"{b.en} ({display[1]})" if display else ""
    old: list[tuple[str, str]] = []
    if former is not None:
        old += [(former.zh, "zh"), (former.en, "en")]
    old += list(extra_former)
    kept = tuple(dict.fromkeys((t, lang) for t, lang in old if t not in (b.zh, b.en, b.short_zh, b.short_en)))
    return replace(b, display_zh=display_zh, display_en=display_en, former=kept)


def names_for(d: Division, divisions: Divisions) -> Names:
    """The Chinese and English names of a division and of the bodies formed for it."""
    names = _official(d, divisions)
    if d.code == NATION_CODE:
        return names
    display = display_qualifier(d, divisions) if d.code in shared_names(divisions) else None
    old = _former(d, divisions)
    plate = ((old.nameplate_zh, "zh"), (old.nameplate_en, "en")) if old else ()
    return Names(
        names.region,
        _with_extras(names.party, display, old.party if old else None),
        _with_extras(names.committee, display, old.committee if old else None),
        # The office and the bureau are one body: the bureau's old long name finds the office too.
        _with_extras(names.office, display, old.office if old else None, plate),
        names.nameplate_zh,
        names.nameplate_en,
    )
