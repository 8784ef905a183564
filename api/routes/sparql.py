"""The SPARQL 1.1 Protocol endpoint: query by GET, POST form and POST ``application/sparql-query``.

Read-only and closed to the network (see :mod:`graph.sparql`), cut at the query timeout in a worker
process (see :mod:`graph.workers`).  Without a query, ``GET /sparql`` returns the service description
to RDF clients and an offline query page to browsers.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from graph.endpoint import GRAPH_FORMATS, RESULT_FORMATS, FormatChoice
from graph.errors import BaomiError, QueryRefused
from graph.examples import EXAMPLES
from graph.service_description import service_description

from ..negotiation import GRAPH_OFFERS, RESULT_OFFERS, choose, media_type
from ..params import openapi_parameter, service
from ..problems import ProblemError
from ..state import ServiceState
from ..urls import public_url_for

router = APIRouter(tags=["sparql"])

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
    openapi_parameter("format", "Result format name, overriding Accept: json, xml, csv, tsv, turtle, ntriples, "
                      "jsonld, rdfxml"),
]


def _negotiate(accept: str | None, fmt: str | None, is_graph: bool) -> FormatChoice:
    """The format the client takes for one kind of answer; the worker picks by the query's form."""
    offers = GRAPH_OFFERS if is_graph else RESULT_OFFERS
    names = GRAPH_FORMATS if is_graph else RESULT_FORMATS
    if fmt:
        if fmt in names:
            return FormatChoice(fmt)
        kind = "CONSTRUCT/DESCRIBE" if is_graph else "SELECT/ASK"
        return FormatChoice(None, f"format {fmt!r} does not fit a {kind} query", tuple(names))
    chosen = choose(accept, list(offers))
    if chosen is None:
        return FormatChoice(None, f"none of the offered media types fits Accept: {accept}", tuple(offers))
    return FormatChoice(offers[chosen])


async def _answer(state: ServiceState, request: Request, query: str, default_graphs: list[str],
                  named_graphs: list[str], fmt: str | None) -> Response:
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
    import html
    import json

    page = (STATIC / "sparql.html").read_text(encoding="utf-8")
    examples = json.dumps([{"title": t, "query": q} for t, q in EXAMPLES], ensure_ascii=False)
    return page.replace("__EXAMPLES__", html.escape(examples, quote=False).replace("</", "<\\/"))


@router.get("/sparql", name="sparql_get", responses={
    200: {"description": "Query results, or the service description / query page when there is no query",
          "content": {t: {} for t in {**RESULT_OFFERS, **GRAPH_OFFERS, "text/html": ""}}},
    400: {"description": "Malformed query"}, 403: {"description": "Update, SERVICE or outside graph refused"},
    406: {"description": "No acceptable format"}, 503: {"description": "Query timeout"}},
    openapi_extra={"parameters": GET_PARAMETERS})
async def sparql_get(request: Request) -> Response:
    """SPARQL 1.1 query by GET; without a query, the service description or the query page."""
    state, params = service(request), request.query_params  # read directly: see api.params
    if "update" in params:
        raise QueryRefused("this endpoint is read-only: SPARQL updates are refused")
    query = params.get("query")
    if query is None:
        return _description(state, request)
    return await _answer(state, request, query, params.getlist("default-graph-uri"),
                         params.getlist("named-graph-uri"), params.get("format"))


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
        fmt = url_params.get("format")
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
        fmt = form["format"][0] if "format" in form else url_params.get("format")
    elif content_type == "application/sparql-update":
        raise QueryRefused("this endpoint is read-only: SPARQL updates are refused")
    else:
        raise ProblemError("unsupported-media-type",
                           f"Content-Type {content_type or '(none)'} is not accepted: send application/sparql-query "
                           "or an application/x-www-form-urlencoded form",
                           accepted=["application/sparql-query", "application/x-www-form-urlencoded"])
    return await _answer(state, request, query, default_graphs, named_graphs, fmt)
