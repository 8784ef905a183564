"""The provenance review: every triple of a passage, source or inference graph is allowed by the provenance
table (data/provenance.csv), and every quotation of the table is the words of the passage or source it cites."""

from __future__ import annotations

import re
from functools import cache

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from graph.build import load_inputs
from graph.kg import KnowledgeGraph
from graph.namespaces import EXTERNAL_PREFIXES, RDF, Vocab
from graph.paths import ROOT
from graph.provenance import OWN, Provenance, Relation, load_provenance
from graph.textbook import Textbook, load_textbook

V = Vocab()
SOURCE_TEXT = ROOT.parent / "shared" / "source" / "000_6b1d3b120f88e7a2.txt"
TEXTBOOK_ITEMS = ("duty", "task", "measure", "system", "pillar", "capability")


def _plain(text: str) -> str:
    """Text compared without whitespace (the passages collapse the source's runs of spaces)."""
    return re.sub(r"\s+", "", text)


@cache
def _levels() -> dict[str, str]:
    levels = {d.code: d.level for d in load_inputs().divisions}
    return {**levels, "central": "central"}


def _level(cid: str) -> str:
    if cid.startswith("u-"):
        return "departmental"
    return _levels().get(cid, "unknown")


def _prefixed(iri: str) -> str:
    for prefix, ns in {"bm": V.ns, **EXTERNAL_PREFIXES}.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri.removeprefix(ns)}"
    return iri


def classify(term: NamedNode | Literal, predicate: str = "") -> tuple[str, str, str]:
    """(kind, level, path under id/) of a resource of the graph."""
    if isinstance(term, Literal):
        return "literal", "*", ""
    iri = term.value
    if iri.startswith(V.ns):
        local = iri.removeprefix(V.ns)
        if predicate == RDF + "type":
            return "class", "*", local
        return ("concept" if local.startswith(("Level", "Type")) else "term"), "*", local
    if predicate == RDF + "type":
        return "class", "*", iri
    path = iri.removeprefix(V.id(""))
    head, _, rest = path.partition("/")
    if head in ("committee", "office", "party-committee"):
        return head, _level(rest), path
    if head == "post":
        return "post", _level(rest.partition("/")[0]), path
    if head == "region":
        return "region", _levels().get(rest, "unknown"), path
    if head == "unit":
        return "unit", "departmental", path
    if head == "task":
        return ("measure" if "/measure/" in rest else "task"), "*", path
    if head == "management-system":
        return "system", "*", path
    if head in ("duty", "pillar", "capability", "passage", "source"):
        return head, "*", path
    return "other", "unknown", path


def own_passage(book: Textbook, path: str) -> str:
    """The passage a transcribed duty, task, measure, pillar, capability or the system comes from."""
    head, _, rest = path.partition("/")
    if head == "duty":
        return next(d.passage for d in book.duties if d.number == int(rest))
    if head == "task":
        return next(t.passage for t in book.tasks if t.number == int(rest.partition("/")[0]))
    if head in ("pillar", "capability"):
        return next(i.passage for i in book.pillars + book.capabilities if i.id == rest)
    return "ch4.2.system"


def table_graphs(prov: Provenance) -> dict[str, str]:
    """Graph IRI -> support, for the graphs the table speaks for (passages, sources, inferences)."""
    out = {V.passage_graph(p.id): p.id for p in load_textbook().passages}
    for s in prov.sources.values():
        if s.graph != "ontology":
            support = f"{'inference' if s.kind == 'inference' else 'source'}:{s.id}"
            out[prov.support_graph(V, support)] = support
    return out


def expected_graph(row: Relation, prov: Provenance, book: Textbook, s_path: str, o_path: str) -> str:
    if row.support != OWN:
        return prov.support_graph(V, row.support)
    item = s_path if s_path.partition("/")[0] in TEXTBOOK_ITEMS else o_path
    return V.passage_graph(own_passage(book, item))


def check_quad(q: Quad, prov: Provenance, book: Textbook) -> str | None:
    """None if the table allows the quad in its graph, else what is wrong."""
    p = q.predicate.value
    s_kind, level, s_path = classify(q.subject)  # type: ignore[arg-type]
    o_kind, _, o_path = classify(q.object, p)  # type: ignore[arg-type]
    allowed = [r for r in prov.relations if r.allows(_prefixed(p), s_kind, o_kind, level)]
    if not allowed:
        return f"no row allows {_prefixed(p)} from {s_kind} to {o_kind} at level {level}"
    graphs = {expected_graph(r, prov, book, s_path, o_path) for r in allowed}
    if q.graph_name.value not in graphs:  # type: ignore[union-attr]
        return f"in {q.graph_name.value}, but the table puts it in {sorted(graphs)}"  # type: ignore[union-attr]
    return None


