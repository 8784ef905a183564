"""The Cytoscape.js export in headless Chromium as a page of its own would load it: the vendored library, the
file's own ``style`` and nothing else (no stylesheet of the viewer).  Node labels must be drawn and nodes must
carry their level's colour; a screenshot is kept in tests/artifacts/cytoscape-export.png."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.export.formats import export
from graph.export.palette import EDGE_STYLES, LEVEL_COLOURS, NODE_COLOURS
from graph.export.scope import make_scope
from graph.kg import KnowledgeGraph
from graph.vocab import EdgeKind, NodeKind
from tests.helpers.chromium import ARTIFACTS, Page, chromium_tab

VENDOR = Path(__file__).resolve().parents[2] / "api" / "web" / "static" / "vendor" / "cytoscape" / "cytoscape.min.js"


@pytest.fixture(scope="module")
def tab() -> Iterator[Page]:
    with chromium_tab(1200, 800) as page:
        yield page


def _rgb(colour: str) -> str:
    return f"rgb({int(colour[1:3], 16)},{int(colour[3:5], 16)},{int(colour[5:7], 16)})"


@pytest.mark.parametrize("how", ["constructor", "cy.json"])
def test_export_shows_labels_and_level_colours_without_extra_styling(
    tab: Page, kg: KnowledgeGraph, tmp_path: Path, how: str
) -> None:
    doc = export(kg, "cytoscape", make_scope(root="330100", depth=1)).body.decode("utf-8")
    load = (
        "cytoscape({container: document.getElementById('cy'), ...doc, layout: {name: 'preset'}})"
        if how == "constructor"
        else "(() => { const c = cytoscape({container: document.getElementById('cy')}); c.json(doc); return c; })()"
    )
    page = tmp_path / "page.html"
    page.write_text(
        f"""<!doctype html><meta charset="utf-8"><body style="margin:0">
<div id="cy" style="width:1200px;height:800px"></div>
<script src="{VENDOR.as_uri()}"></script>
<script>const doc = {doc}; window.cy = {load}; cy.fit(); window.ready = true;</script>""",
        encoding="utf-8",
    )
    tab.send("Page.navigate", url=page.as_uri())
    tab.wait_for("window.ready === true")
    nodes = tab.js("""cy.nodes().map(n => ({id: n.id(), level: n.data('level'), kind: n.data('kind'),
        label: n.style('label'), bg: n.style('background-color').replace(/ /g, ''),
        shown: n.visible() && n.renderedWidth() > 0}))""")
    assert len(nodes) == len(json.loads(doc)["elements"]["nodes"])
    for n in nodes:
        assert n["shown"] and n["label"], n
        if n["kind"] in ("committee", "departmental"):
            assert n["bg"] == _rgb(LEVEL_COLOURS[n["level"]]), n
    assert {n["label"] for n in nodes} >= {"杭州市保密委", "杭州市保密办", "杭州市委"}
    assert tab.js("cy.edges().every(e => e.style('line-color') !== 'rgb(153,153,153)')")  # not the grey default
    # labels are drawn on the canvas: its pixels hold more than the node fills
    colours = tab.js("""(() => { const c = document.querySelector('#cy canvas[data-id="layer2-node"]');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const seen = new Set();
        for (let i = 0; i < d.length; i += 16) if (d[i + 3]) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
        return seen.size; })()""")
    assert colours > 20
    ARTIFACTS.mkdir(exist_ok=True)
    shot = tab.send("Page.captureScreenshot", format="png")
    (ARTIFACTS / f"cytoscape-export-{how.replace('.', '-')}.png").write_bytes(base64.b64decode(shot["data"]))


def test_export_of_the_administrative_line_draws_its_bureaus(tab: Page, kg: KnowledgeGraph, tmp_path: Path) -> None:
    """Asked for (``edges=administrative``), the file's own style draws each secrecy bureau in its kind's colour and
    shape, and the line's links in the palette's colour."""
    doc = export(kg, "cytoscape", make_scope(root="330100", depth=1, edges="office,administrative")).body
    page = tmp_path / "page.html"
    page.write_text(
        f"""<!doctype html><meta charset="utf-8"><body style="margin:0">
<div id="cy" style="width:1200px;height:800px"></div>
<script src="{VENDOR.as_uri()}"></script>
<script>const doc = {doc.decode("utf-8")}; window.cy = cytoscape({{container: document.getElementById('cy'), ...doc,
layout: {{name: 'preset'}}}}); cy.fit(); window.ready = true;</script>""",
        encoding="utf-8",
    )
    tab.send("Page.navigate", url=page.as_uri())
    tab.wait_for("window.ready === true")
    bureaus = tab.js("""cy.nodes('.kind-bureau').map(n => ({label: n.style('label'), shape: n.style('shape'),
        bg: n.style('background-color').replace(/ /g, ''), shown: n.visible() && n.renderedWidth() > 0}))""")
    committees = len(json.loads(doc)["elements"]["nodes"]) // 3  # each with its office and its bureau
    assert len(bureaus) == committees and committees > 10
    fill = _rgb(NODE_COLOURS[NodeKind.BUREAU].fill)
    assert all(b["shown"] and b["label"] and b["shape"] == "cut-rectangle" and b["bg"] == fill for b in bureaus)
    assert "杭州市保密局" in {b["label"] for b in bureaus}
    line = _rgb(EDGE_STYLES[EdgeKind.ADMINISTRATIVE].colour)
    assert tab.js(f"cy.edges('.administrative').every(e => e.style('line-color').replace(/ /g, '') === '{line}')")
    assert tab.js("cy.edges('.administrative').length") == 2 * committees - 1
