"""The public JSON API, version 1: articles, sources, sections and the ticker.

Read-only and cacheable. Lists are newest first with opaque cursors (``next_cursor``)
rather than page numbers, so a client walking back in time never sees a row twice while
new articles arrive.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from sqlalchemy import Connection

from kiosque.config import Settings
from kiosque.store import read
from kiosque.web import dates, urls
from kiosque.web.api.schemas import (
    ArticleDetailOut,
    ArticleOut,
    ArticlePage,
    ImageOut,
    SectionOut,
    SourceOut,
    SourceRef,
    TickerItem,
    TickerOut,
)
from kiosque.web.deps import get_conn, get_settings
from kiosque.web.i18n import UI_LANGS, content_dir
from kiosque.web.textpolicy import choose_body

router = APIRouter(prefix="/api/v1", tags=["v1"])

Conn = Annotated[Connection, Depends(get_conn)]
Conf = Annotated[Settings, Depends(get_settings)]
API_CACHE = "public, max-age=30"


def _article_out(request: Request, settings: Settings, a: read.ArticleView) -> ArticleOut:
    lang = urls.canonical_lang(a.lang, settings.default_lang)
    return ArticleOut(
        id=a.id, title=a.title, url=a.url,
        page_url=urls.absolute(request, settings, urls.article(lang, a.source_slug, a.id)),
        source=SourceRef(slug=a.source_slug, name=a.source_name),
        published_at=a.published_at, updated_at=a.updated_at, author=a.author, lang=a.lang,
        section=a.section, summary=a.summary, story_id=a.story_id, full_text=a.full_text,
        image=_image_out(request, settings, a),
    )


def _image_out(request: Request, settings: Settings, a: read.ArticleView) -> ImageOut | None:
    found = urls.lead_image(a.image_id, a.image_status)
    if found is None:
        return None
    path, state = found
    return ImageOut(url=urls.absolute(request, settings, path),
                    status="blocked" if state == "blocked" else "ok")


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


@router.get("/articles", response_model=ArticlePage, summary="Latest articles",
            responses={400: {"description": "A cursor that does not decode"}})
def list_articles(
    request: Request,
    response: Response,
    conn: Conn,
    settings: Conf,
    source: Annotated[str | None, Query(description="Source slug.", max_length=100)] = None,
    lang: Annotated[str | None, Query(description="Article language.", max_length=16)] = None,
    section: Annotated[str | None, Query(max_length=100)] = None,
    since: Annotated[datetime | None, Query(description="Published at or after (ISO 8601; "
                                                        "UTC when no offset).")] = None,
    cursor: Annotated[str | None, Query(
        description="next_cursor of the previous page.", max_length=64,
        # Documented, not enforced: a token that does not decode is a 400, as before.
        # Digits are bounded so that every token the pattern admits decodes.
        json_schema_extra={"pattern": r"^-?[0-9]{1,16}_[0-9]{1,18}$"},
    )] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
) -> ArticlePage:
    flt = read.ArticleFilter(source_slug=source, lang=lang, section=section,
                             since=_aware(since))
    after = read.Cursor.decode(cursor) if cursor else None
    if cursor and after is None:
        raise HTTPException(status_code=400, detail="invalid cursor")
    page = read.list_articles(conn, flt, limit=limit, after=after)
    response.headers["Cache-Control"] = API_CACHE
    return ArticlePage(
        items=[_article_out(request, settings, a) for a in page.items],
        next_cursor=page.next_cursor.encode() if page.next_cursor else None,
    )


@router.get("/articles/{article_id}", response_model=ArticleDetailOut, summary="One article",
            responses={404: {"description": "No such article"}})
def get_article(
    request: Request, response: Response,
    article_id: Annotated[int, Path(ge=1, le=2**63 - 1)],  # beyond: no SQL integer
    conn: Conn, settings: Conf,
) -> ArticleDetailOut:
    detail = read.get_article(conn, article_id)
    if detail is None:
        raise HTTPException(status_code=404, detail="article not found")
    body = choose_body(detail.text_policy, detail.article.full_text, detail.content_html,
                       detail.text, detail.excerpt_words)
    base = _article_out(request, settings, detail.article)
    response.headers["Cache-Control"] = API_CACHE
    return ArticleDetailOut(
        **base.model_dump(),
        body_html=body.html if body.full else None,
        excerpt=None if body.full else body.excerpt,
    )


@router.get("/sources", response_model=list[SourceOut], summary="Every source and its health")
def list_sources(response: Response, conn: Conn) -> list[SourceOut]:
    response.headers["Cache-Control"] = API_CACHE
    return [
        SourceOut(
            slug=s.slug, name=s.name, homepage=s.homepage, feed_url=s.feed_url, lang=s.lang,
            country=s.country, section=s.section, description=s.description,
            enabled=s.enabled, health=s.health, last_success_at=s.last_success_at,
            last_error=s.last_error, last_error_at=s.last_error_at,
            next_check_at=s.next_check_at, article_count=s.article_count,
            latest_at=s.latest_at,
        )
        for s in read.list_sources(conn)
    ]


@router.get("/sections", response_model=list[SectionOut], summary="Sections with counts")
def list_sections(response: Response, conn: Conn) -> list[SectionOut]:
    response.headers["Cache-Control"] = API_CACHE
    return [SectionOut(name=n, article_count=c) for n, c in read.list_sections(conn)]


@router.get("/ticker", response_model=TickerOut, summary="Latest headlines, for the ticker")
def ticker(
    response: Response,
    conn: Conn,
    settings: Conf,
    ui: Annotated[str | None, Query(description="UI language of paths and time labels.",
                                    max_length=8)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 12,
) -> TickerOut:
    lang = ui if ui in UI_LANGS else settings.default_lang
    rows = read.list_articles(conn, limit=limit).items
    response.headers["Cache-Control"] = "public, max-age=15"
    return TickerOut(items=[
        TickerItem(
            id=a.id, title=a.title, lang=a.lang, dir=content_dir(a.lang),
            source_slug=a.source_slug, source_name=a.source_name,
            published_at=a.published_at, path=urls.article(lang, a.source_slug, a.id),
            time_label=dates.short_time(a.published_at, lang),
        )
        for a in rows
    ])
