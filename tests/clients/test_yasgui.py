"""YASGUI from npm on a page of another origin, in headless Chromium: a second local HTTP server (another port of
127.0.0.1) serves a page that loads YASGUI and points it at /sparql; the query typed into the editor runs when the
run button is clicked, and the results table shows the rows.  The browser resolves no host name, so nothing but
the two local servers is reached.  A screenshot is kept in tests/artifacts/clients/."""

from __future__ import annotations

import base64
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.helpers.chromium import Page, chromium_tab
from tests.helpers.client_queries import EXPECTED_SELECT, SELECT
from tests.helpers.server import LiveServer

pytestmark = pytest.mark.slow  # opens YASGUI in Chromium

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent / "artifacts" / "clients"


class _PageHandler(SimpleHTTPRequestHandler):
    """The YASGUI page at / and YASGUI's build files under /yasgui/."""

    def __init__(self, *args: Any, build: Path, **kwargs: Any) -> None:
        self.build = build
        super().__init__(*args, directory=str(build), **kwargs)

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0]
        if path == "/":
            return str(HERE / "yasgui.html")
        if path.startswith("/yasgui/") and "/" not in path[len("/yasgui/") :]:
            return str(self.build / path[len("/yasgui/") :])
        return str(self.build / "missing")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def page_origin(node_modules: Path) -> Iterator[str]:
    handler = functools.partial(_PageHandler, build=node_modules / "@zazuko" / "yasgui" / "build")
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tab() -> Iterator[Page]:
    with chromium_tab(1366, 900, offline=True) as page:
        yield page


def test_yasgui_on_another_origin_shows_the_results(tab: Page, page_origin: str, live_server: LiveServer) -> None:
    endpoint = live_server.url + "/sparql"
    assert page_origin != live_server.url
    tab.send("Page.navigate", url=f"{page_origin}/?endpoint={quote(endpoint, safe='')}")
    tab.wait_for("document.readyState === 'complete' && !!window.yasgui && !!document.querySelector('.yasqe')")
    # Type the query as a person does: select the editor's text and type over it.
    tab.js("yasgui.getTab().getYasqe().setValue(''); yasgui.getTab().getYasqe().focus(); true")
    tab.send("Input.insertText", text=SELECT)
    assert tab.js("yasgui.getTab().getYasqe().getValue()") == SELECT
    tab.click_selector(".yasqe_queryButton")
    cells = tab.wait_for(
        "(() => { const rows = [...document.querySelectorAll('.yasr table.dataTable tbody tr')];"
        " return rows.length ? rows.map((r) => r.textContent) : null; })()",
        timeout=30,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = tab.send("Page.captureScreenshot", format="png")
    (SCREENSHOTS / "yasgui-another-origin.png").write_bytes(base64.b64decode(shot["data"]))
    assert len(cells) == len(EXPECTED_SELECT), cells
    for cell, iri in zip(cells, EXPECTED_SELECT, strict=True):
        assert iri.rsplit("/", 1)[1] in cell, cells
    # The answer came across origins: the browser let the page read it because the endpoint allowed it.
    responses = [
        e["params"]["response"]
        for e in tab.events
        if e["method"] == "Network.responseReceived" and e["params"]["response"]["url"].startswith(endpoint)
    ]
    assert responses, "YASGUI sent no request to the endpoint"
    assert any(
        r["status"] == 200
        and {k.lower(): v for k, v in r["headers"].items()}.get("access-control-allow-origin") in ("*", page_origin)
        for r in responses
    ), responses
