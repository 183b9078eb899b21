"""From an article page to an :class:`ExtractedPage`: decode, parse once, read the
metadata, then let trafilatura find the body in the same tree.

The function never raises on bad input: a fetcher that got a broken page still deserves
whatever title and date could be read, and an empty text tells the caller to fall back
on the feed's own summary.
"""

from __future__ import annotations

import re
import threading

from lxml import etree, html

from kiosque.extract.body import (
    extract_body,
    fast_body_suffices,
    paragraph_chars,
    paragraphs_to_html,
)
from kiosque.extract.decode import decode_html
from kiosque.extract.metadata import PageMetadata, extract_metadata
from kiosque.extract.sanitize import sanitize_html
from kiosque.extract.text import html_to_text
from kiosque.models import ExtractedPage

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>")
# lxml parsers must not be shared between threads, and callers may extract in a pool.
_LOCAL = threading.local()
# A JSON-LD articleBody this much longer than what trafilatura found wins: the page
# probably hides its text behind a script-rendered layout.
_JSONLD_BODY_RATIO = 2.0


def _parser() -> html.HTMLParser:
    """lxml.html's parser, with every element an ``HtmlElement`` chosen in C.

    lxml.html picks each element's class (forms, inputs, labels ...) in a Python
    callback, run every time an element is touched from Python: 110,000 calls and a
    sixth of the extraction's time on our pages. Neither trafilatura nor we use the
    form classes; the plain lookup keeps ``text_content`` and the rest of HtmlMixin.
    """
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=html.HtmlElement, comment=html.HtmlComment,
            pi=html.HtmlProcessingInstruction, entity=html.HtmlEntity))
        _LOCAL.parser = parser
    return parser


def parse_html(markup: str) -> etree._Element | None:
    """An lxml tree for the page, or None when there is nothing parseable."""
    markup = _XML_DECLARATION.sub("", markup, count=1)  # lxml refuses str with a declaration
    if not markup.strip():
        return None
    try:
        root = html.document_fromstring(markup, parser=_parser())
    except (etree.ParserError, ValueError):
        return None
    return root


def _page_from(meta: PageMetadata, body_html: str, url: str) -> ExtractedPage:
    clean = sanitize_html(body_html, url) if body_html else ""
    return ExtractedPage(
        text=html_to_text(clean),
        html=clean,
        title=meta.title,
        author=meta.author,
        published=meta.published,
        image_url=meta.image_url,
        canonical_url=meta.canonical_url,
        lang=meta.lang,
        site_name=meta.site_name,
        description=meta.description,
    )


def _body(root: etree._Element, markup: str, url: str, title: str) -> str:
    """The body, fast when the fast answer suffices, else with trafilatura's fallbacks."""
    page_chars = paragraph_chars(root)
    body_html = extract_body(root, url, title, fast=True)
    # our own simple markup: its text is what lies between the tags, near enough
    if fast_body_suffices(body_html, _TAGS.sub("", body_html), page_chars):
        return body_html
    fresh = parse_html(markup)  # the first tree was pruned and edited
    return extract_body(fresh, url, title) if fresh is not None else body_html


def extract_page(
    html: bytes | str, url: str, content_type: str | None = None
) -> ExtractedPage:
    """Main text, simple HTML and metadata of an article page; never raises on bad HTML.

    ``content_type`` is the HTTP Content-Type header, used for its charset. An empty
    ``text`` means no article body was found.
    """
    try:
        markup = decode_html(html, content_type) if isinstance(html, bytes) else html
        root = parse_html(markup)
        if root is None:
            return ExtractedPage()
        meta = extract_metadata(root, url)
        # trafilatura prunes the tree it is given: metadata had to be read first.
        body_html = _body(root, markup, url, meta.title)
        if meta.jsonld_body:
            found = " ".join(html_to_text(body_html).split())
            # Either the page hides its text behind scripts, or trafilatura fell back on
            # the same JSON-LD text and lost its paragraph breaks: the JSON-LD wins.
            if len(meta.jsonld_body) > _JSONLD_BODY_RATIO * len(found) or found == " ".join(
                meta.jsonld_body.split()
            ):
                body_html = paragraphs_to_html(meta.jsonld_body)
        return _page_from(meta, body_html, url)
    except Exception:  # the contract: a hostile page yields an empty result, not a crash
        return ExtractedPage()
