"""Every URL path of the service: where the routes are mounted, and the links the answers and pages carry.

The domain (:mod:`graph`) knows no URL.  A route is mounted at a path of this module, and the links in
answers and pages are made here: an IRI under the base IRI has its Linked Data path (``…/id/x`` →
``/id/x``, ``…/ontology#X`` → ``/ontology#X``), a committee, region, duty or task its REST path, a query its
link to the SPARQL endpoint, a problem type its page.  Paths are relative; :mod:`api.web.urls` makes them
absolute from the configured public base URL.
"""

from __future__ import annotations

from urllib.parse import quote

from pyoxigraph import NamedNode

from graph.errors import NotFound
from graph.namespaces import Vocab
from graph.vocab import DOCUMENT_FORMATS

__all__ = [
    "API",
    "CHANGES",
    "CLASSIFICATION_AUTHORITY",
    "DOCS",
    "EXPORT",
    "FAVICON",
    "HEALTHZ",
    "HOME",
    "ID",
    "JURISDICTION",
    "METRICS",
    "ONTOLOGY",
    "OPENAPI",
    "PROBLEMS",
    "READYZ",
    "REDOC",
    "SPARQL",
    "STATS",
    "SUFFIXES",
    "VIZ",
    "VOID",
    "committee_path",
    "describe_link",
    "iri_for_path",
    "local_path",
    "problem_path",
    "region_path",
    "rest_path",
    "sparql_link",
    "split_suffix",
]

HOME = "/"
FAVICON = "/favicon.ico"
API = "/api/v1"  # the REST API
JURISDICTION = API + "/jurisdiction"
CLASSIFICATION_AUTHORITY = API + "/classification-authority"  # 定密权限
EXPORT = API + "/export"
CHANGES = API + "/changes"  # the changes of the divisions between two dates
STATS = API + "/stats"  # counts of the divisions by level and type, today or as of a day
SPARQL = "/sparql"
ID = "/id/"  # Linked Data: the IRIs under the base IRI's id/
ONTOLOGY = "/ontology"
VOID = "/.well-known/void"
DOCS = "/docs"  # Swagger UI
REDOC = "/redoc"
OPENAPI = "/openapi.json"
VIZ = "/viz"  # the viewer
PROBLEMS = "/problems"  # a page per problem type
HEALTHZ = "/healthz"  # liveness
READYZ = "/readyz"  # readiness
METRICS = "/metrics"  # Prometheus

# File suffix of a Linked Data document -> its format (``committee/330106.ttl`` is Turtle).
SUFFIXES: dict[str, str] = {f.extension: f.name for f in DOCUMENT_FORMATS}

# The resources of the REST API that have an IRI: (kind of IRI under id/, the API's collection).
_REST = (("committee", "committees"), ("region", "regions"), ("duty", "duties"), ("task", "tasks"))


def split_suffix(path: str) -> tuple[str, str | None]:
    """``committee/330106.ttl`` → (``committee/330106``, ``turtle``); no known suffix → (path, None)."""
    stem, dot, suffix = path.rpartition(".")
    if dot and stem and suffix in SUFFIXES:
        return stem, SUFFIXES[suffix]
    return path, None


def iri_for_path(vocab: Vocab, path: str) -> str:
    """The IRI a path under :data:`ID` stands for; :class:`NotFound` when it cannot be an IRI."""
    iri = vocab.id(path)
    try:
        NamedNode(iri)
    except ValueError:
        raise NotFound(iri, []) from None
    return iri


def local_path(vocab: Vocab, iri: str) -> str | None:
    """This service's path for an IRI under the base IRI (``/id/…``, ``/ontology#…``), else None."""
    if iri.startswith(vocab.id()):
        return ID + iri.removeprefix(vocab.id())
    if iri.startswith(vocab.ns):
        return f"{ONTOLOGY}#" + iri.removeprefix(vocab.ns)
    if iri == vocab.ontology:
        return ONTOLOGY
    return None


def rest_path(vocab: Vocab, iri: str) -> str | None:
    """The REST path of a committee, region, duty or task IRI; None for other IRIs."""
    for kind, collection in _REST:
        rest = iri.removeprefix(vocab.id(kind) + "/")
        if rest != iri and rest and "/" not in rest:
            return f"{API}/{collection}/{rest}"
    return None


def committee_path(committee_id: str) -> str:
    return f"{API}/committees/{committee_id}"


def region_path(code: str) -> str:
    return f"{API}/regions/{code}"


def sparql_link(query: str) -> str:
    """A link to this service's SPARQL endpoint running ``query``."""
    return f"{SPARQL}?query=" + quote(query, safe="")


def describe_link(iri: str) -> str:
    """A link to this service's SPARQL endpoint running ``DESCRIBE <iri>``."""
    return sparql_link(f"DESCRIBE <{iri}>")


def problem_path(slug: str) -> str:
    """The page of a problem type: the ``type`` of a problem+json answer, made absolute."""
    return f"{PROBLEMS}/{slug}"
