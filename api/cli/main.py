"""The ``baomi-kg`` command: a thin skin over :mod:`graph`.

Exit codes: 0 done or found; 1 the work failed (e.g. validation); 2 bad usage; 3 ambiguous
lookup; 4 unknown lookup.  Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from graph.errors import (
    Ambiguous,
    BaomiError,
    InvalidRequest,
    LookupFailed,
    NotFound,
    QueryError,
    QuerySyntaxError,
    ValidationFailed,
)
from graph.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_AMBIGUOUS, EXIT_UNKNOWN = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for name in ("store", "update_url", "gsp_url", "host", "port", "base_iri", "workers", "query_timeout",
                 "data_file"):
        if getattr(args, name, None) is not None:
            overrides[name] = getattr(args, name)
    return Settings(**overrides)


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


# -- build / validate -----------------------------------------------------------------------
def cmd_build(args: argparse.Namespace) -> int:
    from graph.build.assemble import COMMITTEE_CLASSES, load_inputs
    from graph.build.prebuilt import build, write_outputs
    from graph.namespaces import Vocab

    vocab = Vocab(_settings(args).base_iri)
    started = time.perf_counter()
    inputs = load_inputs()
    result = build(vocab, validate=not args.no_validate, inputs=inputs)
    files = write_outputs(result, vocab, Path(args.out))
    levels = inputs.divisions.count_by_level()
    print(f"divisions: provincial {levels['provincial']}, municipal {levels['municipal']}, county {levels['county']}")
    classes: dict[str, int] = {}
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    seen: set[tuple[str, str]] = set()
    for q in result.quads:
        if q.predicate.value == rdf_type and q.object.value.startswith(vocab.ns):  # type: ignore[union-attr]
            key = (q.subject.value, q.object.value)  # type: ignore[union-attr]
            if key not in seen:
                seen.add(key)
                local = q.object.value.removeprefix(vocab.ns)  # type: ignore[union-attr]
                classes[local] = classes.get(local, 0) + 1
    print("instances by class:")
    for local in sorted(classes, key=lambda k: (-classes[k], k)):
        print(f"  {local:34} {classes[local]:>6}")
    print("committees by level: " + ", ".join(
        f"{level} {classes.get(names[0], 0)}" for level, names in COMMITTEE_CLASSES.items()))
    print(f"quads: {len(result.quads)}; validated: {'no' if args.no_validate else 'yes'}; "
          f"{time.perf_counter() - started:.1f} s")
    if not args.no_validate:
        print(_record_conformance(result.nquads, vocab))
    for kind, path in files.items():
        print(f"  {kind:9} {path}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from graph.build.prebuilt import build
    from graph.namespaces import Vocab

    vocab = Vocab(_settings(args).base_iri)
    result = build(vocab)
    print(f"valid: {len(result.quads)} quads conform to ontology/shapes.ttl")
    print(_record_conformance(result.nquads, vocab))
    return EXIT_OK


def _record_conformance(nquads: bytes, vocab: Any) -> str:
    """Record a build that has just conformed (a start from the same build then skips SHACL), and say so."""
    from graph.build import record
    from graph.namespaces import DEFAULT_BASE

    path = record.record_path()
    if vocab.base != DEFAULT_BASE:
        return f"not recorded in {path}: it records builds with the bundled base IRI {DEFAULT_BASE} only"
    if record.write(nquads, vocab, path):
        return f"recorded in {path}: a start from this build skips SHACL validation"
    return f"{path} already records this build"


# -- consumers of the prebuilt graph ------------------------------------------------------------
def _open(args: argparse.Namespace) -> Any:
    from graph.kg import KnowledgeGraph

    return KnowledgeGraph.open(_settings(args))


def cmd_stats(args: argparse.Namespace) -> int:
    stats = _open(args).stats()
    if args.json:
        _print_json(stats)
        return EXIT_OK
    committees = stats.pop("committees")
    for level, n in committees.items():
        print(f"committees {level:<12} {n:>8}")
    for key, n in stats.items():
        print(f"{key:<23} {n:>8}")
    return EXIT_OK


def cmd_lookup(args: argparse.Namespace) -> int:
    kg = _open(args)
    try:
        answer = kg.lookup(args.text)
    except Ambiguous as exc:
        _report_lookup(args, "ambiguous", exc, "candidates", exc.candidates)
        return EXIT_AMBIGUOUS
    except NotFound as exc:
        _report_lookup(args, "unknown", exc, "suggestions", exc.suggestions)
        return EXIT_UNKNOWN
    if args.json:
        _print_json(answer.model_dump())
        return EXIT_OK
    r = answer.region
    place = " › ".join([p.name for p in r.path] + [r.name])
    print(f"{answer.query}  →  {place} ({r.code}, {r.level})")
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
    return EXIT_OK


def _report_lookup(args: argparse.Namespace, status: str, exc: LookupFailed, key: str,
                   items: list[dict[str, Any]]) -> None:
    """A failed lookup, with the same detail as the REST problem (why nothing matches: outside the area
    covered, a division abolished and what replaced it)."""
    if args.json:
        _print_json({"status": status, "query": exc.query, "detail": str(exc), key: items})
        return
    print(f"{exc.query}: {status}; {exc}; {key}:", file=sys.stderr)
    for item in items:
        path = " › ".join(step["name"] for step in item["path"])
        print(f"  {item['code']}  {item['name']}" + (f"  ({path})" if path else ""), file=sys.stderr)


def cmd_query(args: argparse.Namespace) -> int:
    text = Path(args.file).read_text(encoding="utf-8") if args.file else args.sparql
    if not text:
        raise InvalidRequest("give a query, or --file FILE")
    kg = _open(args)
    table = args.format == "table"
    try:
        body, prepared = kg.sparql(text, format="json" if table else args.format)
    except QuerySyntaxError as exc:
        if not table or "does not fit" not in str(exc):
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
                    return f"{p}:{b['value'][len(iri):]}"
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


def cmd_serve(args: argparse.Namespace) -> int:

    import uvicorn

    from api.web.app import SUPERVISOR_ENV
    from graph.build.prebuilt import prebuilt_path
    from graph.integrity import check_store
    from graph.namespaces import Vocab
    from graph.sparql import sandbox
    from graph.store.backend import parse_store_spec

    settings = _settings(args)
    if parse_store_spec(settings.store).kind == "memory":
        prebuilt_path(Vocab(settings.base_iri))  # build once here, not once per worker
    check_store(settings)  # an empty, half-loaded or foreign store: one line and exit 1, before any worker starts
    if settings.query_sandbox == "on":
        try:
            sandbox.available()  # say so here, not once per uvicorn worker
        except sandbox.SandboxUnavailable as exc:
            raise InvalidRequest(f"{exc}; set BAOMI_KG_QUERY_SANDBOX=off to serve SPARQL without it") from exc
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"baomi-kg: listening on {settings.host}: the service is reachable from other hosts", file=sys.stderr)
    log_level = "info"  # uvicorn's own messages; requests are logged without their query strings by api.web.middleware
    if settings.workers > 1:
        # Worker processes read their settings from the environment, so pass the command line on that way.
        for name, val in vars(args).items():
            if name in Settings.model_fields and val is not None:
                os.environ["BAOMI_KG_" + name.upper()] = str(val)
        os.environ[SUPERVISOR_ENV] = str(os.getpid())  # each worker dies with this process (see api.web.app)
        uvicorn.run("api.web.app:create_app", factory=True, host=settings.host, port=settings.port,
                    workers=settings.workers, access_log=False, log_level=log_level,
                    http="api.web.protocol:GuardedHttpProtocol")
    else:
        from api.web.app import create_app
        from api.web.protocol import protocol_class

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, access_log=False,
                    log_level=log_level, http=protocol_class(settings))
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from api.cli import allocator
    from graph.build.prebuilt import prebuilt_path
    from graph.kg import open_backend
    from graph.namespaces import Vocab
    from graph.store.backend import parse_store_spec

    settings = _settings(args)
    if parse_store_spec(settings.store).kind == "memory":
        raise InvalidRequest("the memory store lives inside the service: give --store oxigraph:PATH or sparql:URL")
    source = Path(args.file) if args.file else prebuilt_path(Vocab(settings.base_iri))
    if not source.is_file():
        raise InvalidRequest(f"no such file: {source}")
    from graph.integrity import finish_load
    from graph.kg import KnowledgeGraph
    from graph.store.loads import load_id_quad

    # On disk, a new generation beside the one being served; it replaces it only once verified.
    backend = open_backend(settings, for_writing=True)
    started = time.perf_counter()
    try:
        backend.load(source, replace=True)
        seconds = time.perf_counter() - started
        count = backend.count()  # read back from the store, outside the timed load
        marker = load_id_quad(Vocab(settings.base_iri))
        backend.insert([marker])  # written last: the mark of a finished load
        # Read the directory once now, so that the service starts from the snapshot.
        snapshot_started = time.perf_counter()
        kg = KnowledgeGraph(settings, backend)
        kg.resolver  # noqa: B018
        snapshot_seconds = time.perf_counter() - snapshot_started
        finish_load(kg, marker)
    finally:
        backend.close()
    print(f"loaded {source.name} into {settings.store} in {seconds:.1f} s: the store holds {count} quads "
          f"({count / seconds:,.0f} quads/s, {allocator.in_use()} allocator); snapshot written in "
          f"{snapshot_seconds:.1f} s")
    return EXIT_OK


def cmd_synth(args: argparse.Namespace) -> int:
    from graph.build.synth import write_dataset
    from graph.namespaces import Vocab

    if args.units < 0:
        raise InvalidRequest("--units must be zero or more")
    vocab = Vocab(_settings(args).base_iri)
    out = Path(args.out)
    started = time.perf_counter()
    count = write_dataset(out, args.units, args.seed, vocab)
    print(f"wrote {count} quads ({args.units} synthetic units, seed {args.seed}) to {out} "
          f"in {time.perf_counter() - started:.1f} s")
    if args.validate:
        from pyoxigraph import RdfFormat, Store

        from graph.build.validate import check

        store = Store()
        store.bulk_load(path=str(out), format=RdfFormat.N_QUADS)
        violations = check(store, vocab)
        if violations:
            raise ValidationFailed("SHACL validation of the synthetic dataset failed:\n" + "\n".join(
                f"  {v}" for v in violations[:50]), [(v.focus, v.rule, v.message) for v in violations])
        print("valid: the dataset conforms to ontology/shapes.ttl")
    return EXIT_OK


# -- the parser ----------------------------------------------------------------------------------
def _parser() -> _Parser:
    p = _Parser(prog="baomi-kg", description="Knowledge graph of China's Party confidentiality committee system.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def store_opts(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--store", help="memory (default), oxigraph:PATH or sparql:QUERY_URL")
        sp.add_argument("--update-url", dest="update_url", help="SPARQL update URL of an external store")
        sp.add_argument("--gsp-url", dest="gsp_url", help="Graph Store Protocol URL of an external store")
        sp.add_argument("--data-file", dest="data_file", help="N-Quads file for the memory store (e.g. from synth)")

    b = sub.add_parser("build", help="build and validate the graph from data/ and ontology/, and write it out")
    b.add_argument("--out", required=True, help="folder for the Turtle, N-Triples, N-Quads, TriG and JSON-LD files")
    b.add_argument("--no-validate", action="store_true", help="skip the SHACL validation")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="build the graph, validate it against ontology/shapes.ttl and record the "
                       "conforming build in data/validated.json")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("stats", help="counts of committees by level, offices, Party committees, regions, triples")
    s.add_argument("--json", action="store_true", help="print JSON")
    store_opts(s)
    s.set_defaults(func=cmd_stats)

    q = sub.add_parser("query", help="run a read-only SPARQL query")
    q.add_argument("sparql", nargs="?", default="", help="the query (or use --file)")
    q.add_argument("--file", help="read the query from a file")
    q.add_argument("--format", default="table",
                   choices=["table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld", "rdfxml"])
    store_opts(q)
    q.set_defaults(func=cmd_query)

    lk = sub.add_parser("lookup", help="the committee, office, Party committee and chain competent for a place or unit")
    lk.add_argument("text", help="a code, a Chinese name, pinyin, or an address")
    lk.add_argument("--json", action="store_true", help="print the same JSON object as the REST API")
    store_opts(lk)
    lk.set_defaults(func=cmd_lookup)

    sv = sub.add_parser("serve", help="serve the SPARQL endpoint, REST API and Linked Data over HTTP")
    sv.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    sv.add_argument("--port", type=int, help="port (default 8000)")
    sv.add_argument("--workers", type=int, help="uvicorn worker processes (default 1)")
    sv.add_argument("--query-timeout", dest="query_timeout", type=float, help="seconds per SPARQL query (default 10)")
    store_opts(sv)
    sv.set_defaults(func=cmd_serve)

    ld = sub.add_parser("load", help="push the built graph (or an N-Quads file) into a store")
    ld.add_argument("--file", help="N-Quads file to load (default: the bundled graph)")
    store_opts(ld)
    ld.set_defaults(func=cmd_load, fast_allocator=True)

    sy = sub.add_parser("synth", help="write the graph plus N synthetic unit committees, for scale tests")
    sy.add_argument("--units", type=int, required=True, help="how many synthetic units")
    sy.add_argument("--seed", type=int, default=1, help="random seed (same seed, same units)")
    sy.add_argument("--out", required=True, help="N-Quads file to write")
    sy.add_argument("--validate", action="store_true", help="validate the result with SHACL (slow for big N)")
    sy.set_defaults(func=cmd_synth)

    from api.cli.export import register as register_export

    register_export(sub, store_opts)
    return p


def _show_build_progress() -> None:
    """The build's progress lines on stderr: any command may be the first use of its inputs and build the graph."""
    import logging

    class ToStderr(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            try:
                print(self.format(record), file=sys.stderr)  # sys.stderr as it is now, not as it was
            except Exception:  # noqa: BLE001 - logging's own way of reporting a failed line
                self.handleError(record)

    logger = logging.getLogger("baomi_kg.build")
    if not any(type(h).__name__ == "ToStderr" for h in logger.handlers):  # main() may run again in one process
        handler = ToStderr()
        handler.setFormatter(logging.Formatter("baomi-kg: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _fail(exc: Exception, code: int) -> int:
    print("baomi-kg: error: " + " ".join(str(exc).split()), file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _show_build_progress()
    try:
        if argv is None and getattr(args, "fast_allocator", False):
            # Run as a command (not called from Python): bulk loads go faster with mimalloc preloaded.
            from api.cli.allocator import rerun_with_mimalloc

            rerun_with_mimalloc(_settings(args).allocator)
        return int(args.func(args))
    except ValidationFailed as exc:
        print(exc.report, file=sys.stderr)
        return EXIT_FAILED
    except (InvalidRequest, QueryError) as exc:
        return _fail(exc, EXIT_USAGE)
    except (BaomiError, OSError, ValueError) as exc:
        return _fail(exc, EXIT_FAILED)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("BAOMI_KG_DEBUG"):
            raise
        return _fail(RuntimeError(f"internal error ({type(exc).__name__}: {exc}); rerun with BAOMI_KG_DEBUG=1 "
                                  "for details"), EXIT_FAILED)


if __name__ == "__main__":
    raise SystemExit(main())
