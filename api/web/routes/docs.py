"""The API documentation pages: Swagger UI at ``/docs`` and ReDoc at ``/redoc``, served entirely from here.

Both libraries are vendored under ``api/web/static/vendor`` (versions, licences and origin in the README there) and
the pages start them without an inline script, so their content security policy names no other host and allows
no inline script (see :mod:`api.web.middleware`).  The pages use relative URLs, which keeps them working behind a
proxy that mounts the service under a path.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from api.web.paths import DOCS, REDOC
from api.web.problems import ProblemError

__all__ = ["ASSETS", "router"]

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).resolve().parent.parent / "static"
_PAGES = STATIC / "docs"
_VENDOR = STATIC / "vendor"

# Every file the two pages load, by the path under /docs/assets/: a request is looked up here, never joined to a path.
ASSETS: dict[str, Path] = {
    "swagger-init.js": _PAGES / "swagger-init.js",
    "swagger-ui/swagger-ui-bundle.js": _VENDOR / "swagger-ui" / "swagger-ui-bundle.js",
    "swagger-ui/swagger-ui.css": _VENDOR / "swagger-ui" / "swagger-ui.css",
    "redoc/redoc.standalone.js": _VENDOR / "redoc" / "redoc.standalone.js",
}
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@router.get(DOCS, response_class=HTMLResponse)
def swagger_ui() -> HTMLResponse:
    """The REST API in Swagger UI, with requests that can be tried out."""
    return HTMLResponse((_PAGES / "swagger.html").read_text(encoding="utf-8"))


@router.get(REDOC, response_class=HTMLResponse)
def redoc() -> HTMLResponse:
    """The REST API in ReDoc."""
    return HTMLResponse((_PAGES / "redoc.html").read_text(encoding="utf-8"))


@router.get(DOCS + "/assets/{path:path}")
def docs_asset(path: str) -> FileResponse:
    """A script or style sheet of the documentation pages."""
    target = ASSETS.get(path)
    if target is None:
        raise ProblemError("not-found", "no such file of the documentation pages")
    return FileResponse(target, media_type=_TYPES[target.suffix], headers={"Cache-Control": "max-age=3600"})
