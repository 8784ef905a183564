"""First contact: the landing page, HTML 404 pages for browsers, the favicon."""

from __future__ import annotations

from typing import Any

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_gets_a_page_linking_every_entry_point(client: Any) -> None:
    r = client.get("/", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for path in ("/viz", "/sparql", "/docs", "/ontology", "/.well-known/void"):
        assert f'href="{path}"' in r.text
        assert client.get(path, headers={"Accept": BROWSER}).status_code == 200


def test_a_client_gets_a_json_index(client: Any) -> None:
    r = client.get("/", headers={"Accept": "application/json"})
    assert r.status_code == 200
    index = r.json()
    assert index["quads"] > 100_000
    assert {link["title"] for link in index["links"]} >= {"Viewer", "SPARQL", "REST API", "Ontology", "VoID"}
    assert all(link["href"].startswith("http://127.0.0.1:8000/") for link in index["links"])
    assert client.get("/").headers["content-type"] == "application/json"  # no Accept: the index


def test_unknown_paths_are_a_page_for_browsers_and_a_problem_for_clients(client: Any) -> None:
    r = client.get("/no/such/page", headers={"Accept": BROWSER})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and 'href="/"' in r.text
    r = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_favicon(client: Any) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml" and b"<svg" in r.content
