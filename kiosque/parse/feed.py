"""``parse_feed``: sniff the format, parse with the right reader, adapt, never crash.

Format detection looks at the text, not at the Content-Type (publishers serve RSS as
text/html and HTML as application/rss+xml alike). XML formats share one tolerant
pipeline: strict parse, else repair and recover, and when recovery lost items, the
item-by-item re-parse of ``xmltree.reparse_chunks``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kiosque.models import Entry, FeedMeta, ParsedFeed
from kiosque.parse import adapter, atom, jsonfeed, rss, sitemap, xmltree
from kiosque.parse.charset import decode_body
from kiosque.parse.errors import FeedError
from kiosque.parse.extensions import syndication_minutes

_RSS_ROOTS = frozenset({"rss", "rdf", "channel"})
_HTML_ROOTS = frozenset({"html", "head", "body", "!doctype"})
_KNOWN_ROOTS = _RSS_ROOTS | {"feed", "entry", "urlset", "sitemapindex"}
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF|urlset|sitemapindex)[\s>]")


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed body (RSS, Atom, JSON Feed, sitemap or sitemap index).

    ``url`` is the feed's final URL, the base for relative links; ``content_type`` is
    the HTTP header, used only for its charset. Raises ``FeedError`` (and nothing else)
    when the body is not a feed; recoverable problems land in ``ParsedFeed.errors``.
    """
    try:
        return parse_unguarded(body, url, content_type)
    except FeedError:
        raise
    except Exception as exc:  # last line of defence: a parser bug must not kill a refresh
        raise FeedError(f"The feed could not be parsed ({type(exc).__name__}: {exc}).") \
            from exc


