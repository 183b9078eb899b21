"""The server of ``bench/site.py``: the product's app plus a static floor, in worker
processes the way ``kiosque serve --web-workers N`` runs them.

``create`` reads the usual ``KIOSQUE_*`` settings from the environment (the bench sets
the database URL) and mounts one extra static directory, ``KIOSQUE_BENCH_STATIC_DIR``,
at ``/bench-static``: a file there is served by the very same server, middlewares
included, which gives the bench its floor (what serving bytes costs with no database
and no template). Run as a script, it serves ``create`` with ``kiosque.web.server``
(one SO_REUSEPORT socket per process) until SIGTERM or SIGINT.

    .venv/bin/python bench/site_app.py --port 8100 --workers 2
"""

from __future__ import annotations

import argparse
import os
import signal
import threading

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kiosque.config import load_settings
from kiosque.store.engine import make_engine
from kiosque.web.app import create_app
from kiosque.web.server import WebWorkers

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


def main() -> None:
    ap = argparse.ArgumentParser(description="serve the bench's app in worker processes")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    # imported by module name, not as __main__, so that every worker can import it
    from site_app import create as factory

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with WebWorkers(factory, args.host, args.port, args.workers) as web:
        while not stop.is_set() and web.alive():
            stop.wait(0.5)


if __name__ == "__main__":
    main()
