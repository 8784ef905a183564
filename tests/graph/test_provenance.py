"""The provenance review: every named graph of the built graph is one the provenance table (data/provenance.csv)
speaks for, and every triple in it is allowed there by the table, or it is the meta or ontology graph and holds
no structural link; every structural link of an outside source's graph is named by that source's own words; and
every quotation of the table is the words of the passage or source it cites."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from graph.build.assemble import LINK_PREDICATES, load_inputs
from graph.kg import KnowledgeGraph
from graph.namespaces import EXTERNAL_PREFIXES, RDF, Vocab
from graph.paths import ROOT
from graph.sources.provenance import OWN, Provenance, Relation, load_provenance
from graph.sources.special import SpecialBody, load_outside, load_special_bodies
from graph.sources.textbook import Textbook, load_textbook

V = Vocab()
SOURCE_TEXT = ROOT.parent / "shared" / "source" / "000_6b1d3b120f88e7a2.txt"
TEXTBOOK_ITEMS = ("duty", "task", "measure", "system", "pillar", "capability")
STRUCTURAL = frozenset(V.term(local) for local in LINK_PREDICATES)
# The kinds the table gives the resources of a body off the division tree (graph/special.py), by path head.
SPECIAL_KINDS = {"committee": "special-committee", "office": "special-office", "party-committee": "party-body"}


def _plain(text: str) -> str:
    """Text compared without whitespace (the passages collapse the source's runs of spaces)."""
    return re.sub(r"\s+", "", text)


@cache
def _levels() -> dict[str, str]:
    levels = {d.code: d.level for d in load_inputs().divisions}
    return {**levels, "central": "central"}


@cache
def _special() -> dict[str, SpecialBody]:
    return {b.id: b for b in load_special_bodies()}


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
        return ("concept" if local.startswith(("Level", "Type", "Change")) else "term"), "*", local
    if predicate == RDF + "type":
        return "class", "*", iri
    if not iri.startswith(V.base):
        return "web", "*", iri
    path = iri.removeprefix(V.id(""))
    head, _, rest = path.partition("/")
    if head == "change":  # a change event of the history
        return "event", "*", path
    if head in ("region", "committee") and "~" in rest:  # a former division (code~name) and its committee
        return f"former-{head}", "*", path
    if head in SPECIAL_KINDS and rest in _special():  # a body off the division tree: its "level" is its kind
        return SPECIAL_KINDS[head], _special()[rest].kind, path
    if head in ("committee", "office", "party-committee", "bureau"):
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


def _is_structural_link(q: Quad) -> bool:
    return q.predicate.value in STRUCTURAL


def check_unlisted(q: Quad) -> str | None:
    """A quad of a graph the table does not speak for: only the meta graph (what each graph, source and passage
    is) and the ontology (the vocabulary) may hold any, and neither may hold a structural link."""
    g = q.graph_name.value  # type: ignore[union-attr]
    if g not in (V.meta_graph, V.ontology_graph):
        return f"{g}: a graph the provenance table does not speak for"
    if _is_structural_link(q):
        return f"{g} holds a structural link {_prefixed(q.predicate.value)}"
    subject = q.subject.value  # type: ignore[union-attr]
    described = (V.id("source/"), V.id("passage/"), V.id("article/"), V.id("rule/"), V.graph(""))
    if g == V.meta_graph and not subject.startswith(described):
        return f"the meta graph says something of {subject}, which is no graph, source, passage, article or rule"
    if g == V.ontology_graph and subject.startswith(V.id("")):
        return f"the ontology graph says something of the instance {subject}"
    return None


def coverage_problems(quads: Iterable[Quad], prov: Provenance) -> dict[str, str]:
    """What is wrong (with one quad as example) among quads of any named graph: every graph is one the table
    speaks for and every quad in it is allowed there, or it is the meta or the ontology graph."""
    book, graphs = load_textbook(), table_graphs(prov)
    problems: dict[str, str] = {}
    for q in quads:
        wrong = check_quad(q, prov, book) if q.graph_name.value in graphs else check_unlisted(q)  # type: ignore[union-attr]
        if wrong:
            problems.setdefault(wrong, str(q))
    return problems


@pytest.fixture(scope="module")
def all_quads(kg: KnowledgeGraph) -> list[Quad]:
    from graph.store.backend import EmbeddedBackend

    assert isinstance(kg.backend, EmbeddedBackend)
    return list(kg.backend.store)


@pytest.mark.slow
def test_every_named_graph_is_covered_and_every_triple_in_it_is_allowed_by_the_table(
    all_quads: list[Quad], prov: Provenance
) -> None:
    assert len(all_quads) > 100_000
    assert coverage_problems(all_quads, prov) == {}
    graphs = {q.graph_name.value for q in all_quads if _is_structural_link(q)}  # type: ignore[union-attr]
    special = {
        V.graph(*prov.sources[i].graph.split("/"))
        for i in (
            "xpcc-party-zhwiki",
            "xpcc-shishi-list",
            "xiongan-2018",
            "special-bodies",
            "special-guidance",
            "corps-division-party",
            "corps-city",
        )
    }
    assert special <= graphs, "the graphs of the bodies off the division tree hold their links"
    assert graphs <= set(table_graphs(prov))


def test_a_graph_the_table_does_not_speak_for_is_reported(prov: Provenance) -> None:
    xpcc, party = NamedNode(V.committee("xpcc")), NamedNode(V.party_committee("xpcc"))
    formed = NamedNode(V.term("formedBy"))
    old_layout = Quad(xpcc, formed, party, NamedNode(V.graph("inferred", "special", "xpcc")))
    assert coverage_problems([old_layout], prov), "a per-body graph of the old layout is no graph of the table"
    in_meta = Quad(xpcc, formed, party, NamedNode(V.meta_graph))
    assert coverage_problems([in_meta], prov)
    right = Quad(xpcc, formed, party, NamedNode(V.graph("inference", "special-bodies")))
    assert coverage_problems([right], prov) == {}


def test_the_build_and_shacl_know_the_same_structural_links() -> None:
    shapes = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    listed = re.search(r"FILTER \(\?link IN \(([^)]*)\)\)", shapes)
    assert listed is not None
    assert {t.strip().removeprefix("bm:") for t in listed.group(1).split(",")} == set(LINK_PREDICATES)


def test_the_check_catches_a_link_in_a_passage_that_does_not_state_it(prov: Provenance) -> None:
    book = load_textbook()
    central, nation = NamedNode(V.committee("central")), NamedNode(V.region("CN"))
    leads = NamedNode(V.term("leadsWorkOf"))
    assert check_quad(Quad(central, leads, nation, NamedNode(V.passage_graph("ch5.1.p1"))), prov, book) is None
    assert check_quad(Quad(central, leads, nation, NamedNode(V.passage_graph("ch5.1.duty1"))), prov, book)
    central_duty = Quad(
        central, NamedNode(V.term("hasDuty")), NamedNode(V.duty(7)), NamedNode(V.passage_graph("ch5.1.duty7"))
    )
    assert check_quad(central_duty, prov, book), "the eight duties are a local committee's"
    within = Quad(
        NamedNode(V.committee("u-mfa")),
        NamedNode(V.term("withinJurisdictionOf")),
        NamedNode(V.committee("central")),
        NamedNode(V.passage_graph("ch5.1.duty1")),
    )
    assert check_quad(within, prov, book)


def test_the_check_catches_special_links_in_a_graph_that_does_not_state_them(prov: Provenance) -> None:
    book = load_textbook()

    def quad(s: str, p: str, o: str, *graph: str) -> Quad:
        return Quad(NamedNode(s), NamedNode(V.term(p)), NamedNode(o), NamedNode(V.graph(*graph)))

    division, corps = V.party_committee("xpcc-1"), V.party_committee("xpcc")
    # No source read says a division's Party committee is under the corps': an inference, not the list's word.
    assert check_quad(quad(division, "underPartyBody", corps, "outside", "xpcc-shishi-list"), prov, book)
    assert check_quad(quad(division, "underPartyBody", corps, "inference", "corps-division-party"), prov, book) is None
    # 草湖市 is tied to the corps by inference: the encyclopaedia article does not name it.
    caohu = V.region("659013")
    assert check_quad(quad(corps, "pairedWithDivision", caohu, "outside", "xpcc-party-zhwiki"), prov, book)
    assert check_quad(quad(corps, "pairedWithDivision", caohu, "inference", "corps-city"), prov, book) is None
    # A corps city guided by its division's body: ch5.1.p2 does not say so, the inference does.
    city, body = V.committee("659001"), V.committee("xpcc-8")
    assert check_quad(quad(city, "guidedBy", body, "passage", "ch5.1.p2"), prov, book)
    assert check_quad(quad(city, "guidedBy", body, "inference", "special-guidance"), prov, book) is None
    # The inferred bodies are formed by their Party bodies by inference, not by the passage's statement.
    assert check_quad(quad(V.committee("xpcc"), "formedBy", corps, "passage", "ch5.1.p3"), prov, book)
    assert check_quad(quad(V.committee("xpcc"), "formedBy", corps, "outside", "xpcc-party-zhwiki"), prov, book)
    # The working committee's place under Hebei's committee is the report's word, not an inference's.
    xiongan, hebei = V.party_committee("xiongan"), V.party_committee("130000")
    assert check_quad(quad(xiongan, "underPartyBody", hebei, "inference", "special-guidance"), prov, book)
    assert check_quad(quad(xiongan, "underPartyBody", hebei, "outside", "xiongan-2018"), prov, book) is None


# The stored copy of xiongan-2018 is in traditional characters: the few of its words the check reads.
_SIMPLIFIED = str.maketrans("區會員為機構設對縣實邊", "区会员为机构设对县实边")
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市", "县", "区")


def _short(name: str) -> str:
    """A division's name without its generic suffix, when two characters or more are left (容城县 → 容城, 雄县)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name.removesuffix(suffix)
    return name


def _forms(iri: str) -> list[tuple[str, ...]]:
    """The ways a source may name a resource, each a set of words that must all be there."""
    head, _, rest = iri.removeprefix(V.id("")).partition("/")
    divisions = load_inputs().divisions
    if head == "party-committee" and rest in _special():
        b = _special()[rest]
        return [(w,) for w in (b.name_zh, b.short_zh, *b.aliases)]
    if head == "party-committee" and rest == "central":
        return [("中共中央",), ("党中央",)]
    if head == "party-committee":
        d = divisions[rest]
        forms: list[tuple[str, ...]] = [(f"{d.name}党委",), (f"{_short(d.name)}党委",)]
        if d.level == "provincial":  # a provincial committee is 省委 where the text names its province
            forms += [(f"{_short(d.name)}省委",), ("省委", _short(d.name))]
        return forms
    if head == "region":
        name = divisions[rest].name
        return [(name,), (_short(name),)]
    return []


def unstated(q: Quad, prov: Provenance) -> str | None:
    """None unless ``q`` is a structural link in an outside source's graph that the source's words do not state:
    both ends must be named there, and a 师市合一 pairing as the list writes it (第八师石河子市)."""
    sources = {V.graph(*s.graph.split("/")): s for s in prov.sources.values() if s.kind == "page"}
    info = sources.get(q.graph_name.value)  # type: ignore[union-attr]
    if info is None or not _is_structural_link(q):
        return None
    words = _plain(info.excerpt_zh).translate(_SIMPLIFIED)
    s_forms, o_forms = _forms(q.subject.value), _forms(q.object.value)  # type: ignore[union-attr]
    if q.predicate.value == V.term("pairedWithDivision"):
        stated = any(a[0] + b[0] in words for a in s_forms for b in o_forms if len(a) == len(b) == 1)
    else:
        stated = all(any(all(w in words for w in form) for form in forms) for forms in (s_forms, o_forms))
    return None if stated else f"{info.id} does not state {q}"


@pytest.mark.slow
def test_every_link_of_an_outside_source_graph_is_stated_in_the_sources_words(
    all_quads: list[Quad], prov: Provenance
) -> None:
    pages = {V.graph(*s.graph.split("/")) for s in prov.sources.values() if s.kind == "page"}
    links = [q for q in all_quads if q.graph_name.value in pages and _is_structural_link(q)]  # type: ignore[union-attr]
    assert len(links) == 2 + 12 + 1 + 3  # corps (2 upper), 12 pairings, Xiong'an (1 upper, 3 counties)
    assert [unstated(q, prov) for q in links if unstated(q, prov)] == []


def test_the_check_catches_a_special_link_its_source_does_not_state(prov: Provenance) -> None:
    def link(s: str, p: str, o: str, source: str) -> Quad:
        return Quad(
            NamedNode(s), NamedNode(V.term(p)), NamedNode(o), NamedNode(V.graph(*prov.sources[source].graph.split("/")))
        )

    book = load_textbook()
    eighth, corps, xiongan = V.party_committee("xpcc-8"), V.party_committee("xpcc"), V.party_committee("xiongan")
    right = link(eighth, "pairedWithDivision", V.region("659001"), "xpcc-shishi-list")  # 第八师石河子市
    wrong = link(eighth, "pairedWithDivision", V.region("659002"), "xpcc-shishi-list")  # 阿拉尔市 is the 1st's
    assert check_quad(wrong, prov, book) is None, "the kind of link is the list's to state"
    assert unstated(right, prov) is None
    assert unstated(wrong, prov), "the list pairs 阿拉尔市 with the 1st division, not the 8th"
    assert unstated(link(V.region("130629"), "entrustedTo", xiongan, "xiongan-2018"), prov) is None  # 容城
    assert unstated(link(V.region("130628"), "entrustedTo", xiongan, "xiongan-2018"), prov), "高阳 is not entrusted"
    assert unstated(link(xiongan, "underPartyBody", V.party_committee("130000"), "xiongan-2018"), prov) is None
    assert unstated(link(xiongan, "underPartyBody", V.party_committee("140000"), "xiongan-2018"), prov), "山西"
    assert unstated(link(corps, "underPartyBody", V.party_committee("central"), "xpcc-party-zhwiki"), prov) is None
    assert unstated(link(corps, "underPartyBody", V.party_committee("130000"), "xpcc-party-zhwiki"), prov)
    # The same link, once the source's words no longer hold the entry, is no longer stated.
    shishi = prov.sources["xpcc-shishi-list"]
    cut = replace(shishi, excerpt_zh=shishi.excerpt_zh.replace("第八师石河子市", "第八师"))
    assert unstated(right, Provenance(prov.relations, {**prov.sources, shishi.id: cut}))


def test_every_source_the_special_graphs_rest_on_is_a_prov_entity_with_title_publisher_date_and_url(
    kg: KnowledgeGraph, all_quads: list[Quad], prov: Provenance
) -> None:
    special = {
        iri for b in load_special_bodies() for iri in (V.committee(b.id), V.office(b.id), V.party_committee(b.id))
    }
    special |= {V.region(o.code) for o in load_outside()}
    graphs = {
        q.graph_name.value  # type: ignore[union-attr]
        for q in all_quads
        if q.graph_name.value != V.meta_graph  # type: ignore[union-attr]
        and (q.subject.value in special or q.object.value in special)  # type: ignore[union-attr]
    }
    cited: set[str] = set()
    for graph in graphs:
        rows = kg.backend.select(
            V.sparql_prologue()
            + f"""
            SELECT ?e ?basis WHERE {{ GRAPH <{V.meta_graph}> {{ <{graph}> prov:wasDerivedFrom ?e
              OPTIONAL {{ ?e a bm:Inference ; prov:wasDerivedFrom ?basis . ?basis a bm:Source }} }} }}"""
        )
        assert rows, f"{graph} is derived from nothing"
        cited |= {r["basis"].value if r.get("basis") else r["e"].value for r in rows}  # type: ignore[union-attr]
    pages = {V.source(s): s for s in ("xpcc-party-zhwiki", "xpcc-shishi-list", "xiongan-2018", "kinmen-2010")}
    assert set(pages) <= cited
    for iri, sid in pages.items():
        info = prov.sources[sid]
        rows = kg.backend.select(
            V.sparql_prologue()
            + f"""
            SELECT ?title ?publisher ?date ?url WHERE {{ GRAPH <{V.meta_graph}> {{
              <{iri}> a prov:Entity , bm:Source ; dct:title ?title ; dct:publisher ?publisher ; dct:date ?date ;
                  rdfs:seeAlso ?url }} }}"""
        )
        assert [
            (r["title"].value, r["publisher"].value, r["date"].value, r["url"].value)  # type: ignore[union-attr]
            for r in rows
        ] == [(info.title, info.publisher, info.date, info.url)], sid
    # Each body's row names the source its Party body rests on, directly or as the basis of its inference.
    for b in load_special_bodies():
        row = prov.support("rdf:type", "party-body", "class", b.kind)
        info = prov.sources[row.source_id or ""]
        assert b.source == info.id or f"source:{b.source}" in info.basis, b.id
    for o in load_outside():
        assert prov.support("bm:noPartyBodyReason", "region", "literal", "county").source_id == o.source


def _basis_texts(prov: Provenance, passages: dict[str, str], basis: Iterable[str]) -> list[str]:
    """The words an inference is drawn from: its passages and the excerpts of its outside sources."""
    return [passages[b] if b in passages else _plain(prov.sources[b.removeprefix("source:")].excerpt_zh) for b in basis]


def quote_problem(row: Relation, prov: Provenance, passages: dict[str, str]) -> str | None:
    """None if the row's quotation is the words of the passage, source or inference basis it cites."""
    if row.kind in ("statement", "inference") and not row.quote:
        return f"{row.properties} {row.subjects}: a statement or inference quotes its words"
    if not row.quote:
        return None
    quote = _plain(row.quote)
    if row.support in passages:
        texts = [passages[row.support]]
    elif row.support == OWN:
        if not SOURCE_TEXT.exists():
            return None
        texts = [_plain(SOURCE_TEXT.read_text(encoding="utf-8"))]
    else:
        info = prov.sources[row.source_id or ""]
        texts = _basis_texts(prov, passages, info.basis) if info.kind == "inference" else [_plain(info.excerpt_zh)]
    return None if any(quote in t for t in texts) else f"{row.support} does not say {row.quote!r}"


def test_every_quotation_is_the_words_of_what_it_cites(prov: Provenance) -> None:
    passages = {p.id: _plain(p.text_zh) for p in load_textbook().passages}
    assert [quote_problem(row, prov, passages) for row in prov.relations if quote_problem(row, prov, passages)] == []


def test_a_quotation_its_source_does_not_have_is_caught(prov: Provenance) -> None:
    passages = {p.id: _plain(p.text_zh) for p in load_textbook().passages}
    pairing = prov.support("bm:pairedWithDivision", "party-body", "region", "corps-division")
    assert quote_problem(pairing, prov, passages) is None
    assert quote_problem(replace(pairing, quote="第十五师"), prov, passages), "the list has no 15th division"
    guidance = prov.support("bm:guidedBy", "committee", "special-committee", "county")
    assert quote_problem(guidance, prov, passages) is None
    assert quote_problem(replace(guidance, quote="兵团保密委员会"), prov, passages), "no basis names such a body"


def test_passages_and_transcribed_items_are_the_words_of_the_source() -> None:
    book = load_textbook()
    passages = {p.id: _plain(p.text_zh) for p in book.passages}
    for d in book.duties:
        assert _plain(d.text_zh) in passages[d.passage]
    for t in book.tasks:
        assert _plain(t.reason_zh or "") in passages[t.passage]
        for m in t.measures:
            assert _plain(m.text_zh) in passages[t.passage]
    if not SOURCE_TEXT.exists():
        pytest.skip(f"the source text is not at {SOURCE_TEXT}")
    source = _plain(SOURCE_TEXT.read_text(encoding="utf-8").replace("*", ""))
    for pid, text in passages.items():
        assert text in source, pid


def test_every_support_graph_is_derived_from_its_passage_source_or_inference(
    kg: KnowledgeGraph, prov: Provenance
) -> None:
    for graph, support in table_graphs(prov).items():
        rows = kg.backend.select(
            f"SELECT ?e ?t WHERE {{ <{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?e . ?e a ?t }}"
        )
        entities = {(r["e"].value, r["t"].value) for r in rows}  # type: ignore[union-attr]
        head, _, sid = support.partition(":")
        expected = {"source": (V.source(sid), V.term("Source")), "inference": (V.source(sid), V.term("Inference"))}
        assert expected.get(head, (V.passage(support), V.term("Passage"))) in entities, graph


def test_outside_sources_are_prov_entities_with_title_publisher_date_and_url(
    kg: KnowledgeGraph, prov: Provenance
) -> None:
    pages = [s for s in prov.sources.values() if s.kind == "page"]
    assert pages
    for s in pages:
        assert s.title and s.publisher and s.date and s.url.startswith("http"), s.id
        rows = kg.backend.select(
            V.sparql_prologue()
            + f"""
            SELECT ?title ?publisher ?date ?url WHERE {{
              <{V.source(s.id)}> a prov:Entity , bm:Source ; dct:title ?title ; dct:publisher ?publisher ;
                  dct:date ?date ; rdfs:seeAlso ?url }}"""
        )
        assert len(rows) == 1 and rows[0]["url"].value == s.url  # type: ignore[union-attr]


def test_inference_graphs_are_labelled_as_inferences_and_name_their_passages(
    kg: KnowledgeGraph, prov: Provenance
) -> None:
    inferences = [s for s in prov.sources.values() if s.kind == "inference"]
    assert {s.id for s in inferences} >= {
        "departmental-jurisdiction",
        "departmental-office",
        "special-bodies",
        "special-guidance",
        "corps-division-party",
        "corps-city",
    }
    for s in inferences:
        graph = prov.support_graph(V, f"inference:{s.id}")
        rows = kg.backend.select(
            V.sparql_prologue()
            + f"""
            SELECT ?label ?basis ?passage WHERE {{
              <{graph}> rdfs:label ?label ; prov:wasDerivedFrom ?e . ?e a bm:Inference ; prov:wasDerivedFrom ?basis .
              OPTIONAL {{ ?basis bm:passageId ?passage }} FILTER (LANG(?label) = "en") }}"""
        )
        named = {r["passage"].value if r.get("passage") else r["basis"].value for r in rows}  # type: ignore[union-attr]
        expected = {V.source(b.removeprefix("source:")) if b.startswith("source:") else b for b in s.basis}
        assert named == expected, s.id
        assert all(r["label"].value.startswith("Inference") for r in rows)  # type: ignore[union-attr]


def _graphs_of(kg: KnowledgeGraph, s: str, p: str, o: str) -> set[str]:
    rows = kg.backend.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{s}> <{p}> <{o}> }} }}")
    return {r["g"].value for r in rows}  # type: ignore[union-attr]


