"""The search page and the feeds of any search: the archive, searchable in every language.

The query language is the one of ``kiosque.search.query`` (words, "phrases", -exclusion,
OR, prefix*, and filters). Facets are shown as links that add their filter to the query,
so a reader narrows a search by clicking, and every narrowed search has a URL and a feed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from kiosque.config import Settings
from kiosque.search import SearchResults, backend_for
from kiosque.web import urls
from kiosque.web.deps import get_conn, get_settings, ui_lang
from kiosque.web.feeds import build
from kiosque.web.feeds.routes import MEDIA_TYPES, SERIALIZERS
from kiosque.web.i18n import negotiate
from kiosque.web.pages.flash import render_page

router = APIRouter()

PER_PAGE = 20
FEED_SIZE = 50
MAX_PAGE = 50  # deep pages of a search are what crawlers ask for, not readers
Q = Annotated[str, Query(max_length=500)]
Sort = Annotated[Literal["relevance", "date"], Query()]


def search_url(lang: str, q: str, sort: str = "relevance", page: int = 1,
               fmt: str | None = None) -> str:
    params: dict[str, str | int] = {"q": q}
    if sort != "relevance":
        params["sort"] = sort
    if page > 1:
        params["page"] = page
    path = f"/{lang}/search" + (f".{fmt}" if fmt else "")
    return f"{path}?{urlencode(params)}"


def _with_filter(q: str, key: str, value: str) -> str:
    """The query narrowed by one more filter (values with spaces are quoted)."""
    shown = f'"{value}"' if " " in value else value
    return f"{q} {key}:{shown}".strip()


def facet_links(lang: str, q: str, results: SearchResults) -> dict[str, list[tuple[str, str, int]]]:
    """(label, url, count) per facet; each url adds the facet's filter to the query."""
    out: dict[str, list[tuple[str, str, int]]] = {"source": [], "lang": [], "day": []}
    for fv in results.facets.source:
        out["source"].append((fv.label, search_url(lang, _with_filter(q, "source", fv.value)),
                              fv.count))
    for fv in results.facets.lang:
        out["lang"].append((fv.label, search_url(lang, _with_filter(q, "lang", fv.value)),
                            fv.count))
    for fv in results.facets.day:
        try:
            day = date.fromisoformat(fv.value)
        except ValueError:
            continue
        narrowed = f"{q} after:{day.isoformat()} before:{(day + timedelta(days=1)).isoformat()}"
        out["day"].append((fv.label, search_url(lang, narrowed.strip()), fv.count))
    return out


def _run(conn: Connection, q: str, sort: str, page: int, per_page: int) -> SearchResults:
    backend = backend_for(conn.dialect.name)
    return backend.search(conn, q, page=min(max(page, 1), MAX_PAGE), per_page=per_page,
                          sort=sort)


@router.get("/search", include_in_schema=False)
def search_redirect(request: Request, settings: Annotated[Settings, Depends(get_settings)],
                    q: Q = "") -> RedirectResponse:
    """``/search?q=`` in the reader's language."""
    lang = negotiate(request.headers.get("accept-language"), settings.default_lang)
    response = RedirectResponse(search_url(lang, q) if q else f"/{lang}/search", 302)
    response.headers["Vary"] = "Accept-Language"
    return response


@router.get("/{lang:uilang}/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    lang: Annotated[str, Depends(ui_lang)],
    conn: Annotated[Connection, Depends(get_conn)],
    q: Q = "",
    sort: Sort = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    q = q.strip()
    results = _run(conn, q, sort, page, PER_PAGE) if q else None
    return render_page(
        request,
        "search.html",
        lang,
        q=q,
        sort=sort,
        results=results,
        facets=facet_links(lang, q, results) if results else {},
        prev_url=search_url(lang, q, sort, page - 1) if results and page > 1 else None,
        next_url=(search_url(lang, q, sort, page + 1)
                  if results and page < min(results.pages, MAX_PAGE) else None),
        relevance_url=search_url(lang, q, "relevance"),
        date_url=search_url(lang, q, "date"),
        feed_urls={fmt: search_url(lang, q, "date", fmt=fmt) for fmt in ("rss", "atom")}
        if q else {},
    )


@router.get("/{lang:uilang}/search.{fmt}", include_in_schema=False)
def search_feed(
    request: Request,
    lang: Annotated[str, Depends(ui_lang)],
    fmt: str,
    conn: Annotated[Connection, Depends(get_conn)],
    settings: Annotated[Settings, Depends(get_settings)],
    q: Q = "",
) -> Response:
    """The newest matches of a search as RSS, Atom or JSON Feed: follow a topic."""
    if fmt not in SERIALIZERS:
        return Response(status_code=404)
    results = _run(conn, q.strip(), "date", 1, FEED_SIZE) if q.strip() else None
    items = []
    for hit in results.hits if results else []:
        page = urls.absolute(request, settings, urls.article(lang, hit.source_slug,
                                                             hit.article_id))
        items.append(build.FeedItem(
            id_url=page, title=hit.title, link=page, published=hit.published,
            author=hit.author, lang=hit.lang, source_name=hit.source_name,
            original_url=hit.url, categories=(hit.section,) if hit.section else (),
        ))
    doc = build.FeedDoc(
        title=f"{q.strip()} · {settings.site_name}",
        link=urls.absolute(request, settings, search_url(lang, q.strip())),
        self_url=urls.absolute(request, settings, search_url(lang, q.strip(), fmt=fmt)),
        lang=lang,
        items=items,
        updated=items[0].published if items else None,
    )
    return Response(SERIALIZERS[fmt](doc), media_type=MEDIA_TYPES[fmt],
                    headers={"Cache-Control": "public, max-age=300"})
