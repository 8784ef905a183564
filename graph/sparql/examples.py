"""Example SPARQL queries shown on the query page (and run by the tests, so they stay correct)."""

from __future__ import annotations

__all__ = ["EXAMPLES"]

EXAMPLES: list[tuple[str, str]] = [
    (
        "Chain of a county's committee up to the centre (property path)",
        """\
SELECT ?committee ?name WHERE {
  committee:330106 bm:guidedBy* ?committee .
  ?committee rdfs:label ?name . FILTER (LANG(?name) = "zh")
}""",
    ),
    (
        "Committees guided by the Zhejiang provincial committee, and their offices",
        """\
SELECT ?committee ?name ?office WHERE {
  ?committee bm:guidedBy committee:330000 ; rdfs:label ?name ; bm:hasOffice/rdfs:label ?office .
  FILTER (LANG(?name) = "zh" && LANG(?office) = "zh")
} ORDER BY ?committee""",
    ),
    (
        "Committees per level",
        """\
SELECT ?level (COUNT(?c) AS ?committees) WHERE {
  ?c a bm:PartyConfidentialityCommittee ; bm:level/skos:notation ?level .
} GROUP BY ?level ORDER BY DESC(?committees)""",
    ),
    (
        "Which passage supports a guidance link?",
        """\
SELECT ?passage ?text WHERE {
  GRAPH ?g { committee:330106 bm:guidedBy ?upper }
  ?g prov:wasDerivedFrom ?p . ?p bm:passageId ?passage ; bm:text ?text .
}""",
    ),
    (
        "Districts of the municipalities, guided directly by the municipal (provincial-level) committee",
        """\
SELECT ?district ?name ?guide WHERE {
  ?r bm:divisionType bm:TypeMunicipality .
  ?district bm:leadsWorkOf/bm:parentRegion ?r ; bm:guidedBy ?guide ; rdfs:label ?name .
  FILTER (LANG(?name) = "zh")
} ORDER BY ?district LIMIT 50""",
    ),
    (
        "The eight duties of a local committee",
        """\
SELECT ?n ?duty ?text WHERE {
  ?d a bm:Duty ; bm:ordinal ?n ; rdfs:label ?duty ; bm:text ?text .
  FILTER (LANG(?duty) = "en" && LANG(?text) = "en")
} ORDER BY ?n""",
    ),
    (
        "Search committees by label",
        """\
SELECT ?c ?name WHERE {
  ?c a bm:ConfidentialityCommittee ; rdfs:label ?name .
  FILTER (CONTAINS(?name, "延边"))
}""",
    ),
    ("Everything about one committee (DESCRIBE)", "DESCRIBE committee:441900"),
]
