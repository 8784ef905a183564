"""Absolute URLs of this service, made from the configured public base URL and never from the ``Host`` header.

A client chooses its ``Host`` header; echoed into a service description, a ``next`` link or a problem's ``type``
it would let anyone make the service name another host.  Relative links stay relative.
"""

from __future__ import annotations

from fastapi import Request

from graph.settings import Settings

__all__ = ["public_base", "public_url", "public_url_for"]


def public_base(settings: Settings) -> str:
    """The service's public base URL without a trailing slash: ``public_url``, else ``http://host:port``."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = settings.host
    if ":" in host and not host.startswith("["):  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def public_url(request: Request, path: str) -> str:
    """The absolute URL of ``path`` (with its query, if any) on this service; relative when no settings are known."""
    state = getattr(request.app.state, "service", None)
    return public_base(state.settings) + path if state is not None else path


def public_url_for(request: Request, name: str) -> str:
    """The absolute URL of the route called ``name``."""
    return public_url(request, str(request.app.url_path_for(name)))