@pytest.fixture(scope="module")
def prov() -> Provenance:
    return load_provenance()


@pytest.fixture(scope="module")
def cited_quads(kg: KnowledgeGraph, prov: Provenance) -> list[Quad]:
    from graph.store import EmbeddedBackend

    assert isinstance(kg.backend, EmbeddedBackend)
    graphs = table_graphs(prov)
    return [q for q in kg.backend.store if q.graph_name.value in graphs]  # type: ignore[union-attr]


def test_every_triple_of_a_passage_source_or_inference_graph_is_allowed_by_the_table(
        cited_quads: list[Quad], prov: Provenance) -> None:
    book = load_textbook()
    problems: dict[str, str] = {}
    for q in cited_quads:
        wrong = check_quad(q, prov, book)
        if wrong:
            problems.setdefault(wrong, str(q))
    assert len(cited_quads) > 100_000
    assert problems == {}


def test_the_check_catches_a_link_in_a_passage_that_does_not_state_it(prov: Provenance) -> None:
    book = load_textbook()
    central, nation = NamedNode(V.committee("central")), NamedNode(V.region("CN"))
    leads = NamedNode(V.term("leadsWorkOf"))
    assert check_quad(Quad(central, leads, nation, NamedNode(V.passage_graph("ch5.1.p1"))), prov, book) is None
    assert check_quad(Quad(central, leads, nation, NamedNode(V.passage_graph("ch5.1.duty1"))), prov, book)
    central_duty = Quad(central, NamedNode(V.term("hasDuty")), NamedNode(V.duty(7)),
                        NamedNode(V.passage_graph("ch5.1.duty7")))
    assert check_quad(central_duty, prov, book), "the eight duties are a local committee's"
    within = Quad(NamedNode(V.committee("u-mfa")), NamedNode(V.term("withinJurisdictionOf")), NamedNode(V.committee(
        "central")), NamedNode(V.passage_graph("ch5.1.duty1")))
    assert check_quad(within, prov, book)


def test_every_quotation_is_the_words_of_what_it_cites(prov: Provenance) -> None:
    passages = {p.id: _plain(p.text_zh) for p in load_textbook().passages}
    for row in prov.relations:
        if row.kind in ("statement", "inference"):
            assert row.quote, f"{row.properties} {row.subjects}: a statement or inference quotes its words"
        if not row.quote:
            continue
        quote = _plain(row.quote)
        if row.support in passages:
            assert quote in passages[row.support], (row.support, row.quote)
        elif row.support == OWN:
            if SOURCE_TEXT.exists():
                assert quote in _plain(SOURCE_TEXT.read_text(encoding="utf-8")), row.quote
        else:
            info = prov.sources[row.source_id or ""]
            texts = [passages[b] for b in info.basis] if info.kind == "inference" else [_plain(info.excerpt_zh)]
            assert any(quote in t for t in texts), (row.support, row.quote)


def test_passages_and_transcribed_items_are_the_words_of_the_source() -> None:
    book = load_textbook()
    passages = {p.id: _plain(p.text_zh) for p in book.passages}
    for d in book.duties:
        assert _plain(d.text_zh) in passages[d.passage]
    for t in book.tasks:
        assert _plain(t.reason_zh) in passages[t.passage]
        for m in t.measures:
            assert _plain(m.text_zh) in passages[t.passage]
    if not SOURCE_TEXT.exists():
        pytest.skip(f"the source text is not at {SOURCE_TEXT}")
    source = _plain(SOURCE_TEXT.read_text(encoding="utf-8").replace("*", ""))
    for pid, text in passages.items():
        assert text in source, pid


def test_every_support_graph_is_derived_from_its_passage_source_or_inference(kg: KnowledgeGraph,
                                                                              prov: Provenance) -> None:
    for graph, support in table_graphs(prov).items():
        rows = kg.backend.select(f"SELECT ?e ?t WHERE {{ <{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?e . "
                                 f"?e a ?t }}")
        entities = {(r["e"].value, r["t"].value) for r in rows}  # type: ignore[union-attr]
        head, _, sid = support.partition(":")
        expected = {"source": (V.source(sid), V.term("Source")), "inference": (V.source(sid), V.term("Inference"))}
        assert expected.get(head, (V.passage(support), V.term("Passage"))) in entities, graph


