"""Content negotiation: pick the best offered media type for an ``Accept`` header (RFC 9110 §12.5.1).

Each offer takes the quality of the most specific range that matches it (``type/subtype`` over
``type/*`` over ``*/*``); the offer with the highest quality above zero wins, ties going to the
server's order of preference.  No ``Accept`` header, or an empty one, means the default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.sparql.endpoint import GRAPH_FORMATS, RESULT_FORMATS

__all__ = ["GRAPH_OFFERS", "RESULT_OFFERS", "MediaRange", "choose", "media_type", "parse_accept", "quality"]


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


# Offered media types, in order of preference, and the format each one selects.
RESULT_OFFERS: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_OFFERS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
    "application/json": "jsonld",
    "application/xml": "rdfxml",
}
TEXT_TYPES = {"csv", "tsv", "turtle", "ntriples"}


def media_type(fmt: str, is_graph: bool) -> str:
    """The Content-Type of a SPARQL result or RDF graph in format ``fmt``."""
    base = (GRAPH_FORMATS if is_graph else RESULT_FORMATS)[fmt][0]
    return base + ("; charset=utf-8" if fmt in TEXT_TYPES else "")
