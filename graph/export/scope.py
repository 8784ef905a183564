"""The part of the graph an export or a picture shows: a :class:`Scope`, checked, with names resolved.

A scope names the whole graph, a subtree from a committee (``root``, ``depth``, and committees
whose subordinates are shown beyond the depth, ``expand``), or the chain of one committee up to the
centre (``chain``); filtered by level and by edge kind (the administrative line of the secrecy bureaus only when
asked for: :data:`graph.vocab.DEFAULT_EDGE_KINDS`); labelled in Chinese or English.
:func:`make_scope` checks the values a client gave, :func:`resolve_scope` turns the names it gave for
committees into their ids; :func:`graph.export.projection.project` turns a scope into a graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from graph.directory.model import Directory
from graph.directory.resolver import Match
from graph.errors import Ambiguous, InvalidExport, InvalidRequest, NotFound
from graph.vocab import DEFAULT_EDGE_KINDS, EDGE_KINDS, LANGS, LEVELS, Lang

__all__ = ["NameReader", "Scope", "make_scope", "resolve_committee", "resolve_scope"]


class NameReader(Protocol):
    """What reads the names a scope gives: today's :class:`~graph.directory.resolver.Resolver`, or the view of a past
    day (:class:`graph.answers.past.PastView`)."""

    def resolve(self, text: str) -> Match: ...


@dataclass(frozen=True)
class Scope:
    """What to export; build it with :func:`make_scope`, which checks the values."""

    root: str | None = None  # committee id; None: from the Central Committee
    depth: int | None = None  # None: all the way down
    expand: tuple[str, ...] = ()  # committees whose subordinates are shown beyond the depth
    chain: str | None = None  # committee id: it and its guiding committees up to the centre
    levels: tuple[str, ...] = LEVELS
    edges: tuple[str, ...] = DEFAULT_EDGE_KINDS  # the administrative line only when asked for
    lang: str = Lang.ZH

    def slug(self) -> str:
        """A short ASCII name of the scope, for file names."""
        if self.chain:
            parts = ["chain", self.chain]
        else:
            parts = [self.root or "all"]
            if self.depth is not None:
                parts.append(f"depth{self.depth}")
            if self.expand:
                parts.append(f"view{len(self.expand)}")
        if self.levels != LEVELS:
            parts.append("-".join(level[:4] for level in self.levels))
        if self.edges != DEFAULT_EDGE_KINDS:
            parts.append("-".join(kind[:4] for kind in self.edges))
        return "-".join(parts)

    def describe(self) -> str:
        if self.chain:
            where = f"chain of {self.chain} up to the centre"
        elif self.root in (None, "central") and self.depth is None:
            where = "whole graph"
        else:
            where = f"subtree of {self.root or 'central'}" + (
                f" to depth {self.depth}" if self.depth is not None else ""
            )
            if self.expand:
                where += f", expanded at {', '.join(self.expand)}"
        return f"{where}; levels: {', '.join(self.levels)}; edges: {', '.join(self.edges)}; labels: {self.lang}"


def _choices(
    values: Iterable[str] | str | None, allowed: Sequence[str], parameter: str, default: Sequence[str] | None = None
) -> tuple[str, ...]:
    """Values given as a list and/or comma-separated, checked against ``allowed``, in canonical order; none given:
    ``default`` (all that are allowed, unless told)."""
    if values is None:
        return tuple(allowed if default is None else default)
    items = [values] if isinstance(values, str) else list(values)
    chosen = {part.strip().lower() for item in items for part in item.split(",")} - {""}
    if not chosen:
        raise InvalidExport(f"{parameter} is empty; give one or more of: {', '.join(allowed)}", parameter, allowed)
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise InvalidExport(
            f"unknown {parameter} {', '.join(map(repr, unknown))}; valid values: {', '.join(allowed)}",
            parameter,
            allowed,
        )
    return tuple(a for a in allowed if a in chosen)


def make_scope(
    *,
    root: str | None = None,
    depth: int | None = None,
    expand: Iterable[str] | str | None = None,
    chain: str | None = None,
    levels: Iterable[str] | str | None = None,
    edges: Iterable[str] | str | None = None,
    lang: str | None = None,
) -> Scope:
    """A checked scope (committee ids are checked against the directory by :func:`resolve_scope`)."""
    language = (lang or Lang.ZH).strip().lower()
    if language not in LANGS:
        raise InvalidExport(f"unknown lang {lang!r}; valid values: {', '.join(LANGS)}", "lang", LANGS)
    if depth is not None and depth < 0:
        raise InvalidExport(f"depth must be 0 or more (0: the root alone), not {depth}", "depth")
    root = (root or "").strip() or None
    chain = (chain or "").strip() or None
    expanded: list[str] = []
    for item in [expand] if isinstance(expand, str) else list(expand or []):
        expanded += [part.strip() for part in item.split(",") if part.strip()]
    if chain and (root or depth is not None or expanded):
        raise InvalidExport("chain names a scope of its own: give either chain, or root/depth/expand", "chain")
    return Scope(
        root=root,
        depth=depth,
        expand=tuple(dict.fromkeys(expanded)),
        chain=chain,
        levels=_choices(levels, LEVELS, "level"),
        edges=_choices(edges, EDGE_KINDS, "edges", DEFAULT_EDGE_KINDS),
        lang=language,
    )


def resolve_committee(directory: Directory, text: str, parameter: str, resolver: NameReader | None = None) -> str:
    """The committee id ``text`` names: an id (330106, central, u-mfa), a division code, or a name the resolver
    knows (浙江, hangzhou); otherwise :class:`InvalidExport` with candidates or suggestions."""
    if text in directory.committees:
        return text
    if text in directory.committee_of_region:
        return directory.committee_of_region[text]
    if resolver is not None:
        try:
            match = resolver.resolve(text)
        except Ambiguous as exc:
            raise InvalidExport(
                f"{parameter} {text!r} is ambiguous: give one of the codes "
                f"{', '.join(str(c['code']) for c in exc.candidates)}",
                parameter,
                suggestions=exc.candidates,
            ) from None
        except (NotFound, InvalidRequest) as exc:
            suggestions = exc.suggestions if isinstance(exc, NotFound) else []
            why = f" ({exc.reason})" if isinstance(exc, NotFound) and exc.reason else ""
            hint = f"; did you mean {', '.join(str(s['code']) for s in suggestions)}?" if suggestions else ""
            raise InvalidExport(
                f"{parameter} {text!r} names no committee{why}: give a committee id (a division code, "
                f"'central' or u-<unit>){hint}",
                parameter,
                suggestions=suggestions,
            ) from None
        if match.kind in ("unit", "body"):
            return match.key
        if match.key in directory.committee_of_region:
            return directory.committee_of_region[match.key]
    raise InvalidExport(
        f"{parameter} {text!r} names no committee: give a committee id (a division code, 'central' or u-<unit>)",
        parameter,
    )


def resolve_scope(d: Directory, scope: Scope, resolver: NameReader | None = None) -> Scope:
    """The scope with committee ids for whatever names ``root``, ``chain`` and ``expand`` were given as."""
    return replace(
        scope,
        root=resolve_committee(d, scope.root, "root", resolver) if scope.root else None,
        chain=resolve_committee(d, scope.chain, "chain", resolver) if scope.chain else None,
        expand=tuple(dict.fromkeys(resolve_committee(d, e, "expand", resolver) for e in scope.expand)),
    )
