"""Feed, OPML, sitemap and robots.txt routes: each list of the site, machine-readable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import Connection

from kiosque.config import Settings
from kiosque.store import read
from kiosque.web import urls
from kiosque.web.caching import http_date
from kiosque.web.deps import get_conn, get_settings, ui_lang
from kiosque.web.feeds import build
from kiosque.web.pages.common import ListSpec, resolve_list

router = APIRouter()

FEED_SIZE = 50
FEED_CACHE_CONTROL = "public, max-age=300"
MEDIA_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
SERIALIZERS = {"rss": build.to_rss, "atom": build.to_atom, "json": build.to_jsonfeed}
SITEMAP_SIZE = 5000
NEWS_WINDOW = timedelta(days=2)

Lang = Annotated[str, Depends(ui_lang)]
Conn = Annotated[Connection, Depends(get_conn)]
Conf = Annotated[Settings, Depends(get_settings)]


def _feed_items(
    request: Request, settings: Settings, lang: str, rows: list[read.ArticleView]
) -> list[build.FeedItem]:
    out = []
    for a in rows:
        page = urls.absolute(request, settings, urls.article(lang, a.source_slug, a.id))
        image = urls.lead_image(a.image_id, a.image_status)
        out.append(build.FeedItem(
            id_url=page, title=a.title, link=page, published=a.published_at,
            summary=a.summary, author=a.author, lang=a.lang, updated=a.updated_at,
            source_name=a.source_name, original_url=a.url,
            categories=(a.section,) if a.section else (),
            image_url=urls.absolute(request, settings, image[0]) if image else "",
        ))
    return out


def _feed_response(
    request: Request, conn: Connection, settings: Settings, lang: str, spec: ListSpec,
    fmt: str,
) -> Response:
    if fmt not in SERIALIZERS:
        raise HTTPException(status_code=404)
    rows = read.list_articles(conn, spec.flt, limit=FEED_SIZE).items
    title = spec.heading if spec.kind == "all" else f"{spec.heading} · {settings.site_name}"
    doc = build.FeedDoc(
        title=title,
        link=urls.absolute(request, settings, spec.html_path),
        self_url=urls.absolute(request, settings, f"{spec.feed_base}.{fmt}"),
        lang=spec.content_lang or lang,
        items=_feed_items(request, settings, lang, rows),
        updated=rows[0].published_at if rows else None,
    )
    headers = {"Cache-Control": FEED_CACHE_CONTROL}
    if rows:
        headers["Last-Modified"] = http_date(max(r.published_at for r in rows))
    return Response(SERIALIZERS[fmt](doc), media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get("/{lang:uilang}/feed.{fmt}", include_in_schema=False)
def site_feed(request: Request, lang: Lang, fmt: str, conn: Conn, settings: Conf) -> Response:
    spec = resolve_list(conn, lang, "all", "", settings.site_name)
    assert spec is not None
    return _feed_response(request, conn, settings, lang, spec, fmt)


# ``key:path``: an author or a section may hold a "/" ("Rédaction / MAP"); its
# percent-encoded slash is decoded before routing, so the key may span segments.
@router.get("/{lang:uilang}/{kind}/{key:path}/feed.{fmt}", include_in_schema=False)
def list_feed(
    request: Request, lang: Lang, kind: str, key: str, fmt: str, conn: Conn, settings: Conf
) -> Response:
    """Feeds of a source, a section, an author or a story."""
    if kind not in ("source", "section", "author", "story"):
        raise HTTPException(status_code=404)
    spec = resolve_list(conn, lang, kind, key, settings.site_name)
    if spec is None:
        raise HTTPException(status_code=404)
    return _feed_response(request, conn, settings, lang, spec, fmt)


@router.get("/sources.opml", include_in_schema=False)
def sources_opml(conn: Conn, settings: Conf) -> Response:
    """The publishers' own feeds, for readers who want to subscribe to them directly."""
    outlines = [
        build.Outline(s.name, s.feed_url, s.homepage, s.lang, s.section)
        for s in read.list_sources(conn) if s.enabled
    ]
    body = build.to_opml(f"{settings.site_name} sources", outlines)
    return Response(body, media_type="text/x-opml; charset=utf-8",
                    headers={"Cache-Control": FEED_CACHE_CONTROL,
                             "Content-Disposition": 'inline; filename="sources.opml"'})


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap(request: Request, conn: Conn, settings: Conf) -> Response:
    """Canonical URLs only: each article in its own language when the UI speaks it."""
    def abs_(path: str) -> str:
        return urls.absolute(request, settings, path)

    latest = read.latest_published_at(conn)
    entries: list[tuple[str, datetime | None]] = []
    for lang in (settings.default_lang,):
        entries.append((abs_(urls.home(lang)), latest))
        entries.append((abs_(urls.sources(lang)), None))
    for s in read.list_sources(conn):
        lang = urls.canonical_lang(s.lang, settings.default_lang)
        entries.append((abs_(urls.source(lang, s.slug)), s.latest_at))
    for a in read.list_articles(conn, limit=SITEMAP_SIZE).items:
        lang = urls.canonical_lang(a.lang, settings.default_lang)
        entries.append((abs_(urls.article(lang, a.source_slug, a.id)),
                        a.updated_at or a.published_at))
    return Response(build.to_sitemap(entries), media_type="application/xml",
                    headers={"Cache-Control": FEED_CACHE_CONTROL})


@router.get("/sitemap-news.xml", include_in_schema=False)
def news_sitemap(request: Request, conn: Conn, settings: Conf) -> Response:
    """Articles of the last two days, as news search engines expect."""
    since = datetime.now(UTC) - NEWS_WINDOW
    rows = read.list_articles(conn, read.ArticleFilter(since=since), limit=1000).items
    entries = [
        build.NewsEntry(
            loc=urls.absolute(request, settings, urls.article(
                urls.canonical_lang(a.lang, settings.default_lang), a.source_slug, a.id)),
            publication=a.source_name, lang=a.lang, published=a.published_at, title=a.title,
        )
        for a in rows
    ]
    return Response(build.to_news_sitemap(entries), media_type="application/xml",
                    headers={"Cache-Control": FEED_CACHE_CONTROL})


@router.get("/robots.txt", include_in_schema=False)
def robots(request: Request, settings: Conf) -> PlainTextResponse:
    base = urls.base_url(request, settings)
    lines = [
        "User-agent: *",
        "Disallow: /api/",
        "Allow: /",
        "",
        f"Sitemap: {base}/sitemap.xml",
        f"Sitemap: {base}/sitemap-news.xml",
        "",
    ]
    return PlainTextResponse("\n".join(lines), headers={"Cache-Control": FEED_CACHE_CONTROL})
