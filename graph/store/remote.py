"""An external SPARQL 1.1 store, reached by the SPARQL Protocol and the Graph Store Protocol.

The store's default graph must be the union of its named graphs (Oxigraph:
``--union-default-graph``; Virtuoso and GraphDB do this by default; Fuseki:
``tdb2:unionDefaultGraph true``), as it is for the embedded store; a load, and the check before
``serve``, refuse a store that keeps them apart.  Credentials come from the settings (environment
only) and are sent with HTTP Basic or Digest authentication.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import httpx
from pyoxigraph import (
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from graph.errors import QueryRefused, QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreError
from graph.namespaces import DCT, declare_prefixes
from graph.settings import Settings
from graph.sparql.endpoint import PreparedQuery, serialize_result
from graph.store.backend import Backend, Row, StoreSpec, _rows, answer_of_kind
from graph.store.loads import LOAD_ID_PREFIX

__all__ = ["RemoteBackend", "not_union_error"]

_CHUNK = 20_000  # triples per INSERT DATA request when no Graph Store Protocol endpoint is given


def not_union_error(spec: object, then: str) -> StoreError:
    """The refusal of a store that keeps its named graphs out of its default graph; ``then`` is what to do next."""
    return StoreError(
        f"the store {spec} holds the graphs in named graphs but its default graph is not their union, and "
        "baomi-kg queries the default graph: restart the store with the union of its named graphs as default "
        f"graph (Oxigraph: `oxigraph serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`), {then}"
    )


class RemoteBackend(Backend):
    def __init__(
        self,
        spec: StoreSpec,
        *,
        update_url: str = "",
        gsp_url: str = "",
        auth: httpx.Auth | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.spec = spec
        self.query_url = spec.location
        self.update_url = update_url
        self.gsp_url = gsp_url
        self.client = httpx.Client(
            auth=auth, timeout=timeout, follow_redirects=False, headers={"User-Agent": "baomi-kg"}
        )

    @classmethod
    def from_settings(cls, spec: StoreSpec, settings: Settings) -> RemoteBackend:
        auth: httpx.Auth | None = None
        password = settings.store_password.get_secret_value()
        if settings.store_user:
            if settings.store_auth == "digest":
                auth = httpx.DigestAuth(settings.store_user, password)
            else:
                auth = httpx.BasicAuth(settings.store_user, password)
        return cls(
            spec,
            update_url=settings.update_url,
            gsp_url=settings.gsp_url,
            auth=auth,
            timeout=max(settings.query_timeout, 60.0),
        )

    # -- queries -------------------------------------------------------------------------------
    def _post_query(
        self,
        query: str,
        accept: str,
        *,
        timeout: float | None = None,
        extra: dict[str, list[str]] | None = None,
        max_bytes: int | None = None,
    ) -> bytes:
        data: dict[str, str | list[str]] = {"query": query, **(extra or {})}
        try:
            with self.client.stream(
                "POST", self.query_url, data=data, headers={"Accept": accept}, timeout=timeout or self.client.timeout
            ) as response:
                if response.status_code >= 400:
                    body = response.read().decode("utf-8", "replace")[:2000]
                    if response.status_code in (400, 422):
                        raise QuerySyntaxError(f"the store refused the query: {body.strip()}")
                    raise StoreError(f"the store answered HTTP {response.status_code}: {body.strip()}")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ResultTooLarge(f"the result is larger than the {max_bytes}-byte cap; add a LIMIT")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise QueryTimeout(f"the store did not answer within {timeout or self.client.timeout} s") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the store at {self.query_url}: {exc}") from exc

    def select(self, query: str) -> list[Row]:
        body = self._post_query(query, QueryResultsFormat.JSON.media_type)
        return _rows(answer_of_kind(_parsed_answer(body), QuerySolutions, "SELECT results from the store"))

    def ask(self, query: str) -> bool:
        body = self._post_query(query, QueryResultsFormat.JSON.media_type)
        return bool(answer_of_kind(_parsed_answer(body), QueryBoolean, "an ASK answer from the store"))

    def default_graph_is_union(self, dataset: str, meta_graph: str) -> bool:
        """Does the default graph show what the named graphs hold?  Asked of the dataset's load id mark, which
        is read from its named graph first: a store that finds it there but not in its default graph keeps
        the named graphs out of it (Oxigraph started without ``--union-default-graph``)."""
        mark = f'<{dataset}> <{DCT}identifier> ?id FILTER (STRSTARTS(STR(?id), "{LOAD_ID_PREFIX}"))'
        if not self.ask(f"ASK {{ GRAPH <{meta_graph}> {{ {mark} }} }}"):
            return True  # nothing to compare: no load id, which the caller reports on its own
        return self.ask(f"ASK {{ {mark} }}")

    def construct(self, query: str) -> list[Triple]:
        body = self._post_query(query, RdfFormat.N_TRIPLES.media_type)
        return [q.triple for q in parse(body, format=RdfFormat.N_TRIPLES)]

    def run(self, q: PreparedQuery, timeout: float) -> bytes:
        """Forward an already inspected user query, with the same caps and deadline as the embedded store.

        The store answers in SPARQL JSON or N-Triples, which are parsed and serialized here in the
        format asked for: every store gives the same bytes for the same answer.
        """
        extra: dict[str, list[str]] = {}
        if q.default_graphs or q.named_graphs:
            default_graphs, named_graphs = q.default_graphs, q.named_graphs
        else:
            # The query's own FROM / FROM NAMED, sent as the protocol's dataset too: a store whose default graph
            # is the union of its graphs may ignore FROM (an Oxigraph server started with --union-default-graph
            # does), while the protocol's parameters name the same dataset and every store honours them.
            default_graphs, named_graphs = q.info.from_graphs, q.info.from_named
        if default_graphs:
            extra["default-graph-uri"] = list(default_graphs)
        if named_graphs:
            extra["named-graph-uri"] = list(named_graphs)
        prologue = declare_prefixes({p: iri for p, iri in q.prefixes.items() if p not in q.info.declared})
        accept = (RdfFormat.N_TRIPLES if q.info.is_graph_result else QueryResultsFormat.JSON).media_type
        body = self._post_query(prologue + q.text, accept, timeout=timeout, extra=extra, max_bytes=q.max_bytes)
        # handed on unnamed: only serialize_result holds the parsed answer, and lets go of it (see there)
        return serialize_result(_parsed_answer(body, graph=q.info.is_graph_result), q)

    # -- loading ---------------------------------------------------------------------------------
    def _update(self, update: str) -> None:
        if not self.update_url:
            raise QueryRefused("this store has no update URL: give --update-url")
        try:
            response = self.client.post(self.update_url, data={"update": update})
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the update endpoint {self.update_url}: {exc}") from exc
        if response.status_code >= 300:
            raise StoreError(f"update failed with HTTP {response.status_code}: {response.text[:500]}")

    def load(self, nquads: Path, *, replace: bool = True) -> None:
        """Replace (or add to) the graphs the file holds, in place: not atomic.

        The load id — the mark of a finished load — is deleted first, before any graph changes, and
        written again only by the caller once every graph is in (see :mod:`graph.integrity`): until then,
        and for good if the load is interrupted, ``serve`` refuses the store.
        """
        mark = f"GRAPH ?g {{ ?dataset <{DCT}identifier> ?id }}"
        self._update(f'DELETE {{ {mark} }} WHERE {{ {mark} FILTER (STRSTARTS(STR(?id), "{LOAD_ID_PREFIX}")) }}')
        by_graph: dict[str, list[Triple]] = defaultdict(list)
        with nquads.open("rb") as handle:
            for quad in parse(handle, format=RdfFormat.N_QUADS):
                graph = quad.graph_name.value if hasattr(quad.graph_name, "value") else ""
                by_graph[graph].append(quad.triple)
        for graph, triples in sorted(by_graph.items()):
            if not graph:
                raise StoreError("the dataset has triples in the default graph; only named graphs are loaded")
            if replace and self.update_url:
                self._update(f"DROP SILENT GRAPH <{graph}>")
            if self.gsp_url:
                self._gsp_put(graph, triples, replace=replace)
            else:
                for start in range(0, len(triples), _CHUNK):
                    chunk = serialize(triples[start : start + _CHUNK], format=RdfFormat.N_TRIPLES) or b""
                    self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{chunk.decode('utf-8')}\n}} }}")
        self._check_default_graph_shows(next((t for ts in by_graph.values() for t in ts), None))

    def _check_default_graph_shows(self, loaded: Triple | None) -> None:
        """A triple just loaded into a named graph must be seen in the default graph, which the service queries."""
        if loaded is None:
            return
        pattern = (serialize([loaded], format=RdfFormat.N_TRIPLES) or b"").decode("utf-8").strip().rstrip(".")
        if not self.ask(f"ASK {{ {pattern} }}"):
            raise not_union_error(self.spec, "then run `baomi-kg load` again")

    def insert(self, quads: Iterable[Quad]) -> None:
        by_graph: dict[str, list[Triple]] = defaultdict(list)
        for quad in quads:
            by_graph[quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else ""].append(quad.triple)
        for graph, triples in by_graph.items():
            body = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")
            self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}" if graph else f"INSERT DATA {{ {body} }}")

    def _gsp_put(self, graph: str, triples: list[Triple], *, replace: bool) -> None:
        body = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
        method = "PUT" if replace else "POST"
        for attempt in range(3):
            try:
                response = self.client.request(
                    method,
                    self.gsp_url,
                    params={"graph": graph},
                    content=body,
                    headers={"Content-Type": RdfFormat.N_TRIPLES.media_type},
                )
            except httpx.HTTPError as exc:
                if attempt == 2:
                    raise StoreError(f"cannot reach the Graph Store endpoint {self.gsp_url}: {exc}") from exc
                time.sleep(0.5)
                continue
            if response.status_code >= 300:
                raise StoreError(
                    f"Graph Store {method} of <{graph}> failed with HTTP {response.status_code}: {response.text[:500]}"
                )
            return

    def close(self) -> None:
        self.client.close()


def _parsed_answer(body: bytes, *, graph: bool = False) -> QuerySolutions | QueryBoolean | list[Triple]:
    """The store's answer: SPARQL JSON results, or with ``graph`` the N-Triples of a CONSTRUCT or DESCRIBE."""
    try:
        if graph:
            return [quad.triple for quad in parse(body, format=RdfFormat.N_TRIPLES)]
        return parse_query_results(body, format=QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"the store's answer does not parse: {exc}") from exc
