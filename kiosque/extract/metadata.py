"""Article metadata from the signals publishers put there for machines.

OpenGraph, JSON-LD and classic ``<meta>`` tags are read directly from the parsed tree:
this is cheaper and more predictable than a general metadata heuristic, and the order
of trust lives in :mod:`kiosque.extract.selectors`. Every function here is pure and
tolerant: a broken JSON-LD block or a nonsense date is skipped, never raised.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
from dateutil import parser as dateparser
from lxml import etree

from kiosque.extract import selectors as sel

_SPACES = re.compile(r"\s+")
# Zone abbreviations seen in publishers' dates; dateutil knows none of them by itself.
_TZ_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 3600, "BST": 3600, "CET": 3600,
    "CEST": 7200, "EET": 7200, "EEST": 10800, "EST": -18000, "EDT": -14400,
    "CST": -21600, "CDT": -18000, "MST": -25200, "MDT": -21600, "PST": -28800,
    "PDT": -25200,
}
_BYLINE_NOISE = re.compile(r"\d|@|\[at\]|:$|\bsaid\b|\bsays\b", re.I)
_LOCALE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")


@dataclass(slots=True)
class PageMetadata:
    """Metadata found on a page; empty strings where nothing trustworthy was found."""

    title: str = ""
    author: str = ""
    published: datetime | None = None
    image_url: str = ""
    canonical_url: str = ""
    lang: str = ""
    site_name: str = ""
    description: str = ""
    jsonld_body: str = ""  # articleBody, when the publisher gives it


def _clean(value: object) -> str:
    return _SPACES.sub(" ", str(value)).strip() if value is not None else ""


def meta_values(tree: etree._Element) -> dict[str, str]:
    """First non-empty ``content`` for every lowercased ``name``/``property``/``itemprop``."""
    found: dict[str, str] = {}
    for node in tree.xpath(sel.XPATH_META):
        content = _clean(node.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (node.get(attr) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def _first(values: dict[str, str], keys: Iterable[str]) -> str:
    for key in keys:
        if values.get(key):
            return values[key]
    return ""


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item)
    elif isinstance(node, dict):
        yield node
        graph = node.get("@graph")
        if graph is not None:
            yield from _walk_jsonld(graph)
        main = node.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk_jsonld(main)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def jsonld_article(tree: etree._Element) -> dict[str, Any]:
    """The JSON-LD object that describes the article (articles beat mere web pages)."""
    best: dict[str, Any] = {}
    for script in tree.xpath(sel.XPATH_JSONLD):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        for obj in _walk_jsonld(data):
            kinds = _types(obj) & sel.JSONLD_ARTICLE_TYPES
            if not kinds:
                continue
            if kinds != {"webpage"}:
                return obj
            if not best:
                best = obj
    return best


def _name_of(value: Any) -> str:
    """A person/organization name from the many shapes JSON-LD allows."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return _clean(value.get("name", ""))
    if isinstance(value, list):
        names = [_name_of(v) for v in value]
        return ", ".join(dict.fromkeys(n for n in names if n))
    return ""


