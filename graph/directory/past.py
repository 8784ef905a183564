"""The lookup of a past day: the directory of that day with its resolver, each built once per state of the history.

:func:`graph.directory.as_of.directory_as_of` builds the directory of a day once per state of the history (the set
of changes undone by then).  A lookup of that day needs more, worked out here once per such directory: the resolver
over it, and the divisions that have no CPC body at all (金门县, whose reason the store gives today), which had none
then either.  The states are kept as long as :mod:`graph.directory.as_of` keeps their directories, and the days
asked recently are remembered so that a repeated day costs a dictionary look-up.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from graph.directory.as_of import KEPT_STATES, PastDirectory, directory_as_of
from graph.directory.model import Directory
from graph.directory.resolver import Resolver
from graph.namespaces import Vocab
from graph.sources.history import ChangeEvent

__all__ = ["PastLookup", "lookup_as_of", "lookup_ready"]

KEPT_DAYS = 1024  # days asked recently, each pointing at the state of its day


@dataclass(frozen=True)
class PastLookup:
    """The directory of a past day as the answers read it, its resolver, and what :func:`directory_as_of` says of
    that day (its undated changes, whether it is before the history)."""

    past: PastDirectory
    directory: Directory
    resolver: Resolver

    @property
    def day(self) -> date:
        return self.past.day

    @cached_property
    def undated_by_code(self) -> dict[str, tuple[ChangeEvent, ...]]:
        """The undated changes of that day (:attr:`PastDirectory.undated`) by the codes of their old and new sides."""
        found: dict[str, list[ChangeEvent]] = {}
        for e in self.past.undated:
            for code in {e.old_code, e.new_code} - {""}:
                found.setdefault(code, []).append(e)
        return {code: tuple(events) for code, events in found.items()}

    def undated_touching(self, codes: Iterable[str]) -> list[ChangeEvent]:
        """The undated changes of that day whose old or new side is one of ``codes``, each once, in the order they
        are taken to have effect."""
        by_code = self.undated_by_code
        found = {e.id: e for code in codes for e in by_code.get(code, ())}
        return sorted(found.values(), key=lambda e: (e.effective, e.id))


_lock = threading.Lock()
# id of a directory of graph.directory.as_of -> (that directory, the directory answered from, its resolver)
_states: OrderedDict[int, tuple[Directory, Directory, Resolver]] = OrderedDict()
_days: OrderedDict[tuple[Vocab, date], PastLookup] = OrderedDict()


def lookup_ready(vocab: Vocab, day: date) -> bool:
    """Whether :func:`lookup_as_of` answers ``day`` at once (its state is built and the day was asked)."""
    with _lock:
        return (vocab, day) in _days


def lookup_as_of(vocab: Vocab, day: date, today: Directory) -> PastLookup:
    """The lookup of the end of ``day``; ``today`` is the directory read from the store, whose divisions without
    any CPC body keep their reason on every day they existed under the same code and name."""
    with _lock:
        found = _days.get((vocab, day))
        if found is not None:
            _days.move_to_end((vocab, day))
            return found
    past = directory_as_of(vocab, day)  # built outside the lock: a first build takes most of a second
    with _lock:
        held = _states.get(id(past.directory))
        if held is None or held[0] is not past.directory:
            directory = _without_bodies(past, today)
            held = (past.directory, directory, Resolver(directory))
            _states[id(past.directory)] = held
            while len(_states) > KEPT_STATES:
                _, (_, dropped, _) = _states.popitem(last=False)
                for key in [k for k, v in _days.items() if v.directory is dropped]:
                    del _days[key]  # a day must not keep a state alive that is no longer kept
        _states.move_to_end(id(past.directory))
        lookup = PastLookup(past, held[1], held[2])
        _days[(vocab, day)] = lookup
        while len(_days) > KEPT_DAYS:
            _days.popitem(last=False)
        return lookup


def _without_bodies(past: PastDirectory, today: Directory) -> Directory:
    """The past directory with today's divisions without any CPC body (same code and name) given their reason and
    no committee; the directory itself when there are none."""
    d = past.directory
    reasons = {
        code: today.regions[code].no_body_reason
        for code in past.current
        if code in today.regions and today.regions[code].no_body_reason and code in d.regions
    }
    if not reasons:
        return d
    regions = {
        code: r._replace(no_body_reason=reasons[code]) if code in reasons else r for code, r in d.regions.items()
    }
    committees = {cid: c for cid, c in d.committees.items() if c.departmental or c.region not in reasons}
    return Directory(d.vocab, regions, committees)
