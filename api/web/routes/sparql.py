"""The SPARQL 1.1 Protocol endpoint: query by GET, POST form and POST ``application/sparql-query``.

Read-only and closed to the network (see :mod:`graph.sparql.reader`), cut at the query timeout in a worker
process (see :mod:`graph.sparql.workers`).  Without a query, ``GET /sparql`` returns the service description
to RDF clients and an offline query page to browsers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.web.negotiation import GRAPH_OFFERS, RESULT_OFFERS, choose, media_type
from api.web.params import DirectRoute, openapi_parameter, service
from api.web.problems import ProblemError
from api.web.state import ServiceState
from api.web.urls import public_url_for
from graph.answers.service_description import service_description
from graph.errors import BaomiError, QueryRefused
from graph.sparql.endpoint import GRAPH_FORMATS, FormatChoice
from graph.sparql.examples import EXAMPLES

router = APIRouter(tags=["sparql"], route_class=DirectRoute)

STATIC = Path(__file__).resolve().parent.parent / "static"

QUERY_TYPES = ("application/sparql-query",)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

GET_PARAMETERS = [
    openapi_parameter("query", "The SPARQL query; without it, the service description or the query page. "
                      "Long queries go by POST: a request line may not exceed 64 KiB once percent-encoded",
                      max_length=6_000, examples={"chain": {"summary": "A chain by property path", "value": (
                          "SELECT ?c WHERE { committee:330106 bm:guidedBy* ?c }")}}),
    openapi_parameter("default-graph-uri", "Default graph IRIs (only the store's own graphs)", array=True),
    openapi_parameter("named-graph-uri", "Named graph IRIs (only the store's own graphs)", array=True),
    openapi_parameter("format", "Result format, overriding Accept when it fits the query form: a name (json, xml, "
                      "csv, tsv; turtle, n3, ntriples, jsonld, rdfxml …) or a media type; one that does not fit "
                      "leaves the choice to Accept. `output` and `results` are read the same way", array=True),
]


# Format names and aliases that clients send in ``format``/``output``/``results`` (SPARQLWrapper sends its
# return format there, besides Accept), by kind of answer; media types are read through the offers tables.
RESULT_ALIASES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"}
GRAPH_ALIASES = {"turtle": "turtle", "ttl": "turtle", "n3": "turtle", "ntriples": "ntriples", "nt": "ntriples",
                 "n-triples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
                 "rdfxml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml", "rdf+xml": "rdfxml"}
FORMAT_PARAMETERS = ("format", "output", "results")


def _named(value: str, is_graph: bool) -> str | None:
    """The format a ``format`` value names for this kind of answer, or None when it names none that fits."""
    text = value.strip().lower()
    if "/" in text:
        offers = GRAPH_OFFERS if is_graph else RESULT_OFFERS
        return offers.get(text.split(";")[0].strip())
    return (GRAPH_ALIASES if is_graph else RESULT_ALIASES).get(text)


def _negotiate(accept: str | None, requested: list[str], is_graph: bool) -> FormatChoice:
    """The format the client takes for one kind of answer; the worker picks by the query's form.

    A ``format`` (or ``output``/``results``) value that fits the kind of answer wins over Accept, the last such
    value first; one that does not fit (``format=xml`` for a CONSTRUCT is RDF/XML, ``format=csv`` is none)
    leaves the choice to Accept, as clients that send both expect."""
    for value in reversed(requested):
        name = _named(value, is_graph)
        if name is not None:
            return FormatChoice(name)
    offers = GRAPH_OFFERS if is_graph else RESULT_OFFERS
    chosen = choose(accept, list(offers))
    if chosen is None:
        return FormatChoice(None, f"none of the offered media types fits Accept: {accept}", tuple(offers))
    return FormatChoice(offers[chosen])


def _requested(values: Callable[[str], list[str]]) -> list[str]:
    """Every format a client named, in the order sent (``format``, then ``output``, then ``results``)."""
    return [v for name in FORMAT_PARAMETERS for v in values(name)]


async def _answer(state: ServiceState, request: Request, query: str, default_graphs: list[str],
                  named_graphs: list[str], fmt: list[str]) -> Response:
    kg = state.kg
    accept = request.headers.get("accept")
    try:
        job = kg.job(query, result_format=_negotiate(accept, fmt, False), graph_format=_negotiate(accept, fmt, True),
                     default_graphs=default_graphs, named_graphs=named_graphs)
        head, body = await kg.execute(job)
    except BaomiError as exc:
        state.metrics.queries.labels("unknown", type(exc).__name__).inc()
        raise
    state.metrics.queries.labels(head.form, "ok").inc()
    return Response(body, media_type=media_type(head.format, head.is_graph_result),
                    headers={"Vary": "Accept", "Cache-Control": "no-store"})


def _description(state: ServiceState, request: Request) -> Response:
    html = "text/html"
    offers = [*(t for t in GRAPH_OFFERS if GRAPH_OFFERS[t] in GRAPH_FORMATS and t != "application/json"), html,
              "application/xhtml+xml"]
    accept = request.headers.get("accept")
    chosen = choose(accept, offers)
    if chosen is None:
        raise ProblemError("not-acceptable", f"none of the offered media types fits Accept: {accept}", offered=offers)
    if chosen in (html, "application/xhtml+xml"):
        return HTMLResponse(_query_page(), headers={"Vary": "Accept"})
    fmt = GRAPH_OFFERS[chosen]
    endpoint = public_url_for(request, "sparql_get")
    body = service_description(state.kg, endpoint, fmt)
    return Response(body, media_type=media_type(fmt, True), headers={"Vary": "Accept"})


def _query_page() -> str:
    import json

    page = (STATIC / "sparql.html").read_text(encoding="utf-8")
    examples = json.dumps([{"title": t, "query": q} for t, q in EXAMPLES], ensure_ascii=False)
    # A JSON data block is not HTML: escaping '&' would change the queries; only '<' could end the block.
    return page.replace("__EXAMPLES__", examples.replace("<", "\\u003c"))


@router.get("/sparql", name="sparql_get", responses={
    200: {"description": "Query results, or the service description / query page when there is no query",
          "content": {t: {} for t in {**RESULT_OFFERS, **GRAPH_OFFERS, "text/html": ""}}},
    400: {"description": "Malformed query"}, 403: {"description": "Update, SERVICE or outside graph refused"},
    406: {"description": "No acceptable format"}, 503: {"description": "Query timeout"}},
    openapi_extra={"parameters": GET_PARAMETERS})
async def sparql_get(request: Request) -> Response:
    """SPARQL 1.1 query by GET; without a query, the service description or the query page."""
    state, params = service(request), request.query_params  # read directly: see api.web.params
    if "update" in params:
        raise QueryRefused("this endpoint is read-only: SPARQL updates are refused")
    query = params.get("query")
    if query is None:
        return _description(state, request)
    return await _answer(state, request, query, params.getlist("default-graph-uri"),
                         params.getlist("named-graph-uri"), _requested(params.getlist))


@router.post("/sparql", responses={
    200: {"description": "Query results", "content": {t: {} for t in {**RESULT_OFFERS, **GRAPH_OFFERS}}},
    400: {"description": "Malformed query"}, 403: {"description": "Update, SERVICE or outside graph refused"},
    406: {"description": "No acceptable format"}, 413: {"description": "Body too large"},
    415: {"description": "Unsupported Content-Type"}, 503: {"description": "Query timeout"}},
    openapi_extra={"requestBody": {"content": {
        "application/sparql-query": {"schema": {"type": "string"}, "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}}}, "required": ["query"]}}}}})
async def sparql_post(request: Request) -> Response:
    """SPARQL 1.1 query by POST, as a form or as an application/sparql-query body."""
    state = service(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    url_params = request.query_params
    if content_type in QUERY_TYPES:
        raw = await request.body()
        try:
            query = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ProblemError("bad-request", "the query is not valid UTF-8") from None
        default_graphs, named_graphs = url_params.getlist("default-graph-uri"), url_params.getlist("named-graph-uri")
        fmt = _requested(url_params.getlist)
    elif content_type == "application/x-www-form-urlencoded":
        try:
            form = parse_qs((await request.body()).decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise ProblemError("bad-request", "the form is not valid UTF-8") from None
        if "update" in form:
            raise QueryRefused("this endpoint is read-only: SPARQL updates are refused")
        if "query" not in form:
            raise ProblemError("bad-request", "the form has no 'query' field")
        query = form["query"][0]
        default_graphs = form.get("default-graph-uri", []) + url_params.getlist("default-graph-uri")
        named_graphs = form.get("named-graph-uri", []) + url_params.getlist("named-graph-uri")
        fmt = _requested(url_params.getlist) + _requested(lambda name: form.get(name, []))
    elif content_type == "application/sparql-update":
        raise QueryRefused("this endpoint is read-only: SPARQL updates are refused")
    else:
        raise ProblemError("unsupported-media-type",
                           f"Content-Type {content_type or '(none)'} is not accepted: send application/sparql-query "
                           "or an application/x-www-form-urlencoded form",
                           accepted=["application/sparql-query", "application/x-www-form-urlencoded"])
    return await _answer(state, request, query, default_graphs, named_graphs, fmt)
