"""The one place that turns a template and a context into an HTML response.

Every page gets the same base context (UI language, direction, gettext, the list of UI
languages, settings), so a template written by any part of the site can rely on it.
Autoescaping is always on: titles, authors and summaries from publishers are plain
text and must never become markup; only ``content_html``, sanitized at ingest, is
printed with ``|safe``.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kiosque.web import dates, urls
from kiosque.web.caching import http_date
from kiosque.web.deps import get_settings
from kiosque.web.i18n import (
    LANG_NAMES,
    UI_LANGS,
    content_dir,
    gettext_for,
    markup_gettext_for,
    text_dir,
)

TEMPLATES_DIR = Path(__file__).with_name("templates")
PAGE_CACHE_CONTROL = "public, max-age=60"


@cache
def environment() -> Environment:
    """The shared Jinja environment (templates are read once, then cached by Jinja).

    ``auto_reload`` is off: templates ship with the code and change only with a restart,
    and leaving it on costs a ``stat`` of every template, include and import per render.
    """
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        auto_reload=False,
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["text_dir"] = content_dir
    env.filters["safe_href"] = safe_href
    env.globals["urls"] = urls
    env.globals["lang_names"] = LANG_NAMES
    env.globals["iso"] = dates.iso
    return env


def base_context(request: Request, lang: str) -> dict[str, Any]:
    """What every template may use, whoever renders it."""
    settings = get_settings(request)

    def when(value: datetime) -> str:
        return dates.date_time(value, lang)

    def day(value: datetime) -> str:
        return dates.long_date(value, lang)

    def hour(value: datetime) -> str:
        return dates.short_time(value, lang)

    return {
        "request": request,
        "lang": lang,
        "dir": text_dir(lang),
        "_": gettext_for(lang),
        "_f": markup_gettext_for(lang),
        "ui_langs": UI_LANGS,
        "settings": settings,
        "when": when,
        "day": day,
        "hour": hour,
        "base_url": urls.base_url(request, settings),
        "path": request.url.path,
        "lang_switch": lambda other: switch_lang_path(request.url.path, lang, other),
    }


def switch_lang_path(path: str, current: str, other: str) -> str:
    """The same page in another UI language (every page lives under ``/<lang>/``)."""
    prefix = f"/{current}/"
    if path.startswith(prefix):
        return f"/{other}/" + path[len(prefix):]
    return f"/{other}/"


def safe_href(url: str) -> str:
    """Publisher URLs become links only when they are http(s); "javascript:" never does."""
    lowered = url.strip().lower()
    return url.strip() if lowered.startswith(("http://", "https://")) else ""


def render(
    request: Request,
    template: str,
    lang: str,
    *,
    status_code: int = 200,
    last_modified: datetime | None = None,
    **ctx: Any,
) -> HTMLResponse:
    """Render ``template`` in UI language ``lang`` with the base context plus ``ctx``."""
    context = base_context(request, lang)
    context.update(ctx)
    html = environment().get_template(template).render(context)
    response = HTMLResponse(html, status_code=status_code)
    if status_code == 200:
        response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
    response.headers["Content-Language"] = lang
    return response
