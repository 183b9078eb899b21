"""Namespaced extensions shared by RSS and Atom (Dublin Core, content, Media RSS,
iTunes, syndication), read into one small structure.

Publishers mix these freely into both formats, so each format parser hands every
namespaced child it does not own to ``read_extension`` instead of duplicating the
knowledge of what ``dc:creator`` or ``media:thumbnail`` mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosque.parse.xmltree import inner_xml, local_name, namespace, text_of

DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
MEDIA_OLD = "http://search.yahoo.com/mrss"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
SYNDICATION = "http://purl.org/rss/1.0/modules/syndication/"
ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
XHTML = "http://www.w3.org/1999/xhtml"

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")


@dataclass(slots=True)
class Extensions:
    """Values found in extension namespaces of one item or channel."""

    creators: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # dc:date, dcterms:created/issued
    modified: str = ""
    language: str = ""
    subjects: list[str] = field(default_factory=list)
    content_encoded: str = ""
    media_images: list[str] = field(default_factory=list)  # media:content that is an image
    media_thumbnails: list[str] = field(default_factory=list)
    media_description: str = ""
    media_title: str = ""
    itunes_image: str = ""
    itunes_author: str = ""
    itunes_summary: str = ""
    update_period: str = ""
    update_frequency: str = ""
    atom_links: list[tuple[str, str, str]] = field(default_factory=list)  # href, rel, type


def _is_image(url: str, mime: str, medium: str) -> bool:
    if medium:
        return medium == "image"
    if mime:
        return mime.startswith("image/")
    return url.lower().split("?", 1)[0].endswith(IMAGE_EXTENSIONS)


def _read_media(element: Any, name: str, ext: Extensions) -> None:
    if name == "content":
        url = (element.get("url") or "").strip()
        if url and _is_image(url, element.get("type") or "", element.get("medium") or ""):
            ext.media_images.append(url)
        for child in element:  # thumbnails nested in media:content (video items)
            if isinstance(child.tag, str):
                _read_media(child, local_name(child.tag), ext)
    elif name == "thumbnail":
        url = (element.get("url") or "").strip()
        if url:
            ext.media_thumbnails.append(url)
    elif name == "group":
        for child in element:
            if isinstance(child.tag, str):
                _read_media(child, local_name(child.tag), ext)
    elif name == "description" and not ext.media_description:
        ext.media_description = text_of(element)
    elif name == "title" and not ext.media_title:
        ext.media_title = text_of(element)


def read_extension(element: Any, ext: Extensions) -> bool:
    """Fill ``ext`` from one namespaced child; False when the namespace is not ours."""
    tag = element.tag
    ns = namespace(tag)
    name = local_name(tag)
    if ns in (DC, DCTERMS):
        if name == "creator":
            value = text_of(element)
            if value:
                ext.creators.append(value)
        elif name in ("date", "created", "issued"):
            ext.dates.append(text_of(element))
        elif name == "modified":
            ext.modified = text_of(element)
        elif name == "language":
            ext.language = text_of(element)
        elif name == "subject":
            value = text_of(element)
            if value:
                ext.subjects.append(value)
        return True
    if ns == CONTENT:
        if name == "encoded":
            ext.content_encoded = inner_xml(element)
        return True
    if ns in (MEDIA, MEDIA_OLD):
        _read_media(element, name, ext)
        return True
    if ns == ITUNES:
        if name == "image":
            ext.itunes_image = (element.get("href") or text_of(element)).strip()
        elif name == "author":
            ext.itunes_author = text_of(element)
        elif name == "summary":
            ext.itunes_summary = text_of(element)
        return True
    if ns == SYNDICATION:
        if name == "updatePeriod":
            ext.update_period = text_of(element)
        elif name == "updateFrequency":
            ext.update_frequency = text_of(element)
        return True
    if ns == ATOM10 and name == "link":
        href = (element.get("href") or "").strip()
        if href:
            ext.atom_links.append((href, element.get("rel") or "alternate",
                                   element.get("type") or ""))
        return True
    return False


_PERIOD_MINUTES = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200,
                   "yearly": 525600}


def syndication_minutes(ext: Extensions) -> int | None:
    """sy:updatePeriod / sy:updateFrequency as minutes between updates, if declared."""
    period = _PERIOD_MINUTES.get(ext.update_period.strip().lower())
    if period is None:
        return None
    try:
        frequency = max(1, int(ext.update_frequency or "1"))
    except ValueError:
        frequency = 1
    return max(1, period // frequency)
