"""The ``export`` command: the graph or a scoped part of it in a graph tool's format, or as a picture.

    baomi-kg export --format graphml --out all.graphml
    baomi-kg export --format svg --chain 330106 --out chain.svg
    baomi-kg export --format png --root 330000 --depth 2 --edges guidance --out zhejiang.png
    baomi-kg export --format turtle --root 浙江 --depth 1 --level provincial municipal
    baomi-kg export --format graphml --root 湖北 --depth 1 --as-of 2009-12-31 --out hubei-2009.graphml

Text formats go to stdout without ``--out``; pictures and PNG need ``--out``.  A bad format or scope is
a one-line error and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from api.cli.options import EXIT_OK, as_of_option, open_graph, store_options
from graph.errors import InvalidRequest
from graph.vocab import EDGE_KINDS, EXPORT_FORMATS, LANGS, LEVELS

__all__ = ["cmd_export", "register"]


def cmd_export(args: argparse.Namespace) -> int:
    from graph.export.formats import check_format, export
    from graph.export.scope import make_scope
    from graph.sources.history import parse_as_of

    fmt = check_format(args.format)
    day = parse_as_of(args.as_of) if args.as_of is not None else None  # a bad day fails before the graph opens
    if fmt.binary and not args.out:
        raise InvalidRequest(f"{fmt.name} is binary: give --out FILE")
    scope = make_scope(
        root=args.root,
        depth=args.depth,
        expand=args.expand,
        chain=args.chain,
        levels=args.level,
        edges=args.edges,
        lang=args.lang,
    )
    result = export(open_graph(args), fmt.name, scope, as_of=day, timeout=args.timeout)
    if args.out:
        Path(args.out).write_bytes(result.body)
        print(
            f"{args.out}: {fmt.name}, {result.nodes} nodes, {result.edges} edges, {len(result.body)} bytes",
            file=sys.stderr,
        )
    else:
        sys.stdout.buffer.write(result.body)
        sys.stdout.flush()
    return EXIT_OK


def _depth(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"depth must be a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("depth must be 0 or more")
    return value


def register(sub: Any) -> None:
    """Add the ``export`` subcommand to the ``baomi-kg`` parser."""
    ex = sub.add_parser(
        "export",
        help="export the graph or a part of it (GraphML, GEXF, Cytoscape.js, D3, DOT, "
        "Mermaid, RDF) or draw it (SVG, PNG)",
        description="Export the whole graph, a subtree (--root, --depth) or a chain (--chain), "
        "filtered by level and edge kind, in a graph tool's format or as a picture.",
    )
    names = [f.name for f in EXPORT_FORMATS]
    ex.add_argument(
        "--format", "-f", required=True, metavar="FORMAT", choices=names, help=f"one of: {', '.join(names)}"
    )
    ex.add_argument(
        "--root",
        help="the committee the subtree starts from: an id (330000, central, u-mfa), a division "
        "code or a name (default: the Central Committee)",
    )
    ex.add_argument("--depth", type=_depth, help="levels below the root (default: all)")
    ex.add_argument("--expand", nargs="+", metavar="ID", help="committees whose subordinates are shown beyond --depth")
    ex.add_argument(
        "--chain", metavar="ID", help="instead of a subtree: this committee and its guiding chain up to the centre"
    )
    ex.add_argument(
        "--level",
        nargs="+",
        metavar="LEVEL",
        choices=list(LEVELS),
        help=f"keep committees of these levels ({', '.join(LEVELS)}; default: all)",
    )
    ex.add_argument(
        "--edges",
        nargs="+",
        metavar="KIND",
        choices=list(EDGE_KINDS),
        help=f"keep links of these kinds ({', '.join(EDGE_KINDS)}; default: all but administrative); offices "
        f"come with 'office' or 'administrative', Party committees with 'leadership' or 'reporting', units with "
        f"'departmental', secrecy bureaus with 'administrative'",
    )
    ex.add_argument("--lang", default="zh", choices=list(LANGS), help="labels in Chinese or English (default zh)")
    ex.add_argument("--out", "-o", help="write to this file (default: stdout, for text formats)")
    ex.add_argument(
        "--timeout", type=float, default=300.0, help="seconds Graphviz may take for a picture (default 300)"
    )
    as_of_option(ex)
    store_options(ex)
    ex.set_defaults(func=cmd_export)
