"""Every problem type a problem+json answer names can be opened: a page for browsers, JSON for other clients."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from api.web.problems import PROBLEMS

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("slug", sorted(PROBLEMS))
def test_every_problem_type_is_served(client: Any, slug: str) -> None:
    status, title, meaning = PROBLEMS[slug]
    r = client.get(f"/problems/{slug}", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == {
        "type": f"http://127.0.0.1:8000/problems/{slug}",
        "slug": slug,
        "title": title,
        "status": status,
        "description": meaning,
    }
    page = client.get(f"/problems/{slug}", headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert title in page.text and str(status) in page.text


def test_the_type_of_a_problem_answer_leads_to_its_page(client: Any) -> None:
    problem = client.get("/api/v1/committees/no-such-committee").json()
    assert problem["type"].endswith("/problems/not-found")
    described = client.get(urlsplit(problem["type"]).path).json()
    assert described["type"] == problem["type"] and described["status"] == problem["status"] == 404


def test_an_unknown_problem_type_is_a_problem_itself(client: Any) -> None:
    r = client.get("/problems/no-such-problem", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert "not-found" in r.json()["detail"]