def test_outside_sources_are_prov_entities_with_title_publisher_date_and_url(kg: KnowledgeGraph,
                                                                             prov: Provenance) -> None:
    pages = [s for s in prov.sources.values() if s.kind == "page"]
    assert pages
    for s in pages:
        assert s.title and s.publisher and s.date and s.url.startswith("http"), s.id
        rows = kg.backend.select(V.sparql_prologue() + f"""
            SELECT ?title ?publisher ?date ?url WHERE {{
              <{V.source(s.id)}> a prov:Entity , bm:Source ; dct:title ?title ; dct:publisher ?publisher ;
                  dct:date ?date ; rdfs:seeAlso ?url }}""")
        assert len(rows) == 1 and rows[0]["url"].value == s.url  # type: ignore[union-attr]


def test_inference_graphs_are_labelled_as_inferences_and_name_their_passages(kg: KnowledgeGraph,
                                                                              prov: Provenance) -> None:
    inferences = [s for s in prov.sources.values() if s.kind == "inference"]
    assert {s.id for s in inferences} >= {"departmental-jurisdiction", "departmental-office"}
    for s in inferences:
        graph = prov.support_graph(V, f"inference:{s.id}")
        rows = kg.backend.select(V.sparql_prologue() + f"""
            SELECT ?label ?passage WHERE {{
              <{graph}> rdfs:label ?label ; prov:wasDerivedFrom ?e . ?e a bm:Inference ; prov:wasDerivedFrom ?p .
              ?p bm:passageId ?passage FILTER (LANG(?label) = "en") }}""")
        assert {r["passage"].value for r in rows} == set(s.basis)  # type: ignore[union-attr]
        assert all(r["label"].value.startswith("Inference") for r in rows)  # type: ignore[union-attr]


def _graphs_of(kg: KnowledgeGraph, s: str, p: str, o: str) -> set[str]:
    rows = kg.backend.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{s}> <{p}> <{o}> }} }}")
    return {r["g"].value for r in rows}  # type: ignore[union-attr]


def test_the_central_committee_leads_the_nation_by_ch5_1_p1_not_a_local_duty(kg: KnowledgeGraph) -> None:
    assert _graphs_of(kg, V.committee("central"), V.term("leadsWorkOf"), V.region("CN")) == {
        V.passage_graph("ch5.1.p1")}
    assert kg.backend.select(f"SELECT ?d WHERE {{ <{V.committee('central')}> <{V.term('hasDuty')}> ?d }}") == []


def test_departmental_jurisdiction_is_a_labelled_inference_not_a_duty(kg: KnowledgeGraph) -> None:
    rows = kg.backend.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?c <{V.term('withinJurisdictionOf')}> ?j }} }}")
    assert {r["g"].value for r in rows} == {V.graph("inference", "departmental-jurisdiction")}  # type: ignore[union-attr]


def test_guidance_is_not_subordination_rests_on_the_outside_source(kg: KnowledgeGraph) -> None:
    rows = kg.backend.select(V.sparql_prologue() + """
        SELECT ?g ?source WHERE { GRAPH ?g { bm:guides rdfs:comment ?c FILTER (CONTAINS(?c, "没有直接隶属关系")) }
                                  ?g prov:wasDerivedFrom ?source }""")
    assert [(r["g"].value, r["source"].value) for r in rows] == [  # type: ignore[union-attr]
        (V.graph("outside", "org-overview"), V.source("org-overview"))]
    ontology = (ROOT / "ontology" / "baomi.ttl").read_text(encoding="utf-8")
    assert "没有直接隶属关系" not in ontology, "the ontology credits guidance to ch5.1.p2, which does not say it"


def test_duty_one_holds_only_the_local_committees_leadership_of_their_regions(kg: KnowledgeGraph) -> None:
    rows = kg.backend.select(f"SELECT DISTINCT ?p WHERE {{ GRAPH <{V.passage_graph('ch5.1.duty1')}> {{ ?s ?p ?o }} }}")
    predicates = {_prefixed(r["p"].value) for r in rows}  # type: ignore[union-attr]
    assert predicates <= {"bm:leadsWorkOf", "dct:spatial", "bm:hasDuty", "rdf:type", "rdfs:label", "bm:ordinal",
                          "bm:text", "bm:identifier", "dct:source"}
