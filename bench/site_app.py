"""The ASGI app of ``bench/site.py``, importable by string so uvicorn can fork workers.

``uvicorn --workers 2`` needs an import string, not an app object. This factory reads
the usual ``KIOSQUE_*`` settings from the environment (the bench sets the database URL)
and mounts one extra static directory, ``KIOSQUE_BENCH_STATIC_DIR``, at
``/bench-static``: a file there is served by the very same server, middlewares
included, which gives the bench its floor (what serving bytes costs with no database
and no template).
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kiosque.config import load_settings
from kiosque.store.engine import make_engine
from kiosque.web.app import create_app

STATIC_ENV = "KIOSQUE_BENCH_STATIC_DIR"


def create() -> FastAPI:
    """The product's app plus the bench's static floor."""
    settings = load_settings()
    app = create_app(settings, make_engine(settings.database_url))
    static_dir = os.environ.get(STATIC_ENV, "")
    if static_dir:
        # Insert before the catch-all page routes so /bench-static is never a page path.
        app.mount("/bench-static", StaticFiles(directory=static_dir), name="bench-static")
        app.router.routes.insert(0, app.router.routes.pop())
    return app
