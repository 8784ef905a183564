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

from api.web.negotiation import DOCUMENT_OFFERS, GRAPH_OFFERS, RESULT_OFFERS, negotiate
from api.web.params import DirectRoute, openapi_parameter, service
from api.web.paths import SPARQL
from api.web.problems import ProblemError
from api.web.state import ServiceState
from api.web.urls import public_url_for
from graph.answers.service_description import service_description
from graph.errors import BaomiError, NotAcceptable, QueryRefused
from graph.sparql.endpoint import FormatChoice
from graph.sparql.examples import EXAMPLES
from graph.vocab import FORMATS, RDF_FORMATS, RESULT_FORMATS, FormatKind, find_format

router = APIRouter(tags=["sparql"], route_class=DirectRoute)

STATIC = Path(__file__).resolve().parent.parent / "static"

QUERY_TYPES = ("application/sparql-query",)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

GET_PARAMETERS = [
    openapi_parameter(
        "query",
        "The SPARQL query; without it, the service description or the query page. "
        "Long queries go by POST: a request line may not exceed 64 KiB once percent-encoded",
        max_length=6_000,
        examples={
            "chain": {
                "summary": "A chain by property path",
                "value": ("SELECT ?c WHERE { committee:330106 bm:guidedBy* ?c }"),
            }
        },
    ),
    openapi_parameter("default-graph-uri", "Default graph IRIs (only the store's own graphs)", array=True),
    openapi_parameter("named-graph-uri", "Named graph IRIs (only the store's own graphs)", array=True),
    openapi_parameter(
        "format",
        "Result format, overriding Accept when it fits the query form: a name (json, xml, "
        "csv, tsv; turtle, n3, ntriples, jsonld, rdfxml …) or a media type; one that does not fit "
        "leaves the choice to Accept. `output` and `results` are read the same way",
        array=True,
    ),
]


# Where clients name a format besides Accept (SPARQLWrapper sends its return format there): a name, an alias or a
# media type of graph.vocab's formats.
FORMAT_PARAMETERS = ("format", "output", "results")


def _negotiate(accept: str | None, requested: list[str], is_graph: bool) -> FormatChoice:
    """The format the client takes for one kind of answer; the worker picks by the query's form.

    A ``format`` (or ``output``/``results``) value that fits the kind of answer wins over Accept, the last such
    value first; one that does not fit (``format=xml`` for a CONSTRUCT is RDF/XML, ``format=csv`` is none)
    leaves the choice to Accept, as clients that send both expect.  Refusing is the worker's part: only the
    query's form says whether this kind of answer is the one wanted."""
    formats, offers = (RDF_FORMATS, GRAPH_OFFERS) if is_graph else (RESULT_FORMATS, RESULT_OFFERS)
    for value in reversed(requested):
        named = find_format(value, formats)
        if named is not None:
            return FormatChoice(named.name)
    try:
        return FormatChoice(negotiate(accept, offers).name)
    except NotAcceptable as refused:
        return FormatChoice(None, str(refused), tuple(refused.offered))


def _requested(values: Callable[[str], list[str]]) -> list[str]:
    """Every format a client named, in the order sent (``format``, then ``output``, then ``results``)."""
    return [v for name in FORMAT_PARAMETERS for v in values(name)]


async def _answer(
    state: ServiceState,
    request: Request,
    query: str,
    default_graphs: list[str],
    named_graphs: list[str],
    fmt: list[str],
) -> Response:
    kg = state.kg
    accept = request.headers.get("accept")
    try:
        job = kg.job(
            query,
            result_format=_negotiate(accept, fmt, False),
            graph_format=_negotiate(accept, fmt, True),
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
        head, body = await kg.execute(job)
    except BaomiError as exc:
        state.metrics.queries.labels("unknown", type(exc).__name__).inc()
        raise
    state.metrics.queries.labels(head.form, "ok").inc()
    return Response(
        body, media_type=FORMATS[head.format].content_type, headers={"Vary": "Accept", "Cache-Control": "no-store"}
    )


def _description(state: ServiceState, request: Request) -> Response:
    fmt = negotiate(request.headers.get("accept"), DOCUMENT_OFFERS)
    if fmt.kind is FormatKind.PAGE:
        return HTMLResponse(_query_page(), headers={"Vary": "Accept"})
    endpoint = public_url_for(request, "sparql_get")
    body = service_description(state.kg, endpoint, fmt.name)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _query_page() -> str:
    import json

    page = (STATIC / "sparql.html").read_text(encoding="utf-8")
    examples = json.dumps([{"title": t, "query": q} for t, q in EXAMPLES], ensure_ascii=False)
    # A JSON data block is not HTML: escaping '&' would change the queries; only '<' could end the block.
    return page.replace("__EXAMPLES__", examples.replace("<", "\\u003c"))


@router.get(
    SPARQL,
    name="sparql_get",
    responses={
        200: {
            "description": "Query results, or the service description / query page when there is no query",
            "content": {t: {} for t in {**RESULT_OFFERS, **DOCUMENT_OFFERS}},
        },
        400: {"description": "Malformed query"},
        403: {"description": "Update, SERVICE or outside graph refused"},
        406: {"description": "No acceptable format"},
        503: {"description": "Query timeout"},
    },
    openapi_extra={"parameters": GET_PARAMETERS},
)
async def sparql_get(request: Request) -> Response:
    """SPARQL 1.1 query by GET; without a query, the service description or the query page."""
    state, params = service(request), request.query_params  # read directly: see api.web.params
    if "update" in params:
        raise QueryRefused("this endpoint is read-only: SPARQL updates are refused")
    query = params.get("query")
    if query is None:
        return _description(state, request)
    return await _answer(
        state,
        request,
        query,
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
        _requested(params.getlist),
    )


@router.post(
    SPARQL,
    responses={
        200: {"description": "Query results", "content": {t: {} for t in {**RESULT_OFFERS, **GRAPH_OFFERS}}},
        400: {"description": "Malformed query"},
        403: {"description": "Update, SERVICE or outside graph refused"},
        406: {"description": "No acceptable format"},
        413: {"description": "Body too large"},
        415: {"description": "Unsupported Content-Type"},
        503: {"description": "Query timeout"},
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/sparql-query": {
                    "schema": {"type": "string"},
                    "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
                },
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["query"],
                    }
                },
            }
        }
    },
)
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
        raise ProblemError(
            "unsupported-media-type",
            f"Content-Type {content_type or '(none)'} is not accepted: send application/sparql-query "
            "or an application/x-www-form-urlencoded form",
            accepted=["application/sparql-query", "application/x-www-form-urlencoded"],
        )
    return await _answer(state, request, query, default_graphs, named_graphs, fmt)
