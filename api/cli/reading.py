"""The commands that read the graph: ``stats`` (also of the divisions as of a day), ``lookup`` (the committee
competent for a place or unit), ``incident`` (a leak: the bureau to report to and the committee duty 7 points to),
``authority`` (whether an organ may classify a matter at a level, 定密权限) and ``query`` (read-only SPARQL,
printed as a table or in a format)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli.options import (
    EXIT_AMBIGUOUS,
    EXIT_OK,
    EXIT_UNKNOWN,
    as_of_option,
    open_graph,
    print_json,
    store_options,
)
from graph.errors import Ambiguous, FormatMismatch, InvalidRequest, LookupFailed, NotFound
from graph.vocab import DIVISION_LEVELS

if TYPE_CHECKING:
    from graph.answers.as_of_note import AsOfNote

__all__ = [
    "add_authority",
    "add_incident",
    "add_lookup",
    "add_query",
    "add_stats",
    "cmd_authority",
    "cmd_incident",
    "cmd_lookup",
    "cmd_query",
    "cmd_stats",
]


def cmd_stats(args: argparse.Namespace) -> int:
    from graph.answers.stats import division_stats
    from graph.sources.history import parse_as_of

    day = parse_as_of(args.as_of) if args.as_of is not None else None
    kg = open_graph(args)
    divisions = division_stats(kg.directory, day)
    if day is not None:  # the divisions of that day: the store's own counts are today's only
        if args.json:
            print_json(divisions.model_dump())
        else:
            _print_divisions(divisions)
        return EXIT_OK
    stats = kg.stats()
    if args.json:
        print_json({**stats, "divisions": [c.model_dump() for c in divisions.divisions]})
        return EXIT_OK
    committees = stats.pop("committees")
    assert isinstance(committees, dict)  # noqa: S101 - by level, as KnowledgeGraph.stats counts them
    for level, n in committees.items():
        print(f"committees {level:<12} {n:>8}")
    for key, n in stats.items():
        print(f"{key:<23} {n:>8}")
    _print_divisions(divisions)
    return EXIT_OK


def _print_divisions(stats: Any) -> None:
    """The divisions of a :class:`graph.answers.stats.DivisionStats` by level and type, its committees and note."""
    print(f"divisions as of {stats.as_of or 'today'}:")
    for c in stats.divisions:
        types = ", ".join(f"{kind} {n}" for kind, n in c.types.items())
        print(f"  {c.level:<10} {c.total:>5}  {types}")
    if stats.as_of:
        print("committees:  " + ", ".join(f"{level} {n}" for level, n in stats.committees.items()))
    if stats.note:
        print(f"note: {stats.note}")


def cmd_lookup(args: argparse.Namespace) -> int:
    from graph.sources.history import parse_as_of

    day = parse_as_of(args.as_of) if args.as_of is not None else None  # a bad day fails before the graph opens
    kg = open_graph(args)
    try:
        answer = kg.lookup(args.text, day)
    except Ambiguous as exc:
        _report_lookup(args, "ambiguous", exc, "candidates", exc.candidates)
        return EXIT_AMBIGUOUS
    except NotFound as exc:
        _report_lookup(args, "unknown", exc, "suggestions", exc.suggestions)
        return EXIT_UNKNOWN
    if args.json:
        print_json(answer.model_dump())
        return EXIT_OK
    r = answer.region
    place = " › ".join([p.name for p in r.path] + [r.name])
    print(f"{answer.query}  →  {place} ({r.code}, {r.level})")
    if answer.former:
        print(f"former:          {answer.former.note}")
    if answer.unit:
        print(f"unit:            {answer.unit.name_zh}  {answer.unit.name_en}")
    print(f"committee:       {answer.committee.name_zh}  [{answer.committee.id}]")
    print(f"                 {answer.committee.name_en}")
    office = answer.office.name_zh
    if answer.office.second_nameplate:
        office += f" (= {answer.office.second_nameplate})"
    print(f"office:          {office}")
    if answer.party_committee:
        print(f"Party committee: {answer.party_committee.name_zh}")
    print("chain:")
    for depth, c in enumerate(answer.chain):
        print(f"  {'  ' * depth}{c.name_zh}  [{c.id}, {c.level}]")
    print(f"passages:        {', '.join(answer.passages)}")
    for f in answer.also_former or ():
        print(f"also former:     {f.note}")
    _print_as_of(answer.as_of)
    return EXIT_OK


def _print_as_of(note: AsOfNote | None) -> None:
    """The ``as_of`` block of an answer as of a past day, in lines."""
    if note is None:
        return
    today = "stands today" if note.exists_today else f"today {note.today.code} {note.today.name}" if note.today else ""
    print(f"as of:           {note.date}" + (f" (the region {today})" if today else " (the region is gone today)"))
    for e in note.undated_changes:
        when = f"{e.year}-{e.month:02d}" if e.month else str(e.year)
        print(f"  undated:       {e.id} {when} {e.kind}: {e.old_name} {e.old_code} → {e.new_name} {e.new_code}")
    for said in (note.note, note.law):
        if said:
            print(f"note:            {said}")


def cmd_incident(args: argparse.Namespace) -> int:
    from graph.answers.incident import incident_for
    from graph.answers.past import incident_as_of
    from graph.sources.history import parse_as_of

    day = parse_as_of(args.as_of) if args.as_of is not None else None
    kg = open_graph(args)
    try:
        if day is None:
            answer = incident_for(kg.directory, kg.resolver, args.region, args.cadre_level, args.cadre_managed_by)
        else:
            answer = incident_as_of(kg.past(day), args.region, args.cadre_level, args.cadre_managed_by)
    except Ambiguous as exc:
        _report_lookup(args, "ambiguous", exc, "candidates", exc.candidates)
        return EXIT_AMBIGUOUS
    except NotFound as exc:
        _report_lookup(args, "unknown", exc, "suggestions", exc.suggestions)
        return EXIT_UNKNOWN
    if args.json:
        print_json(answer.model_dump())
        return EXIT_OK
    r, report, inv = answer.region, answer.report_to, answer.investigated_by
    print(f"leak in:         {' › '.join([p.name for p in r.path] + [r.name])} ({r.code}, {r.level})")
    print(f"report to:       {report.body.name_zh}, within {report.within_hours} hours")
    print(f"                 and {report.also.en}")
    relay = " › ".join(b.name_zh for b in report.relayed_to)
    print(f"passed up to:    {relay}, each within {report.relay_within_hours} hours")
    print(f"investigated by: {inv.body.name_zh}; assessed by {' or '.join(b.name_zh for b in inv.assessment_by)}")
    print(f"committee:       {answer.committee.name_zh}  [{answer.committee.id}] (duty 7)")
    if answer.cadre_managed_by:
        print(f"cadre's manager: {answer.cadre_managed_by.name_zh}  [{answer.cadre_managed_by.id}]")
    for line in [*report.notes, *answer.not_settled, *inv.not_settled]:
        print(f"note:            {line}")
    print("basis:")
    for c in answer.citations:
        print(f"  {c.ref:<22} {c.label_zh}")
    _print_as_of(answer.as_of)
    return EXIT_OK


def cmd_authority(args: argparse.Namespace) -> int:
    from graph.sources.law import load_law
    from graph.vocab import Classification

    try:
        level = Classification.parse(args.level)
        delegated = Classification.parse(args.delegated) if args.delegated else None
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    kg = open_graph(args)
    try:
        answer = kg.classification_authority(args.organ, level, delegated)
    except Ambiguous as exc:
        _report_lookup(args, "ambiguous", exc, "candidates", exc.candidates)
        return EXIT_AMBIGUOUS
    except NotFound as exc:
        _report_lookup(args, "unknown", exc, "suggestions", exc.suggestions)
        return EXIT_UNKNOWN
    if args.json:
        print_json(answer.model_dump(mode="json"))
        return EXIT_OK
    o, r = answer.organ, answer.organ.region
    where = f"; {' › '.join([p.name for p in r.path] + [r.name])} ({r.code})" if r else ""
    print(f"{answer.query}  →  {o.name_zh}  [{o.kind}{where}]")
    yes_no = {True: "yes", False: "no", None: "not settled by the texts read"}
    print(f"level:           {answer.level_zh} ({answer.level})")
    print(f"may classify:    {yes_no[answer.may_classify]}")
    highest = f"{answer.highest_level_zh} ({answer.highest_level})" if answer.highest_level else "none or not settled"
    print(f"highest level:   {highest}")
    held = answer.delegation.held_zh or "none"
    print(f"delegation held: {held}" + ("" if answer.delegation.can_be_extended else " (it already holds 绝密)"))
    for x in answer.delegation.from_:
        print(f"  may delegate:  {x.body.name_zh} (up to {x.up_to_zh}; {x.condition})")
    if answer.refer_to:
        ref = answer.refer_to
        print(f"refer to:        {ref.organ.name_zh if ref.organ else '(no higher organ)'}")
        if ref.bureau:
            print(f"                 bureau: {ref.bureau.name_zh}")
        print(f"                 {ref.how.zh} ({ref.within})")
    for line in answer.reasoning:
        print(f"why:             {line}")
    for line in answer.not_settled:
        print(f"not settled:     {line}")
    law = load_law()
    print("basis:")
    for iri in answer.basis:
        ref_id = iri.rsplit("/", 1)[1]
        label = law.articles[ref_id].label(law)[0] if ref_id in law.articles else ""
        print(f"  {ref_id:<24} {label}")
    return EXIT_OK


def _report_lookup(
    args: argparse.Namespace, status: str, exc: LookupFailed, key: str, items: list[dict[str, Any]]
) -> None:
    """A failed lookup, with the same detail as the REST problem (why nothing matches: outside the area
    covered, a division abolished and what replaced it)."""
    if args.json:
        print_json({"status": status, "query": exc.query, "detail": str(exc), key: items, **exc.extra})
        return
    print(f"{exc.query}: {status}; {exc}; {key}:", file=sys.stderr)
    for item in items:
        path = " › ".join(step["name"] for step in item["path"])
        former = f"  former: {item['note']}" if item.get("former") else ""
        print(f"  {item['code']}  {item['name']}" + (f"  ({path})" if path else "") + former, file=sys.stderr)
    for former in [exc.extra.get("former"), *exc.extra.get("also_former", ())]:
        if former:
            print(f"  former: {former['note']}", file=sys.stderr)


def cmd_query(args: argparse.Namespace) -> int:
    text = Path(args.file).read_text(encoding="utf-8") if args.file else args.sparql
    if not text:
        raise InvalidRequest("give a query, or --file FILE")
    kg = open_graph(args)
    table = args.format == "table"
    try:
        body, prepared = kg.sparql(text, format="json" if table else args.format)
    except FormatMismatch:
        if not table:
            raise
        body, prepared = kg.sparql(text, format="turtle")  # a table of a CONSTRUCT is its Turtle
    if table and not prepared.info.is_graph_result:
        _print_table(json.loads(body), kg.vocab.prefixes)
    else:
        sys.stdout.write(body.decode("utf-8"))
        if not body.endswith(b"\n"):
            sys.stdout.write("\n")
    return EXIT_OK


def _print_table(results: dict[str, Any], prefixes: dict[str, str]) -> None:
    if "boolean" in results:
        print("true" if results["boolean"] else "false")
        return
    names: list[str] = results["head"]["vars"]
    short = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def cell(b: dict[str, str] | None) -> str:
        if b is None:
            return ""
        if b["type"] == "uri":
            for p, iri in short:
                if b["value"].startswith(iri):
                    return f"{p}:{b['value'][len(iri) :]}"
            return f"<{b['value']}>"
        if b["type"] == "bnode":
            return "_:" + b["value"]
        return b["value"] + (f"@{b['xml:lang']}" if "xml:lang" in b else "")

    rows = [[cell(sol.get(n)) for n in names] for sol in results["results"]["bindings"]]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    print("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def add_stats(sub: Any) -> None:
    """``stats``: counts of what the graph holds."""
    s = sub.add_parser(
        "stats", help="counts of committees by level, offices, Party committees, regions, triples; divisions by type"
    )
    s.add_argument("--json", action="store_true", help="print JSON")
    s.add_argument(
        "--as-of",
        dest="as_of",
        metavar="DATE",
        help="the divisions and their committees by level and type as they stood at the end of DATE "
        "(YYYY-MM-DD, YYYY-MM or YYYY)",
    )
    store_options(s)
    s.set_defaults(func=cmd_stats)


def add_query(sub: Any) -> None:
    """``query``: a read-only SPARQL query."""
    q = sub.add_parser("query", help="run a read-only SPARQL query")
    q.add_argument("sparql", nargs="?", default="", help="the query (or use --file)")
    q.add_argument("--file", help="read the query from a file")
    q.add_argument(
        "--format",
        default="table",
        choices=["table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld", "rdfxml"],
    )
    store_options(q)
    q.set_defaults(func=cmd_query)


def add_incident(sub: Any) -> None:
    """``incident``: a leak, on both lines (the bureau it is reported to, the committee duty 7 points to)."""
    inc = sub.add_parser(
        "incident", help="a leak: the secrecy bureau to report to within 24 hours, the relay, the committee of duty 7"
    )
    inc.add_argument("region", help="where the leak occurred: a code, a Chinese name, pinyin, or an address")
    who = inc.add_mutually_exclusive_group()
    who.add_argument(
        "--cadre-level",
        dest="cadre_level",
        choices=list(DIVISION_LEVELS),
        help="the level, on the chain of the place, of the Party committee that manages the cadre",
    )
    who.add_argument(
        "--cadre-managed-by",
        dest="cadre_managed_by",
        help="the region whose Party committee manages the cadre (CN for the Central Committee), or a unit",
    )
    inc.add_argument("--json", action="store_true", help="print the same JSON object as the REST API")
    as_of_option(inc)
    store_options(inc)
    inc.set_defaults(func=cmd_incident)


def add_authority(sub: Any) -> None:
    """``authority``: whether an organ may classify a matter at a level (定密权限)."""
    au = sub.add_parser(
        "authority", help="whether an organ may classify a matter at a level (定密权限), and where it goes if not"
    )
    au.add_argument("organ", help="a place (its organs), 中央 (the central state organs), or a unit such as 外交部")
    au.add_argument("--level", required=True, help="绝密, 机密 or 秘密 (top-secret, secret, confidential)")
    au.add_argument("--delegated", help="the level up to which the organ holds a written delegation (定密授权)")
    au.add_argument("--json", action="store_true", help="print the same JSON object as the REST API")
    store_options(au)
    au.set_defaults(func=cmd_authority)


def add_lookup(sub: Any) -> None:
    """``lookup``: the committee competent for a place or unit."""
    lk = sub.add_parser("lookup", help="the committee, office, Party committee and chain competent for a place or unit")
    lk.add_argument("text", help="a code, a Chinese name, pinyin, or an address")
    lk.add_argument("--json", action="store_true", help="print the same JSON object as the REST API")
    as_of_option(lk)
    store_options(lk)
    lk.set_defaults(func=cmd_lookup)
