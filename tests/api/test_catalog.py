"""The catalogue routes: committee listing, detail, subordinates and chain; regions; duties and tasks; search."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from graph.kg import KnowledgeGraph
from graph.sources.textbook import load_textbook
from tests.helpers.expected import named_after_hangzhou
from tests.helpers.responses import PROBLEM, Response, problem
from tests.helpers.server import LiveServer

API = "/api/v1"


def ok(r: Response) -> Any:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return r.json()


def walk(client: TestClient, url: str) -> tuple[list[dict[str, Any]], list[int]]:
    """Every item of a listing, following `next` links; also the totals each page reported."""
    items: list[dict[str, Any]] = []
    totals: list[int] = []
    next_url: str | None = url
    while next_url:
        page = ok(client.get(next_url))
        assert page["offset"] == len(items)
        items += page["items"]
        totals.append(page["total"])
        next_url = page["next"]
    return items, totals


# -- listing ----------------------------------------------------------------------------------------
def test_walking_every_page_of_county_committees_returns_each_once(client: TestClient, kg: KnowledgeGraph) -> None:
    items, totals = walk(client, f"{API}/committees?level=county&limit=400")
    ids = [c["id"] for c in items]
    expected = {cid for cid, c in kg.directory.committees.items() if c.level == "county"}
    assert len(ids) == len(set(ids)) == totals[0] == len(expected) == 2847 - 1  # 金门 has no committee
    assert set(ids) == expected
    assert set(totals) == {len(expected)}
    assert ids == sorted(ids)  # one level: ordered by id
    assert all(c["level"] == "county" and c["guided_by"] for c in items)


def test_order_is_level_then_id_and_stable(client: TestClient) -> None:
    first = ok(client.get(f"{API}/committees", params={"limit": 1000}))
    again = ok(client.get(f"{API}/committees", params={"limit": 1000}))
    assert first == again
    order = ["central", "provincial", "municipal", "county", "departmental"]
    keys = [(order.index(c["level"]), c["id"]) for c in first["items"]]
    assert keys == sorted(keys)
    assert first["items"][0]["id"] == "central"
    assert first["next"] is not None and "offset=1000" in first["next"] and "limit=1000" in first["next"]


def test_level_is_repeatable(client: TestClient) -> None:
    page = ok(client.get(f"{API}/committees", params=[("level", "central"), ("level", "provincial")]))
    assert page["total"] == 1 + 31 + 1  # the centre, the provinces and the 兵团
    assert [c["level"] for c in page["items"]].count("central") == 1
    assert page["next"] is None


def test_within_hangzhou_is_the_city_committee_and_its_districts_and_counties(
    client: TestClient, kg: KnowledgeGraph
) -> None:
    page = ok(client.get(f"{API}/committees", params={"within": "330100"}))
    ids = [c["id"] for c in page["items"]]
    children = kg.directory.children["330100"]
    assert ids == ["330100", *sorted(children)]
    assert "330106" in ids and page["total"] == len(ids)
    assert all(c["guided_by"] == "330100" for c in page["items"][1:])


def test_within_the_nation_is_everything(client: TestClient, kg: KnowledgeGraph) -> None:
    page = ok(client.get(f"{API}/committees", params={"within": "CN", "limit": 1}))
    assert page["total"] == len(kg.directory.committees)


def test_under_beijing_is_its_districts_directly(client: TestClient, kg: KnowledgeGraph) -> None:
    page = ok(client.get(f"{API}/committees", params={"under": "110000"}))
    ids = [c["id"] for c in page["items"]]
    assert "110000" not in ids and "110105" in ids
    assert ids == sorted(kg.directory.subordinates["110000"]) and len(ids) == 16
    assert all(c["level"] == "county" and c["guided_by"] == "110000" for c in page["items"])


def test_under_the_centre_includes_departmental_bodies(client: TestClient, kg: KnowledgeGraph) -> None:
    page = ok(client.get(f"{API}/committees", params={"under": "central", "level": "departmental", "limit": 1000}))
    assert page["total"] == len(kg.directory.departmental["central"])
    mfa = next(c for c in page["items"] if c["id"] == "u-mfa")
    assert mfa["within_jurisdiction_of"] == "central" and mfa["guided_by"] is None
    everything = ok(client.get(f"{API}/committees", params={"under": "central", "limit": 1}))
    assert everything["total"] == len(kg.directory.committees) - 1


def test_filters_combine(client: TestClient) -> None:
    page = ok(client.get(f"{API}/committees", params={"within": "330000", "level": "municipal"}))
    assert page["total"] == 11  # Zhejiang's prefecture-level cities
    hangzhou = ok(client.get(f"{API}/committees", params={"under": "330000", "q": "杭州"}))
    assert {c["id"] for c in hangzhou["items"]} >= {"330100", "330106"}
    assert all(c["id"].startswith("3301") for c in hangzhou["items"])


@pytest.mark.parametrize("q", ["杭州", "hangzhou", "Hangzhou"])
def test_q_filters_by_name(client: TestClient, kg: KnowledgeGraph, q: str) -> None:
    page = ok(client.get(f"{API}/committees", params={"q": q}))
    assert {c["id"] for c in page["items"]} == named_after_hangzhou(kg)


def test_past_the_end_is_an_empty_last_page(client: TestClient) -> None:
    page = ok(client.get(f"{API}/committees", params={"level": "central", "offset": 5}))
    assert page == {"items": [], "total": 1, "limit": 50, "offset": 5, "next": None}


@pytest.mark.parametrize(
    ("params", "status", "slug"),
    [
        ({"within": "999999"}, 404, "not-found"),
        ({"under": "330199"}, 404, "not-found"),
        ({"level": "village"}, 422, "invalid-parameters"),
        ({"limit": 0}, 422, "invalid-parameters"),
        ({"limit": 1001}, 422, "invalid-parameters"),
        ({"limit": "many"}, 422, "invalid-parameters"),
        ({"offset": -1}, 422, "invalid-parameters"),
        ({"q": ""}, 422, "invalid-parameters"),
        ({"q": "   "}, 422, "invalid-parameters"),
    ],
)
def test_bad_filters_are_problems(client: TestClient, params: dict[str, Any], status: int, slug: str) -> None:
    problem(client.get(f"{API}/committees", params=params), status, slug)


def test_unknown_committee_filter_suggests_close_ids(client: TestClient) -> None:
    body = problem(client.get(f"{API}/committees", params={"under": "330199"}), 404, "not-found")
    assert body["suggestions"] and all(s["id"].startswith("3301") for s in body["suggestions"])


# -- one committee --------------------------------------------------------------------------------------
def test_municipality_district_is_guided_by_the_municipality(client: TestClient) -> None:
    c = ok(client.get(f"{API}/committees/110105"))
    assert (c["level"], c["name_zh"]) == ("county", "中共北京市朝阳区委保密委员会")
    assert c["guided_by"]["id"] == "110000" and c["within_jurisdiction_of"] is None
    assert c["region"]["code"] == "110105" and [p["code"] for p in c["region"]["path"]] == ["110000"]
    assert c["office"]["second_nameplate"] == "北京市朝阳区国家保密局"
    assert c["party_committee"]["name_zh"] == "中共北京市朝阳区委员会"
    assert c["unit"] is None and c["leading_group"] is False
    assert [d["number"] for d in c["duties"]] == list(range(1, 9))
    assert c["duties"][6]["label_zh"] == load_textbook().duties[6].label_zh
    assert c["subordinates"] == 0
    assert c["links"]["self"] == f"{API}/committees/110105"
    assert c["links"]["rdf"] == "/id/committee/110105"
    assert c["links"]["sparql"].startswith("/sparql?query=DESCRIBE")


def test_prefecture_city_without_counties_has_no_subordinates(client: TestClient) -> None:
    c = ok(client.get(f"{API}/committees/441900"))
    assert (c["level"], c["guided_by"]["id"], c["subordinates"]) == ("municipal", "440000", 0)
    subs = ok(client.get(f"{API}/committees/441900/subordinates", params={"depth": 4}))
    assert subs["total"] == 0 and subs["items"] == []


def test_departmental_committee(client: TestClient) -> None:
    c = ok(client.get(f"{API}/committees/u-mfa"))
    assert c["level"] == "departmental" and c["name_zh"] == "外交部保密委员会"
    assert c["within_jurisdiction_of"]["id"] == "central" and c["guided_by"] is None
    assert c["unit"]["id"] == "mfa" and c["unit"]["name_zh"] == "外交部"
    assert c["party_committee"] is None and c["duties"] == []
    assert c["region"]["code"] == "CN"


def test_central_committee(client: TestClient, kg: KnowledgeGraph) -> None:
    c = ok(client.get(f"{API}/committees/central"))
    assert c["guided_by"] is None and c["level"] == "central"
    assert c["subordinates"] == 31 + 1  # the provinces and the 兵团
    assert c["departmental_bodies"] == len(kg.directory.departmental["central"]) > 0
    assert c["office"]["second_nameplate"] == "国家保密局"
    assert c["duties"] == []  # the eight duties are those of local committees


def test_detail_links_lead_somewhere(client: TestClient) -> None:
    links = ok(client.get(f"{API}/committees/330106"))["links"]
    assert ok(client.get(links["self"]))["id"] == "330106"
    assert [c["id"] for c in ok(client.get(links["chain"]))] == ["330106", "330100", "330000", "central"]
    assert ok(client.get(links["subordinates"]))["committee"]["id"] == "330106"
    rdf = client.get(links["rdf"])
    assert rdf.status_code == 200 and rdf.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    ("cid", "suggested"), [("330199", "3301"), ("杭州", "330100"), ("外交部", "u-mfa"), ("u-mfx", "u-mfa")]
)
def test_unknown_committee_is_404_with_suggestions(client: TestClient, cid: str, suggested: str) -> None:
    body = problem(client.get(f"{API}/committees/{cid}"), 404, "not-found")
    assert body["query"] == cid
    found = [s["id"] for s in body["suggestions"]]
    assert found and (suggested in found or all(i.startswith(suggested) for i in found)), found


@pytest.mark.parametrize("odd", ["²", "３３０１９９", "%00", "u-", "a" * 64, "CN", "'; DROP", "<x>"])
def test_odd_ids_are_404_never_500(client: TestClient, odd: str) -> None:
    problem(client.get(f"{API}/committees/{odd}"), 404, "not-found")
    problem(client.get(f"{API}/committees", params={"under": odd}), 404, "not-found")
    if odd != "CN":
        problem(client.get(f"{API}/regions/{odd}"), 404, "not-found")
        problem(client.get(f"{API}/committees", params={"within": odd}), 404, "not-found")


# -- subordinates and chain ------------------------------------------------------------------------
def test_subordinates_by_depth(client: TestClient, kg: KnowledgeGraph) -> None:
    one = ok(client.get(f"{API}/committees/330000/subordinates"))
    assert one["depth"] == 1 and one["total"] == 11
    assert all(c["depth"] == 1 and c["level"] == "municipal" and c["guided_by"] == "330000" for c in one["items"])
    two = ok(client.get(f"{API}/committees/330000/subordinates", params={"depth": 2}))
    cities = {c["id"] for c in one["items"]}
    counties = [c for c in two["items"] if c["depth"] == 2]
    assert counties and all(c["guided_by"] in cities and c["level"] == "county" for c in counties)
    assert two["total"] == 11 + sum(len(kg.directory.subordinates.get(c, [])) for c in cities)


def test_subordinates_with_departmental_bodies(client: TestClient, kg: KnowledgeGraph) -> None:
    plain = ok(client.get(f"{API}/committees/central/subordinates"))
    assert plain["total"] == 31 + 1  # the provinces and the 兵团
    full = ok(client.get(f"{API}/committees/central/subordinates", params={"include_departmental": "true"}))
    assert full["total"] == 31 + 1 + len(kg.directory.departmental["central"])
    mfa = next(c for c in full["items"] if c["id"] == "u-mfa")
    assert mfa["depth"] == 1 and mfa["within_jurisdiction_of"] == "central"


@pytest.mark.parametrize("depth", [0, 5, "deep"])
def test_subordinates_depth_out_of_range(client: TestClient, depth: int | str) -> None:
    problem(client.get(f"{API}/committees/central/subordinates", params={"depth": depth}), 422, "invalid-parameters")


@pytest.mark.parametrize(
    ("cid", "chain"),
    [
        ("110105", ["110105", "110000", "central"]),
        ("429004", ["429004", "420000", "central"]),  # 仙桃, administered directly by Hubei
        ("441900", ["441900", "440000", "central"]),
        ("u-mfa", ["u-mfa", "central"]),
        ("central", ["central"]),
    ],
)
def test_chain(client: TestClient, cid: str, chain: list[str]) -> None:
    answer = ok(client.get(f"{API}/committees/{cid}/chain"))
    assert [c["id"] for c in answer] == chain
    assert all({"id", "iri", "name_zh", "name_en", "level"} <= set(c) for c in answer)


def test_chain_of_unknown_committee(client: TestClient) -> None:
    problem(client.get(f"{API}/committees/nowhere/chain"), 404, "not-found")


# -- regions ------------------------------------------------------------------------------------------
def test_the_nation(client: TestClient) -> None:
    cn = ok(client.get(f"{API}/regions/CN"))
    assert (cn["code"], cn["level"], cn["parent"], cn["children"]) == ("CN", "central", None, 31)
    assert cn["committee"]["id"] == "central"
    children = ok(client.get(cn["links"]["children"]))
    codes = [r["code"] for r in children["items"]]
    assert codes == sorted(codes) and len(codes) == children["total"] == 31
    assert ok(client.get(f"{API}/regions/cn"))["code"] == "CN"


def test_a_city_and_its_children(client: TestClient, kg: KnowledgeGraph) -> None:
    city = ok(client.get(f"{API}/regions/330100"))
    assert (city["name"], city["type"], city["parent"]) == ("杭州市", "地级市", "330000")
    assert city["committee"]["id"] == "330100" and city["links"]["committee"] == f"{API}/committees/330100"
    assert city["links"]["rdf"] == "/id/region/330100"
    children = ok(client.get(f"{API}/regions/330100/children"))
    codes = [r["code"] for r in children["items"]]
    assert codes == sorted(kg.directory.children["330100"]) and "330106" in codes
    assert city["children"] == len(codes)
    assert all([p["code"] for p in r["path"]] == ["330000", "330100"] for r in children["items"])


def test_a_city_without_counties_has_no_children(client: TestClient) -> None:
    assert ok(client.get(f"{API}/regions/441900"))["children"] == 0
    assert ok(client.get(f"{API}/regions/441900/children"))["items"] == []


@pytest.mark.parametrize("code", ["999999", "hangzhou", "33010"])
def test_unknown_region(client: TestClient, code: str) -> None:
    problem(client.get(f"{API}/regions/{code}"), 404, "not-found")
    problem(client.get(f"{API}/regions/{code}/children"), 404, "not-found")


# -- duties and tasks ---------------------------------------------------------------------------------
def test_duties_are_the_textbook_duties(client: TestClient) -> None:
    duties = ok(client.get(f"{API}/duties"))
    book = load_textbook().duties
    assert [d["number"] for d in duties] == [d.number for d in book] == list(range(1, 9))
    for got, want in zip(duties, book, strict=True):
        assert (got["label_zh"], got["label_en"], got["text_zh"], got["passage"]) == (
            want.label_zh,
            want.label_en,
            want.text_zh,
            want.passage,
        )
    seven = ok(client.get(f"{API}/duties/7"))
    assert seven == duties[6] and seven["passage"] == "ch5.1.duty7"


def test_tasks_have_reasons_and_measures(client: TestClient) -> None:
    tasks = ok(client.get(f"{API}/tasks"))
    book = load_textbook().tasks
    assert [t["number"] for t in tasks] == list(range(1, 7))
    for got, want in zip(tasks, book, strict=True):
        assert got["passage"] == want.passage == f"ch4.2.task{want.number}"
        assert got["reason_zh"] == (want.reason_zh or None) and got["reason_en"] == (want.reason_en or None)
        assert [m["number"] for m in got["measures"]] == [m.number for m in want.measures]
        assert [m["text_en"] for m in got["measures"]] == [m.text_en for m in want.measures]
    five = ok(client.get(f"{API}/tasks/5"))
    assert five["reason_zh"] is None and five["measures"]  # task 5 has no reason in the text


@pytest.mark.parametrize(
    ("url", "status"),
    [("/duties/9", 404), ("/duties/0", 404), ("/duties/x", 422), ("/tasks/7", 404), ("/tasks/one", 422)],
)
def test_unknown_duty_or_task(client: TestClient, url: str, status: int) -> None:
    body = problem(client.get(API + url), status, "not-found" if status == 404 else "invalid-parameters")
    if status == 404:
        assert [s["number"] for s in body["suggestions"]]


# -- search --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("q", "kind", "hit", "by"),
    [
        ("杭州", "region", "330100", "zh"),
        ("hangzhou", "region", "330100", "pinyin"),
        ("Hangzhou", "region", "330100", "pinyin"),
        ("外交部", "unit", "mfa", "zh"),
    ],
)
def test_search(client: TestClient, q: str, kind: str, hit: str, by: str) -> None:
    answer = ok(client.get(f"{API}/search", params={"q": q}))
    first = answer["items"][0]
    assert (first["kind"], first["id"], first["by"], first["match"]) == (kind, hit, by, "exact")
    assert {"name_zh", "name_en", "level", "matched_by", "committee"} <= set(first)


def test_search_xi_hu_and_limit(client: TestClient) -> None:
    answer = ok(client.get(f"{API}/search", params={"q": "xi hu", "limit": 3}))
    assert len(answer["items"]) == 3 and answer["total"] > 3
    everything = ok(client.get(f"{API}/search", params={"q": "xi hu", "limit": 100}))
    assert ("region", "330106") in {(h["kind"], h["id"]) for h in everything["items"]}


def test_search_english_reports_en(client: TestClient) -> None:
    answer = ok(client.get(f"{API}/search", params={"q": "Hangzhou"}))
    assert "en" in answer["items"][0]["matched_by"]


@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": " "}, {"q": "x" * 201}, {"q": "杭州", "limit": 0}, {"q": "杭州", "limit": 101}]
)
def test_search_bad_parameters(client: TestClient, params: dict[str, Any]) -> None:
    problem(client.get(f"{API}/search", params=params), 422, "invalid-parameters")


def test_openapi_documents_the_catalogue(client: TestClient) -> None:
    schema = ok(client.get("/openapi.json"))
    paths = schema["paths"]
    for path in (
        "/api/v1/committees",
        "/api/v1/committees/{committee_id}",
        "/api/v1/regions/{code}",
        "/api/v1/duties",
        "/api/v1/tasks/{number}",
        "/api/v1/search",
    ):
        operation = paths[path]["get"]
        assert operation["summary"] and operation["description"]
        assert "422" in operation["responses"] or not operation.get("parameters")
        if "{" in path:
            assert "application/problem+json" in operation["responses"]["404"]["content"]
    params = {p["name"]: p for p in paths["/api/v1/committees"]["get"]["parameters"]}
    assert params["within"]["examples"]["city"]["value"] == "330100"
    assert params["level"]["examples"]["two"]["value"] == ["municipal", "county"]


# -- a real server ----------------------------------------------------------------------------------------
def test_catalogue_on_a_real_server(live_server: LiveServer) -> None:
    first = httpx.get(live_server.url + f"{API}/committees", params={"level": "provincial", "limit": 20}).json()
    # the 兵团's body ranks with the provinces
    assert first["total"] == 31 + 1 and first["next"].startswith(live_server.url)
    second = httpx.get(first["next"]).json()
    assert [c["id"] for c in first["items"] + second["items"]] == sorted(
        c["id"] for c in first["items"] + second["items"]
    )
    assert second["next"] is None and len(second["items"]) == 12
    detail = httpx.get(live_server.url + f"{API}/committees/110105").json()
    assert detail["guided_by"]["id"] == "110000"
    described = httpx.get(live_server.url + detail["links"]["sparql"], headers={"Accept": "text/turtle"})
    assert described.status_code == 200 and "110105" in described.text
    missing = httpx.get(live_server.url + f"{API}/committees/000000")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    search_hit = httpx.get(live_server.url + f"{API}/search", params={"q": "xi hu"}).json()
    assert "330106" in {h["id"] for h in search_hit["items"]}
