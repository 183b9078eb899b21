"""Pure serializers from a neutral feed description to RSS 2.0, Atom 1.0 and JSON Feed 1.1.

Routes describe a list once (``FeedDoc``) and pick a format; the serializers know
nothing of HTTP or the database, so they are tested by parsing their output back.
ElementTree escapes every text node, so hostile titles cannot break the XML.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
XML_NS = "http://www.w3.org/XML/1998/namespace"


@dataclass(frozen=True, slots=True)
class FeedItem:
    id_url: str  # our page: stable, unique
    title: str
    link: str
    published: datetime
    summary: str = ""
    author: str = ""
    lang: str = ""
    updated: datetime | None = None
    source_name: str = ""
    original_url: str = ""
    categories: tuple[str, ...] = ()
    image_url: str = ""  # served by this site (a placeholder when the image is blocked)


@dataclass(frozen=True, slots=True)
class FeedDoc:
    title: str
    link: str  # the HTML page of the list
    self_url: str  # this feed
    lang: str
    description: str = ""
    updated: datetime | None = None
    items: list[FeedItem] = field(default_factory=list)


def _rfc822(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _sub(
    parent: ET.Element, tag: str, content: str | None = None, /, **attrib: str
) -> ET.Element:
    """A child element; ``content`` is positional-only so an attribute may be named
    "text" (OPML outlines have one)."""
    el = ET.SubElement(parent, tag, attrib)
    if content is not None:
        el.text = content
    return el


def _updated(doc: FeedDoc) -> datetime:
    if doc.updated is not None:
        return doc.updated
    if doc.items:
        return max(i.updated or i.published for i in doc.items)
    return datetime(1970, 1, 1, tzinfo=UTC)


def to_rss(doc: FeedDoc) -> bytes:
    ET.register_namespace("atom", ATOM_NS)
    ET.register_namespace("dc", DC_NS)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", doc.title)
    _sub(channel, "link", doc.link)
    _sub(channel, "description", doc.description or doc.title)
    _sub(channel, "language", doc.lang)
    _sub(channel, "lastBuildDate", _rfc822(_updated(doc)))
    _sub(channel, f"{{{ATOM_NS}}}link", href=doc.self_url, rel="self",
         type="application/rss+xml")
    for item in doc.items:
        el = _sub(channel, "item")
        _sub(el, "title", item.title)
        _sub(el, "link", item.link)
        _sub(el, "guid", item.id_url, isPermaLink="true")
        _sub(el, "pubDate", _rfc822(item.published))
        if item.summary:
            _sub(el, "description", item.summary)
        if item.author:
            _sub(el, f"{{{DC_NS}}}creator", item.author)
        if item.source_name and item.original_url:
            _sub(el, "source", item.source_name, url=item.original_url)
        for cat in item.categories:
            _sub(el, "category", cat)
        if item.image_url:
            _sub(el, "enclosure", url=item.image_url, type="image/jpeg", length="0")
    return bytes(ET.tostring(rss, encoding="utf-8", xml_declaration=True))


def to_atom(doc: FeedDoc) -> bytes:
    ET.register_namespace("", ATOM_NS)
    a = f"{{{ATOM_NS}}}"
    feed = ET.Element(f"{a}feed", {f"{{{XML_NS}}}lang": doc.lang})
    _sub(feed, f"{a}title", doc.title)
    _sub(feed, f"{a}id", doc.self_url)
    _sub(feed, f"{a}updated", _rfc3339(_updated(doc)))
    _sub(feed, f"{a}link", href=doc.link, rel="alternate", type="text/html")
    _sub(feed, f"{a}link", href=doc.self_url, rel="self", type="application/atom+xml")
    if doc.description:
        _sub(feed, f"{a}subtitle", doc.description)
    for item in doc.items:
        entry = _sub(feed, f"{a}entry")
        if item.lang:
            entry.set(f"{{{XML_NS}}}lang", item.lang)
        _sub(entry, f"{a}title", item.title)
        _sub(entry, f"{a}id", item.id_url)
        _sub(entry, f"{a}link", href=item.link, rel="alternate", type="text/html")
        if item.original_url:
            _sub(entry, f"{a}link", href=item.original_url, rel="via")
        _sub(entry, f"{a}published", _rfc3339(item.published))
        _sub(entry, f"{a}updated", _rfc3339(item.updated or item.published))
        if item.author or item.source_name:
            author = _sub(entry, f"{a}author")
            _sub(author, f"{a}name", item.author or item.source_name)
        if item.summary:
            _sub(entry, f"{a}summary", item.summary, type="text")
        for cat in item.categories:
            _sub(entry, f"{a}category", term=cat)
        if item.image_url:
            _sub(entry, f"{a}link", href=item.image_url, rel="enclosure", type="image/jpeg")
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def to_jsonfeed(doc: FeedDoc) -> bytes:
    items = []
    for item in doc.items:
        entry: dict[str, object] = {
            "id": item.id_url,
            "url": item.link,
            "title": item.title,
            "date_published": _rfc3339(item.published),
            "content_text": item.summary or item.title,
        }
        if item.updated:
            entry["date_modified"] = _rfc3339(item.updated)
        if item.summary:
            entry["summary"] = item.summary
        if item.original_url:
            entry["external_url"] = item.original_url
        if item.author:
            entry["authors"] = [{"name": item.author}]
        if item.lang:
            entry["language"] = item.lang
        if item.categories:
            entry["tags"] = list(item.categories)
        if item.image_url:
            entry["image"] = item.image_url
        items.append(entry)
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": doc.title,
        "home_page_url": doc.link,
        "feed_url": doc.self_url,
        "language": doc.lang,
        "items": items,
    }
    if doc.description:
        body["description"] = doc.description
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Outline:
    title: str
    xml_url: str
    html_url: str = ""
    lang: str = ""
    category: str = ""


def to_opml(title: str, outlines: list[Outline], created: datetime | None = None) -> bytes:
    """OPML 2.0 subscription list, importable by feed readers and by kiosque itself."""
    opml = ET.Element("opml", {"version": "2.0"})
    head = _sub(opml, "head")
    _sub(head, "title", title)
    if created is not None:
        _sub(head, "dateCreated", _rfc822(created))
    body = _sub(opml, "body")
    for o in outlines:
        attrs = {"type": "rss", "text": o.title, "title": o.title, "xmlUrl": o.xml_url}
        if o.html_url:
            attrs["htmlUrl"] = o.html_url
        if o.lang:
            attrs["language"] = o.lang
        if o.category:
            attrs["category"] = o.category
        _sub(body, "outline", **attrs)
    return bytes(ET.tostring(opml, encoding="utf-8", xml_declaration=True))


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def to_sitemap(entries: list[tuple[str, datetime | None]]) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    s = f"{{{SITEMAP_NS}}}"
    urlset = ET.Element(f"{s}urlset")
    for loc, lastmod in entries:
        url = _sub(urlset, f"{s}url")
        _sub(url, f"{s}loc", loc)
        if lastmod is not None:
            _sub(url, f"{s}lastmod", _rfc3339(lastmod))
    return bytes(ET.tostring(urlset, encoding="utf-8", xml_declaration=True))


@dataclass(frozen=True, slots=True)
class NewsEntry:
    loc: str
    publication: str
    lang: str
    published: datetime
    title: str


def to_news_sitemap(entries: list[NewsEntry]) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("news", NEWS_NS)
    s, n = f"{{{SITEMAP_NS}}}", f"{{{NEWS_NS}}}"
    urlset = ET.Element(f"{s}urlset")
    for e in entries:
        url = _sub(urlset, f"{s}url")
        _sub(url, f"{s}loc", e.loc)
        news = _sub(url, f"{n}news")
        pub = _sub(news, f"{n}publication")
        _sub(pub, f"{n}name", e.publication)
        _sub(pub, f"{n}language", e.lang or "und")
        _sub(news, f"{n}publication_date", _rfc3339(e.published))
        _sub(news, f"{n}title", e.title)
    return bytes(ET.tostring(urlset, encoding="utf-8", xml_declaration=True))
