"""The commands that run the service and fill its store: ``serve`` (checks the store and the sandbox, then runs
the service) and ``load`` (the built graph, or a file, into an on-disk or external store, verified)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from api.cli.options import EXIT_OK, settings_from, store_options
from graph.errors import InvalidRequest, SandboxUnavailable
from graph.settings import Settings
from graph.vocab import StoreKind

__all__ = ["add_load", "add_serve", "cmd_load", "cmd_serve"]


def cmd_serve(args: argparse.Namespace) -> int:
    from graph.build.prebuilt import prebuilt_path
    from graph.namespaces import Vocab
    from graph.store.backend import EmbeddedBackend, parse_store_spec

    settings = settings_from(args)
    if parse_store_spec(settings.store).kind is StoreKind.MEMORY:
        built = prebuilt_path(Vocab(settings.base_iri))  # build once here, not once per worker
        if settings.workers == 1:
            # Fill the store while the rest is checked and the web stack imported: the two take the time of the
            # longer one on a second core (worker processes of --workers N fill their own).
            EmbeddedBackend.preload(Path(settings.data_file) if settings.data_file else built)

    from api.web import server
    from graph.integrity import check_store
    from graph.sparql import sandbox

    check_store(settings)  # an empty, half-loaded or foreign store: one line and exit 1, before any worker starts
    if settings.query_sandbox == "on":
        try:
            sandbox.available()  # say so here, not once per uvicorn worker
        except SandboxUnavailable as exc:
            raise InvalidRequest(f"{exc}; set BAOMI_KG_QUERY_SANDBOX=off to serve SPARQL without it") from exc
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"baomi-kg: listening on {settings.host}: the service is reachable from other hosts", file=sys.stderr)
    # Given on the command line: uvicorn's worker processes read their settings from the environment instead.
    overrides = {name: val for name, val in vars(args).items() if name in Settings.model_fields and val is not None}
    server.run(settings, overrides)
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from api.cli import allocator
    from graph.build.prebuilt import prebuilt_path
    from graph.kg import open_backend
    from graph.namespaces import Vocab
    from graph.store.backend import parse_store_spec

    settings = settings_from(args)
    if parse_store_spec(settings.store).kind is StoreKind.MEMORY:
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
    print(
        f"loaded {source.name} into {settings.store} in {seconds:.1f} s: the store holds {count} quads "
        f"({count / seconds:,.0f} quads/s, {allocator.in_use()} allocator); snapshot written in "
        f"{snapshot_seconds:.1f} s"
    )
    return EXIT_OK


def add_serve(sub: Any) -> None:
    """``serve``: the service over HTTP."""
    sv = sub.add_parser("serve", help="serve the SPARQL endpoint, REST API and Linked Data over HTTP")
    sv.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    sv.add_argument("--port", type=int, help="port (default 8000)")
    sv.add_argument("--workers", type=int, help="uvicorn worker processes (default 1)")
    sv.add_argument("--query-timeout", dest="query_timeout", type=float, help="seconds per SPARQL query (default 10)")
    store_options(sv)
    sv.set_defaults(func=cmd_serve)


def add_load(sub: Any) -> None:
    """``load``: a graph into a store."""
    ld = sub.add_parser("load", help="push the built graph (or an N-Quads file) into a store")
    ld.add_argument("--file", help="N-Quads file to load (default: the bundled graph)")
    store_options(ld)
    ld.set_defaults(func=cmd_load, fast_allocator=True)
