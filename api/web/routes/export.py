"""Exports (``GET /api/v1/export``) and the offline viewer (``GET /viz`` with its static files and index).

Both are thin: the scope and the writers are :mod:`graph.export.scope` and :mod:`graph.export.formats`; the viewer's
index is :mod:`graph.export.viewer`.  A format or scope that cannot be exported, and a picture Graphviz could not
draw, are domain errors that :mod:`api.web.problems` answers (422 with the parameter, 503).  Nothing the viewer
loads comes from another host: its JavaScript library is vendored under ``api/web/static/vendor`` (see the README
there).
"""

from __future__ import annotations

import asyncio
import functools
import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.web import heavy
from api.web.as_of import AsOf, past_of, read_as_of
from api.web.deps import HEAVY, KGDep
from api.web.negotiation import EXPORT_OFFERS, negotiate
from api.web.params import service
from api.web.paths import EXPORT, ID, VIZ
from api.web.problems import ProblemError
from graph.export.scope import make_scope
from graph.vocab import DEFAULT_EDGE_KINDS, EDGE_KINDS, EXPORT_FORMATS, LANGS, LEVELS

router = APIRouter(tags=["export"])

STATIC = Path(__file__).resolve().parent.parent / "static"
MAX_PICTURE_NODES = 1500  # Graphviz takes seconds per thousand nodes; larger pictures are for the CLI
PICTURE_TIMEOUT = 60.0

_PROBLEM = "application/problem+json"
_NAMES = [f.name for f in EXPORT_FORMATS]
_FORMAT_DOC = "; ".join(f"`{f.name}` {f.description}" for f in EXPORT_FORMATS)
_EXAMPLES: dict[str, dict[str, Any]] = {
    "chain": {"summary": "SVG of a county's chain up to the centre", "value": "svg"},
    "graphml": {"summary": "GraphML for yEd / Gephi / Cytoscape", "value": "graphml"},
    "cytoscape": {"summary": "Cytoscape.js elements", "value": "cytoscape"},
    "turtle": {"summary": "The RDF of the same scope", "value": "turtle"},
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The export, with a `Content-Disposition` file name",
        "content": {f.media_type: {} for f in EXPORT_FORMATS},
    },
    406: {"description": "No `format` and no offered media type fits `Accept`", "content": {_PROBLEM: {}}},
    422: {
        "description": "Unknown format or impossible scope; `parameter` names it and `allowed` lists the valid "
        "values; a scope too large for Mermaid also gives the `limits`, its `size` and the "
        "`suggestions` that fit",
        "content": {
            _PROBLEM: {
                "example": {
                    "type": "http://127.0.0.1:8000/problems/invalid-parameters",
                    "title": "Invalid parameters",
                    "status": 422,
                    "detail": f"unknown format 'pdf'; valid values: {', '.join(_NAMES)}",
                    "parameter": "format",
                    "allowed": _NAMES,
                }
            }
        },
    },
}


def _listed(values: list[str] | None) -> list[str] | None:
    return [part for v in values for part in v.split(",")] if values else None


