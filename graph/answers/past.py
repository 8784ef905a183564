"""The answers as of a past day: jurisdiction, incident, one committee and one region as they stood then.

:class:`PastView` is the opened graph seen on that day: today's store and vocabulary, with the directory of that
day and its resolver (:mod:`graph.directory.past`), so that the answers of :mod:`graph.answers.jurisdiction`,
:mod:`graph.answers.incident` and :mod:`graph.answers.catalog` run over it unchanged.  Each answer gets its
``as_of`` block (:mod:`graph.answers.as_of_note`).  A place that did not exist that day is not found, and the
problem names the day and, where the history has it, what the place was or became; departmental committees and the
bodies off the division tree are today's only (the source has no history of them), which the problem says too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from graph.answers import catalog
from graph.answers.as_of_note import AsOfNote, as_of_note
from graph.answers.catalog import CommitteeDetail, Composition, RegionDetail
from graph.answers.incident import IncidentAnswer, incident_for
from graph.answers.jurisdiction import JurisdictionAnswer, jurisdiction
from graph.answers.view import GraphView
from graph.directory.model import Committee, Directory
from graph.directory.past import PastLookup, lookup_as_of
from graph.directory.resolver import Match, Resolver
from graph.errors import InvalidRequest, LookupFailed, NotFound
from graph.namespaces import Vocab
from graph.sources.history import ChangeEvent, load_history
from graph.store.backend import Backend

__all__ = [
    "PastView",
    "committee_as_of",
    "incident_as_of",
    "jurisdiction_as_of",
    "past_view",
    "region_as_of",
]

_SUFFIXES = ("市", "区", "县", "旗", "地区", "盟", "自治州", "自治县")
TODAY_ONLY = (
    "departmental committees and the bodies off the division tree (兵团, 师, 党工委) are answered only as they "
    "are today: the source has no history of them"
)


@dataclass(frozen=True)
class PastView:
    """The opened graph as it stood at the end of a day (a :class:`GraphView`): today's store, the directory and
    resolver of that day."""

    today: GraphView
    lookup: PastLookup

    @property
    def day(self) -> date:
        return self.lookup.day

    @property
    def backend(self) -> Backend:
        return self.today.backend

    @property
    def vocab(self) -> Vocab:
        return self.today.vocab

    @property
    def directory(self) -> Directory:
        return self.lookup.directory

    @property
    def resolver(self) -> Resolver:
        return self.lookup.resolver

    @property
    def graphs(self) -> frozenset[str]:
        return self.today.graphs

    def resolve(self, text: str) -> Match:
        """The one region or unit ``text`` names on this day (see :func:`_resolve`)."""
        return _resolve(self, text)

    def note(self, code: str, touched: list[str]) -> AsOfNote:
        return as_of_note(self.lookup, self.today.directory, code, touched)

    def above(self, code: str) -> list[str]:
        """The codes of the regions above region ``code`` on that day."""
        return [r.code for r in self.directory.region_path(code)]


def past_view(today: GraphView, day: date) -> PastView:
    """The graph ``today`` as it stood at the end of ``day`` (its directory built once per state of the history)."""
    return PastView(today, lookup_as_of(today.vocab, day, today.directory))


# -- what did not exist that day --------------------------------------------------------------------
def _names(name: str) -> set[str]:
    """A division's name and its short forms (崇文区 → 崇文)."""
    out = {name}
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            out.add(name.removesuffix(suffix))
    return out


@cache
def _keyed() -> tuple[dict[str, list[ChangeEvent]], dict[str, list[ChangeEvent]]]:
    """The usable events by the codes and names of their old side, and by those of their new side."""
    old: dict[str, list[ChangeEvent]] = {}
    new: dict[str, list[ChangeEvent]] = {}
    for e in load_history():
        if e.used:
            for key in {e.old_code, *_names(e.old_name)} - {""}:
                old.setdefault(key, []).append(e)
            for key in {e.new_code, *_names(e.new_name)} - {""}:
                new.setdefault(key, []).append(e)
    return old, new


def _history_of(text: str, day: date) -> str:
    """What the history says of a code or name that no division bore on ``day``: that it had ended by then, or
    that it came only later (the latest ending, the earliest beginning)."""
    key = text.strip()
    ended = [e for e in _keyed()[0].get(key, ()) if e.effective <= day]
    later = [e for e in _keyed()[1].get(key, ()) if e.effective > day]
    said: list[str] = []
    if ended:
        e = max(ended, key=lambda e: (e.effective, e.id))
        after = f", after it {_label(e.new_name, e.new_code)}" if e.new_name else ""
        said.append(f"{_label(e.old_name, e.old_code)} had ended by then ({e.kind}, {_when(e)}{after}; {_row(e)})")
    if later:
        e = min(later, key=lambda e: (e.effective, e.kind != "established", e.id))
        before = f", before it {_label(e.old_name, e.old_code)}" if e.old_name else ""
        what = f"{e.kind}, {_when(e)}{before}; {_row(e)}"
        if e.undated_on(day):  # the source does not say whether it came before or after that day
            period = "month" if e.month else "year"
            said.append(
                f"{_label(e.new_name, e.new_code)} came in that {period} ({what}), on a day the source does not give: "
                f"the table of {day.isoformat()} may or may not show it yet, and it is taken to come at the end of "
                f"the {period}"
            )
        else:
            said.append(f"{_label(e.new_name, e.new_code)} came only later ({what})")
    return "; ".join(said)


def _label(name: str, code: str) -> str:
    return f"{name} {code}" if code else name


