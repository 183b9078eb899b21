"""The application factory: one function wires the site, the API and the feeds.

``create_app`` receives its settings and engine instead of reading globals, so tests
and the CLI can run several apps side by side. Routers are included in ONE place,
``_include_routers``, in an order that matters for speed, never for meaning: page routes
match ``/{lang:uilang}/...`` (fr, ar, es, en only), so they never swallow another
router's paths; the article route comes first because it is the most requested and its
source segment never matches another page's first word.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosque.config import Settings
from kiosque.search import backend_for
from kiosque.web import admin as admin_desk
from kiosque.web import images as image_routes
from kiosque.web.api import docs as api_docs
from kiosque.web.api import search as search_api
from kiosque.web.api import v1 as api_v1
from kiosque.web.caching import ConditionalGetMiddleware
from kiosque.web.feeds import routes as feed_routes
from kiosque.web.microcache import MicroCacheMiddleware
from kiosque.web.pages import about as about_pages
from kiosque.web.pages import article as article_pages
from kiosque.web.pages import errors
from kiosque.web.pages import home as home_pages
from kiosque.web.pages import lists as list_pages
from kiosque.web.pages import reports as report_pages
from kiosque.web.pages import search as search_pages
from kiosque.web.readers import FLASH_COOKIE
from kiosque.web.security import SecurityHeadersMiddleware
from kiosque.web.sidebar import LatestBySource

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).with_name("static")
# zlib's own default. Starlette's is 9, which on a 10 kB page costs about 13% more CPU
# than 6 for 0.2% fewer bytes; pages are compressed on every request they are rendered.
GZIP_LEVEL = 6


def create_app(settings: Settings, engine: sqlalchemy.Engine) -> FastAPI:
    """Build the ASGI app; ``app.state.settings`` and ``app.state.engine`` hold the inputs."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(_warm_search, engine)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title=f"{settings.site_name} API",
        version="1",
        description="Read-only access to the articles, sources and sections of this site.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.latest_by_source = latest = LatestBySource(settings.page_cache_s)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _include_routers(app)
    app.add_exception_handler(StarletteHTTPException, errors.http_error)
    # Last added runs first: gzip wraps everything, ETags are computed on plain bodies.
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=GZIP_LEVEL)
    # Outermost: a hit skips everything above, compression included.
    app.add_middleware(MicroCacheMiddleware, ttl_s=settings.page_cache_s,
                       skip_cookies=(FLASH_COOKIE,), also_clear=(latest.clear,))
    return app


def app_from_settings(settings: Settings) -> FastAPI:
    """The site over the database the settings name: what each web worker process
    builds for itself (``kiosque.web.server``), engine included."""
    from kiosque.store.engine import make_engine

    return create_app(settings, make_engine(settings.database_url))


def _warm_search(engine: sqlalchemy.Engine) -> None:
    """Load search's in-memory columns before the first request (seconds per million
    articles). A failure is logged, never fatal: search would load them itself."""
    try:
        with engine.connect() as conn:
            backend_for(conn.dialect.name).warm(conn)
    except Exception:
        log.exception("search warm-up failed; the first search will load its columns")


def _include_routers(app: FastAPI) -> None:
    """Every router of the site. Add new ones (search, images, readers, admin) here."""
    # First: the most requested page, so its requests skip matching every other router.
    # Its ``sourceslug`` segment excludes the other pages' words (story, source, ...).
    app.include_router(article_pages.router)  # /{lang}/{source}/{id}
    app.include_router(api_v1.router)
    app.include_router(api_docs.router)
    app.include_router(feed_routes.router)
    # -- other parts of the site: app.include_router(search.router), ... --
    app.include_router(search_api.router)
    app.include_router(search_pages.router)
    app.include_router(about_pages.router)
    app.include_router(image_routes.router)
    app.include_router(admin_desk.router)  # /admin: the moderators' desk
    app.include_router(report_pages.router)
    app.include_router(home_pages.router)
    app.include_router(list_pages.router)