@router.get(EXPORT, response_class=Response, responses=RESPONSES)
async def get_export(
    request: Request,
    format: Annotated[
        str | None,
        Query(description=f"Output format (default: by `Accept`). {_FORMAT_DOC}", openapi_examples=_EXAMPLES),
    ] = None,
    root: Annotated[
        str | None,
        Query(
            max_length=200,
            description="The committee the subtree starts from: an id "
            "(`330000`, `central`, `u-mfa`), a division code or a name; default: the "
            "Central Committee",
            examples=["330000"],
        ),
    ] = None,
    depth: Annotated[int | None, Query(ge=0, le=10, description="Levels below the root; default: all")] = None,
    expand: Annotated[
        list[str] | None,
        Query(description="Committees whose subordinates are shown beyond `depth` (repeat, or separate with commas)"),
    ] = None,
    chain: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Instead of a subtree: this committee and its guiding chain up to the centre",
            examples=["330106"],
        ),
    ] = None,
    level: Annotated[
        list[str] | None,
        Query(
            description=f"Keep committees of these levels: {', '.join(LEVELS)} "
            "(repeat, or separate with commas); default: all"
        ),
    ] = None,
    edges: Annotated[
        list[str] | None,
        Query(
            description=f"Keep links of these kinds: {', '.join(EDGE_KINDS)}; "
            "offices come with `office` or `administrative`, Party committees with `leadership` or "
            "`reporting`, units with `departmental`, secrecy bureaus with `administrative`; "
            f"default: {', '.join(DEFAULT_EDGE_KINDS)} (the administrative line only when asked for)"
        ),
    ] = None,
    lang: Annotated[str, Query(description=f"Labels: {', '.join(LANGS)}")] = "zh",
    as_of: Annotated[
        str | None,
        Query(
            max_length=10,
            description="Export the graph as it stood at the end of this day: YYYY-MM-DD, YYYY-MM or YYYY (a "
            "month or a year is read as its last day). The committees are those of that day's divisions, named "
            "as the graph names bodies today, and `root`, `chain` and `expand` are read as that day read them; "
            "departmental committees and the bodies off the division tree are today's only. The graph tools' "
            "formats carry the day as the graph's `as_of`, and the changes of that period the source dates by the "
            "year or month only, touching the regions drawn, as `as_of_undated` and `as_of_note`. RDF formats give "
            "the triples of that day's projection (the store's links are today's).",
            examples=["2009-06-30"],
        ),
    ] = None,
) -> Response:
    """The graph or a scoped part of it in a graph tool's format (GraphML, GEXF, Cytoscape.js, D3, DOT, Mermaid), as
    RDF, or as a picture drawn by Graphviz; today, or as of a past day."""
    chosen = format if format is not None else negotiate(request.headers.get("accept"), EXPORT_OFFERS).name
    day = read_as_of(as_of)
    state = service(request)
    scope = make_scope(
        root=root,
        depth=depth,
        expand=_listed(expand),
        chain=chain,
        levels=_listed(level),
        edges=_listed(edges),
        lang=lang,
    )
    head, body = await heavy.run(
        state.heavy_pool,
        state.settings.heavy_timeout,
        heavy.export_job,
        chosen,
        scope,
        day,
        MAX_PICTURE_NODES,
        PICTURE_TIMEOUT,
    )
    headers = {
        "Content-Disposition": f'attachment; filename="{head["filename"]}"',
        "Vary": "Accept",
        "X-Graph-Nodes": str(head["nodes"]),
        "X-Graph-Edges": str(head["edges"]),
    }
    return Response(body, media_type=head["media_type"], headers=headers)


# -- the viewer -------------------------------------------------------------------------------------
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
_FOLDERS = {"static": STATIC / "viz", "vendor": STATIC / "vendor"}


@router.get(VIZ, response_class=HTMLResponse, tags=["viewer"])
def viz_page() -> HTMLResponse:
    """The offline viewer: browse, search and export the committee system."""
    return HTMLResponse((STATIC / "viz" / "index.html").read_text(encoding="utf-8"))


@router.get(VIZ + "/index.json", tags=["viewer"], dependencies=[HEAVY])
async def viz_index(kg: KGDep, as_of: AsOf = None) -> Response:
    """The viewer's index: every committee (id, level, guiding committee, names, search keys) — today's, or, with
    ``as_of``, those of that day (``as_of`` in the index) — the eight duties of a local committee, the names of the
    articles and sources the rules rest on, and what the page draws with: levels and edge kinds with their names, the
    palette, the rules of the tree layout and the export formats; and where the Linked Data page of an IRI under the
    base is (``pages``: the IRIs' prefix and this service's path for it)."""
    from graph.export.viewer import viewer_index  # it brings the layouts and networkx: loaded here, not at start

    day = read_as_of(as_of)
    directory = kg.directory if day is None else (await past_of(kg, day)).directory
    index = await asyncio.to_thread(viewer_index, directory)  # a day's first index takes a fraction of a second
    index = {**index, "as_of": day.isoformat() if day else None, "pages": {"iri": directory.vocab.id(), "path": ID}}
    body = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, media_type="application/json", headers={"Cache-Control": "max-age=300"})


@functools.cache
def _viewer_files() -> dict[tuple[str, str], Path]:
    """Every file the viewer may load, by (folder, path): a request is looked up here, never joined to a path."""
    return {
        (folder, file.relative_to(base).as_posix()): file
        for folder, base in _FOLDERS.items()
        for file in sorted(base.rglob("*"))
        if file.is_file()
    }


@router.get(VIZ + "/{folder}/{path:path}", include_in_schema=False)
def viz_file(folder: str, path: str) -> FileResponse:
    """A static file of the viewer (its scripts, styles and the vendored library)."""
    target = _viewer_files().get((folder, path))
    if target is None:
        raise ProblemError("not-found", "no such file in the viewer")
    return FileResponse(
        target,
        media_type=_TYPES.get(target.suffix, "text/plain; charset=utf-8"),
        headers={"Cache-Control": "max-age=300"},
    )
