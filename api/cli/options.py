"""What the commands share: the exit codes, the parser, the store options, the settings from the options, the
opened graph and JSON output."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, NoReturn

from graph.settings import Settings

if TYPE_CHECKING:
    from graph.kg import KnowledgeGraph

__all__ = [
    "as_of_option",
    "EXIT_AMBIGUOUS",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_UNKNOWN",
    "EXIT_USAGE",
    "Parser",
    "open_graph",
    "print_json",
    "settings_from",
    "store_options",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_AMBIGUOUS, EXIT_UNKNOWN = 0, 1, 2, 3, 4


class Parser(argparse.ArgumentParser):
    """A parser whose usage errors end with exit code 2 and a pointer to ``--help``."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def store_options(sp: argparse.ArgumentParser) -> None:
    """The options that name the store a command reads or fills."""
    sp.add_argument("--store", help="memory (default), oxigraph:PATH or sparql:QUERY_URL")
    sp.add_argument("--update-url", dest="update_url", help="SPARQL update URL of an external store")
    sp.add_argument("--gsp-url", dest="gsp_url", help="Graph Store Protocol URL of an external store")
    sp.add_argument("--data-file", dest="data_file", help="N-Quads file for the memory store (e.g. from synth)")


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings: the environment's, with the options given on the command line over them."""
    overrides: dict[str, Any] = {}
    for name in ("store", "update_url", "gsp_url", "host", "port", "base_iri", "workers", "query_timeout", "data_file"):
        if getattr(args, name, None) is not None:
            overrides[name] = getattr(args, name)
    return Settings(**overrides)


def open_graph(args: argparse.Namespace) -> KnowledgeGraph:
    """The knowledge graph of the store the options name."""
    from graph.kg import KnowledgeGraph

    return KnowledgeGraph.open(settings_from(args))


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def as_of_option(sp: argparse.ArgumentParser) -> None:
    """The ``--as-of DATE`` option of the commands that answer as of a past day."""
    sp.add_argument(
        "--as-of",
        dest="as_of",
        metavar="DATE",
        help="as it stood at the end of DATE (YYYY-MM-DD, YYYY-MM or YYYY): the divisions and bodies of that day",
    )
