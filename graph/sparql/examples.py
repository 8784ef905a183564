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
    (
        "The secrecy bureau of a county (one body with its committee's office) and its guidance up to 国家保密局",
        """\
SELECT ?bureau ?name (COUNT(?above) AS ?height) WHERE {
  committee:330106 bm:hasOffice/bm:sameBodyAs ?own .
  ?own bm:bureauGuidedBy* ?bureau .
  ?bureau bm:bureauGuidedBy* ?above ; rdfs:label ?name .
  FILTER (LANG(?name) = "zh")
} GROUP BY ?bureau ?name ORDER BY DESC(?height)""",
    ),
    (
        "The rules drawn from the law, with their articles and instruments (number, text address)",
        """\
SELECT ?rule ?article ?number ?instrument ?documentNumber ?text WHERE {
  ?rule a bm:LegalRule ; bm:basis ?a .
  ?a a bm:Article ; rdfs:label ?article ; bm:articleNumber ?number ; dct:isPartOf ?i .
  ?i rdfs:label ?instrument ; bm:documentNumber ?documentNumber ; rdfs:seeAlso ?text .
  FILTER (LANG(?article) = "zh" && LANG(?instrument) = "zh")
} ORDER BY ?rule ?instrument ?number""",
    ),
    (
        "Which rules set a time limit, and what they rest on",
        """\
SELECT ?rule ?hours ?statement ?basis WHERE {
  ?rule a bm:LegalRule ; bm:withinHours ?hours ; dct:description ?statement ; bm:basis/rdfs:label ?basis .
  FILTER (LANG(?statement) = "en" && LANG(?basis) = "en")
} ORDER BY ?rule ?basis""",
    ),
    (
        "Secrecy bureaus per level",
        """\
SELECT ?level (COUNT(?bureau) AS ?bureaus) WHERE {
  ?bureau a bm:SecrecyBureau ; bm:sameBodyAs/bm:officeOf/bm:level/skos:notation ?level .
} GROUP BY ?level ORDER BY DESC(?bureaus)""",
    ),
    (
        "Time travel: what became of 襄樊市 and its committee, change by change",
        """\
SELECT ?event ?year ?kind ?before ?after ?committee WHERE {
  ?old a bm:FormerRegion ; rdfs:label "襄樊市"@zh .
  ?old (^bm:originalRegion/bm:resultingRegion)* ?region .
  ?event bm:originalRegion ?region ; bm:resultingRegion ?next ; bm:year ?year ; bm:changeKind/skos:notation ?kind ;
         org:resultingOrganization/rdfs:label ?committee .
  ?region rdfs:label ?before . ?next rdfs:label ?after .
  FILTER (LANG(?before) = "zh" && LANG(?after) = "zh" && LANG(?committee) = "zh")
} ORDER BY ?year ?event""",
    ),
    (
        "The changes within 重庆 in 2025, with their dates as precise as the source gives them",
        """\
SELECT ?event ?kind ?precision ?when ?from ?to ?document WHERE {
  region:500000 bm:divisionCode ?province .
  ?event a org:ChangeEvent ; bm:year "2025"^^xsd:gYear ; bm:changeKind/skos:notation ?kind ;
         bm:datePrecision ?precision .
  FILTER EXISTS {
    ?event bm:originalRegion|bm:resultingRegion ?r . ?r bm:divisionCode ?code .
    FILTER (STRSTARTS(?code, SUBSTR(?province, 1, 2)))
  }
  OPTIONAL { ?event bm:month|bm:day ?when }
  OPTIONAL { ?event bm:originalRegion/rdfs:label ?from FILTER (LANG(?from) = "zh") }
  OPTIONAL { ?event bm:resultingRegion/rdfs:label ?to FILTER (LANG(?to) = "zh") }
  OPTIONAL { ?event bm:document ?document }
} ORDER BY ?event""",
    ),
    (
        "The divisions abolished in 2011 (merged, split or abolished) and where their area went",
        """\
SELECT ?code ?name ?level ?kind ?successor WHERE {
  ?region a bm:FormerRegion ; bm:validUntil "2011"^^xsd:gYear ; bm:divisionCode ?code ; rdfs:label ?name ;
          bm:level/skos:notation ?level .
  ?event bm:originalRegion ?region ; bm:changeKind/skos:notation ?kind .
  FILTER (LANG(?name) = "zh" && ?kind IN ("abolished", "merged", "split"))
  OPTIONAL { ?event bm:resultingRegion/rdfs:label ?successor FILTER (LANG(?successor) = "zh") }
} ORDER BY ?code""",
    ),
    (
        "The committees 无为市's committee was before it, through its re-designations (an inference: bm:continuedAs)",
        """\
SELECT ?earlier ?name ?until WHERE {
  ?earlier bm:continuedAs+ committee:340281 ; rdfs:label ?name ; bm:validUntil ?until .
  FILTER (LANG(?name) = "zh")
} ORDER BY ?until""",
    ),
    ("Everything about one committee (DESCRIBE)", "DESCRIBE committee:441900"),
]
