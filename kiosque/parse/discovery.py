"""Finding feeds for a site: advertised ``<link>`` tags, usual paths, robots.txt.

Adding a publisher should take its homepage URL, not a hunt through its markup. The
page's own ``<link rel="alternate">`` tags are the publisher's word and come first;
``COMMON_FEED_PATHS`` are guesses for the caller to probe; news sitemaps are often
listed only in robots.txt.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from kiosque.parse.charset import decode_body

COMMON_FEED_PATHS: tuple[str, ...] = (
    "/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.rss", "/feed/",
    "/rss/", "/index.xml", "/feeds/posts/default", "/?feed=rss2", "/feed.json",
    "/news-sitemap.xml", "/sitemap-news.xml", "/sitemap_news.xml",
)

# Best first: the formats kiosque reads best, generic XML last.
_FEED_TYPES: dict[str, int] = {
    "application/rss+xml": 0, "application/atom+xml": 0, "application/rdf+xml": 1,
    "application/feed+json": 1, "application/json": 2, "application/x.atom+xml": 1,
    "application/x-atom+xml": 1, "application/x-rss+xml": 1, "text/xml": 3,
    "application/xml": 3, "text/rss+xml": 1, "text/atom+xml": 1,
}
_SECONDARY = ("comment", "commentaire", "comentario", "تعليق")


def _rank(mime: str, title: str, href: str, order: int) -> tuple[int, int, int]:
    lowered = f"{title} {href}".lower()
    secondary = 1 if any(word in lowered for word in _SECONDARY) else 0
    return secondary, _FEED_TYPES.get(mime, 4), order


def discover_feeds(html: bytes, page_url: str, content_type: str | None = None) -> list[str]:
    """Absolute URLs of the feeds an HTML page advertises, best first; [] when none.

    Comment feeds (WordPress advertises one next to the posts feed) go last, so the
    first URL is the one to subscribe to.
    """
    if not html or not html.strip():
        return []
    text = decode_body(html, content_type).text
    try:
        document: Any = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    base = page_url
    for element in document.iter("base"):
        href = (element.get("href") or "").strip()
        if href:
            base = urljoin(page_url, href)
        break
    found: dict[str, tuple[int, int, int]] = {}
    for order, element in enumerate(document.iter("link")):
        rels = (element.get("rel") or "").lower().split()
        if "alternate" not in rels and "feed" not in rels:
            continue
        mime = (element.get("type") or "").split(";")[0].strip().lower()
        href = (element.get("href") or "").strip()
        if not href or (mime not in _FEED_TYPES and "feed" not in rels):
            continue
        if mime == "application/json" and "feed" not in href.lower():
            continue  # WordPress advertises its REST API this way: not a feed
        try:
            url = urljoin(base, href)
        except ValueError:
            continue
        if not url.startswith(("http://", "https://")):
            continue
        rank = _rank(mime, element.get("title") or "", href, order)
        if url not in found or rank < found[url]:
            found[url] = rank
    return sorted(found, key=found.__getitem__)


def sitemaps_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """``Sitemap:`` lines of a robots.txt as absolute URLs, in order, without repeats."""
    urls: list[str] = []
    for line in robots_txt.splitlines():
        line = line.split("#", 1)[0].strip()
        key, sep, value = line.partition(":")
        if not sep or key.strip().lower() != "sitemap":
            continue
        value = value.strip()
        if not value:
            continue
        try:
            url = urljoin(base_url, value)
        except ValueError:
            continue
        if url.startswith(("http://", "https://")) and url not in urls:
            urls.append(url)
    return urls
