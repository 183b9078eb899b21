"""Article metadata from the signals publishers put there for machines.

OpenGraph, JSON-LD and classic ``<meta>`` tags are read directly from the parsed tree:
this is cheaper and more predictable than a general metadata heuristic, and the order
of trust lives in :mod:`kiosque.extract.selectors`. Every function here is pure and
tolerant: a broken JSON-LD block or a nonsense date is skipped, never raised.
"""

from __future__ import annotations

import json
import re
import threading
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
from kiosque.extract.sanitize import unchanged_by_urljoin

# Zone abbreviations seen in publishers' dates; dateutil knows none of them by itself.
_TZ_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 3600, "BST": 3600, "CET": 3600,
    "CEST": 7200, "EET": 7200, "EEST": 10800, "EST": -18000, "EDT": -14400,
    "CST": -21600, "CDT": -18000, "MST": -25200, "MDT": -21600, "PST": -28800,
    "PDT": -25200,
}
_BYLINE_NOISE = re.compile(r"\d|@|\[at\]|:$|\bsaid\b|\bsays\b", re.I)
_LOCALE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
# The <meta> attributes that name a value, and the names extract_metadata ever reads.
_META_KEY_ATTRIBUTES = ("property", "name", "itemprop", "http-equiv")
_META_KEYS_READ: frozenset[str] = frozenset(
    sel.META_TITLE + sel.META_AUTHOR + sel.META_PUBLISHED + sel.META_IMAGE + sel.META_URL
    + sel.META_LOCALE + sel.META_SITE_NAME + sel.META_DESCRIPTION
)
_JSONLD_TYPE = "application/ld+json"
_LOCAL = threading.local()


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
    # str.split() and the regex's \s agree on every code point (checked on all of them),
    # and split-join costs a third of sub-then-strip.
    return " ".join(str(value).split()) if value is not None else ""


def _xpath(expression: str) -> Any:
    """``expression`` compiled once per thread (kept per thread like page.py's parser).

    ``tree.xpath(str)`` compiles on every call, which for the byline selector costs a
    quarter of the query itself.
    """
    cache: dict[str, Any] | None = getattr(_LOCAL, "xpaths", None)
    if cache is None:
        cache = _LOCAL.xpaths = {}
    compiled = cache.get(expression)
    if compiled is None:
        compiled = cache[expression] = etree.XPath(expression)
    return compiled


def _scan(tree: etree._Element) -> tuple[list[Any], list[Any], list[Any]]:
    """The page's ``//meta[@content]``, JSON-LD ``<script>`` and ``//link[@rel][@href]``
    elements, in document order, from one walk of the tree.

    Three XPath queries walk the whole tree three times; one ``iter`` over the three
    tags costs a quarter of that. It implements ``sel.XPATH_META``, ``sel.XPATH_JSONLD``
    and ``sel.XPATH_LINKS`` by hand: tests/extract/test_extract_fastpaths.py fails when
    those selectors change, so that this walk changes with them.
    """
    metas: list[Any] = []
    scripts: list[Any] = []
    links: list[Any] = []
    # "//" searches the whole document whatever element the query starts from
    for node in tree.getroottree().getroot().iter("meta", "script", "link"):
        tag = node.tag
        if tag == "meta":
            if node.get("content") is not None:
                metas.append(node)
        elif tag == "script":
            if node.get("type") == _JSONLD_TYPE:
                scripts.append(node)
        elif node.get("rel") is not None and node.get("href") is not None:
            links.append(node)
    return metas, scripts, links


def _meta_values(metas: Iterable[Any], keys: frozenset[str] | None) -> dict[str, str]:
    """:func:`meta_values` over given ``<meta content>`` elements, restricted to ``keys``.

    A content is only cleaned when it could still fill a wanted key: most ``<meta>`` of a
    page (viewport, verification tokens, modified times) never need it.
    """
    found: dict[str, str] = {}
    for node in metas:
        get = node.get
        content: str | None = None
        for attr in _META_KEY_ATTRIBUTES:
            raw = get(attr)
            if not raw:
                continue
            key = raw.strip().lower()
            if not key or key in found or (keys is not None and key not in keys):
                continue
            if content is None:
                content = _clean(get("content"))
            if not content:
                break  # an empty content fills no key of this element
            found[key] = content
    return found


def meta_values(tree: etree._Element) -> dict[str, str]:
    """First non-empty ``content`` for every lowercased ``name``/``property``/``itemprop``."""
    return _meta_values(_scan(tree)[0], None)


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
    return _jsonld_article(_scan(tree)[1])


def _jsonld_article(scripts: Iterable[Any]) -> dict[str, Any]:
    best: dict[str, Any] = {}
    for script in scripts:
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
    if unchanged_by_urljoin(url, base):  # most are: urljoin would parse both for nothing
        return url
    return _joined(url, base)


def _joined(url: str, base: str) -> str:
    """:func:`_absolute` the long way: ``url`` (stripped, non-empty) joined to ``base``."""
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
    for node in _xpath(xpath)(tree):
        text = _clean(node.xpath("string()"))
        if text:
            return text
    return ""


def _lead_image_from_body(tree: etree._Element, base: str) -> str:
    for img in _xpath(sel.XPATH_IMAGES)(tree):
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


def _canonical(links: Iterable[Any], values: dict[str, str], base: str) -> str:
    for link in links:
        rels = (link.get("rel") or "").lower().split()
        if sel.REL_CANONICAL in rels:
            url = _absolute(link.get("href", ""), base)
            if url:
                return url
    return _absolute(_first(values, sel.META_URL), base)


def _date_candidates(
    tree: etree._Element, ld: dict[str, Any], values: dict[str, str]
) -> Iterator[str]:
    """Publication date strings, most trusted first; lazily, since the markup search
    walks the whole tree and most pages have their date in JSON-LD or a ``<meta>``."""
    yield _clean(ld.get("datePublished", ""))
    yield _first(values, sel.META_PUBLISHED)
    for node in _xpath(sel.XPATH_TIME_PUBLISHED)(tree):
        yield node.get("datetime") or node.get("content") or ""
    yield _clean(ld.get("dateCreated", ""))


def extract_metadata(tree: etree._Element, url: str, header_lang: str = "") -> PageMetadata:
    """Everything :class:`PageMetadata` holds, from one parsed page."""
    metas, scripts, links = _scan(tree)
    values = _meta_values(metas, _META_KEYS_READ)
    ld = _jsonld_article(scripts)
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
    for candidate in _date_candidates(tree, ld, values):
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
    meta.canonical_url = _canonical(links, values, url) or _absolute(_url_of(ld.get("url")), url)
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