def test_the_central_committee_leads_the_nation_by_ch5_1_p1_not_a_local_duty(kg: KnowledgeGraph) -> None:
    assert _graphs_of(kg, V.committee("central"), V.term("leadsWorkOf"), V.region("CN")) == {
        V.passage_graph("ch5.1.p1")
    }
    assert kg.backend.select(f"SELECT ?d WHERE {{ <{V.committee('central')}> <{V.term('hasDuty')}> ?d }}") == []


def test_departmental_jurisdiction_is_a_labelled_inference_not_a_duty(kg: KnowledgeGraph) -> None:
    rows = kg.backend.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?c <{V.term('withinJurisdictionOf')}> ?j }} }}")
    assert {r["g"].value for r in rows} == {V.graph("inference", "departmental-jurisdiction")}  # type: ignore[union-attr]


def test_guidance_is_not_subordination_rests_on_the_outside_source(kg: KnowledgeGraph) -> None:
    rows = kg.backend.select(
        V.sparql_prologue()
        + """
        SELECT ?g ?source WHERE { GRAPH ?g { bm:guides rdfs:comment ?c FILTER (CONTAINS(?c, "没有直接隶属关系")) }
                                  ?g prov:wasDerivedFrom ?source }"""
    )
    assert [(r["g"].value, r["source"].value) for r in rows] == [  # type: ignore[union-attr]
        (V.graph("outside", "org-overview"), V.source("org-overview"))
    ]
    ontology = (ROOT / "ontology" / "baomi.ttl").read_text(encoding="utf-8")
    assert "没有直接隶属关系" not in ontology, "the ontology credits guidance to ch5.1.p2, which does not say it"


def test_duty_one_holds_only_the_local_committees_leadership_of_their_regions(kg: KnowledgeGraph) -> None:
    rows = kg.backend.select(f"SELECT DISTINCT ?p WHERE {{ GRAPH <{V.passage_graph('ch5.1.duty1')}> {{ ?s ?p ?o }} }}")
    predicates = {_prefixed(r["p"].value) for r in rows}  # type: ignore[union-attr]
    assert predicates <= {
        "bm:leadsWorkOf",
        "dct:spatial",
        "bm:hasDuty",
        "rdf:type",
        "rdfs:label",
        "bm:ordinal",
        "bm:text",
        "bm:identifier",
        "dct:source",
    }
