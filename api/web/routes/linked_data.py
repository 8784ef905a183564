"""Linked Data: every IRI under ``/id/`` dereferences here, as do the ontology and the VoID description.

The format is chosen by a file suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``) when there
is one, else by ``Accept``: HTML for browsers, Turtle when ``Accept`` is absent, 406 when nothing fits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.openapi.models import Example
from fastapi.responses import HTMLResponse, Response
from pyoxigraph import Triple

from api.web.deps import HEAVY, KGDep
from api.web.negotiation import GRAPH_OFFERS, choose, media_type
from api.web.problems import ProblemError
from api.web.urls import public_url_for
from graph.answers.catalog import rest_path
from graph.answers.describe import (
    FORMAT_SUFFIXES,
    SUFFIXES,
    describe,
    iri_for_path,
    local_path,
    ontology,
    ontology_html,
    resource_html,
    serialize_graph,
    split_suffix,
)
from graph.errors import NotFound
from graph.namespaces import Vocab
from graph.sparql.endpoint import GRAPH_FORMATS

router = APIRouter(tags=["linked data"])

HTML_OFFERS = ("text/html", "application/xhtml+xml")
_OFFERS = {**{t: f for t, f in GRAPH_OFFERS.items() if f in GRAPH_FORMATS}, **dict.fromkeys(HTML_OFFERS, "html")}
_CONTENT: dict[str, dict[str, Any]] = {t: {} for t in (*(media for media, _ in GRAPH_FORMATS.values()), "text/html")}
_PROBLEM = "application/problem+json"
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The document, in the negotiated or suffixed format", "content": _CONTENT},
    404: {"description": "The IRI has no triples here", "content": {_PROBLEM: {}}},
    406: {"description": "None of the offered formats fits Accept: `offered` lists them",
          "content": {_PROBLEM: {}}},
}


def _format(request: Request, forced: str | None) -> tuple[str, bool]:
    """(format name, whether Accept chose it)."""
    if forced is not None:
        return forced, False
    accept = request.headers.get("accept")
    chosen = choose(accept, list(_OFFERS))
    if chosen is None:
        raise ProblemError("not-acceptable", f"none of the offered media types fits Accept: {accept}",
                           offered=list(_OFFERS), headers={"Vary": "Accept"})
    return _OFFERS[chosen], True


def _document(fmt: str, negotiated: bool, base_path: str, triples: Sequence[Triple], html: Callable[[], str],
              vocab: Vocab) -> Response:
    headers = {"Vary": "Accept"}
    if negotiated and base_path:
        headers["Content-Location"] = f"{base_path}.{FORMAT_SUFFIXES[fmt]}"
    if fmt == "html":
        return HTMLResponse(html(), headers=headers)
    media = media_type(fmt, True)
    return Response(serialize_graph(triples, fmt, vocab), media_type=media, headers=headers)


def _suffix(name: str) -> str:
    if name not in SUFFIXES:
        raise NotFound(name, [{"suffix": s} for s in SUFFIXES])
    return SUFFIXES[name]


def _resource(request: Request, kg: KGDep, iri: str, forced: str | None) -> Response:
    fmt, negotiated = _format(request, forced)
    triples = describe(kg, iri, sparql_endpoint=public_url_for(request, "sparql_get"))
    return _document(fmt, negotiated, local_path(kg.vocab, iri) or "", triples,
                     lambda: resource_html(iri, triples, kg.vocab, json_link=rest_path(kg.vocab, iri)), kg.vocab)


@router.get("/id/{path:path}", responses=RESPONSES, dependencies=[HEAVY])
def dereference(
    path: Annotated[str, Path(description="The IRI's path under the base IRI's id/, with an optional format suffix",
                              openapi_examples={
                                  "committee": Example(summary="A committee (negotiated)", value="committee/330106"),
                                  "turtle": Example(summary="Its Turtle document", value="committee/330106.ttl"),
                                  "html": Example(summary="A region's HTML page", value="region/330100.html"),
                              })],
    request: Request,
    kg: KGDep,
) -> Response:
    """The description of one IRI: its triples, incoming links and labels, as RDF or HTML."""
    stem, forced = split_suffix(path)
    return _resource(request, kg, iri_for_path(kg.vocab, stem), forced)


@router.get("/ontology", responses=RESPONSES, dependencies=[HEAVY])
def get_ontology(request: Request, kg: KGDep) -> Response:
    """The ontology, as RDF or as an HTML page of its classes and properties."""
    fmt, negotiated = _format(request, None)
    triples = ontology(kg)
    return _document(fmt, negotiated, "/ontology", triples, lambda: ontology_html(triples, kg.vocab), kg.vocab)


@router.get("/ontology.{suffix}", responses=RESPONSES, dependencies=[HEAVY])
def get_ontology_file(
    suffix: Annotated[str, Path(description="ttl, jsonld, nt, rdf or html",
                                openapi_examples={"turtle": Example(summary="Turtle", value="ttl")})],
    request: Request,
    kg: KGDep,
) -> Response:
    """The ontology in the format its suffix names."""
    fmt, _ = _format(request, _suffix(suffix))
    triples = ontology(kg)
    return _document(fmt, False, "/ontology", triples, lambda: ontology_html(triples, kg.vocab), kg.vocab)


@router.get("/.well-known/void", responses=RESPONSES, dependencies=[HEAVY])
def get_void(request: Request, kg: KGDep) -> Response:
    """The VoID description of the dataset (also at its IRI under /id/): counts, named graphs, SPARQL endpoint."""
    return _resource(request, kg, kg.vocab.dataset, None)