def parse_unguarded(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """``parse_feed`` without the catch-all, so tests and benchmarks can see real bugs."""
    if not body or not body.strip(b" \t\r\n\x00"):
        raise FeedError("The body is empty: there is no feed to read.")
    decoded = decode_body(body, content_type)
    text = decoded.text.lstrip("\ufeff \t\r\n\x00")
    if not text.strip():
        raise FeedError("The body holds only whitespace: there is no feed to read.")
    problems = list(decoded.problems)
    if text[0] in "{[":
        return _parse_json(text, url, problems)
    text, prolog_problems = xmltree.strip_prolog(text)
    problems.extend(prolog_problems)
    if not text:
        raise FeedError("The body holds no markup at all: it is not a feed.")
    kind = xmltree.root_name(text)
    if kind not in _KNOWN_ROOTS and kind not in _HTML_ROOTS:
        # Markup printed before the feed without an XML declaration (a PHP warning in
        # <b> tags, a stray <br/>): skip to a feed root element if one follows soon.
        later = _FEED_ROOT.search(text, 0, 4096)
        if later:
            text = text[later.start():]
            kind = xmltree.root_name(text)
            problems.append("Markup before the feed's root element was ignored.")
    if kind in _HTML_ROOTS:
        raise FeedError("The body is an HTML page, not a feed.")
    if kind in _RSS_ROOTS:
        return _parse_xml(text, url, problems, "item", rss.iter_items, _rss)
    if kind in ("feed", "entry"):
        return _parse_xml(text, url, problems, "entry", atom.iter_entries, _atom)
    if kind == "urlset":
        return _parse_xml(text, url, problems, "url", sitemap.iter_urls, _sitemap)
    if kind == "sitemapindex":
        return _parse_sitemap_index(text, url, problems)
    if not kind:
        raise FeedError("The body holds no XML element: it is not a feed.")
    raise FeedError(f"The document's root element <{kind}> is not RSS, Atom, "
                    "a JSON Feed or a sitemap.")


Builder = Callable[[Any, list[Any], str, list[str], bool], ParsedFeed]


def _parse_xml(text: str, url: str, problems: list[str], item_tag: str,
               find_items: Callable[[Any], list[Any]], build: Builder) -> ParsedFeed:
    root, parse_problems = xmltree.parse(text, url)
    problems.extend(parse_problems)
    items = find_items(root) if root is not None else []
    if parse_problems:
        # Recovery can drop items after a break, or keep an item but lose its link:
        # re-read item by item and keep whichever reading holds more usable entries.
        expected = xmltree.count_starts(text, item_tag)
        linked = xmltree.linked_count(items)
        if len(items) < expected or linked < len(items):
            reread = list(xmltree.reparse_chunks(text, item_tag, url))
            if (len(reread), xmltree.linked_count(reread)) > (len(items), linked):
                problems.append(f"XML recovery kept {len(items)} of {expected} <{item_tag}> "
                                f"elements; {len(reread)} were re-read one by one.")
                items = reread
    if root is None and not items:
        raise FeedError("The body is XML too broken to read: no root element survived.")
    # Asking lxml for each element's base URL is costly; only do it when xml:base is used.
    return build(root, items, url, problems, "xml:base" in text)


def _rss(root: Any, items: list[Any], url: str, problems: list[str],
         xml_base: bool) -> ParsedFeed:
    channel = rss.parse_channel(root) if root is not None else rss.RssChannel()
    lang = adapter.normalize_lang(channel.language or channel.ext.language)
    ttl = _int(channel.ttl) or syndication_minutes(channel.ext)
    meta = FeedMeta(title=channel.title, link=adapter.resolve(url, channel.link), lang=lang,
                    ttl_minutes=ttl, kind="rss")
    entries = [adapter.rss_entry(rss.parse_item(el, xml_base), url, lang) for el in items]
    return ParsedFeed(meta=meta, entries=entries, errors=problems)


def _atom(root: Any, items: list[Any], url: str, problems: list[str],
          xml_base: bool) -> ParsedFeed:
    feed = atom.parse_feed_meta(root) if root is not None else atom.AtomFeed()
    lang = adapter.normalize_lang(feed.lang or feed.ext.language)
    alternates = [link.href for link in feed.links if link.rel == "alternate"]
    meta = FeedMeta(title=feed.title, link=adapter.resolve(url, next(iter(alternates), "")),
                    lang=lang, ttl_minutes=syndication_minutes(feed.ext), kind="atom")
    author = next(iter(feed.authors), "")
    entries = [adapter.atom_entry(atom.parse_entry(el, xml_base), url, lang, author)
               for el in items]
    return ParsedFeed(meta=meta, entries=entries, errors=problems)


def _sitemap(root: Any, items: list[Any], url: str, problems: list[str],
             xml_base: bool) -> ParsedFeed:
    entries = [adapter.sitemap_entry(sitemap.parse_url(el, xml_base), url) for el in items]
    langs = {e.lang for e in entries if e.lang}
    meta = FeedMeta(lang=langs.pop() if len(langs) == 1 else "", kind="sitemap")
    return ParsedFeed(meta=meta, entries=[e for e in entries if e.url], errors=problems)


def _parse_sitemap_index(text: str, url: str, problems: list[str]) -> ParsedFeed:
    root, parse_problems = xmltree.parse(text, url)
    problems.extend(parse_problems)
    if root is None:
        raise FeedError("The sitemap index is XML too broken to read.")
    base = root.base or url
    subs = list(dict.fromkeys(adapter.resolve(base, loc)
                              for loc in sitemap.index_locations(root)))
    return ParsedFeed(meta=FeedMeta(kind="sitemapindex"), entries=[], errors=problems,
                      sub_feeds=subs)


def _parse_json(text: str, url: str, problems: list[str]) -> ParsedFeed:
    feed = jsonfeed.parse_json_feed(text)
    lang = adapter.normalize_lang(feed.language)
    base = feed.feed_url if feed.feed_url.startswith(("http://", "https://")) else url
    author = next(iter(feed.authors), "")
    entries: list[Entry] = [adapter.json_entry(item, base, lang, author) for item in feed.items]
    if feed.skipped:
        problems.append(f"{feed.skipped} item(s) of the JSON Feed were not objects.")
    meta = FeedMeta(title=feed.title, link=adapter.resolve(base, feed.home_page_url),
                    lang=lang, kind="jsonfeed")
    return ParsedFeed(meta=meta, entries=entries, errors=problems)


def _int(value: str) -> int | None:
    try:
        number = int(value.strip())
    except (ValueError, AttributeError):
        return None
    return number if number > 0 else None
