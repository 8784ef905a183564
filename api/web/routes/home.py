"""First contact: the landing page at ``/`` (HTML for browsers, a JSON index for clients) and the favicon."""

from __future__ import annotations

import html
import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.web.negotiation import choose
from api.web.params import service
from api.web.paths import DOCS, EXPORT, FAVICON, HOME, JURISDICTION, ONTOLOGY, OPENAPI, SPARQL, VIZ, VOID
from api.web.urls import public_url

router = APIRouter(tags=["operations"])

STATIC = Path(__file__).resolve().parent.parent / "static"

# (path, what a newcomer finds there)
ENTRIES = [
    (VIZ, "Viewer", "browse, search and export the committee system (offline, in the browser)"),
    (SPARQL, "SPARQL", "the SPARQL 1.1 endpoint and a query page with examples"),
    (
        JURISDICTION + "?q=330106",
        "Jurisdiction",
        "which committee and office are competent for a place, a unit or a leak case, and the chain to the centre",
    ),
    (DOCS, "REST API", f"every route, with examples (OpenAPI at {OPENAPI})"),
    (ONTOLOGY, "Ontology", "classes and properties, as HTML or RDF"),
    (VOID, "VoID", "the dataset: counts, named graphs, sources"),
    (
        EXPORT + "?format=graphml&root=330000&depth=1",
        "Export",
        "GraphML, GEXF, Cytoscape.js, D3, DOT, Mermaid, RDF, SVG and PNG of any scope",
    ),
]
_OFFERS = ["application/json", "text/html", "application/xhtml+xml"]


def landing_html() -> str:
    items = "".join(
        f'<li><a href="{html.escape(path)}">{html.escape(title)}</a> — {html.escape(text)}</li>'
        for path, title, text in ENTRIES
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>baomi-kg</title>'
        f'<link rel="icon" href="{FAVICON}" type="image/svg+xml">'
        "<style>body{font:16px/1.5 system-ui,"
        "sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}li{margin:.4rem 0}</style></head><body>"
        "<h1>baomi-kg</h1><p>The knowledge graph of China's Party confidentiality (保密) committee system: "
        "the Central Confidentiality Committee and the committees of every province, city and county, their "
        "offices, the Party committees that form and lead them, and the links between them, each cited to "
        f"its source.</p><ul>{items}</ul></body></html>"
    )


@router.get(HOME, responses={200: {"content": {"application/json": {}, "text/html": {}}}})
async def landing(request: Request) -> Response:
    """Where to start: a page for browsers, a JSON index of the service for clients."""
    chosen = choose(request.headers.get("accept"), _OFFERS) or "application/json"
    if chosen != "application/json":
        return HTMLResponse(landing_html(), headers={"Vary": "Accept"})
    state = service(request)
    index = {
        "name": "baomi-kg",
        "store": str(state.kg.backend.spec),
        "quads": state.kg.quads,
        "links": [
            {"href": public_url(request, path), "title": title, "description": text} for path, title, text in ENTRIES
        ],
    }
    return Response(json.dumps(index, ensure_ascii=False), media_type="application/json", headers={"Vary": "Accept"})


@router.get(FAVICON, include_in_schema=False)
async def favicon() -> Response:
    """The icon browsers ask for (an SVG, which they all draw)."""
    return Response(
        (STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
    )
