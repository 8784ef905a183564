"""The documentation pages /docs and /redoc and everything they load (their rendering: tests/browser/test_pages.py)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import pytest

from api.web.routes.docs import ASSETS

VENDOR_README = ASSETS["redoc/redoc.standalone.js"].parent.parent / "README.md"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_a_page_loads_only_its_own_assets(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    policy = r.headers["content-security-policy"]
    assert "http" not in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0], policy
    assert "<script>" not in r.text  # no inline script: the policy allows none
    loaded = re.findall(r'<(?:script|link)[^>]*\s(?:src|href)="([^"]+)"', r.text)
    assert loaded
    for url in loaded:
        target = urljoin("http://testserver" + path, url).removeprefix("http://testserver")
        asset = client.get(target)
        assert asset.status_code == 200, target
        if target.startswith("/docs/assets/"):
            assert asset.content == ASSETS[target.removeprefix("/docs/assets/")].read_bytes()


def test_the_openapi_document_the_pages_read(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "baomi-kg"
    assert not {"/docs", "/redoc"} & set(spec["paths"])  # the pages are not operations of the API


@pytest.mark.parametrize(
    "path",
    ["/docs/assets/nope.js", "/docs/assets/../vendor/README.md", "/docs/assets/redoc/LICENSE", "/docs/oauth2-redirect"],
)
def test_nothing_else_is_served_under_docs(client: Any, path: str) -> None:
    r = client.get(path, headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_vendored_files_have_their_licences_and_are_listed() -> None:
    readme = VENDOR_README.read_text(encoding="utf-8")
    for name, file in ASSETS.items():
        if file.parent.name in ("swagger-ui", "redoc"):
            assert (file.parent / "LICENSE").is_file(), name
            assert f"{file.parent.name}/{file.name}" in readme, name
