"""SPARQLWrapper as its users drive it, with every return format and query form, defaults included.

SPARQLWrapper sends its return format both in Accept and as ``format``/``output``/``results`` parameters
(short names such as ``xml``, or media types); each combination must answer 200 with a body that its
``convert()`` reads.
"""

from __future__ import annotations

from typing import Any

import pytest
import rdflib

from tests.helpers.server import LiveServer

SELECT = "SELECT ?c WHERE { ?c bm:guidedBy committee:330100 } ORDER BY ?c LIMIT 3"
ASK = "ASK { committee:330106 bm:guidedBy committee:330100 }"
CONSTRUCT = "CONSTRUCT { ?c bm:guidedBy committee:330100 } WHERE { ?c bm:guidedBy committee:330100 } LIMIT 3"
DESCRIBE = "DESCRIBE committee:330106"
FORMS = {"select": SELECT, "ask": ASK, "construct": CONSTRUCT, "describe": DESCRIBE}
RESULT_FORMATS = ["default", "JSON", "XML", "CSV", "TSV"]
GRAPH_FORMATS = ["default", "XML", "RDFXML", "RDF", "TURTLE", "N3", "JSONLD", "JSON"]


def _cases() -> list[Any]:
    cases = []
    for form, query in FORMS.items():
        formats = GRAPH_FORMATS if form in ("construct", "describe") else RESULT_FORMATS
        for fmt in formats:
            for method in ("GET", "POST"):
                cases.append(pytest.param(query, form, fmt, method, id=f"{form}-{fmt.lower()}-{method.lower()}"))
    return cases


# SPARQLWrapper's own warnings: it falls back to Accept */* for RDF and JSON in CONSTRUCT/DESCRIBE, and
# converts RDF through rdflib's deprecated ConjunctiveGraph. They speak of the client, not of this service.
@pytest.mark.filterwarnings("ignore:Sending Accept header:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("query", "form", "fmt", "method"), _cases())
def test_every_format_and_form(live_server: LiveServer, query: str, form: str, fmt: str, method: str) -> None:
    import SPARQLWrapper as sw_module
    from SPARQLWrapper import SPARQLWrapper

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery(query)  # bm: and committee: are predeclared by the endpoint
    sw.setMethod(getattr(sw_module, method))
    if fmt != "default":
        sw.setReturnFormat(getattr(sw_module, fmt))
    result = sw.query()
    assert result.response.status == 200
    converted: Any = result.convert()  # its type depends on the format asked for
    if form in ("construct", "describe"):
        graph = (
            converted
            if isinstance(converted, rdflib.Graph)
            else rdflib.Graph().parse(
                data=converted if isinstance(converted, str | bytes) else converted.read(),
                format={"TURTLE": "turtle", "N3": "n3", "JSONLD": "json-ld", "JSON": "json-ld"}.get(fmt, "xml"),
            )
        )
        assert len(graph) >= 3
    elif fmt == "JSON":
        assert (converted["boolean"] is True) if form == "ask" else len(converted["results"]["bindings"]) == 3
    elif fmt in ("default", "XML"):  # SPARQLWrapper's default is XML: a DOM document
        if form == "ask":
            assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
        else:
            assert len(converted.getElementsByTagName("result")) == 3
    else:  # CSV and TSV come back as text: a header and three rows
        text = converted.decode() if isinstance(converted, bytes) else converted
        assert len(text.strip().splitlines()) == 4 if form == "select" else text.strip()
