"""The viewer at /viz on a desktop (1366x768) and on a phone (390x844), in headless Chromium against a real server.

On both screens: the graph takes the page's width on a phone with no sideways scroll; every label in the first
view is drawn at 10 px or more; the details panel can be opened, read and closed; English labels are laid out
again without overlapping; ``xihu`` + Enter lists the equal candidates instead of opening one; a clicked
committee stays where it is drawn while it expands; Reset clears the search box.  Screenshots of each screen
are written under the pytest temporary directory (their folder is printed).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.chromium import Page, chromium_tab, page_problems

pytestmark = pytest.mark.slow  # drives the viewer in Chromium on two screens

MIN_LABEL_PX = 10  # the smallest rendered font size counted as readable
# Label boxes may touch: Cytoscape.js rounds the measured text, so an overlap of up to a pixel each way is not
# one a reader sees.  Anything larger is two labels drawn over each other.
OVERLAP_TOLERANCE = 1.0
KEEP_PLACE_PX = 3


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    mobile: bool
    min_committees: int  # committees whose labels the first view must show


SCREENS = [Screen("desktop", 1366, 768, False, 12), Screen("phone", 390, 844, True, 4)]


@pytest.fixture(scope="module", params=SCREENS, ids=[s.name for s in SCREENS])
def screen(request: pytest.FixtureRequest, live_server: Any) -> Iterator[tuple[Screen, Page]]:
    size: Screen = request.param
    with chromium_tab(size.width, size.height, mobile=size.mobile) as tab:
        yield size, tab


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("viewer-screens")
    print(f"\nviewer screenshots: {folder}")
    return folder


def _open(tab: Page, origin: str) -> None:
    tab.events.clear()
    tab.send("Page.navigate", url=origin + "/viz")
    tab.wait_for(
        "document.readyState === 'complete' && document.body && document.body.dataset.ready === 'true'", timeout=120
    )
    tab.wait_for("viz.state.busy === 0")


def _shoot(tab: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    path.write_bytes(base64.b64decode(tab.send("Page.captureScreenshot", format="png")["data"]))
    print(f"screenshot: {path}")
    return path


def _visible(tab: Page, selector: str) -> bool:
    """``selector`` is displayed and its middle lies inside the window."""
    return bool(
        tab.js(f"""(() => {{
        const e = document.querySelector({json.dumps(selector)});
        if (!e) return false;
        const r = e.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
        return r.width > 0 && r.height > 0 && x >= 0 && y >= 0 && x <= innerWidth && y <= innerHeight &&
            getComputedStyle(e).visibility !== 'hidden';
    }})()""")
    )


def _show_tools(tab: Page) -> None:
    """On a narrow screen the tools fold under a button: open them."""
    if not _visible(tab, "#reset"):
        tab.click_selector("#tools-toggle")
        tab.wait_for("document.body.classList.contains('tools-open')")


# Every node drawn inside the graph's box, with its rendered font size and whether its label is drawn at all.
LABELS_IN_VIEW = """(() => {
    const cy = viz.cy, z = cy.zoom(), ext = cy.extent();
    return cy.nodes(':visible').filter(n => {
        const b = n.boundingBox({ includeLabels: false });
        return b.x2 > ext.x1 && b.x1 < ext.x2 && b.y2 > ext.y1 && b.y1 < ext.y2;
    }).map(n => {
        const px = parseFloat(n.style('font-size')) * z;
        return { id: n.id(), kind: n.data('kind'), px, drawn: px >= parseFloat(n.style('min-zoomed-font-size')) };
    });
})()"""

# Pairs of visible nodes whose boxes with their labels overlap by more than the tolerance both ways (model px).
OVERLAPS = """((tolerance) => {
    const boxes = viz.cy.nodes(':visible')
        .map(n => [n.id(), n.boundingBox({ includeLabels: true, includeOverlays: false })]);
    boxes.sort((a, b) => a[1].x1 - b[1].x1);
    const out = [];
    for (let i = 0; i < boxes.length; i += 1) {
        const [ida, a] = boxes[i];
        for (let j = i + 1; j < boxes.length && boxes[j][1].x1 < a.x2 - tolerance; j += 1) {
            const [idb, b] = boxes[j];
            const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
            if (w > tolerance && h > tolerance) out.push([ida, idb, Math.round(w), Math.round(h)]);
        }
    }
    return out;
})"""


def test_first_view_takes_the_width_and_reads(screen: tuple[Screen, Page], live_server: Any, shots: Path) -> None:
    size, tab = screen
    _open(tab, live_server.url)
    layout = tab.js("""(() => ({ graph: document.getElementById('cy').getBoundingClientRect().width,
        page: document.documentElement.scrollWidth, window: innerWidth, zoom: viz.cy.zoom() }))()""")
    print(
        f"{size.name}: graph {layout['graph']:.0f} of {layout['window']} px, page {layout['page']} px, "
        f"first zoom {layout['zoom']:.2f}"
    )
    assert layout["window"] == size.width
    assert layout["page"] <= size.width, "the page scrolls sideways"
    if size.mobile:
        assert layout["graph"] >= 0.9 * size.width
    else:
        assert layout["graph"] >= 0.7 * size.width

    labels = tab.js(LABELS_IN_VIEW)
    small = [(n["id"], round(n["px"], 1)) for n in labels if not n["drawn"] or n["px"] < MIN_LABEL_PX]
    assert small == [], f"labels in the first view smaller than {MIN_LABEL_PX} px: {small[:10]}"
    committees = [n["id"] for n in labels if n["kind"] in ("committee", "departmental")]
    assert "committee:central" in committees
    assert len(committees) >= size.min_committees, committees
    assert tab.js(f"({OVERLAPS})({OVERLAP_TOLERANCE})") == []
    _shoot(tab, shots, f"{size.name}-first-view")
    assert page_problems(tab, live_server.url) == []


def test_panel_opens_and_closes(screen: tuple[Screen, Page], live_server: Any, shots: Path) -> None:
    size, tab = screen
    _open(tab, live_server.url)
    tab.click_node("committee:330000")
    tab.wait_for(
        "viz.state.selected === '330000' && viz.state.busy === 0 && document.getElementById('panel-chain') !== null"
    )
    if not size.mobile:
        assert _visible(tab, "#panel-title") and not _visible(tab, "#panel-toggle")
        return
    # A bottom sheet: closed it shows the picked committee's name over the graph and leaves the graph its width.
    assert not _visible(tab, "#panel-title")
    assert _visible(tab, "#panel-peek") and tab.js("document.getElementById('panel-peek').textContent") == tab.js(
        "viz.state.byId.get('330000').name_zh"
    )
    tab.click_selector("#panel-toggle")
    tab.wait_for("document.body.classList.contains('panel-open')")
    assert _visible(tab, "#panel-title") and _visible(tab, "#panel-office")
    title = tab.js("document.getElementById('panel-title').textContent")
    assert title == tab.js("viz.state.byId.get('330000').name_zh")
    sheet = tab.js("document.getElementById('panel').getBoundingClientRect().toJSON()")
    assert sheet["width"] <= size.width and sheet["height"] < 0.8 * size.height
    _shoot(tab, shots, f"{size.name}-panel-open")
    tab.click_selector("#panel-toggle")
    tab.wait_for("!document.body.classList.contains('panel-open')")
    assert not _visible(tab, "#panel-title")
    assert tab.js("document.getElementById('cy').getBoundingClientRect().width") >= 0.9 * size.width
    assert page_problems(tab, live_server.url) == []


def test_english_is_laid_out_again(screen: tuple[Screen, Page], live_server: Any, shots: Path) -> None:
    size, tab = screen
    _open(tab, live_server.url)
    tab.click_node("committee:330000")
    tab.wait_for("viz.state.expanded.has('330000') && viz.state.busy === 0")
    _show_tools(tab)
    tab.js(
        "(() => { const s = document.getElementById('lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); })()"
    )
    tab.wait_for("viz.state.lang === 'en' && viz.cy.getElementById('committee:330000').data('lab_en') !== undefined")
    tab.wait_for("new Promise(r => requestAnimationFrame(() => r(true)))")
    overlaps = tab.js(f"({OVERLAPS})({OVERLAP_TOLERANCE})")
    assert overlaps == [], f"overlapping labels after switching to English: {overlaps[:10]}"
    assert tab.js("viz.cy.getElementById('committee:330000').style('label')").startswith("Zhejiang")
    _shoot(tab, shots, f"{size.name}-english")
    assert page_problems(tab, live_server.url) == []


def test_equal_matches_are_listed(screen: tuple[Screen, Page], live_server: Any) -> None:
    _, tab = screen
    _open(tab, live_server.url)
    tab.click_selector("#search")
    tab.send("Input.insertText", text="xihu")
    tab.send("Input.dispatchKeyEvent", type="keyDown", key="Enter", code="Enter", windowsVirtualKeyCode=13)
    tab.send("Input.dispatchKeyEvent", type="keyUp", key="Enter", code="Enter", windowsVirtualKeyCode=13)
    tab.wait_for(
        "document.getElementById('results').dataset.ambiguous === 'true' && "
        "document.querySelector('#results li.note') !== null"
    )
    listed = tab.js("[...document.querySelectorAll('#results li[data-id]')].map(li => li.dataset.id)")
    assert {"330106", "210503", "360103"} <= set(listed)  # 杭州 西湖区, 本溪 溪湖区, 南昌 西湖区
    assert tab.js("viz.state.selected") == "central", "Enter opened one of several equal matches"
    assert _visible(tab, '#results li[data-id="330106"]')
    assert tab.js("document.documentElement.scrollWidth") <= tab.js("innerWidth")
    tab.click_selector('#results li[data-id="330106"]')
    tab.wait_for("viz.state.selected === '330106' && viz.state.busy === 0")
    assert tab.js("document.getElementById('results').hidden")
    assert page_problems(tab, live_server.url) == []


def test_clicked_node_stays_in_place(screen: tuple[Screen, Page], live_server: Any) -> None:
    _, tab = screen
    _open(tab, live_server.url)
    for committee in ("330000", "330100"):  # a province opens its cities, then a city its districts
        node = f"committee:{committee}"
        tab.wait_for(f"viz.cy.getElementById('{node}').nonempty()")
        x, y = tab.js(f"""(() => {{ const cy = viz.cy, n = cy.getElementById('{node}'); cy.center(n);
            cy.panBy({{ x: -cy.width() / 5, y: -cy.height() / 4 }});
            const p = n.renderedPosition(), r = document.getElementById('cy').getBoundingClientRect();
            return [r.x + p.x, r.y + p.y]; }})()""")
        tab.click(x, y)
        tab.wait_for(f"viz.state.expanded.has('{committee}') && viz.state.busy === 0")
        after = tab.js(f"""(() => {{ const p = viz.cy.getElementById('{node}').renderedPosition(),
            r = document.getElementById('cy').getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }})()""")
        moved = max(abs(after[0] - x), abs(after[1] - y))
        assert moved <= KEEP_PLACE_PX, f"{committee} moved {moved:.1f} px when it expanded"
        children = tab.js(f"viz.cy.nodes('.kind-committee').filter(n => n.data('upper') === '{committee}').length")
        assert children > 0
    assert page_problems(tab, live_server.url) == []


def test_reset_clears_the_search(screen: tuple[Screen, Page], live_server: Any) -> None:
    _, tab = screen
    _open(tab, live_server.url)
    tab.click_selector("#search")
    tab.send("Input.insertText", text="tonglu")
    tab.wait_for("document.querySelector('#results li[data-id=\"330122\"]') !== null")
    tab.click_selector('#results li[data-id="330122"]')
    tab.wait_for("viz.state.selected === '330122' && viz.state.busy === 0")
    assert tab.js("document.getElementById('search').value") != ""
    _show_tools(tab)
    tab.click_selector("#reset")
    tab.wait_for("viz.state.selected === 'central' && viz.state.busy === 0 && viz.state.expanded.size === 1")
    assert tab.js("document.getElementById('search').value") == ""
    assert tab.js("document.getElementById('results').hidden")
    assert page_problems(tab, live_server.url) == []


def _panel_title(tab: Page, name: str) -> None:
    tab.wait_for(
        f"document.getElementById('panel-title') && "
        f"document.getElementById('panel-title').textContent === {json.dumps(name)} && viz.state.busy === 0"
    )


def test_the_date_control_redraws_the_tree_as_of_that_day(
    screen: tuple[Screen, Page], live_server: Any, shots: Path
) -> None:
    size, tab = screen
    _open(tab, live_server.url)
    _show_tools(tab)
    assert _visible(tab, "#as-of") and _visible(tab, "#today")
    tab.js(
        "(() => { const i = document.getElementById('as-of'); i.value = '2009-06-30'; "
        "i.dispatchEvent(new Event('change')); return true; })()"
    )
    tab.wait_for("viz.state.asOf === '2009-06-30' && viz.state.selected === 'central' && viz.state.busy === 0")
    assert tab.js("new URLSearchParams(location.search).get('as_of')") == "2009-06-30"
    assert tab.js("document.body.hasAttribute('data-past')")
    assert "as_of=2009-06-30" in tab.js("document.getElementById('export-link').href")
    tab.js("viz.jumpTo('420600').then(() => true)")
    _panel_title(tab, "中共襄樊市委保密委员会")
    assert tab.js("viz.cy.getElementById('committee:420600').data('name_zh')") == "中共襄樊市委保密委员会"
    assert "2009-06-30" in tab.js("document.getElementById('panel-as-of').textContent")
    chain = tab.js("[...document.querySelectorAll('#panel-chain a')].map(a => a.dataset.id)")
    assert chain == ["420600", "420000", "central"]
    _shoot(tab, shots, f"{size.name}-as-of-2009")
    # Back to today: 襄樊 is 襄阳 again, and the address forgets the day.
    _show_tools(tab)
    tab.click_selector("#today")
    tab.wait_for("viz.state.asOf === '' && viz.state.selected === 'central' && viz.state.busy === 0")
    assert tab.js("location.search") == "" and not tab.js("document.body.hasAttribute('data-past')")
    tab.js("viz.jumpTo('420600').then(() => true)")
    _panel_title(tab, "中共襄阳市委保密委员会")
    assert tab.js("document.getElementById('panel-as-of')") is None
    # The address with a day opens on that day.
    tab.send("Page.navigate", url=live_server.url + "/viz?as_of=2015")
    tab.wait_for("document.body && document.body.dataset.ready === 'true' && viz.state.busy === 0", timeout=120)
    assert tab.js("viz.state.asOf") == "2015-12-31" == tab.js("document.getElementById('as-of').value")
    assert page_problems(tab, live_server.url) == []