def _row(e: ChangeEvent) -> str:
    return f"data/history.csv {e.id}"


def _when(e: ChangeEvent) -> str:
    return e.day.isoformat() if e.day else f"{e.year}-{e.month:02d}" if e.month else str(e.year)


def _today_only(view: PastView, text: str) -> bool:
    """Whether today's graph reads ``text`` as a departmental body or a body off the division tree."""
    if text in view.today.directory.committees:
        c = view.today.directory.committees[text]
        return c.departmental or c.special is not None
    try:
        return any(m.kind != "region" for m in view.today.resolver.candidates(text))
    except (LookupFailed, InvalidRequest):
        return False


def _not_found(view: PastView, exc: NotFound) -> NotFound:
    """``exc`` raised over the directory of a past day, saying which day, and what the history knows of the text."""
    said = str(exc).removeprefix(f"nothing matches {exc.query!r}").removeprefix(": ")
    why = _history_of(exc.query, view.day) or said or "no division of that day bears that name or code"
    if _today_only(view, exc.query):
        why += "; " + TODAY_ONLY
    return NotFound(exc.query, exc.suggestions, f"as of {view.day.isoformat()}, {why}")


# -- the answers ---------------------------------------------------------------------------------
def _resolve(view: PastView, text: str) -> Match:
    """The one region or unit ``text`` names on the view's day.  A name the history gives a division that did not
    exist that day is not read as another place whose name it contains (滨海新区 in 2008 is not 滨海县, 凤翔区 in
    2020 not 凤翔县): that place is offered instead."""
    try:
        match = view.resolver.resolve(text)
    except NotFound as exc:
        raise _not_found(view, exc) from None
    key = text.strip()
    if match.kind == "region" and not key.isdigit():
        region = view.directory.regions[match.key]
        said = _history_of(key, view.day)
        if said and key not in _names(region.name_zh) | {region.short_zh}:
            raise NotFound(key, [view.resolver.describe(match)], f"as of {view.day.isoformat()}, {said}")
    return match


def jurisdiction_as_of(view: PastView, text: str) -> JurisdictionAnswer:
    """:func:`graph.answers.jurisdiction.jurisdiction` for ``text`` read with the resolver of the view's day."""
    answer = jurisdiction(view.directory, _resolve(view, text), text.strip())
    chain = [view.directory.committees[c.id].region for c in answer.chain]
    note = view.note(answer.region.code, [p.code for p in answer.region.path] + chain)
    return answer.model_copy(update={"as_of": note})


def incident_as_of(
    view: PastView, region: str, cadre_level: str | None, cadre_managed_by: str | None
) -> IncidentAnswer:
    """:func:`graph.answers.incident.incident_for` over the directory and resolver of the view's day."""
    _resolve(view, region)  # the place as that day knew it, read as the lookup reads it
    try:
        answer = incident_for(view.directory, view.resolver, region, cadre_level, cadre_managed_by)
    except NotFound as exc:
        raise _not_found(view, exc) from None
    code = answer.region.code
    manager = [answer.cadre_managed_by.id] if answer.cadre_managed_by else []
    return answer.model_copy(update={"as_of": view.note(code, [*view.above(code), *manager])})


def region_as_of(view: PastView, code: str) -> RegionDetail:
    """:func:`graph.answers.catalog.region_detail` over the directory of the view's day."""
    try:
        detail = catalog.region_detail(view, code)
    except NotFound as exc:
        raise _not_found(view, exc) from None
    return detail.model_copy(update={"as_of": view.note(detail.code, view.above(detail.code))})


def committee_as_of(view: PastView, cid: str) -> CommitteeDetail:
    """:func:`graph.answers.catalog.committee_detail` over the directory of the view's day.  A former body (one whose
    division no longer stands under the same code and name) has no statements of its own in the store: its duties
    and the posts of its composition are those the graph gives every committee of its level, its posts named after
    it and led from its own Party committee."""
    try:
        detail = catalog.committee_detail(view, cid)
    except NotFound as exc:
        raise _not_found(view, exc) from None
    c = view.directory.committees[detail.id]
    if c.iri != view.vocab.committee(c.id):
        like = _same_level(view.today.directory, c)
        if like is not None:
            stored = catalog.committee_detail(view.today, like.id)
            key = c.iri.removeprefix(view.vocab.committee(""))
            detail = detail.model_copy(
                update={"duties": stored.duties, "composition": _composition(view.vocab, stored.composition, key, c)}
            )
    code = c.region
    return detail.model_copy(update={"as_of": view.note(code, view.above(code))})


def _same_level(today: Directory, c: Committee) -> Committee | None:
    """A committee of a division today at the level of ``c`` (the one of the same id if it has that level)."""
    same = today.committees.get(c.id)
    if same is not None and same.level == c.level and today.committee_of_region.get(same.region) == same.id:
        return same
    return next(
        (x for cid in sorted(today.committee_of_region.values()) if (x := today.committees[cid]).level == c.level), None
    )


def _composition(vocab: Vocab, stored: Composition | None, key: str, c: Committee) -> Composition | None:
    """The composition of a committee of ``c``'s level, with its posts named after the former body ``key``."""
    if stored is None:
        return None
    posts = {}
    for role in ("head", "members"):
        post = getattr(stored, role)
        if post is not None:
            leader = c.party.iri if post.usually_from_leadership_of and c.party else None
            post = post.model_copy(update={"iri": vocab.id("post", key, role), "usually_from_leadership_of": leader})
        posts[role] = post
    return stored.model_copy(update=posts)
