"""Exports of big scopes as their readers show them.

* Mermaid: every scope the API offers (every province at depth 2 with all links and with the tree alone, the
  whole graph, chains) is either drawn by the real mermaid-cli from npm, in Debian's Chromium, or refused with
  a problem naming Mermaid's limits and scopes that fit, which are then drawn too.  mermaid-cli is installed
  once under ``.cache/mermaid-cli`` (not committed; ``PUPPETEER_SKIP_DOWNLOAD=1``: no browser is downloaded).
* Pictures: every province at depth 2, in Chinese and in English, is drawn with an aspect ratio between
  1:4 and 4:1, no two boxes overlapping, and labels readable at a sensible width (see :func:`shown_font_px`).
* GraphML read by igraph (a test dependency) without a warning.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.export.formats import export
from graph.export.mermaid import MERMAID_LIMITS
from graph.export.projection import project
from graph.export.render import FONT_SIZE
from graph.export.scope import make_scope
from graph.kg import KnowledgeGraph

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "mermaid-cli"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SVG = "{http://www.w3.org/2000/svg}"

# A picture is read whole on a screen: at its own size (1 pt = 4/3 CSS px) while that fits, and scaled down to a
# 4K screen's width (3,840 px, also a 1920 px screen at 200 %) beyond.  At that scale a label must be at least
# 8 px: the smallest size at which CJK characters keep their strokes apart (W3C clreq advises no less for
# Chinese text on screen).
SENSIBLE_WIDTH_PX = 3840
MIN_LABEL_PX = 8.0
MIN_RATIO, MAX_RATIO = 1 / 4, 4


def shown_font_px(font_size: float, units_to_px: float, width_px: float) -> float:
    """The size in px of a label of ``font_size`` picture units, the picture shown at its own size
    (``units_to_px``) or fitted to :data:`SENSIBLE_WIDTH_PX` when wider."""
    return font_size * units_to_px * min(1.0, SENSIBLE_WIDTH_PX / width_px)


@pytest.fixture(scope="module")
def api(client: TestClient) -> TestClient:
    """The session's in-process client: the app with its defaults, opened once."""
    return client


def provinces(kg: KnowledgeGraph) -> list[str]:
    return list(kg.directory.subordinates["central"])


# -- Mermaid ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mmdc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """mermaid-cli from npm, installed once under .cache/, driving Debian's Chromium."""
    exe = CACHE / "node_modules" / ".bin" / "mmdc"
    if not exe.exists():
        if shutil.which("npm") is None:
            pytest.fail("npm is not installed: mermaid-cli cannot be installed")
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "@mermaid-js/mermaid-cli@11"],
            cwd=CACHE,
            env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
            check=True,
            capture_output=True,
            timeout=600,
        )
    config = CACHE / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": CHROMIUM, "args": ["--no-sandbox"]}))
    return exe


