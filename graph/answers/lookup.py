"""The lookup of today (``GET /api/v1/jurisdiction``, ``baomi-kg lookup``): the jurisdiction answer of what a query
names, where a name that no longer exists answers with what became of it rather than with a namesake elsewhere.

* the query names one division of today (or a unit): its answer, as before; when former divisions elsewhere bore
  the same name (宁波's 江北区 and 重庆's, abolished in 2025), the answer lists them in ``also_former``;
* several of today: the ambiguous answer (300) as before, with the former namesakes in ``also_former``;
* only a former division (崇文区, 襄樊, 重庆江北区, the code 500105) with one successor of today: the answer of that
  successor, with ``former`` saying what became of it; with several successors (巢湖市 of prefecture level):
  300, the successors as candidates and ``former``; with none known: 404, with ``former``;
* several former divisions of that name and none of today (南市区 of 保定 and of 上海): 300, each a candidate
  marked ``former``.
"""

from __future__ import annotations

from graph.answers.former import former_candidate, former_ref
from graph.answers.jurisdiction import JurisdictionAnswer, jurisdiction
from graph.directory.model import Directory
from graph.directory.resolver import Match, Resolver
from graph.errors import Ambiguous, NotFound
from graph.sources.lineage import FormerDivision

__all__ = ["lookup"]


def _became(f: FormerDivision, match: Match) -> bool:
    """Whether the former division became the very division matched (no second place of the name)."""
    return match.kind == "region" and [s.code for s in f.successors] == [match.key]


def lookup(d: Directory, resolver: Resolver, text: str) -> JurisdictionAnswer:
    """The jurisdiction answer for ``text`` today, with what became of the former divisions it names."""
    query = text.strip()
    matches, formers = resolver.readings(text)
    if len(matches) == 1:
        answer = jurisdiction(d, matches[0], query)
        also = [f for f in formers if not _became(f, matches[0])]
        if also:
            answer.also_former = [former_ref(d, f) for f in also]
        return answer
    if not formers:
        return jurisdiction(d, resolver.resolve(text), query)  # ambiguous or unknown: raised as before
    if matches:
        raise Ambiguous(
            text,
            [resolver.describe(m) for m in matches],
            {"also_former": [former_ref(d, f).model_dump(mode="json") for f in formers]},
        )
    if len(formers) > 1:
        raise Ambiguous(text, [former_candidate(d, f) for f in formers])
    former = formers[0]
    ref = former_ref(d, former)
    today = [s.code for s in ref.successors]
    if len(today) == 1:
        answer = jurisdiction(d, Match("region", today[0]), query)
        answer.former = ref
        return answer
    extra = {"former": ref.model_dump(mode="json")}
    if today:
        raise Ambiguous(text, [resolver.describe(Match("region", code)) for code in today], extra)
    raise NotFound(text, [], ref.note, extra)
