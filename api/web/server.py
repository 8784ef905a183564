"""The service under uvicorn: in this process, or in N worker processes that this one supervises."""

from __future__ import annotations

import os

import uvicorn

from graph.errors import StoreError
from graph.settings import Settings, hand_to_workers

__all__ = ["run"]

LOG_LEVEL = "info"  # uvicorn's own messages; requests are logged without their query strings by api.web.middleware


def run(settings: Settings, overrides: dict[str, object]) -> None:
    """Serve until stopped.  ``overrides`` are the settings given besides the environment's (the command line's):
    worker processes start afresh and read theirs from the environment, so they are handed on that way, with this
    process's id, which each worker dies with (see :mod:`api.web.app`)."""
    if settings.workers > 1:
        hand_to_workers(overrides, os.getpid())
        uvicorn.run(
            "api.web.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            access_log=False,
            log_level=LOG_LEVEL,
            http="api.web.protocol:GuardedHttpProtocol",
        )
    else:
        from api.web.app import create_app
        from api.web.protocol import protocol_class

        app = create_app(settings)
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            access_log=False,
            log_level=LOG_LEVEL,
            http=protocol_class(settings),
        )
        failed = getattr(getattr(app.state, "service", None), "start_error", None)
        if failed is not None:  # the workers could not start once the store was filled (see api.web.startup)
            raise StoreError(f"the service could not start: {failed}")
