"""Error pages in the reader's language (taken from the URL when it names one)."""

from __future__ import annotations

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosque.web.deps import get_settings
from kiosque.web.i18n import UI_LANGS
from kiosque.web.render import render


def lang_of_path(path: str, default: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    return first if first in UI_LANGS else default


async def http_error(request: Request, exc: Exception) -> Response:
    """HTML error page for the site, JSON for the API (clients there parse JSON)."""
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith("/api/") or exc.status_code != 404:
        return await http_exception_handler(request, exc)
    lang = lang_of_path(request.url.path, get_settings(request).default_lang)
    response: HTMLResponse = render(request, "error.html", lang, status_code=exc.status_code)
    response.headers["Cache-Control"] = "no-cache"
    return response
