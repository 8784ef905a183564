"""What marks a finished load: a fresh load id in the store's meta graph, written last by ``baomi-kg load``.

A store without one is empty, half-loaded or foreign (see :mod:`graph.integrity`); the load id also keys the
start-up snapshot of the directory read from the store (see :mod:`graph.directory.snapshot`).
"""

from __future__ import annotations

import uuid

from pyoxigraph import Literal, NamedNode, Quad

from graph.namespaces import DCT, Vocab
from graph.store.backend import Backend, value

__all__ = ["LOAD_ID_PREFIX", "load_id", "load_id_quad"]

LOAD_ID_PREFIX = "load:"


def load_id_quad(vocab: Vocab) -> Quad:
    """A fresh load id for the store, in the meta graph, written by ``baomi-kg load``."""
    return Quad(
        NamedNode(vocab.dataset),
        NamedNode(DCT + "identifier"),
        Literal(LOAD_ID_PREFIX + uuid.uuid4().hex),
        NamedNode(vocab.meta_graph),
    )


def load_id(backend: Backend, vocab: Vocab) -> str | None:
    """The load id the store holds, if a load finished."""
    rows = backend.select(f"""SELECT ?id WHERE {{
        GRAPH <{vocab.meta_graph}> {{ <{vocab.dataset}> <{DCT}identifier> ?id }}
        FILTER (STRSTARTS(STR(?id), "{LOAD_ID_PREFIX}")) }} LIMIT 1""")
    return value(rows[0]["id"]) if rows else None
