"""The sentences of the classification authority answer (:mod:`graph.answers.authority`): its reasoning, each
citing the articles of the rule it applies, and what the texts read leave open; and the rules applied, in the
order they were used."""

from __future__ import annotations

from graph.answers.organs import UNSETTLED_PREFECTURES, Category, OrganRef
from graph.directory.model import Committee, Directory, Region
from graph.sources.law import Law, load_law
from graph.vocab import Classification, OrganKind

__all__ = ["Sentences"]

TOP = Classification.TOP_SECRET
ALL_THREE = "at all three levels: 绝密, 机密 and 秘密 (top secret, secret and confidential)"
_PREFECTURES = {
    OrganKind.CITY_WITHOUT_DISTRICTS: "a prefecture-level city without districts (no 市辖区 under it)",
    OrganKind.AUTONOMOUS_PREFECTURE: "an autonomous prefecture (自治州)",
    OrganKind.PREFECTURE: "a prefecture (地区)",
    OrganKind.LEAGUE: "a league (盟)",
}
_LISTED = "central state organs, provincial organs and organs of cities divided into districts"


class Sentences:
    """The reasoning and open points of one answer, with the rules they apply."""

    def __init__(self, d: Directory) -> None:
        self.d = d
        self.law: Law = load_law()
        self.reasoning: list[str] = []
        self.not_settled: list[str] = []
        self.rules: list[str] = []

    def use(self, rule_id: str) -> None:
        self.law.rule(rule_id)  # a DataError for a rule the data does not hold
        if rule_id not in self.rules:
            self.rules.append(rule_id)

    def cite(self, rule_id: str) -> str:
        """The articles of a rule, as their Chinese labels: 《保守国家秘密法》（2024）第十七条第二款."""
        self.use(rule_id)
        rule = self.law.rule(rule_id)
        return "; ".join(self.law.articles[a].label(self.law)[0] for a in rule.articles)

    def basis(self) -> list[str]:
        """The IRIs of what the rules used rest on, each once, in the order of the rules."""
        refs = dict.fromkeys(b for r in self.rules for b in self.law.rule(r).basis)
        return [self.d.vocab.basis(b) for b in refs]

    # -- the organ ------------------------------------------------------------------------------------------
    def organ(self, name: tuple[str, str], cat: Category, region: Region, c: Committee, level: Classification) -> None:
        """What the law gives an organ of this kind of its own."""
        zh, en = name
        k = cat.kind
        if k is OrganKind.CENTRAL_ORGAN and c.unit is None:
            text = (
                f"The central state organs (中央国家机关) may classify state secrets {ALL_THREE} "
                f"({self.cite('classify-top')})."
            )
        elif k is OrganKind.CENTRAL_ORGAN:
            text = (
                f"{zh} ({en}) is a department of the State Council, so a central state organ (中央国家机关), which "
                f"may classify state secrets {ALL_THREE} ({self.cite('classify-top')})."
            )
        elif k is OrganKind.PROVINCIAL:
            text = (
                f"{region.name_zh} is a province-level division ({region.type}); {zh} ({en}) are provincial organs "
                f"(省级机关), which may classify state secrets {ALL_THREE} ({self.cite('classify-top')})."
            )
        elif k is OrganKind.DISTRICTED_CITY:
            text = (
                f"{region.name_zh} is a prefecture-level city divided into districts (it has 市辖区 under it); {zh} "
                f"({en}) are organs of a city divided into districts (设区的市级机关), which may classify 机密 and "
                f"秘密 (secret and confidential) but not 绝密 ({self.cite('classify-districted-city')})."
            )
        elif k in UNSETTLED_PREFECTURES:
            text = (
                f"{region.name_zh} is {_PREFECTURES[k]}; the law gives 机密 and 秘密 to the organs of cities divided "
                f"into districts (设区的市级机关) ({self.cite('classify-districted-city')})"
            )
            text += (
                f", and 绝密 only to central state organs, provincial organs and those they authorise "
                f"({self.cite('classify-top')})."
                if level is TOP
                else "."
            )
        elif k is OrganKind.COUNTY:
            text = (
                f"{region.name_zh} is a county-level division ({region.type}); the law lists only {_LISTED} as "
                f"holding classification authority, so {zh} ({en}) hold none of their own: only a delegation "
                f"gives them any ({self.cite('classify-none-other')})."
            )
        elif k is OrganKind.SPECIAL_BODY:
            text = (
                f"{zh} ({en}) is a Party body off the division tree; the law lists {_LISTED} "
                f"({self.cite(cat.rules[0])}), not such bodies, and any other organ holds authority only by "
                f"delegation ({self.cite('classify-none-other')})."
            )
        elif cat.would_be is TOP:
            text = (
                f"{zh} ({en}) is a department of the Party Central Committee; the law gives all three levels to "
                f"central state organs (中央国家机关) ({self.cite('classify-top')}), and any other organ holds "
                f"authority only by delegation ({self.cite('classify-none-other')})."
            )
        else:
            text = (
                f"{zh} ({en}) is a unit of {region.name_zh}; the law lists {_LISTED}, and any other organ or unit "
                f"holds authority only by delegation ({self.cite('classify-none-other')})."
            )
        for rule_id in cat.rules:
            self.use(rule_id)
        self.reasoning.append(text)

    def open_category(self, name: tuple[str, str], cat: Category, region: Region, c: Committee) -> None:
        """What the texts read leave open about an organ of this kind."""
        zh, en = name
        k = cat.kind
        would = cat.would_be
        if k in UNSETTLED_PREFECTURES:
            self.not_settled.append(
                f"Whether {zh} ({en}), the organs of {_PREFECTURES[k]}, count as organs of a city divided into "
                f"districts (设区的市级机关) is not stated in the texts read: if they do, they may classify 机密 and "
                f"秘密 of their own; if not, they hold classification authority only by delegation."
            )
            self.not_settled.append(self.law.rule("classify-districted-city").note_en)
        elif k is OrganKind.SPECIAL_BODY:
            self.not_settled.append(
                f"The texts read name no classification authority of a Party body off the division tree such as "
                f"{zh}, nor say whether its organs count as central state organs, provincial organs or organs of a "
                f"city divided into districts (its body stands at the {c.level} level in this graph); if they count "
                f"as none of these, they hold classification authority only by delegation."
            )
        elif would is TOP:
            self.not_settled.append(
                f"The texts read do not state whether the departments of the Party Central Committee count as "
                f"central state organs (中央国家机关); if {zh} does, it may classify all three levels, 绝密 "
                f"included; if not, it holds classification authority only by delegation."
            )
        else:
            self.not_settled.append(
                f"The texts read do not say whether {zh} counts as one of the organs of {region.name_zh} that the "
                f"law lists; if it does, it may classify up to {would.zh if would else 'no level'}; if not, it "
                f"holds classification authority only by delegation."
            )

    def delegation_held(self, cat: Category, delegated: Classification | None) -> None:
        if delegated is None:
            return
        text = (
            f"It holds a written delegation up to {delegated.zh} ({delegated.label('en')}): a delegate may classify "
            f"up to the level delegated, never beyond the delegator's own authority, and may not delegate again "
            f"({self.cite('delegation-by-organs')})."
        )
        if cat.settled and cat.own is not None and cat.own.covers(delegated):
            text += " The delegation adds nothing to the authority it holds of its own."
        self.reasoning.append(text)

    def conclusion(
        self, who: str, level: Classification, may: bool | None, cat: Category, delegated: Classification | None
    ) -> None:
        asked = f"{level.zh} ({level.label('en')})"
        if may is True:
            own = cat.settled and cat.own is not None and cat.own.covers(level)
            how = "of its own authority" if own else f"under its delegation (up to {delegated.zh if delegated else ''})"
            self.reasoning.append(f"So {who} may classify a matter as {asked} {how}.")
        elif may is False:
            self.reasoning.append(f"So {who} may not classify a matter as {asked}.")
        else:
            self.reasoning.append(
                f"Whether {who} may classify a matter as {asked} of its own authority is not settled by the texts read."
            )

    def passed_over(self, passed: list[Region], where: str, organs: OrganRef, level: Classification) -> None:
        for p in passed:
            self.not_settled.append(
                f"{p.name_zh} ({p.type}), under which {where} lies, would hold {level.zh} of its own if its organs "
                f"count as 设区的市级机关, which the texts read do not state; the matter would then go to them rather "
                f"than to {organs.name_zh}."
            )
