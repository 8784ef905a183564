"""The ``baomi-kg`` command: a thin skin over :mod:`graph`.

Each command lives in a module of its own (:mod:`api.cli.build`: build, validate, synth;
:mod:`api.cli.reading`: stats, lookup, incident, authority, query; :mod:`api.cli.history`: changes;
:mod:`api.cli.serve`: serve, load;
:mod:`api.cli.export`); this one reads the command line and turns errors into exit codes.

Exit codes: 0 done or found; 1 the work failed (e.g. validation); 2 bad usage; 3 ambiguous
lookup; 4 unknown lookup.  Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from api.cli import build, export, history, reading, serve
from api.cli.options import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Parser, settings_from
from graph.errors import BaomiError, InvalidRequest, QueryError, ValidationFailed
from graph.settings import debug

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "main"]


def _parser() -> Parser:
    p = Parser(prog="baomi-kg", description="Knowledge graph of China's Party confidentiality committee system.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    for add in (
        build.add_build,
        build.add_validate,
        reading.add_stats,
        reading.add_query,
        reading.add_lookup,
        reading.add_incident,
        reading.add_authority,
        history.add_changes,
        serve.add_serve,
        serve.add_load,
        build.add_synth,
        export.register,
    ):
        add(sub)
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

            rerun_with_mimalloc(settings_from(args).allocator)
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
        if debug():
            raise
        return _fail(
            RuntimeError(f"internal error ({type(exc).__name__}: {exc}); rerun with BAOMI_KG_DEBUG=1 for details"),
            EXIT_FAILED,
        )


if __name__ == "__main__":
    raise SystemExit(main())
