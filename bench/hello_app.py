"""A minimal FastAPI app, the ceiling of the server stack in bench/http_service.py: the same uvicorn with the same
options as ``baomi-kg serve`` (one worker, access log on), one ``async`` GET returning a small JSON.

    .venv/bin/python bench/hello_app.py PORT
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=True, log_level="info")