def _url_of(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return _url_of(value.get("url") or value.get("contentUrl") or "")
    if isinstance(value, list) and value:
        return _url_of(value[0])
    return ""


# ISO 8601 as datetime.fromisoformat reads it exactly as dateutil does: a full date,
# optionally a time to the second or beyond, optionally Z or a +hh:mm offset.
_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def parse_date(value: str) -> datetime | None:
    """An aware UTC datetime from the date strings publishers write, or None.

    A date without a zone is taken as UTC: wrong by a few hours at worst, and it keeps
    every stored timestamp comparable.
    """
    value = value.strip()
    if not value or len(value) > 64:
        return None
    if _ISO_DATE.fullmatch(value):  # what most pages write; dateutil costs 30 times more
        try:
            return _in_range(datetime.fromisoformat(value))
        except ValueError:
            pass  # e.g. a 25th hour: let dateutil give its verdict
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: taken as UTC below
            parsed = dateparser.parse(value, tzinfos=_TZ_ABBREVIATIONS)
    except (ValueError, OverflowError, TypeError):
        return None
    return _in_range(parsed)


def _in_range(parsed: datetime) -> datetime | None:
    """UTC, zone-less taken as UTC; None outside the years a news date can have."""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        result = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if not 1990 <= result.year <= 2100:
        return None
    return result


def _absolute(url: str, base: str) -> str:
    url = url.strip()
    if not url:
        return ""
    try:
        joined = urljoin(base, url) if base else url
    except ValueError:
        return ""
    return joined if urlsplit(joined).scheme in ("http", "https") else ""


def normalize_lang(value: str) -> str:
    """``fr_FR`` / ``ar-MA`` / ``en`` -> ``fr`` / ``ar`` / ``en``; junk -> ``""``."""
    match = _LOCALE.match(value.strip().split(",")[0].strip())
    return match.group(1).lower() if match else ""


def _author_from_meta(values: dict[str, str]) -> str:
    for key in sel.META_AUTHOR:
        value = values.get(key, "")
        # article:author is often a profile URL, which is not a name
        if value and not value.startswith(("http://", "https://")):
            return value
    return ""


def _byline(text: str) -> str:
    """A name from byline text: known lead-in words removed, long blurbs refused."""
    lowered = text.casefold()
    for prefix in sel.BYLINE_PREFIXES:
        if lowered.startswith(prefix + " ") or lowered.startswith(prefix + ":"):
            text = text[len(prefix) + 1:].strip(" :")
            break
    if not text or len(text) > sel.BYLINE_MAX_CHARS or text.count(" ") > 8:
        return ""
    if _BYLINE_NOISE.search(text):  # comment headers ("X says:"), dates, e-mails
        return ""
    return text.strip(" -–|,")


def _date_from_page(tree: etree._Element, url: str) -> datetime | None:
    """Last resort for pages without date metadata: htmldate's quick search (URL, markup).

    Only run when structured data said nothing, since it costs several milliseconds.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = htmldate.find_date(tree, extensive_search=False, original_date=True,
                                       url=url or None, outputformat="%Y-%m-%d")
    except Exception:  # a heuristic library must not take the page down
        return None
    return parse_date(found) if found else None


def _first_text(tree: etree._Element, xpath: str) -> str:
    for node in tree.xpath(xpath):
        text = _clean(node.xpath("string()"))
        if text:
            return text
    return ""


def _lead_image_from_body(tree: etree._Element, base: str) -> str:
    for img in tree.xpath(sel.XPATH_IMAGES):
        try:
            width = int(img.get("width", "0"))
            height = int(img.get("height", "0"))
        except ValueError:
            continue
        if min(width, height) >= sel.LEAD_IMAGE_MIN_SIDE:
            url = _absolute(img.get("src", ""), base)
            if url:
                return url
    return ""


def _canonical(tree: etree._Element, values: dict[str, str], base: str) -> str:
    for link in tree.xpath(sel.XPATH_LINKS):
        rels = (link.get("rel") or "").lower().split()
        if sel.REL_CANONICAL in rels:
            url = _absolute(link.get("href", ""), base)
            if url:
                return url
    return _absolute(_first(values, sel.META_URL), base)


def extract_metadata(tree: etree._Element, url: str, header_lang: str = "") -> PageMetadata:
    """Everything :class:`PageMetadata` holds, from one parsed page."""
    values = meta_values(tree)
    ld = jsonld_article(tree)
    meta = PageMetadata()

    meta.title = (
        _clean(ld.get("headline", ""))
        or _first(values, sel.META_TITLE)
        or _first_text(tree, sel.XPATH_H1)
        or _first_text(tree, sel.XPATH_TITLE)
    )
    meta.author = (
        _name_of(ld.get("author"))
        or _author_from_meta(values)
        or _byline(_first_text(tree, sel.XPATH_AUTHOR_ITEMPROP))
        or _byline(_first_text(tree, sel.XPATH_REL_AUTHOR))
        or _byline(_first_text(tree, sel.XPATH_BYLINE))
    )
    for candidate in (
        _clean(ld.get("datePublished", "")),
        _first(values, sel.META_PUBLISHED),
        *(n.get("datetime") or n.get("content") or "" for n in
          tree.xpath(sel.XPATH_TIME_PUBLISHED)),
        _clean(ld.get("dateCreated", "")),
    ):
        meta.published = parse_date(candidate) if candidate else None
        if meta.published:
            break
    if meta.published is None:
        meta.published = _date_from_page(tree, url)
    meta.image_url = (
        _absolute(_first(values, sel.META_IMAGE), url)
        or _absolute(_url_of(ld.get("image")), url)
        or _lead_image_from_body(tree, url)
    )
    meta.canonical_url = _canonical(tree, values, url) or _absolute(_url_of(ld.get("url")), url)
    html_lang = tree.get("lang") or tree.get("xml:lang") or ""
    meta.lang = (
        normalize_lang(html_lang)
        or normalize_lang(_first(values, sel.META_LOCALE))
        or normalize_lang(_clean(ld.get("inLanguage", "")))
        or normalize_lang(header_lang)
    )
    meta.site_name = _first(values, sel.META_SITE_NAME) or _name_of(ld.get("publisher"))
    meta.description = _first(values, sel.META_DESCRIPTION) or _clean(ld.get("description", ""))
    body = ld.get("articleBody")
    meta.jsonld_body = body.strip() if isinstance(body, str) else ""
    return meta
