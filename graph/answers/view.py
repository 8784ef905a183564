"""What an answer reads of the opened knowledge graph: its store, vocabulary, directory, resolver and graphs.

The answers (and the exports) take a :class:`GraphView` rather than :class:`graph.kg.KnowledgeGraph`, which
opens a store and starts workers and so belongs to a later wing; ``KnowledgeGraph`` is one, as is anything
with the same five members (a test's stand-in).
"""

from __future__ import annotations

from typing import Protocol

from graph.directory.model import Directory
from graph.directory.resolver import Resolver
from graph.namespaces import Vocab
from graph.store.backend import Backend

__all__ = ["GraphView"]


class GraphView(Protocol):
    """The opened graph as the answers read it."""

    @property
    def backend(self) -> Backend:
        """The store, for the SPARQL of trusted internal queries."""

    @property
    def vocab(self) -> Vocab:
        """The IRIs of the graph (its base IRI)."""

    @property
    def directory(self) -> Directory:
        """The committees and regions, read from the store once."""

    @property
    def resolver(self) -> Resolver:
        """The lookup of names, codes, pinyin and addresses over the directory."""

    @property
    def graphs(self) -> frozenset[str]:
        """The named graphs the store holds."""
