"""The one place where format-shaped structures become ``kiosque.models.Entry``.

Each format parser records what the document says; this module decides what it
means for kiosque: which link is the article, which date is the publication date,
which of five possible images to show, how plain text becomes HTML. Keeping those
decisions together makes them consistent across RSS, Atom, JSON Feed and sitemaps.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urljoin, urlsplit

from kiosque.models import Entry
from kiosque.parse.atom import AtomEntry, AtomText
from kiosque.parse.dates import parse_date
from kiosque.parse.extensions import Extensions
from kiosque.parse.htmltext import first_image, plain_text, text_to_html
from kiosque.parse.jsonfeed import JsonFeedItem
from kiosque.parse.rss import RssItem
from kiosque.parse.sitemap import SitemapUrl

_EMAIL_NAME = re.compile(r"^\s*[^\s@()]+@[^\s@()]+\s*\((.+)\)\s*$")
_BARE_EMAIL = re.compile(r"^\s*[^\s@()]+@[^\s@()]+\s*$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?=$|[-_])")


@functools.lru_cache(maxsize=256)
def _origin(base: str) -> str:
    try:
        parts = urlsplit(base)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def resolve(base: str, href: str) -> str:
    """An absolute URL for ``href`` against ``base``; absolute input is returned as is.

    Root-relative links (the common case in feeds) are joined by concatenation with
    the base's origin, which is what RFC 3986 does for them and ten times cheaper
    than ``urljoin``; anything subtler goes through ``urljoin``.
    """
    href = href.strip()
    if not href or href.startswith(("http://", "https://")):
        return href
    if not base:
        return href
    if href[0] == "/" and not href.startswith("//") and "/." not in href:
        origin = _origin(base)
        if origin:
            return origin + href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def normalize_lang(value: str) -> str:
    """``fr-FR`` / ``fr_fr`` / ``FR`` -> ``fr``: the primary subtag, which is what
    language-specific analysis downstream keys on. '' for values that are no tag."""
    match = _LANG.match(value.strip())
    return match.group(0).lower() if match else ""


def _author(*candidates: str) -> str:
    """First usable author; RSS's ``email (Name)`` becomes the name, a bare email is
    kept only when nothing better exists."""
    fallback = ""
    for candidate in candidates:
        candidate = candidate.strip()
        if not candidate:
            continue
        match = _EMAIL_NAME.match(candidate)
        if match:
            return match.group(1).strip()
        if _BARE_EMAIL.match(candidate):
            fallback = fallback or candidate
            continue
        return plain_text(candidate)
    return fallback


def _extension_image(ext: Extensions) -> str:
    if ext.media_images:
        return ext.media_images[0]
    if ext.media_thumbnails:
        return ext.media_thumbnails[0]
    return ext.itunes_image


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def rss_entry(item: RssItem, feed_url: str, feed_lang: str) -> Entry:
    """An RSS item as an Entry."""
    base = item.base or feed_url
    ext = item.ext
    link = item.link
    if not link:
        alternates = [h for h, rel, _ in ext.atom_links if rel == "alternate"]
        link = alternates[0] if alternates else ""
    if not link and item.guid and item.guid_is_permalink and (
        item.guid.startswith(("http://", "https://", "/"))
    ):
        link = item.guid
    if not link and item.about.startswith(("http://", "https://")):
        link = item.about
    if not link and item.enclosures and not item.guid:
        link = item.enclosures[0].url  # a bare media item: its file is all it has
    content = ext.content_encoded.strip()
    summary = item.description.strip() or ext.itunes_summary.strip() or \
        ext.media_description.strip()
    image = next((e.url for e in item.enclosures if e.mime.startswith("image/")), "")
    image = image or _extension_image(ext) or first_image(content) or first_image(summary)
    dates = [item.pub_date, *ext.dates]
    published = next((d for d in (parse_date(v) for v in dates if v) if d), None)
    return Entry(
        url=resolve(base, link),
        title=plain_text(item.title or ext.media_title),
        guid=item.guid or item.about,
        summary_html=summary,
        content_html=content,
        author=_author(*ext.creators, item.author, ext.itunes_author),
        published=published,
        updated=parse_date(ext.modified),
        image_url=resolve(base, image),
        categories=_dedupe([*item.categories, *ext.subjects]),
        lang=normalize_lang(item.lang or ext.language) or feed_lang,
    )


def _atom_html(text: AtomText) -> str:
    if text.kind == "text":
        return text_to_html(text.value)
    return text.value.strip()


def atom_entry(entry: AtomEntry, feed_url: str, feed_lang: str, feed_author: str) -> Entry:
    """An Atom entry as an Entry."""
    base = entry.base or feed_url
    alternates = [link for link in entry.links if link.rel == "alternate"]
    html_alternates = [link for link in alternates if "html" in link.mime or not link.mime]
    chosen = (html_alternates or alternates or entry.links)
    link = chosen[0].href if chosen else ""
    if not link and entry.id.startswith(("http://", "https://")):
        link = entry.id
    if not link and entry.content.src:
        link = entry.content.src
    content = _atom_html(entry.content)
    summary = _atom_html(entry.summary)
    enclosure_image = next((link.href for link in entry.links
                            if link.rel == "enclosure" and link.mime.startswith("image/")), "")
    image = enclosure_image or _extension_image(entry.ext) or first_image(content) or \
        first_image(summary)
    published = parse_date(entry.published) or next(
        (d for d in (parse_date(v) for v in entry.ext.dates if v) if d), None)
    updated = parse_date(entry.updated)
    title = entry.title.value if entry.title.kind == "text" else plain_text(entry.title.value)
    return Entry(
        url=resolve(base, link),
        title=plain_text(title) if "\n" in title or "  " in title else title.strip(),
        guid=entry.id,
        summary_html=summary,
        content_html=content,
        author=_author(*entry.authors, *entry.ext.creators, feed_author),
        published=published or updated,
        updated=updated,
        image_url=resolve(base, image),
        categories=_dedupe([*entry.categories, *entry.ext.subjects]),
        lang=normalize_lang(entry.lang or entry.ext.language) or feed_lang,
    )


def json_entry(item: JsonFeedItem, feed_url: str, feed_lang: str, feed_author: str) -> Entry:
    """A JSON Feed item as an Entry."""
    link = item.url or item.external_url
    if not link and item.id.startswith(("http://", "https://")):
        link = item.id
    content = item.content_html.strip() or text_to_html(item.content_text)
    image = item.image or item.banner_image or next(iter(item.attachment_images), "") or \
        first_image(content)
    published = parse_date(item.date_published)
    updated = parse_date(item.date_modified)
    return Entry(
        url=resolve(feed_url, link),
        title=plain_text(item.title),
        guid=item.id,
        summary_html=text_to_html(item.summary),
        content_html=content,
        author=_author(*item.authors, feed_author),
        published=published or updated,
        updated=updated,
        image_url=resolve(feed_url, image),
        categories=_dedupe(item.tags),
        lang=normalize_lang(item.language) or feed_lang,
    )


def sitemap_entry(url: SitemapUrl, feed_url: str) -> Entry:
    """A sitemap ``<url>`` as an Entry (title and language only with Google News)."""
    base = url.base or feed_url
    published = parse_date(url.news_date)
    updated = parse_date(url.lastmod)
    return Entry(
        url=resolve(base, url.loc),
        title=plain_text(url.news_title),
        guid=url.loc,
        published=published or updated,
        updated=updated,
        image_url=resolve(base, url.images[0]) if url.images else "",
        categories=_dedupe(url.keywords),
        lang=normalize_lang(url.news_language),
    )
