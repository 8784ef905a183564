"""The pages a person opens besides the viewer, in Debian's Chromium (headless, over the DevTools protocol) with no
network beyond 127.0.0.1: Swagger UI at /docs, ReDoc at /redoc, the landing page at / and the SPARQL query page,
every example of which is clicked and run.

Chromium resolves no host name (``--host-resolver-rules``), so a page that needs another host is blank and fails
here; every request that leaves 127.0.0.1 is reported, and so are console errors, uncaught exceptions and content
security policy violations.  A screenshot of each page is kept in tests/artifacts/pages/.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.sparql.examples import EXAMPLES
from tests.helpers.chromium import Page, chromium_tab

pytestmark = pytest.mark.slow  # opens every page in Chromium

SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "pages"

# Recorded in each document before its own scripts run: the policy violations the page meets.
_WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${where})`);
});
"""


@pytest.fixture(scope="module")
def tab(live_server: Any) -> Iterator[Page]:
    with chromium_tab(1366, 900, offline=True) as page:
        page.send("Page.addScriptToEvaluateOnNewDocument", source=_WATCH_CSP)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        yield page


def _open(tab: Page, url: str) -> None:
    tab.events.clear()
    tab.send("Page.navigate", url=url)
    tab.wait_for("document.readyState === 'complete'")


