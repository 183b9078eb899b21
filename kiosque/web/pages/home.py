"""The front page of each UI language, and the redirect that picks one for ``/``."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection

from kiosque.config import Settings
from kiosque.store import read
from kiosque.web.deps import get_conn, get_settings, ui_lang
from kiosque.web.i18n import negotiate
from kiosque.web.pages.common import cursor_from, edition_only
from kiosque.web.pages.flash import render_page

router = APIRouter()

TICKER_SIZE = 20
SECTION_BLOCKS = 6  # sections with a block of their own on the front page
PER_SECTION = 5
RECENT = timedelta(days=7)
DAY = timedelta(days=1)


@router.get("/", include_in_schema=False)
def root(
    request: Request, settings: Annotated[Settings, Depends(get_settings)]
) -> RedirectResponse:
    """Send the reader to the UI language their browser prefers."""
    lang = negotiate(request.headers.get("accept-language"), settings.default_lang)
    response = RedirectResponse(f"/{lang}/", status_code=302)
    response.headers["Vary"] = "Accept-Language"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@router.get("/{lang:uilang}", include_in_schema=False)
def lang_root(lang: Annotated[str, Depends(ui_lang)]) -> RedirectResponse:
    return RedirectResponse(f"/{lang}/", status_code=301)


@router.get("/{lang:uilang}/", response_class=HTMLResponse, include_in_schema=False)
def home(
    request: Request,
    lang: Annotated[str, Depends(ui_lang)],
    conn: Annotated[Connection, Depends(get_conn)],
    settings: Annotated[Settings, Depends(get_settings)],
    before: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    """Ticker of the latest headlines, then the latest articles of every source."""
    ticker = read.list_articles(conn, limit=TICKER_SIZE).items
    only = edition_only(request)
    main = read.ArticleFilter(lang=lang) if only else None
    page = read.list_articles(conn, main, limit=settings.page_size, after=cursor_from(before))
    newest = read.latest_published_at(conn)
    first_page = not before and newest is not None
    # "now" is the newest article, so an archive that stopped updating still has a front
    sections = read.list_sections(conn, since=newest - RECENT) if newest else []
    shown = {a.id for a in page.items}
    by_section = []
    if first_page:
        for name, _count in sections[:SECTION_BLOCKS]:
            flt = read.ArticleFilter(section=name)
            picks = [a for a in read.list_articles(conn, flt, limit=PER_SECTION * 2).items
                     if a.id not in shown][:PER_SECTION]
            if picks:
                by_section.append((name, picks))
    return render_page(
        request,
        "home.html",
        lang,
        ticker=ticker,
        items=page.items,
        next_cursor=page.next_cursor.encode() if page.next_cursor else None,
        before=before,
        stories=read.latest_stories(conn, limit=8) if not before else [],
        sections=sections[:12],
        by_section=by_section,
        only=only,
        top_sources=read.top_sources(conn, newest - DAY) if first_page and newest else [],
        feed_base=f"/{lang}/feed",
        last_modified=newest,
    )