def mermaid_scopes(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    """Every kind of scope the API offers, at its largest: each province at depth 2 with all links and with the
    tree alone, the whole graph, its first two levels, and a county's chain."""
    scopes: dict[str, dict[str, Any]] = {"whole": {}, "whole-depth1": {"depth": 1}, "chain-330106": {"chain": "330106"}}
    for p in provinces(kg):
        scopes[f"{p}-depth2"] = {"root": p, "depth": 2}
        scopes[f"{p}-depth2-tree"] = {"root": p, "depth": 2, "edges": "guidance", "lang": "en"}
    return scopes


@pytest.mark.slow
def test_mermaid_cli_draws_every_scope_offered_or_the_api_names_the_limit(
    api: TestClient, kg: KnowledgeGraph, mmdc: Path, tmp_path: Path
) -> None:
    drawn: dict[str, str] = {}
    refused: dict[str, dict[str, Any]] = {}
    for name, params in mermaid_scopes(kg).items():
        r = api.get("/api/v1/export", params={"format": "mermaid", **params})
        if r.status_code == 200:
            drawn[name] = r.text
            continue
        assert r.status_code == 422, (name, r.text)
        problem = r.json()
        assert problem["limits"] == MERMAID_LIMITS, name
        assert (
            problem["size"]["links"] > MERMAID_LIMITS["maxEdges"]
            or problem["size"]["characters"] > MERMAID_LIMITS["maxTextSize"]
        ), name
        assert "maxEdges" in problem["detail"] and "maxTextSize" in problem["detail"]
        assert problem["suggestions"], f"{name}: refused with no scope that fits"
        refused[name] = problem
        for i, fit in enumerate(problem["suggestions"]):  # each scope offered instead is drawn
            r = api.get(
                "/api/v1/export",
                params={"format": "mermaid", **params, "depth": fit["depth"], "edges": ",".join(fit["edges"])},
            )
            assert r.status_code == 200, (name, fit, r.text)
            drawn[f"{name}-fit{i}"] = r.text
    assert refused.keys() >= {"whole", "510000-depth2"}  # 四川: 1,023 arrows
    assert "510000-depth2-tree" in drawn  # the tree of the largest province fits

    # mermaid-cli draws the diagrams nearest its limits (the five longest and the five with most arrows, every
    # scope offered for 四川) and a small one, in one run over a Markdown file: one SVG each, in order. Every
    # diagram comes from the same writer, so these stand for the rest at a fraction of the time.
    arrows = {n: len(re.findall(r"--|-\.-|==", text)) for n, text in drawn.items()}
    names = sorted(
        {
            *sorted(drawn, key=lambda n: len(drawn[n]))[-5:],
            *sorted(drawn, key=arrows.__getitem__)[-5:],
            *(n for n in drawn if n.startswith("510000")),
            min(drawn, key=lambda n: len(drawn[n])),
        }
    )
    source = tmp_path / "all.md"
    source.write_text("".join(f"```mermaid\n{drawn[n]}```\n\n" for n in names), encoding="utf-8")
    done = subprocess.run(
        [str(mmdc), "-p", str(CACHE / "puppeteer.json"), "-i", str(source), "-o", str(tmp_path / "out.md")],
        capture_output=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    for i, name in enumerate(names, start=1):
        svg = (tmp_path / f"out-{i}.svg").read_text(encoding="utf-8")
        assert "Maximum text size" not in svg and "Syntax error" not in svg, name
        nodes = len(re.findall(r'<g class="node ', svg))
        declared = len(re.findall(r"^n[0-9a-f]+[\[\(\{]", drawn[name], flags=re.M))
        assert nodes == declared > 0, (name, nodes, declared)


@pytest.mark.slow
def test_mermaid_refusal_in_the_cli_names_the_limit_and_the_scopes_that_fit(capsys: pytest.CaptureFixture[str]) -> None:
    from api.cli.main import main

    assert main(["export", "--format", "mermaid", "--root", "510000", "--depth", "2"]) == 2
    err = capsys.readouterr().err
    assert "maxEdges" in err and "depth=2 edges=guidance" in err and "depth=1" in err


# -- pictures --------------------------------------------------------------------------------------------
def _boxes(svg: ET.Element) -> list[tuple[float, float, float, float]]:
    """The bounding box of each node's shape (the first polygon, path or ellipse of each node group)."""
    out = []
    for node in svg.iter(f"{SVG}g"):
        if node.get("class") != "node":
            continue
        shape = next(e for e in node.iter() if e.tag in (f"{SVG}polygon", f"{SVG}path"))
        text = shape.get("points") or shape.get("d") or ""
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text)]
        xs, ys = numbers[0::2], numbers[1::2]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def _overlapping(boxes: list[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    found = []
    for a, i in enumerate(order):
        for j in order[a + 1 :]:
            if boxes[j][0] >= boxes[i][2]:
                break
            if boxes[j][1] < boxes[i][3] and boxes[i][1] < boxes[j][3]:
                found.append((i, j))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_province_at_depth_2_is_a_readable_picture(kg: KnowledgeGraph, lang: str) -> None:
    figures = {}
    for p in provinces(kg):
        scope = make_scope(root=p, depth=2, lang=lang)
        body = export(kg, "svg", scope).body
        svg = ET.fromstring(body)
        width_pt, height_pt = (float(svg.get(a, "").removesuffix("pt")) for a in ("width", "height"))
        ratio = width_pt / height_pt
        assert MIN_RATIO <= ratio <= MAX_RATIO, f"{p}: {width_pt:.0f} x {height_pt:.0f} pt"
        group = svg.find(f"{SVG}g")
        found = re.search(r"scale\(([\d.]+)", "" if group is None else group.get("transform", ""))
        assert found, f"{p}: the picture's first group carries no scale"
        scale = float(found.group(1))
        sizes = [
            float(t.get("font-size", "0"))
            for g in svg.iter(f"{SVG}g")
            if g.get("class") == "node"
            for t in g.iter(f"{SVG}text")
        ]
        assert len(sizes) >= project(kg.directory, scope).number_of_nodes()
        px = shown_font_px(min(sizes) * scale, 4 / 3, width_pt * 4 / 3)
        assert px >= MIN_LABEL_PX, f"{p}: labels of {px:.1f} px on a {width_pt * 4 / 3:.0f} px wide picture"
        assert not _overlapping(_boxes(svg)), p
        figures[p] = (round(ratio, 2), round(px, 1))
    print(lang, figures)


def _png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", body[16:24])
    return width, height


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_png_of_the_largest_province_is_not_a_strip(kg: KnowledgeGraph, lang: str) -> None:
    largest = max(
        provinces(kg),
        key=lambda p: (
            len(kg.directory.subordinates.get(p, []))
            + sum(len(kg.directory.subordinates.get(c, [])) for c in kg.directory.subordinates.get(p, []))
        ),
    )
    body = export(kg, "png", make_scope(root=largest, depth=2, lang=lang)).body
    width, height = _png_size(body)
    assert MIN_RATIO <= width / height <= MAX_RATIO, (width, height)
    assert max(width, height) < 32767  # Graphviz's cap: a larger picture would be scaled down
    assert shown_font_px(FONT_SIZE, 110 / 72, width) >= MIN_LABEL_PX  # drawn at 110 dpi


def test_dot_text_draws_the_same_picture_with_dot(kg: KnowledgeGraph) -> None:
    scope = make_scope(root="510000", depth=2)
    text = export(kg, "dot", scope).body
    done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, check=True, timeout=120)
    assert done.stdout == export(kg, "svg", scope).body


# -- igraph ----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_graphml_reads_in_igraph_without_a_warning(kg: KnowledgeGraph, tmp_path: Path) -> None:
    import igraph

    scope = make_scope(root="330100", depth=1)
    path = tmp_path / "g.graphml"
    path.write_bytes(export(kg, "graphml", scope).body)
    g = igraph.Graph.Read_GraphML(str(path))  # a warning is an error here (pyproject: filterwarnings)
    expected = project(kg.directory, scope)
    assert g.ecount() == expected.number_of_edges()
