"""The article page: the text the publisher allows, and the way back to the publisher.

This is the most requested page and the one the page cache helps least (readers spread
over the whole archive), so its handler takes no FastAPI dependencies: each sync
dependency (the language check, the connection's enter and exit) would cost a hop to
the thread pool per request. It validates the language and opens its read connection
itself, inside the single thread-pool call that runs the endpoint.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from kiosque.store import read
from kiosque.web.deps import get_engine, ui_lang
from kiosque.web.pages.common import valid_row_id
from kiosque.web.pages.flash import render_page
from kiosque.web.textpolicy import choose_body, excerpt_of

router = APIRouter()

RELATED = 6


@router.get(
    "/{lang:uilang}/{source_slug}/{article_id:int}", response_class=HTMLResponse,
    include_in_schema=False,
)
def article_page(
    request: Request, lang: str, source_slug: str, article_id: int
) -> HTMLResponse:
    lang = ui_lang(lang)
    with get_engine(request).connect() as conn:
        return _article_response(request, conn, lang, source_slug, article_id)


def _article_response(
    request: Request, conn: Connection, lang: str, source_slug: str, article_id: int
) -> HTMLResponse:
    """Read the article and its neighbours, and render the page (404 if it is not here)."""
    detail = read.get_article(conn, article_id) if valid_row_id(article_id) else None
    if detail is None or detail.article.source_slug != source_slug:
        raise HTTPException(status_code=404)
    art = detail.article
    body = choose_body(
        detail.text_policy, art.full_text, detail.content_html, detail.text,
        detail.excerpt_words,
    )
    more = read.list_articles(
        conn, read.ArticleFilter(source_slug=source_slug, exclude_id=art.id), limit=RELATED
    ).items
    coverage: list[read.ArticleView] = []
    story = None
    if art.story_id is not None:
        story = read.get_story(conn, art.story_id)
        coverage = [a for a in read.story_articles(conn, art.story_id) if a.id != art.id]
    description = art.summary or excerpt_of(detail.text, 40)[0]
    return render_page(
        request,
        "article.html",
        lang,
        a=art,
        body=body,
        more=more,
        coverage=coverage,
        story=story,
        description=description,
        last_modified=art.updated_at or art.published_at,
    )
