"""The queries every client of the matrix runs, written in full (clients parse them and know no predeclared
prefixes), and what they must answer."""

from __future__ import annotations

BM = "https://w3id.org/baomi-kg/ontology#"
COMMITTEE = "https://w3id.org/baomi-kg/id/committee/"
PROLOGUE = f"PREFIX bm: <{BM}>\nPREFIX committee: <{COMMITTEE}>\n"

GUIDED_BY = BM + "guidedBy"
GUIDE = COMMITTEE + "330100"  # 杭州市
SELECT = PROLOGUE + "SELECT ?c WHERE { ?c bm:guidedBy committee:330100 } ORDER BY ?c LIMIT 3"
EXPECTED_SELECT = [COMMITTEE + "330102", COMMITTEE + "330105", COMMITTEE + "330106"]
ASK = PROLOGUE + "ASK { committee:330106 bm:guidedBy committee:330100 }"
CONSTRUCT = PROLOGUE + (
    "CONSTRUCT { ?c bm:guidedBy committee:330100 } WHERE { "
    "{ SELECT ?c WHERE { ?c bm:guidedBy committee:330100 } ORDER BY ?c LIMIT 3 } "
    "?c bm:guidedBy committee:330100 }"
)