def _problems(tab: Page, origin: str) -> list[str]:
    """What went wrong on the page so far: requests that left 127.0.0.1, failed loads, console errors, uncaught
    exceptions and policy violations."""
    violations = tab.js("window.__cspViolations || []")  # also reads the events that came in meanwhile
    out: list[str] = []
    for event in tab.events:
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not (url.startswith(origin + "/") or url.startswith(("data:", "blob:", "about:"))):
                out.append(f"request to another host: {url}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            out.append(f"failed load: {params.get('errorText')} {params.get('blockedReason') or ''}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            out.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            out.append(f"console.{params['type']}: {[a.get('value', a.get('description')) for a in params['args']]}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            out.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
    return out + [f"policy violation: {v}" for v in violations]


def _click(tab: Page, selector: str) -> None:
    """A real click on the element, scrolled into view first."""
    tab.wait_for(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
        "if (e) e.scrollIntoView({block: 'center'}); return e !== null; })()"
    )
    tab.click_selector(selector)


def _screenshot(tab: Page, name: str) -> Path:
    shot = tab.send("Page.captureScreenshot", format="png")
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    print(f"screenshot: {path}")  # shown with -s or on failure: where the artefact is
    return path


def _operations(origin: str) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document, once under each of its tags (as both pages list them)."""
    spec = httpx.get(origin + "/openapi.json", timeout=30).json()
    return [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "delete", "patch", "head", "options")
        for _ in operation.get("tags") or ["default"]
    ]


def test_swagger_ui_renders_every_operation_offline(tab: Page, live_server: Any) -> None:
    origin = live_server.url
    _open(tab, origin + "/docs")
    operations = _operations(origin)
    tab.wait_for(f"document.querySelectorAll('.opblock').length === {len(operations)}")
    assert "baomi-kg" in tab.js("document.querySelector('.info .title').textContent")
    shown = tab.js(
        "[...document.querySelectorAll('.opblock-summary')].map(s => "
        "[s.querySelector('.opblock-summary-method').textContent, s.querySelector('[data-path]')"
        ".dataset.path])"
    )
    assert sorted(map(tuple, shown)) == sorted(operations)
    _screenshot(tab, "docs")

    # Try one request from the page: the policy lets Swagger UI call the service.
    healthz = "#operations-operations-healthz_healthz_get"
    _click(tab, f"{healthz} .opblock-summary-control")
    _click(tab, f"{healthz} .try-out__btn")
    _click(tab, f"{healthz} .execute")
    status = tab.wait_for(
        f"(() => {{ const c = document.querySelector('{healthz} .live-responses-table tr.response "
        ".response-col_status'); return c && c.textContent.trim(); })()"
    )
    assert status.startswith("200"), status
    _screenshot(tab, "docs-try-it-out")
    assert _problems(tab, origin) == []


def test_redoc_renders_the_api_offline(tab: Page, live_server: Any) -> None:
    origin = live_server.url
    _open(tab, origin + "/redoc")
    operations = _operations(origin)
    title = tab.wait_for("(() => { const h = document.querySelector('.api-info h1'); return h && h.textContent; })()")
    assert title.startswith("baomi-kg")
    tab.wait_for(f"document.querySelectorAll('[data-section-id*=\"/operation/\"]').length === {len(operations)}")
    # The search box works: its index is built in a worker the policy allows.
    _click(tab, "input[role=search], .search-input")
    tab.send("Input.insertText", text="jurisdiction")
    tab.wait_for("document.querySelectorAll('[data-role=\"search:results\"] li, .search-results li').length > 0")
    _screenshot(tab, "redoc")
    assert _problems(tab, origin) == []


def test_landing_page_links_every_entry_point(tab: Page, live_server: Any) -> None:
    origin = live_server.url
    _open(tab, origin + "/")
    links = tab.js("[...document.querySelectorAll('li a')].map(a => a.getAttribute('href'))")
    for path in ("/viz", "/sparql", "/docs", "/ontology", "/.well-known/void"):
        assert any(href == path or href.startswith(path + "?") for href in links), (path, links)
    tab.wait_for("document.querySelector('h1') && document.querySelector('h1').textContent === 'baomi-kg'")
    _screenshot(tab, "landing")
    assert _problems(tab, origin) == []


def test_every_sparql_example_runs(tab: Page, live_server: Any) -> None:
    origin = live_server.url
    _open(tab, origin + "/sparql")
    titles = tab.wait_for(
        "(() => { const a = [...document.querySelectorAll('#examples a')]; "
        "return a.length ? a.map(x => x.textContent) : null; })()"
    )
    assert titles == [title for title, _ in EXAMPLES]
    for number, (title, query) in enumerate(EXAMPLES, start=1):
        _click(tab, f"#examples li:nth-child({number}) a")
        assert tab.js("document.getElementById('query').value") == query, title
        tab.js("document.getElementById('status').textContent = ''")
        _click(tab, "#run")
        tab.wait_for("/\\d+ ms$/.test(document.getElementById('status').textContent)")
        error = tab.js("(() => { const e = document.querySelector('#result .error'); return e && e.textContent; })()")
        assert error is None, (title, error)
        rows = tab.js("document.querySelectorAll('#result table tr').length")
        assert rows > 1, (title, tab.js("document.getElementById('result').textContent.slice(0, 500)"))
        _screenshot(tab, f"sparql-example-{number}")
    assert _problems(tab, origin) == []


def test_sparql_page_shows_a_graph_answer_as_a_table_of_triples(tab: Page, live_server: Any) -> None:
    origin = live_server.url
    _open(tab, origin + "/sparql")
    query = (
        'CONSTRUCT { ?s rdfs:label "a \\"quoted\\" \\\\ line\\nbreak 溪湖"@zh ; rdfs:seeAlso [] } '
        "WHERE { BIND(committee:330106 AS ?s) }"
    )
    tab.js(f"document.getElementById('query').value = {json.dumps(query)}")
    _click(tab, "#run")
    tab.wait_for("document.querySelectorAll('#result table tr').length === 3")
    rows = tab.js("[...document.querySelectorAll('#result table tr')].map(r => [...r.cells].map(c => c.textContent))")
    assert rows[0] == ["subject", "predicate", "object"]
    by_predicate = {row[1]: row for row in rows[1:]}
    label = by_predicate["http://www.w3.org/2000/01/rdf-schema#label"]
    assert label[0].endswith("/id/committee/330106")
    assert label[2] == 'a "quoted" \\ line\nbreak 溪湖 @zh'
    assert by_predicate["http://www.w3.org/2000/01/rdf-schema#seeAlso"][2].startswith("_:")
    assert _problems(tab, origin) == []


def test_the_browser_reaches_no_other_host_and_the_checks_see_what_a_page_tries(tab: Page, live_server: Any) -> None:
    origin = live_server.url
    _open(tab, origin + "/")
    assert _problems(tab, origin) == []
    tab.js(
        "document.body.appendChild(Object.assign(document.createElement('img'), "
        "{src: 'https://cdn.jsdelivr.net/x.png'}))"
    )
    time.sleep(0.5)
    assert any(
        p.startswith("policy violation: img-src blocked https://cdn.jsdelivr.net/x.png") for p in _problems(tab, origin)
    )
    tab.events.clear()
    tab.send("Page.navigate", url="https://cdn.jsdelivr.net/")
    tab.wait_for("document.readyState === 'complete'")
    found = _problems(tab, origin)
    assert "request to another host: https://cdn.jsdelivr.net/" in found
    assert any("ERR_NAME_NOT_RESOLVED" in p for p in found), found


def test_pages_name_no_other_host_in_their_policy(live_server: Any) -> None:
    for path in ("/docs", "/redoc", "/", "/sparql"):
        r = httpx.get(live_server.url + path, headers={"Accept": "text/html"}, timeout=30)
        policy = r.headers["content-security-policy"]
        assert (
            r.status_code == 200
            and "http" not in policy
            and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        ), (path, policy)
        assert not re.search(r'(?:src|href)="(?:https?:)?//', r.text), path


def test_example_queries_are_shown_unescaped(live_server: Any) -> None:
    """The examples travel in a JSON block of the page: '&&' must stay '&&' (it arrived as '&amp;&amp;')."""
    page = httpx.get(live_server.url + "/sparql", headers={"Accept": "text/html"}, timeout=30).text
    block = re.search(r'<script id="example-data" type="application/json">(.*?)</script>', page, flags=re.DOTALL)
    assert block is not None
    assert json.loads(block.group(1)) == [{"title": t, "query": q} for t, q in EXAMPLES]
