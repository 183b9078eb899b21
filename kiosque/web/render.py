"""The one place that turns a template and a context into an HTML response.

Every page gets the same base context (UI language, direction, gettext, the list of UI
languages, settings), so a template written by any part of the site can rely on it.
Autoescaping is always on: titles, authors and summaries from publishers are plain
text and must never become markup; only ``content_html``, sanitized at ingest, is
printed with ``|safe``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from kiosque.store.read import ArticleView
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
from kiosque.web.listing import item_html

TEMPLATES_DIR = Path(__file__).with_name("templates")
PAGE_CACHE_CONTROL = "public, max-age=60"
# Rendered list items kept per process (a few hundred bytes each): enough for the
# sidebars, home sections and story lists that many pages share.
ITEM_CACHE_SIZE = 4096


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
    env.globals["article_items"] = article_items
    env.globals["article_list"] = article_list
    env.globals["fragment"] = fragment
    return env


def _formatter(fmt: Callable[[datetime, str], str], lang: str) -> Callable[[datetime], str]:
    def formatted(value: datetime) -> str:
        return fmt(value, lang)

    return formatted


@cache
def lang_context(lang: str) -> dict[str, Any]:
    """The part of the base context that depends on the UI language alone.

    Built once per language: every page needs it, and the cached list items below are
    rendered from it and nothing else, which is what makes caching them exact.
    """
    return {
        "lang": lang,
        "dir": text_dir(lang),
        "_": gettext_for(lang),
        "_f": markup_gettext_for(lang),
        "ui_langs": UI_LANGS,
        "when": _formatter(dates.date_time, lang),
        "day": _formatter(dates.long_date, lang),
        "hour": _formatter(dates.short_time, lang),
    }


def base_context(request: Request, lang: str) -> dict[str, Any]:
    """What every template may use, whoever renders it."""
    settings = get_settings(request)
    path = request.url.path
    context = dict(lang_context(lang))
    context.update(
        request=request,
        settings=settings,
        base_url=urls.base_url(request, settings),
        path=path,
        # (language, the same page in it): four pairs built here cost less than four
        # template calls, and base.html prints them on every page
        lang_links=[(other, switch_lang_path(path, lang, other)) for other in UI_LANGS],
    )
    return context


@pass_context
def fragment(ctx: Context, name: str) -> Markup:
    """``name`` rendered for the page's UI language: see ``_fragment``."""
    return Markup(_fragment(name, str(ctx["lang"])))


@lru_cache(maxsize=64)
def _fragment(name: str, lang: str) -> str:
    """A template that depends on the UI language alone, rendered once per language.

    Why: parts of a page such as the reasons of the report form are a dozen translated
    strings that never change between pages; they only see ``lang_context(lang)``, so
    the first rendering is the answer for the life of the process.
    """
    return environment().get_template(name).render(lang_context(lang))


@pass_context
def article_items(
    ctx: Context,
    items: Iterable[ArticleView],
    show_source: bool = True,
    show_images: bool = True,
    show_summary: bool = False,
) -> Markup:
    """The ``<li>`` of every article of a list (``partials/article_list.html``)."""
    lang = str(ctx["lang"])
    here = str(ctx.get("report_next") or ctx.get("path") or "")
    return Markup("\n".join(
        _article_item(lang, a, show_source, show_images, show_summary,
                      here if show_images and a.image_id is not None else "")
        for a in items
    ))


@pass_context
def article_list(
    ctx: Context,
    items: Sequence[ArticleView],
    show_source: bool = True,
    show_images: bool = True,
    show_summary: bool = False,
) -> Markup:
    """The whole ``<ol>`` of ``partials/article_list.html``, without an ``include``.

    Why: an include builds a fresh template context from the page's (a copy of every
    variable) and runs another template; the article page lists twice per request, and
    the list is nothing but the cached items. The markup is exactly the partial's.
    """
    lines = article_items(ctx, items, show_source, show_images, show_summary)
    if items:
        return Markup(f'<ol class="article-list">\n{lines}\n</ol>')
    empty = escape(ctx["_"]("No articles yet."))
    return Markup(f'<ol class="article-list">\n{lines}\n  <li class="empty">{empty}</li>\n</ol>')


@lru_cache(maxsize=ITEM_CACHE_SIZE)
def _article_item(
    lang: str, a: ArticleView, show_source: bool, show_images: bool, show_summary: bool,
    report_next: str,
) -> str:
    """One list item (``listing.item_html``), remembered by everything it is made of.

    Why: the same articles are listed on many pages (a source's latest beside each of
    its articles, a story's coverage on each of its articles, the home page's sections).
    The key is the whole frozen ``ArticleView`` plus the UI language, the flags and the
    page the image report form returns to (only when there is an image), so an edited
    title or a blocked image yields a new key, never a stale item (catalogs only change
    with a restart).
    """
    figure = ""
    if show_images and a.image_id is not None:
        context = dict(lang_context(lang))
        context.update(a=a, report_next=report_next, path=report_next)
        figure = environment().get_template("partials/item_image.html").render(context) + "\n"
    return item_html(lang, a, show_source, show_summary, figure)


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
