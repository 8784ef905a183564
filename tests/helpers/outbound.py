"""Requests that would make a naive SPARQL endpoint contact another host: SERVICE, LOAD, FROM and the protocol's
dataset parameters, each pointed at a URL the test watches."""

from __future__ import annotations

import httpx

OutboundRequest = tuple[str, dict[str, str], str | None]  # method, query parameters, body of a POST


def outbound_attempts(url: str) -> list[OutboundRequest]:
    """(method, params, body) of requests that would make a naive endpoint contact ``url``."""
    return [
        ("GET", {"query": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"}, None),
        ("GET", {"query": f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}"}, None),
        ("GET", {"query": f"select * where {{ ?x ?y ?z . sErViCe <{url}/s> {{ ?s ?p ?o }} }} # SERVICE"}, None),
        ("GET", {"query": f"PREFIX ex: <{url}/> SELECT * WHERE {{ SERVICE ex:sparql {{ ?s ?p ?o }} }}"}, None),
        ("POST", {}, f"LOAD <{url}/data.ttl>"),
        ("POST", {}, f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>"),
        ("GET", {"query": f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}"}, None),
        ("GET", {"query": f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}, None),
        ("GET", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": f"{url}/data.ttl"}, None),
        ("GET", {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", "named-graph-uri": f"{url}/d.ttl"}, None),
        ("GET", {"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}"}, None),
        ("GET", {"query": f"ASK {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}"}, None),
    ]


def send_attempt(service_url: str, method: str, params: dict[str, str], body: str | None) -> httpx.Response:
    """Send one attempt to the service's ``/sparql``."""
    if method == "GET":
        return httpx.get(service_url + "/sparql", params=params, timeout=30)
    return httpx.post(
        service_url + "/sparql",
        content=(body or "").encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
