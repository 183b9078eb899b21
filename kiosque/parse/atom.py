"""Atom 1.0 and its predecessor 0.3 into Atom-shaped structures.

Atom says precisely what kind of text each construct holds (``type="text|html|xhtml"``,
and 0.3's ``mode="escaped|xml|base64"``); we keep that information next to the raw
value so the adapter can turn plain text into HTML safely instead of guessing.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from kiosque.parse.extensions import ATOM03, ATOM10, Extensions, read_extension
from kiosque.parse.xmltree import XML_LANG, inner_xml, local_name, namespace, text_of

ATOM_NAMESPACES = frozenset({ATOM10, ATOM03, ""})
ENTRY_TAGS = (f"{{{ATOM10}}}entry", f"{{{ATOM03}}}entry", "entry")


@dataclass(slots=True)
class AtomText:
    """A text construct: the value and whether it is ``text``, ``html`` or ``xhtml``."""

    value: str = ""
    kind: str = "text"
    src: str = ""


@dataclass(slots=True)
class AtomLink:
    href: str
    rel: str = "alternate"
    mime: str = ""


@dataclass(slots=True)
class AtomEntry:
    """One ``<entry>`` as written."""

    id: str = ""
    title: AtomText = field(default_factory=AtomText)
    links: list[AtomLink] = field(default_factory=list)
    summary: AtomText = field(default_factory=AtomText)
    content: AtomText = field(default_factory=AtomText)
    authors: list[str] = field(default_factory=list)
    published: str = ""
    updated: str = ""
    categories: list[str] = field(default_factory=list)
    lang: str = ""
    base: str = ""
    ext: Extensions = field(default_factory=Extensions)


@dataclass(slots=True)
class AtomFeed:
    """Feed-level facts."""

    title: str = ""
    links: list[AtomLink] = field(default_factory=list)
    lang: str = ""
    version: str = "1.0"
    authors: list[str] = field(default_factory=list)
    ext: Extensions = field(default_factory=Extensions)


def _text_construct(element: Any) -> AtomText:
    kind = (element.get("type") or "text").strip().lower()
    mode = (element.get("mode") or "").strip().lower()  # Atom 0.3
    src = (element.get("src") or "").strip()
    if kind in ("xhtml", "application/xhtml+xml") or (mode == "xml" and len(element)):
        return AtomText(inner_xml(element).strip(), "xhtml", src)
    if mode == "base64":
        try:
            raw = base64.b64decode(text_of(element)).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            raw = ""
        return AtomText(raw, "html" if "html" in kind else "text", src)
    if kind in ("html", "text/html") or mode == "escaped":
        return AtomText(inner_xml(element), "html", src)
    if len(element):  # 'text' with markup children: publishers meant HTML
        return AtomText(inner_xml(element), "html", src)
    return AtomText(element.text or "", "text", src)


def _person(element: Any) -> str:
    for child in element:
        if local_name(child.tag) == "name":
            return text_of(child)
    return text_of(element)


def _link(element: Any) -> AtomLink | None:
    href = (element.get("href") or "").strip() or text_of(element)
    if not href:
        return None
    return AtomLink(href, (element.get("rel") or "alternate").strip(),
                    (element.get("type") or "").strip())


def parse_feed_meta(root: Any) -> AtomFeed:
    """Read the ``<feed>`` element's own metadata (not its entries)."""
    feed = AtomFeed(lang=(root.get(XML_LANG) or "").strip(),
                    version="0.3" if namespace(root.tag) == ATOM03 else "1.0")
    for child in root:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if namespace(tag) not in ATOM_NAMESPACES:
            read_extension(child, feed.ext)
            continue
        name = local_name(tag)
        if name == "title" and not feed.title:
            feed.title = text_of(child)
        elif name == "link":
            link = _link(child)
            if link:
                feed.links.append(link)
        elif name == "author":
            feed.authors.append(_person(child))
    return feed


def iter_entries(root: Any) -> list[Any]:
    """The entry elements of a feed (or the root itself for a lone Atom entry)."""
    if local_name(root.tag) == "entry":
        return [root]
    entries = list(root.iter(*ENTRY_TAGS))
    if not entries:  # pre-1.0 drafts called them <item>
        entries = [el for el in root.iter() if local_name(el.tag) == "item"]
    return entries


def parse_entry(element: Any, xml_base: bool = True) -> AtomEntry:
    """Read one ``<entry>`` element."""
    entry = AtomEntry(lang=element.get(XML_LANG) or "")
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if namespace(tag) not in ATOM_NAMESPACES:
            read_extension(child, entry.ext)
            continue
        name = local_name(tag)
        if name == "title":
            entry.title = _text_construct(child)
        elif name == "link":
            link = _link(child)
            if link:
                entry.links.append(link)
        elif name == "id":
            entry.id = text_of(child)
        elif name == "summary":
            entry.summary = _text_construct(child)
        elif name == "content":
            entry.content = _text_construct(child)
        elif name == "author":
            value = _person(child)
            if value:
                entry.authors.append(value)
        elif name in ("published", "issued", "created"):
            entry.published = entry.published or text_of(child)
        elif name in ("updated", "modified"):
            entry.updated = entry.updated or text_of(child)
        elif name == "category":
            value = (child.get("label") or child.get("term") or text_of(child)).strip()
            if value:
                entry.categories.append(value)
    entry.base = (element.base or "") if xml_base else ""
    return entry
