"""The ``changes`` command: the changes of the divisions between two dates, within a division (the events of
``data/history.csv``), as a table, JSON or CSV.

    baomi-kg changes --from 2025 --to 2025 --within 500000
    baomi-kg changes --from 2009 --to 2011 --within 120000 --kind merged --csv > tianjin.csv

It reads the history only, never the store.  A bad date, kind or code is a one-line error and exit 2; a code of
no division, today or in the history, exit 4.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from api.cli.options import EXIT_OK, EXIT_UNKNOWN, print_json
from graph.errors import NotFound

__all__ = ["add_changes", "cmd_changes"]


def cmd_changes(args: argparse.Namespace) -> int:
    from graph.answers.changes import KINDS, changes_between, changes_csv

    try:
        answer = changes_between(
            args.start, args.end, args.within, args.kind or (), include_flagged=not args.no_flagged
        )
    except NotFound as exc:
        print(f"baomi-kg: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN
    if args.csv:
        sys.stdout.buffer.write(changes_csv(answer))
        sys.stdout.flush()
        return EXIT_OK
    if args.json:
        print_json(answer.model_dump(mode="json", by_alias=True))
        return EXIT_OK
    where = f"within {answer.within_name} ({answer.within})" if answer.within else "in the whole country"
    print(f"{answer.count} changes from {answer.from_} to {answer.to} {where}")
    width = max(len(k) for k in KINDS)
    for c in answer.changes:
        old = f"{c.old.code} {c.old.name}".strip() or "-"
        new = f"{c.new.code} {c.new.name}".strip() or "-"
        marks = "".join(
            [
                "" if c.certain else " (may fall outside the window: dated by its year or month only)",
                f" [{c.flag}]" if c.flag else "",
                f" {c.document}" if c.document else "",
            ]
        )
        print(f"{c.id:<9} {c.date:<10} {c.kind:<{width}} {old} → {new}{marks}")
    return EXIT_OK


def add_changes(sub: Any) -> None:
    """``changes``: the changes of the divisions between two dates."""
    ch = sub.add_parser(
        "changes", help="the changes of the divisions between two dates (renames, mergers, new codes …), within a code"
    )
    ch.add_argument("--from", dest="start", required=True, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD")
    ch.add_argument("--to", dest="end", required=True, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD")
    ch.add_argument("--within", metavar="CODE", help="a division code of today or a former one (default: all)")
    ch.add_argument(
        "--kind", action="append", metavar="KIND", help="only these kinds (renamed, merged, split …; repeatable)"
    )
    ch.add_argument(
        "--no-flagged", dest="no_flagged", action="store_true", help="leave out the events the source flags"
    )
    out = ch.add_mutually_exclusive_group()
    out.add_argument("--csv", action="store_true", help="print CSV (a header row, one row per change)")
    out.add_argument("--json", action="store_true", help="print the same JSON object as the REST API")
    ch.set_defaults(func=cmd_changes)
