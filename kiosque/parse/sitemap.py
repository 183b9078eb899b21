"""Sitemaps: ``<urlset>`` (with the Google News and image extensions) and
``<sitemapindex>``.

Many news sites have no usable RSS but do publish a Google News sitemap, which lists
the last two days of articles with title, date and language: that makes it a feed in
all but name. A sitemap index only points at other sitemaps; the orchestrator follows
those itself, so here we just return their addresses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosque.parse.xmltree import local_name, namespace, text_of

NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
URL_TAGS = ("url", "{http://www.sitemaps.org/schemas/sitemap/0.9}url",
            "{http://www.google.com/schemas/sitemap/0.84}url")
SITEMAP_TAGS = ("sitemap", "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemap",
                "{http://www.google.com/schemas/sitemap/0.84}sitemap")


@dataclass(slots=True)
class SitemapUrl:
    """One ``<url>``: the plain sitemap fields plus the news and image extensions."""

    loc: str = ""
    lastmod: str = ""
    news_title: str = ""
    news_date: str = ""
    news_language: str = ""
    publication_name: str = ""
    keywords: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    base: str = ""


def _read_news(element: Any, url: SitemapUrl) -> None:
    for child in element:
        name = local_name(child.tag)
        if name == "title":
            url.news_title = text_of(child)
        elif name == "publication_date":
            url.news_date = text_of(child)
        elif name == "keywords":
            url.keywords = [k.strip() for k in text_of(child).split(",") if k.strip()]
        elif name == "publication":
            for sub in child:
                sub_name = local_name(sub.tag)
                if sub_name == "language":
                    url.news_language = text_of(sub)
                elif sub_name == "name":
                    url.publication_name = text_of(sub)
        elif name == "language":  # misplaced outside <news:publication>
            url.news_language = url.news_language or text_of(child)


def iter_urls(root: Any) -> list[Any]:
    return list(root.iter(*URL_TAGS))


def parse_url(element: Any, xml_base: bool = True) -> SitemapUrl:
    """Read one ``<url>`` element."""
    url = SitemapUrl()
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        ns = namespace(tag)
        name = local_name(tag)
        if ns == NEWS:
            if name == "news":
                _read_news(child, url)
        elif ns == IMAGE:
            if name == "image":
                for sub in child:
                    if local_name(sub.tag) == "loc" and text_of(sub):
                        url.images.append(text_of(sub))
        elif name == "loc":
            url.loc = text_of(child)
        elif name == "lastmod":
            url.lastmod = text_of(child)
    url.base = (element.base or "") if xml_base else ""
    return url


def index_locations(root: Any) -> list[str]:
    """The ``<loc>`` of every ``<sitemap>`` in a sitemap index, as written."""
    locations = []
    for sitemap in root.iter(*SITEMAP_TAGS):
        for child in sitemap:
            if local_name(child.tag) == "loc":
                value = text_of(child)
                if value:
                    locations.append(value)
                break
    return locations
