"""Debian's Chromium, headless, driven over the DevTools protocol: one tab (``chromium_tab``) and what a test does
with it (``Page``: commands, waits, real mouse clicks, the events seen so far).  Nothing is downloaded: the test
speaks the protocol itself with websocket-client."""

from __future__ import annotations

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
import websocket

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"  # screenshots the tests keep
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


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
        box = self.wait_for(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
            " const r = e.getBoundingClientRect(); return r.width ? [r.x + r.width / 2, "
            "r.y + r.height / 2] : null; })()"
        )
        self.click(*box)

    def click_node(self, node_id: str) -> None:
        """Click a graph node where it is drawn on the canvas."""
        x, y = self.js(
            f"(() => {{ const n = viz.cy.getElementById({json.dumps(node_id)}); viz.cy.center(n);"
            " const p = n.renderedPosition(); const r = document.getElementById('cy')"
            ".getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; })()"
        )
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
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--mute-audio",
            f"--user-data-dir={profile}",
            *(["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"] if offline else []),
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log_handle,
    )
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


def page_problems(tab: Page, origin: str) -> list[str]:
    """Console errors, uncaught exceptions, failed loads and requests that leave ``origin``, seen so far."""
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
