"""Values worked out once per live object: the one cache for what a module derives from another's object.

The project caches in three plain ways, each for one kind of value: ``functools.cache`` for a module's readers of
its data files (read once per process), ``functools.cached_property`` for what a class derives from its own
fields, and :func:`per_object` here for what one module derives from an object it does not own (the VoID
statistics of a store, the viewer's index of a directory).  The object is known by identity, so a mutable
dataclass serves as well as a hashable one, and its value is forgotten when the object is.  The one cache of
answers (the bounded lookup cache of :class:`graph.kg.KnowledgeGraph`) is sized in bytes instead.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

__all__ = ["per_object"]

K = TypeVar("K")
V = TypeVar("V")


def per_object(compute: Callable[[K], V]) -> Callable[[K], V]:
    """``compute(obj)`` worked out once per live ``obj`` (by identity) and kept while ``obj`` lives.

    Concurrent first calls for one object wait for each other; ``compute`` must not call back into itself.
    """
    values: dict[int, tuple[weakref.ref[Any], V]] = {}
    lock = threading.RLock()  # re-entrant: an object may be collected (and forgotten) while compute runs

    def forget(ref: weakref.ref[Any]) -> None:
        with lock:
            for key, (held, _) in list(values.items()):
                if held is ref:
                    del values[key]

    @wraps(compute)
    def cached(obj: K) -> V:
        with lock:
            held = values.get(id(obj))
            if held is not None and held[0]() is obj:
                return held[1]
            value = compute(obj)
            values[id(obj)] = (weakref.ref(obj, forget), value)
            return value

    return cached
