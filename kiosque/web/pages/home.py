"""The front page of each UI language, and the redirect that picks one for ``/``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection

from kiosque.config import Settings
from kiosque.store import read
from kiosque.web.deps import get_conn, get_settings, ui_lang
from kiosque.web.i18n import negotiate
from kiosque.web.pages.common import cursor_from
from kiosque.web.pages.flash import render_page

router = APIRouter()

TICKER_SIZE = 12


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
    page = read.list_articles(conn, limit=settings.page_size, after=cursor_from(before))
    return render_page(
        request,
        "home.html",
        lang,
        ticker=ticker,
        items=page.items,
        next_cursor=page.next_cursor.encode() if page.next_cursor else None,
        before=before,
        stories=read.latest_stories(conn, limit=8) if not before else [],
        sections=read.list_sections(conn)[:12],
        feed_base=f"/{lang}/feed",
        last_modified=read.latest_published_at(conn),
    )
