"""The article page: the text the publisher allows, and the way back to the publisher.

This is the most requested page and the one the page cache helps least (readers spread
over the whole archive), so its handler is a plain Starlette route, without FastAPI's
parameter solving: each sync dependency (the language check, the connection's enter and
exit) would cost a hop to the thread pool per request, and validating three path
parameters that the path convertors already checked costs as much again. It opens its
read connection itself, inside the single thread-pool call that runs the endpoint.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from kiosque.store import read
from kiosque.web.deps import get_engine, ui_lang
from kiosque.web.pages.common import valid_row_id
from kiosque.web.pages.flash import render_page
from kiosque.web.sidebar import latest_by_source
from kiosque.web.textpolicy import choose_body, excerpt_of

router = APIRouter()

RELATED = 6


async def article_page(request: Request) -> Response:
    """``/{lang}/{source}/{id}``: the convertors already typed and checked each part.

    On SQLite the page is read and rendered right here on the event loop: a handful of
    indexed reads from a local file cost less than the hop to the thread pool and back
    (and rendering holds the GIL wherever it runs). A PostgreSQL server is a network
    round trip per query, which must not stall the loop: there it runs in the pool.
    """
    if get_engine(request).dialect.name == "sqlite":
        return _article(request)
    return await run_in_threadpool(_article, request)


def _article(request: Request) -> Response:
    params = request.path_params
    lang = ui_lang(params["lang"])
    with get_engine(request).connect() as conn:
        return _article_response(
            request, conn, lang, params["source_slug"], params["article_id"]
        )


router.add_route(
    "/{lang:uilang}/{source_slug:sourceslug}/{article_id:int}", article_page,
    methods=["GET"], include_in_schema=False,
)


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
    more = latest_by_source(request).more_from(conn, source_slug, art.id, RELATED)
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
