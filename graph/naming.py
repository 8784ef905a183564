"""How the bodies of the system are named, in Chinese and English.

The conventions follow official usage: a Party committee is 中共<地名>委员会 (short 地名委, an
autonomous region's 地名党委, a prefecture's 地委); its confidentiality committee is
中共<地名>委保密委员会 and the committee's office adds 办公室.  County-level names are qualified
by their nearest higher division (中共杭州市西湖区委保密委员会), since many counties share names.
"""

from __future__ import annotations

from dataclasses import dataclass

from .divisions import NATION_CODE, Division, Divisions
from .romanize import english_name, stem

__all__ = ["BodyNames", "Names", "names_for"]

# English adjective for the Party committee of each division type whose English name drops the type word.
_EN_PARTY_QUALIFIER = {"省": "Provincial", "直辖市": "Municipal", "地级市": "Municipal", "县级市": "Municipal",
                       "地区": "Prefectural"}


@dataclass(frozen=True, slots=True)
class BodyNames:
    zh: str
    en: str
    short_zh: str
    short_en: str


@dataclass(frozen=True, slots=True)
class Names:
    region: BodyNames
    party: BodyNames
    committee: BodyNames
    office: BodyNames
    nameplate_zh: str
    nameplate_en: str


def _region_en(d: Division) -> str:
    return english_name(d.name, d.type)


def _party_short_zh(d: Division) -> str:
    if d.type == "自治区":
        return d.name + "党委"
    if d.type == "地区":
        return d.name.removesuffix("地区") + "地委"
    return d.name + "委"


def _party_en(d: Division) -> str:
    qualifier = _EN_PARTY_QUALIFIER.get(d.type)
    return f"CPC {_region_en(d)} {qualifier} Committee" if qualifier else f"CPC {_region_en(d)} Committee"


def _central() -> Names:
    region = BodyNames("中华人民共和国", "People's Republic of China", "全国", "China")
    party = BodyNames("中国共产党中央委员会", "Central Committee of the Communist Party of China",
                      "中共中央", "CPC Central Committee")
    committee = BodyNames("中央保密委员会", "Central Confidentiality Committee", "中央保密委",
                          "Central Confidentiality Committee")
    office = BodyNames("中央保密委员会办公室", "Office of the Central Confidentiality Committee",
                       "中央保密办", "Central Confidentiality Office")
    return Names(region, party, committee, office, "国家保密局", "National Administration of State Secrets Protection")


def names_for(d: Division, divisions: Divisions) -> Names:
    """The Chinese and English names of a division and of the bodies formed for it."""
    if d.code == NATION_CODE:
        return _central()
    region_en = _region_en(d)
    region = BodyNames(d.name, region_en, stem(d.name, d.type), region_en)
    # County-level names carry the nearest higher division, as in 中共杭州市西湖区委员会.
    parent = divisions[d.parent] if d.level == "county" else None
    prefix_zh = parent.name if parent else ""
    suffix_en = f" ({_region_en(parent)})" if parent else ""
    party_short = _party_short_zh(d)
    party = BodyNames(f"中共{prefix_zh}{d.name}委员会", _party_en(d) + suffix_en, party_short, _party_en(d))
    # An autonomous region's Party committee is 党委, not 委: its committee spells the whole name out.
    committee_zh = f"中共{d.name}委员会保密委员会" if d.type == "自治区" else f"中共{prefix_zh}{party_short}保密委员会"
    committee = BodyNames(committee_zh, f"Confidentiality Committee of the {party.en}",
                          f"{d.name}保密委", f"{region_en} Confidentiality Committee")
    office = BodyNames(committee_zh + "办公室", f"Office of the {committee.en}",
                       f"{d.name}保密办", f"{region_en} Confidentiality Office")
    return Names(region, party, committee, office, f"{prefix_zh}{d.name}国家保密局",
                 f"State Secrets Protection Bureau of {region_en}{suffix_en}")
