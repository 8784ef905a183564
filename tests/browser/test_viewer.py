"""The viewer at /viz in a real browser: Debian's Chromium, headless, driven over the DevTools protocol.

One browser session walks through what a person does: the page opens on the centre and the provinces; a
county is found by pinyin, picked and clicked on the canvas; the side panel shows its office, its secrecy bureau
with the articles it rests on (their pages served here) and its chain; a
province is clicked open and then expanded with all its counties (in under 2 s); the whole graph is loaded
and a province is expanded again beside it; the view is exported.  The session fails on any JavaScript
error or console error, and on any request that leaves 127.0.0.1.  A screenshot is kept in
tests/artifacts/viewer.png.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.chromium import ARTIFACTS, Page, chromium_tab, page_problems

pytestmark = pytest.mark.slow  # drives the viewer in Chromium over the whole graph

EXPAND_BUDGET_MS = 2000


@pytest.fixture(scope="module")
def page(live_server: Any) -> Iterator[Page]:
    with chromium_tab(1500, 950) as tab:
        yield tab


def test_viewer_search_click_expand_and_export(page: Page, live_server: Any, kg: Any) -> None:
    origin = live_server.url
    page.send("Page.navigate", url=origin + "/viz")
    page.wait_for("document.body && document.body.dataset.ready === 'true'", timeout=120)

    # Opens on the Central Committee and the provinces.
    assert page.js("viz.cy.getElementById('committee:central').nonempty()")
    provinces = [c for c in kg.directory.committees.values() if c.level == "provincial" and c.upper == "central"]
    assert len(provinces) >= 31  # with the XPCC, a provincial-level body
    assert page.js("viz.cy.nodes('.kind-committee.level-provincial').length") == len(provinces)
    assert page.js("document.getElementById('panel-title').textContent") == "中央保密委员会"

    # Search a county by pinyin and pick it from the list.
    page.click_selector("#search")
    page.send("Input.insertText", text="tonglu")
    page.wait_for("document.querySelector('#results li[data-id=\"330122\"]') !== null")
    page.click_selector('#results li[data-id="330122"]')
    page.wait_for("viz.cy.getElementById('committee:330122').nonempty()")

    # Click the county on the canvas; the side panel shows its office and its chain.
    page.click_node("committee:330122")
    page.wait_for("viz.state.selected === '330122' && document.getElementById('panel-chain') !== null")
    county = kg.directory.committee("330122")
    office = page.wait_for(
        f"(() => {{ const e = document.getElementById('panel-office'); return e && "
        f"e.textContent.includes({json.dumps(county.office.name_zh)}) ? e.textContent : null; }})()"
    )
    assert county.office.nameplate_zh in office
    chain = page.js("[...document.querySelectorAll('#panel-chain a')].map(a => a.dataset.id)")
    assert chain == ["330122", "330100", "330000", "central"]
    assert page.js("document.getElementById('panel-title').textContent") == county.name_zh
    assert page.js("document.querySelectorAll('#panel-duties > li').length") == 8

    # Its secrecy bureau, one body with the office, and the articles and source it rests on, linked to their pages.
    bureau = page.wait_for(
        "(() => { const e = document.getElementById('panel-bureau'); return e ? e.textContent : null; })()"
    )
    assert county.office.nameplate_zh in bureau and county.office.nameplate_en in bureau
    assert "两块牌子" in page.js("document.getElementById('panel-bureau-body').textContent")
    basis = page.js(
        "[...document.querySelectorAll('#panel-basis a')].map(a => [a.getAttribute('href'), a.textContent])"
    )
    assert ["/id/article/bmf-2024-art6", "《保守国家秘密法》（2024）第六条"] in basis
    assert ["/id/article/bmtl-2024-art3", "《保守国家秘密法实施条例》（2024）第三条"] in basis
    statuses = page.js(
        "Promise.all([...document.querySelectorAll('#panel-bureau a, #panel-basis a')]"
        ".map(async a => (await fetch(a.href, { headers: { Accept: 'text/html' } })).status))"
    )
    assert len(statuses) == len(basis) + 1 and set(statuses) == {200}

    # Click a province open (its cities), then expand it with all its counties: rendered within the budget.
    page.click_node("committee:510000")
    page.wait_for("viz.state.expanded.has('510000') && viz.state.busy === 0")
    cities = "viz.cy.nodes('.kind-committee.level-municipal').filter(n => n.data('upper') === '510000').length"
    assert page.js(cities) > 10
    page.click_selector("#expand-subtree")
    page.wait_for(
        "viz.state.timings.length > 0 && viz.state.busy === 0 && "
        "viz.state.timings[viz.state.timings.length - 1].params.root === '510000' && "
        "!('depth' in viz.state.timings[viz.state.timings.length - 1].params)"
    )
    sichuan = {c.id for c, _ in kg.directory.subtree("510000", 5)}
    shown = set(page.js("viz.cy.nodes('.kind-committee').map(n => n.data('committee'))"))
    assert sichuan <= shown
    expand_ms = page.js("viz.state.timings[viz.state.timings.length - 1].ms")
    assert expand_ms < EXPAND_BUDGET_MS, f"expanding 四川 with its counties took {expand_ms} ms"

    ARTIFACTS.mkdir(exist_ok=True)
    shot = page.send("Page.captureScreenshot", format="png")
    (ARTIFACTS / "viewer.png").write_bytes(base64.b64decode(shot["data"]))

    # The whole graph: every committee with its office and Party committee; a province re-expanded beside it.
    page.click_selector("#whole")
    page.wait_for(
        f"viz.cy.nodes('.kind-committee, .kind-departmental').length === {len(kg.directory.committees)} && "
        "viz.state.busy === 0",
        timeout=120,
    )
    page.js("viz.collapse('440000').then(() => true)")
    whole_ms = page.js("viz.expandAll('440000')")
    assert whole_ms < EXPAND_BUDGET_MS, f"expanding 广东 beside the whole graph took {whole_ms} ms"

    # Edge kinds toggle; the view exports as PNG and SVG, and as any format through the API.
    page.click_selector("#kind-office")
    assert page.js("viz.cy.nodes('.kind-office').every(n => !n.visible())")
    assert page.js("viz.pngBlob().size") > 10_000
    assert page.js("viz.svgText().startsWith('<svg')")
    link = page.js("document.getElementById('export-link').href")
    assert link.startswith(origin + "/api/v1/export?") and "office" not in link.split("edges=")[1].split("&")[0]

    assert page_problems(page, origin) == []


@pytest.mark.parametrize(
    "query",
    ["", "lang=en", "root=330000&depth=2", "root=330000&depth=2&lang=en"],
    ids=["whole-zh", "whole-en", "subtree-zh", "subtree-en"],
)
def test_cytoscape_js_loads_the_export(page: Page, live_server: Any, kg: Any, query: str) -> None:
    """The Cytoscape.js export, fetched by the page and loaded by the vendored library as a headless graph."""
    from graph.export.formats import export
    from graph.export.scope import make_scope

    args: dict[str, Any] = dict(pair.split("=") for pair in query.split("&") if pair)
    if "depth" in args:
        args["depth"] = int(args["depth"])
    expected = export(kg, "d3", make_scope(**args))
    if not page.js("typeof cytoscape === 'function'"):
        page.send("Page.navigate", url=live_server.url + "/viz")
        page.wait_for("document.body && document.body.dataset.ready === 'true'", timeout=120)
    counts = page.js(f"""(async () => {{
        const data = await (await fetch('/api/v1/export?format=cytoscape&{query}')).json();
        const g = cytoscape({{ headless: true, elements: data.elements }});
        const broken = g.edges().filter(e => e.source().empty() || e.target().empty()).length;
        const labelled = g.nodes().filter(n => n.data('label')).length;
        return [g.nodes().length, g.edges().length, broken, labelled];
    }})()""")
    assert counts == [expected.nodes, expected.edges, 0, expected.nodes]
    assert page_problems(page, live_server.url) == []
