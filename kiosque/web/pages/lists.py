"""List pages: sources directory and source pages, sections, authors, stories, archive."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection

from kiosque.config import Settings
from kiosque.store import read
from kiosque.web import dates, urls
from kiosque.web.deps import get_conn, get_settings, ui_lang
from kiosque.web.pages.common import ListSpec, cursor_from, edition_only, resolve_list, valid_row_id
from kiosque.web.pages.flash import render_page

router = APIRouter()

Lang = Annotated[str, Depends(ui_lang)]
Conn = Annotated[Connection, Depends(get_conn)]
Conf = Annotated[Settings, Depends(get_settings)]
Before = Annotated[str | None, Query(max_length=64)]


@router.get("/{lang:uilang}/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_directory(request: Request, lang: Lang, conn: Conn) -> HTMLResponse:
    return render_page(request, "sources.html", lang, sources=read.list_sources(conn))


def _list_page(
    request: Request, lang: str, conn: Connection, settings: Settings, spec: ListSpec,
    before: str | None, template: str = "list.html", **extra: Any,
) -> HTMLResponse:
    only = edition_only(request)
    flt = replace(spec.flt, lang=lang) if only else spec.flt
    page = read.list_articles(conn, flt, limit=settings.page_size, after=cursor_from(before))
    return render_page(
        request, template, lang, spec=spec, items=page.items,
        next_cursor=page.next_cursor.encode() if page.next_cursor else None,
        before=before, feed_base=spec.feed_base, only=only,
        last_modified=read.latest_published_at(conn, flt), **extra,
    )


def _spec_or_404(conn: Connection, lang: str, kind: str, key: str, site: str) -> ListSpec:
    spec = resolve_list(conn, lang, kind, key, site)
    if spec is None:
        raise HTTPException(status_code=404)
    return spec


@router.get("/{lang:uilang}/source/{slug}", response_class=HTMLResponse, include_in_schema=False)
def source_page(
    request: Request, lang: Lang, slug: str, conn: Conn, settings: Conf, before: Before = None
) -> HTMLResponse:
    spec = _spec_or_404(conn, lang, "source", slug, settings.site_name)
    source = read.get_source(conn, slug)
    return _list_page(request, lang, conn, settings, spec, before, "source.html",
                      source=source)


# ``name:path``: a section or an author may hold a "/" ("Rédaction / MAP"); the encoded
# slash is decoded before routing, so the name may span segments.
@router.get("/{lang:uilang}/section/{name:path}", response_class=HTMLResponse,
            include_in_schema=False)
def section_page(
    request: Request, lang: Lang, name: str, conn: Conn, settings: Conf, before: Before = None
) -> HTMLResponse:
    spec = _spec_or_404(conn, lang, "section", name, settings.site_name)
    return _list_page(request, lang, conn, settings, spec, before)


@router.get("/{lang:uilang}/author/{name:path}", response_class=HTMLResponse,
            include_in_schema=False)
def author_page(
    request: Request, lang: Lang, name: str, conn: Conn, settings: Conf, before: Before = None
) -> HTMLResponse:
    spec = _spec_or_404(conn, lang, "author", name, settings.site_name)
    return _list_page(request, lang, conn, settings, spec, before)


@router.get("/{lang:uilang}/story/{story_id:int}", response_class=HTMLResponse,
            include_in_schema=False)
def story_page(
    request: Request, lang: Lang, story_id: int, conn: Conn, settings: Conf
) -> HTMLResponse:
    if not valid_row_id(story_id):
        raise HTTPException(status_code=404)
    spec = _spec_or_404(conn, lang, "story", str(story_id), settings.site_name)
    story = read.get_story(conn, story_id)
    items = read.story_articles(conn, story_id)
    by_source: dict[tuple[str, str], list[read.ArticleView]] = {}
    for item in items:
        by_source.setdefault((item.source_slug, item.source_name), []).append(item)
    return render_page(
        request, "story.html", lang, spec=spec, story=story, by_source=by_source,
        feed_base=spec.feed_base, last_modified=items[0].published_at if items else None,
    )


@router.get("/{lang:uilang}/archive/", include_in_schema=False)
def archive_latest(lang: Lang, conn: Conn) -> RedirectResponse:
    """The archive opens on the most recent day that has news."""
    latest = read.latest_published_at(conn) or datetime.now(UTC)
    return RedirectResponse(urls.archive_day(lang, latest.year, latest.month, latest.day),
                            status_code=302)


def month_grid(year: int, month: int) -> list[list[int]]:
    """Weeks of the month, Monday first, 0 for days of the neighbouring months."""
    return calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)


@router.get("/{lang:uilang}/archive/{year:int}/{month:int}/{day:int}", response_class=HTMLResponse,
            include_in_schema=False)
def archive_day(
    request: Request, lang: Lang, year: int, month: int, day: int, conn: Conn,
    settings: Conf, before: Before = None,
) -> HTMLResponse:
    if not 1990 <= year <= 2200:
        raise HTTPException(status_code=404)
    try:
        start = datetime(year, month, day, tzinfo=UTC)
    except (ValueError, OverflowError):
        raise HTTPException(status_code=404) from None
    flt = read.ArticleFilter(since=start, until=start + timedelta(days=1))
    heading = dates.long_date(start, lang)
    spec = ListSpec("archive", start.date().isoformat(), heading, flt,
                    urls.archive_day(lang, year, month, day), f"/{lang}/feed")
    first = date(year, month, 1)
    prev_month = first - timedelta(days=1)
    next_month = first + timedelta(days=32)
    return _list_page(
        request, lang, conn, settings, spec, before, "archive.html",
        day_num=day, year=year, month=month,
        month_title=dates.month_title(year, month, lang),
        weekdays=dates.weekday_names(lang),
        grid=month_grid(year, month),
        counts=read.days_with_articles(conn, year, month),
        prev_link=urls.archive_day(lang, prev_month.year, prev_month.month, 1),
        next_link=urls.archive_day(lang, next_month.year, next_month.month, 1),
    )
