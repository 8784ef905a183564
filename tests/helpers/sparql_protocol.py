"""SPARQL 1.1 Protocol golden cases (``tests/golden/sparql``): how a case is sent to a server's ``/sparql``, and
how its answer is checked, the same over every store."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import rdflib

from tests.helpers.server import LiveServer

RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def send(server: LiveServer, case: dict[str, Any]) -> httpx.Response:
    """The request a golden case describes: method, parameters, form or body, Accept."""
    headers = {"Accept": case["accept"]} if "accept" in case else {}
    url = server.url + "/sparql"
    if case["method"] == "GET":
        return httpx.get(url, params=case.get("params", {}), headers=headers, timeout=30)
    if "form" in case:
        return httpx.post(url, data=case["form"], headers=headers, timeout=30)
    headers["Content-Type"] = case["content_type"]
    return httpx.post(url, params=case.get("params", {}), content=case["body"].encode(), headers=headers, timeout=30)


def count_rows(response: httpx.Response) -> int:
    """Rows of a SELECT answer in any of the result formats."""
    kind = response.headers["content-type"].split(";")[0]
    if kind == "application/sparql-results+json":
        return len(response.json()["results"]["bindings"])
    if kind == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        return len(ET.fromstring(response.content).findall(".//r:result", ns))
    delimiter = "," if kind == "text/csv" else "\t"
    return len(list(csv.reader(io.StringIO(response.text), delimiter=delimiter))) - 1


def check_protocol_case(response: httpx.Response, case: dict[str, Any]) -> None:
    """The answer is what the golden ``case`` says: status, media type, problem, rows, count, boolean, triples."""
    assert response.status_code == case["status"], response.text[:500]
    if "type" in case:
        assert response.headers["content-type"].split(";")[0] == case["type"]
    if "problem" in case:
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["type"].endswith("/problems/" + case["problem"])
        assert problem["status"] == case["status"] and problem["title"] and problem["detail"]
        for key in case.get("has", []):
            assert key in problem
        for media in case.get("offered_includes", []):
            assert media in problem["offered"]
    if "rows" in case:
        assert count_rows(response) == case["rows"]
    if "count" in case:
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == case["count"]
    if "boolean" in case:
        assert response.json()["boolean"] is case["boolean"]
    if "contains" in case:
        assert case["contains"] in response.text
    if "triples" in case:
        kind = response.headers["content-type"].split(";")[0]
        graph = rdflib.Graph().parse(data=response.content, format=RDF_FORMATS[kind])
        assert len(graph) == case["triples"]
