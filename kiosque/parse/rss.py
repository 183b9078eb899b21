"""RSS 0.9x, 1.0 (RDF) and 2.0 into RSS-shaped structures.

The three RSS families differ mostly in namespaces (none, the RSS 1.0 namespace, the
Netscape 0.90 one) and in where items sit (inside ``<channel>`` or beside it), so one
reader serves them all: an element is "core RSS" when it is in none of the extension
namespaces, everything else goes to ``read_extension``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosque.parse.extensions import Extensions, read_extension
from kiosque.parse.xmltree import XML_LANG, inner_xml, local_name, namespace, text_of

RSS10 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CORE_NAMESPACES = frozenset({"", RSS10, RSS090, "http://backend.userland.com/rss2",
                             "http://blogs.law.harvard.edu/tech/rss"})
ITEM_TAGS = ("item", f"{{{RSS10}}}item", f"{{{RSS090}}}item")
_ITEM_FIELDS = ("title", "link", "guid", "description", "author", "pubdate", "category",
                "enclosure", "language")


def _core_tags() -> dict[str, str]:
    """Every spelling of a core item tag (per namespace, and RSS 2.0's camelCase) mapped
    to one lowercase name, so the hot loop does a single dict lookup per child."""
    table: dict[str, str] = {}
    for ns in CORE_NAMESPACES:
        for name in (*_ITEM_FIELDS, "pubDate"):
            table[f"{{{ns}}}{name}" if ns else name] = name.lower()
    return table


_CORE_TAGS = _core_tags()


@dataclass(slots=True)
class RssEnclosure:
    url: str
    mime: str = ""


@dataclass(slots=True)
class RssItem:
    """One ``<item>`` as written, before any interpretation."""

    title: str = ""
    link: str = ""
    guid: str = ""
    guid_is_permalink: bool = True
    about: str = ""  # rdf:about of RSS 1.0 items
    description: str = ""
    author: str = ""
    pub_date: str = ""
    categories: list[str] = field(default_factory=list)
    enclosures: list[RssEnclosure] = field(default_factory=list)
    lang: str = ""
    base: str = ""
    ext: Extensions = field(default_factory=Extensions)


@dataclass(slots=True)
class RssChannel:
    """Channel-level facts."""

    title: str = ""
    link: str = ""
    language: str = ""
    ttl: str = ""
    version: str = ""
    ext: Extensions = field(default_factory=Extensions)


def parse_channel(root: Any) -> RssChannel:
    """Read the channel metadata (not the items) of an RSS document."""
    channel = RssChannel(version=root.get("version") or ("1.0" if local_name(root.tag) ==
                                                         "RDF" else ""))
    node = root if local_name(root.tag) == "channel" else None
    if node is None:
        for child in root:
            if local_name(child.tag) == "channel":
                node = child
                break
    if node is None:
        return channel
    channel.language = (node.get(XML_LANG) or root.get(XML_LANG) or "").strip()
    for child in node:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if namespace(tag) not in CORE_NAMESPACES:
            read_extension(child, channel.ext)
            continue
        name = local_name(tag)
        if name == "title" and not channel.title:
            channel.title = text_of(child)
        elif name == "link" and not channel.link:
            channel.link = text_of(child)
        elif name == "language":
            channel.language = text_of(child) or channel.language
        elif name == "ttl":
            channel.ttl = text_of(child)
    return channel


def iter_items(root: Any) -> list[Any]:
    """Item elements wherever the RSS flavour puts them; items in an unexpected
    namespace (RSS 2.0 put in a Userland namespace, CDF's ``<ITEM>``) as a fallback."""
    items = list(root.iter(*ITEM_TAGS))
    if not items:
        items = [el for el in root.iter() if local_name(el.tag).lower() == "item"]
    return items


def parse_item(element: Any, xml_base: bool = True) -> RssItem:
    """Read one ``<item>`` element."""
    item = RssItem(about=element.get(f"{{{RDF}}}about") or "",
                   lang=element.get(XML_LANG) or "")
    for child in element:
        tag = child.tag
        name = _CORE_TAGS.get(tag) if isinstance(tag, str) else None
        if name is None:
            if not isinstance(tag, str):
                continue
            if tag[0] == "{" and namespace(tag) not in CORE_NAMESPACES:
                read_extension(child, item.ext)
                continue
            name = local_name(tag).lower()  # CDF's <TITLE>, odd casings
        if name == "title":
            if not item.title:
                item.title = inner_xml(child).strip() if len(child) else text_of(child)
        elif name == "link":
            if not item.link:
                item.link = text_of(child) or (child.get("href") or "").strip()
        elif name == "guid":
            item.guid = text_of(child)
            item.guid_is_permalink = (child.get("isPermaLink") or "true").strip().lower() \
                != "false"
        elif name == "description":
            if not item.description:
                item.description = inner_xml(child)
        elif name == "author":
            item.author = text_of(child)
        elif name == "pubdate":
            item.pub_date = text_of(child)
        elif name == "category":
            value = text_of(child)
            if value:
                item.categories.append(value)
        elif name == "enclosure":
            url = (child.get("url") or "").strip()
            if url:
                item.enclosures.append(RssEnclosure(url, (child.get("type") or "").strip()))
        elif name == "language":
            item.lang = text_of(child) or item.lang
    if not item.link:  # CDF and some broken feeds put the link on the item itself
        item.link = (element.get("href") or element.get("HREF") or "").strip()
    item.base = (element.base or "") if xml_base else ""
    return item
