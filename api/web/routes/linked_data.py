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
from api.web.negotiation import DOCUMENT_OFFERS, negotiate
from api.web.pages import ontology_html, resource_html
from api.web.paths import ID, ONTOLOGY, SUFFIXES, VOID, iri_for_path, local_path, rest_path, split_suffix
from api.web.urls import public_url_for
from graph.answers.describe import describe, ontology, serialize_graph
from graph.errors import NotFound
from graph.namespaces import Vocab
from graph.vocab import DOCUMENT_FORMATS, FORMATS, Format, FormatKind

router = APIRouter(tags=["linked data"])

_CONTENT: dict[str, dict[str, Any]] = {f.media_type: {} for f in DOCUMENT_FORMATS}
_PROBLEM = "application/problem+json"
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The document, in the negotiated or suffixed format", "content": _CONTENT},
    404: {"description": "The IRI has no triples here", "content": {_PROBLEM: {}}},
    406: {"description": "None of the offered formats fits Accept: `offered` lists them", "content": {_PROBLEM: {}}},
}


def _format(request: Request, forced: str | None) -> tuple[Format, bool]:
    """(the format, whether Accept chose it)."""
    if forced is not None:
        return FORMATS[forced], False
    return negotiate(request.headers.get("accept"), DOCUMENT_OFFERS), True


def _document(
    fmt: Format, negotiated: bool, base_path: str, triples: Sequence[Triple], html: Callable[[], str], vocab: Vocab
) -> Response:
    headers = {"Vary": "Accept"}
    if negotiated and base_path:
        headers["Content-Location"] = f"{base_path}.{fmt.extension}"
    if fmt.kind is FormatKind.PAGE:
        return HTMLResponse(html(), headers=headers)
    return Response(serialize_graph(triples, fmt.name, vocab), media_type=fmt.content_type, headers=headers)


def _suffix(name: str) -> str:
    if name not in SUFFIXES:
        raise NotFound(name, [{"suffix": s} for s in SUFFIXES])
    return SUFFIXES[name]


def _resource(request: Request, kg: KGDep, iri: str, forced: str | None) -> Response:
    fmt, negotiated = _format(request, forced)
    triples = describe(kg, iri, sparql_endpoint=public_url_for(request, "sparql_get"))
    return _document(
        fmt,
        negotiated,
        local_path(kg.vocab, iri) or "",
        triples,
        lambda: resource_html(iri, triples, kg.vocab, json_link=rest_path(kg.vocab, iri)),
        kg.vocab,
    )


@router.get(ID + "{path:path}", responses=RESPONSES, dependencies=[HEAVY])
def dereference(
    path: Annotated[
        str,
        Path(
            description="The IRI's path under the base IRI's id/, with an optional format suffix",
            openapi_examples={
                "committee": Example(summary="A committee (negotiated)", value="committee/330106"),
                "turtle": Example(summary="Its Turtle document", value="committee/330106.ttl"),
                "html": Example(summary="A region's HTML page", value="region/330100.html"),
            },
        ),
    ],
    request: Request,
    kg: KGDep,
) -> Response:
    """The description of one IRI: its triples, incoming links and labels, as RDF or HTML."""
    stem, forced = split_suffix(path)
    return _resource(request, kg, iri_for_path(kg.vocab, stem), forced)


@router.get(ONTOLOGY, responses=RESPONSES, dependencies=[HEAVY])
def get_ontology(request: Request, kg: KGDep) -> Response:
    """The ontology, as RDF or as an HTML page of its classes and properties."""
    fmt, negotiated = _format(request, None)
    triples = ontology(kg)
    return _document(fmt, negotiated, ONTOLOGY, triples, lambda: ontology_html(triples, kg.vocab), kg.vocab)


@router.get(ONTOLOGY + ".{suffix}", responses=RESPONSES, dependencies=[HEAVY])
def get_ontology_file(
    suffix: Annotated[
        str,
        Path(
            description="ttl, jsonld, nt, rdf or html",
            openapi_examples={"turtle": Example(summary="Turtle", value="ttl")},
        ),
    ],
    request: Request,
    kg: KGDep,
) -> Response:
    """The ontology in the format its suffix names."""
    fmt, _ = _format(request, _suffix(suffix))
    triples = ontology(kg)
    return _document(fmt, False, ONTOLOGY, triples, lambda: ontology_html(triples, kg.vocab), kg.vocab)


@router.get(VOID, responses=RESPONSES, dependencies=[HEAVY])
def get_void(request: Request, kg: KGDep) -> Response:
    """The VoID description of the dataset (also at its IRI under /id/): counts, named graphs, SPARQL endpoint."""
    return _resource(request, kg, kg.vocab.dataset, None)
