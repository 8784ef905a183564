"""The legal line: the instruments, the articles used and the rules drawn from them (data/legal/).

``instruments.csv`` lists the law, the regulations and the other instruments read, with their numbers, issuers,
dates and where their texts came from; ``articles.csv`` each article (or paragraph) used, with a few of its
operative words and a summary in the project's own words; ``rules.csv`` the rules the graph and the answers
apply, each with its basis: articles, a passage of the textbook (``passage:<id>``) or an outside source of
data/sources.csv (``source:<id>``).  An instrument kept only for comparison (an earlier version) is read but
never the basis of a rule.  The reader checks that every basis exists and that no rule rests on a superseded
text.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graph.errors import DataError
from graph.paths import DATA_DIR

__all__ = ["Article", "Instrument", "Law", "LegalRule", "load_law"]

LEGAL_DIR = "legal"
# The versions in force that the rules rest on; the others are read for comparison only.
IN_USE = ("bmf-2024", "bmtl-2024", "dmgl-2025")
TOPICS = (
    "competence",
    "central-organs",
    "party-leadership",
    "classification-authority",
    "delegation",
    "exceeding-authority",
    "leak-report",
    "investigation",
    "inspection",
    "other",
)


@dataclass(frozen=True, slots=True)
class Instrument:
    """A law, regulation or rule that was read."""

    id: str
    title_zh: str
    title_en: str
    number: str
    issuer_zh: str
    issuer_en: str
    adopted: str
    in_force: str
    version_note: str
    url: str
    retrieved_from: str
    in_use: bool  # a version in force that rules may rest on, or one kept for comparison


@dataclass(frozen=True, slots=True)
class Article:
    """An article (or one paragraph of it) used."""

    id: str
    instrument: str
    article: str  # 第十七条
    number: int
    paragraph: int | None
    topic: str
    quote_zh: str
    summary_zh: str
    summary_en: str
    url: str
    version_note: str

    def label(self, law: Law) -> tuple[str, str]:
        """《保守国家秘密法》（2024）第十七条第二款, and its English."""
        inst = law.instruments[self.instrument]
        year = inst.adopted[:4]
        para_zh = f"第{_CN_DIGITS[self.paragraph]}款" if self.paragraph else ""
        para_en = f"({self.paragraph})" if self.paragraph else ""
        short = inst.title_zh.split("（")[0].removeprefix("中华人民共和国")
        return f"《{short}》（{year}）{self.article}{para_zh}", f"{inst.title_en}, art. {self.number}{para_en}"


_CN_DIGITS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}


@dataclass(frozen=True, slots=True)
class LegalRule:
    """A rule the graph and the answers apply, with what it rests on."""

    id: str
    topic: str
    label_zh: str
    label_en: str
    statement_zh: str
    statement_en: str
    basis: tuple[str, ...]  # article ids, passage:<id>, source:<id>
    within_hours: int | None
    note_en: str

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(b for b in self.basis if ":" not in b)


@dataclass(frozen=True)
class Law:
    instruments: dict[str, Instrument]
    articles: dict[str, Article]
    rules: dict[str, LegalRule]

    def rule(self, rule_id: str) -> LegalRule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise DataError(f"data/legal/rules.csv: no rule {rule_id!r}") from None


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from exc


def _int(text: str, where: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise DataError(f"{where}: {text!r} is not a whole number") from None


@cache
def load_law(data_dir: Path | None = None) -> Law:
    """The instruments, articles and rules of data/legal/, checked against each other."""
    folder = (data_dir or DATA_DIR) / LEGAL_DIR
    instruments = {
        r["id"]: Instrument(
            r["id"],
            r["title_zh"],
            r["title_en"],
            r["number"],
            r["issuer_zh"],
            r["issuer_en"],
            r["adopted"],
            r["in_force"],
            r["version_note"],
            r["url"],
            r["retrieved_from"],
            r["id"] in IN_USE,
        )
        for r in _rows(folder / "instruments.csv")
    }
    articles: dict[str, Article] = {}
    for r in _rows(folder / "articles.csv"):
        where = f"data/legal/articles.csv {r['id']}"
        if r["instrument"] not in instruments:
            raise DataError(f"{where}: unknown instrument {r['instrument']!r}")
        if r["topic"] not in TOPICS:
            raise DataError(f"{where}: unknown topic {r['topic']!r}")
        articles[r["id"]] = Article(
            r["id"],
            r["instrument"],
            r["article"],
            _int(r["number"], where),
            _int(r["paragraph"], where) if r["paragraph"] else None,
            r["topic"],
            r["quote_zh"],
            r["summary_zh"],
            r["summary_en"],
            r["url"],
            r["version_note"],
        )
    rules: dict[str, LegalRule] = {}
    for r in _rows(folder / "rules.csv"):
        where = f"data/legal/rules.csv {r['id']}"
        basis = tuple(r["basis"].split())
        if not basis:
            raise DataError(f"{where}: a rule without a basis")
        for b in basis:
            head, colon, _ = b.partition(":")
            if colon and head not in ("passage", "source"):
                raise DataError(f"{where}: basis {b!r} is neither an article, passage:<id> nor source:<id>")
            if not colon and b not in articles:
                raise DataError(f"{where}: basis {b!r} is no article of data/legal/articles.csv")
            if not colon and not instruments[articles[b].instrument].in_use:
                raise DataError(f"{where}: basis {b!r} is an article of a superseded text")
        if r["topic"] not in TOPICS:
            raise DataError(f"{where}: unknown topic {r['topic']!r}")
        rules[r["id"]] = LegalRule(
            r["id"],
            r["topic"],
            r["label_zh"],
            r["label_en"],
            r["statement_zh"],
            r["statement_en"],
            basis,
            _int(r["within_hours"], where) if r["within_hours"] else None,
            r["note_en"],
        )
    return Law(instruments, articles, rules)
