"""The viewer at /viz in a real browser: Debian's Chromium, headless, driven over the DevTools protocol.

One browser session walks through what a person does: the page opens on the centre and the provinces; a
county is found by pinyin, picked and clicked on the canvas; the side panel shows its office and chain; a
province is clicked open and then expanded with all its counties (in under 2 s); the whole graph is loaded
and a province is expanded again beside it; the view is exported.  The session fails on any JavaScript
error or console error, and on any request that leaves 127.0.0.1.  A screenshot is kept in
tests/artifacts/viewer.png.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import websocket  # websocket-client: the test speaks the DevTools protocol itself, no browser is downloaded

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EXPAND_BUDGET_MS = 2000


class Page:
    """One Chromium tab over the DevTools protocol: commands, and the events that the test checks."""

    def __init__(self, ws_url: str) -> None:
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self.events.append(message)

    def js(self, expression: str) -> Any:
        """Evaluate in the page (awaiting promises) and return the value."""
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        shown = self.js("document.getElementById('status') && document.getElementById('status').textContent")
        raise AssertionError(f"timed out waiting for {expression}; the page's status line: {shown}")

    def click(self, x: float, y: float) -> None:
        """A real mouse click at page coordinates."""
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        self.send("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.send("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def click_selector(self, selector: str) -> None:
        box = self.wait_for(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
                            " const r = e.getBoundingClientRect(); return r.width ? [r.x + r.width / 2, "
                            "r.y + r.height / 2] : null; })()")
        self.click(*box)

    def click_node(self, node_id: str) -> None:
        """Click a graph node where it is drawn on the canvas."""
        x, y = self.js(f"(() => {{ const n = viz.cy.getElementById({json.dumps(node_id)}); viz.cy.center(n);"
                       " const p = n.renderedPosition(); const r = document.getElementById('cy')"
                       ".getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; })()")
        self.click(x, y)

    def close(self) -> None:
        self.ws.close()


@contextmanager
def chromium_tab(width: int, height: int, mobile: bool = False, *, offline: bool = False) -> Iterator[Page]:
    """A headless Debian Chromium with one tab of ``width`` x ``height`` CSS pixels, closed afterwards;
    ``offline``: every host name but 127.0.0.1 fails to resolve, so a page must work with this machine alone."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed (./dev.sh test installs Debian's chromium)")
    profile = tempfile.mkdtemp(prefix="baomi-kg-chromium-")
    log = Path(profile) / "chromium.log"
    log_handle = log.open("wb")  # a file, not a pipe: a pipe nobody reads would block a chatty browser
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}",
         *(["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"] if offline else []),
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", f"--window-size={width},{height}",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=log_handle)
    try:
        port = _devtools_port(proc, log)
        targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        tab = Page(ws_url)
        for domain in ("Runtime", "Log", "Network", "Page"):
            tab.send(f"{domain}.enable")
        tab.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
        yield tab
        tab.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log_handle.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page(live_server: Any) -> Iterator[Page]:
    with chromium_tab(1500, 950) as tab:
        yield tab


def _devtools_port(proc: subprocess.Popen[bytes], log: Path) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", log.read_text(errors="replace"))
        if match:
            return int(match.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"Chromium did not start its DevTools endpoint: {log.read_text(errors='replace')[-1000:]}")


def _problems(tab: Page, origin: str) -> list[str]:
    """Console errors, uncaught exceptions, failed loads and requests that leave the host, seen so far."""
    out: list[str] = []
    for event in tab.events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            out.append(f"exception: {params['exceptionDetails'].get('exception', {}).get('description')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            out.append(f"console.{params['type']}: {[a.get('value', a.get('description')) for a in params['args']]}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            out.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not (url.startswith(origin + "/") or url.startswith(("data:", "blob:", "about:"))):
                out.append(f"off-host request: {url}")
    return out


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
    office = page.wait_for(f"(() => {{ const e = document.getElementById('panel-office'); return e && "
                           f"e.textContent.includes({json.dumps(county.office.name_zh)}) ? e.textContent : null; }})()")
    assert county.office.nameplate_zh in office
    chain = page.js("[...document.querySelectorAll('#panel-chain a')].map(a => a.dataset.id)")
    assert chain == ["330122", "330100", "330000", "central"]
    assert page.js("document.getElementById('panel-title').textContent") == county.name_zh
    assert page.js("document.querySelectorAll('#panel-duties > li').length") == 8

    # Click a province open (its cities), then expand it with all its counties: rendered within the budget.
    page.click_node("committee:510000")
    page.wait_for("viz.state.expanded.has('510000') && viz.state.busy === 0")
    cities = "viz.cy.nodes('.kind-committee.level-municipal').filter(n => n.data('upper') === '510000').length"
    assert page.js(cities) > 10
    page.click_selector("#expand-subtree")
    page.wait_for("viz.state.timings.length > 0 && viz.state.busy === 0 && "
                  "viz.state.timings[viz.state.timings.length - 1].params.root === '510000' && "
                  "!('depth' in viz.state.timings[viz.state.timings.length - 1].params)")
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
    page.wait_for(f"viz.cy.nodes('.kind-committee, .kind-departmental').length === {len(kg.directory.committees)} && "
                  "viz.state.busy === 0", timeout=120)
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

    assert _problems(page, origin) == []


@pytest.mark.parametrize("query", ["", "lang=en", "root=330000&depth=2", "root=330000&depth=2&lang=en"],
                         ids=["whole-zh", "whole-en", "subtree-zh", "subtree-en"])
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
    assert _problems(page, live_server.url) == []
