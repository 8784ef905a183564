"""Content negotiation: pick the best offered media type for an ``Accept`` header (RFC 9110 §12.5.1).

Each offer takes the quality of the most specific range that matches it (``type/subtype`` over
``type/*`` over ``*/*``); the offer with the highest quality above zero wins, ties going to the
server's order of preference.  No ``Accept`` header, or an empty one, means the default.

:func:`negotiate` is the one function that picks a :class:`~graph.vocab.Format` for the SPARQL endpoint's
answers (:data:`RESULT_OFFERS`, :data:`GRAPH_OFFERS`), the service description and Linked Data
(:data:`DOCUMENT_OFFERS`) and the exports (:data:`EXPORT_OFFERS`); when nothing fits it raises
:class:`~graph.errors.NotAcceptable` naming the offered media types, which the service answers as a 406.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph.errors import NotAcceptable
from graph.vocab import EXPORT_FORMATS, FORMATS, RDF_FORMATS, RESULT_FORMATS, Format

__all__ = [
    "DOCUMENT_OFFERS",
    "EXPORT_OFFERS",
    "GRAPH_OFFERS",
    "RESULT_OFFERS",
    "MediaRange",
    "choose",
    "negotiate",
    "offers_of",
    "parse_accept",
    "quality",
]


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """-1 if this range does not match ``media_type``; otherwise 0 (*/*), 1 (type/*) or 2 (exact)."""
        offered_type, _, offered_sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != offered_type:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == offered_sub else -1


def parse_accept(header: str) -> list[MediaRange]:
    ranges: list[MediaRange] = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind, _, sub = fields[0].lower().partition("/")
        if not kind or not sub:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, val = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(val), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def quality(ranges: Sequence[MediaRange], offer: str) -> float:
    """The quality the client gives ``offer``: that of the most specific range matching it (0 if none)."""
    matches = [(r.specificity(offer), r.q) for r in ranges if r.specificity(offer) >= 0]
    return max(matches)[1] if matches else 0.0


def choose(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer to send (``offers[0]`` when there is no preference), or None when nothing is acceptable."""
    ranges = parse_accept(accept) if accept else []
    if not ranges:
        return offers[0]
    chosen, best = None, 0.0
    for offer in offers:  # offers are in the server's order of preference: ties go to the earlier one
        q = quality(ranges, offer)
        if q > best:
            chosen, best = offer, q
    return chosen


def offers_of(formats: Sequence[Format], *, also: bool = True) -> dict[str, Format]:
    """Media type -> format, in the server's order of preference: each format's own media type in the order of
    ``formats``, then (with ``also``) the other media types that ask for them; a media type stays with the first
    format that claims it."""
    offered: dict[str, Format] = {}
    for fmt in formats:
        offered.setdefault(fmt.media_type, fmt)
    for fmt in formats if also else ():
        for media in fmt.also:
            offered.setdefault(media, fmt)
    return offered


def negotiate(accept: str | None, offered: Mapping[str, Format]) -> Format:
    """The format to send for ``accept`` (the first offer when there is no preference); :class:`NotAcceptable`
    naming every offered media type when none fits."""
    chosen = choose(accept, list(offered))
    if chosen is None:
        raise NotAcceptable(f"none of the offered media types fits Accept: {accept}", list(offered))
    return offered[chosen]


RESULT_OFFERS = offers_of(RESULT_FORMATS)  # SELECT and ASK
GRAPH_OFFERS = offers_of(RDF_FORMATS)  # CONSTRUCT and DESCRIBE
# Linked Data and the service description: RDF, then the page for people.
DOCUMENT_OFFERS = {**GRAPH_OFFERS, **offers_of([FORMATS["html"]])}
# An export answers to each format's own media type only: application/xml or text/plain could be several of them.
EXPORT_OFFERS = offers_of(EXPORT_FORMATS, also=False)
