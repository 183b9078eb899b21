"""The article body, found by trafilatura and rewritten as simple HTML we control.

trafilatura finds the main content best among the tools measured here. Rather than
depend on its HTML output format, we take its internal XML tree and map each element to
the small tag set the site renders, so the markup stays ours across its releases.
Comments are always excluded (its default keeps them), and known boilerplate containers
are pruned before it looks (see :mod:`kiosque.extract.selectors`).
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.settings import Extractor

from kiosque.extract import selectors as sel

# Measured on the benchmark (bench/extract_quality.py): see the comments per flag.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,  # reader comments are not the article
    # Links, images and inline formatting each change which nodes trafilatura keeps, and
    # each cost recall on both gold sets (F1 -0.3 to -0.5 points); the lead image comes
    # from the metadata instead, and the body is served as plain blocks.
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "include_tables": True,
    "with_metadata": False,  # we read metadata ourselves, faster and more predictable
}



def _extractor(fast: bool) -> Extractor:
    """trafilatura's options object for our flags, built once (it reads its config file
    section on every construction: a twentieth of an extraction) and copied per page."""
    return Extractor(
        output_format="python", fast=fast,
        comments=TRAFILATURA_OPTIONS["include_comments"],
        images=TRAFILATURA_OPTIONS["include_images"],
        links=TRAFILATURA_OPTIONS["include_links"],
        formatting=TRAFILATURA_OPTIONS["include_formatting"],
        tables=TRAFILATURA_OPTIONS["include_tables"],
        with_metadata=TRAFILATURA_OPTIONS["with_metadata"],
    )


_SEQUENCE: Callable[..., tuple[Any, str, Any, str]] | None
try:  # see _trafilatura_body
    from trafilatura.core import trafilatura_sequence

    _SEQUENCE = trafilatura_sequence
except ImportError:  # pragma: no cover - depends on the installed release
    _SEQUENCE = None

_FAST = _extractor(fast=True)
_FULL = _extractor(fast=False)

_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3"}
_INLINE = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code"}


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _children_html(node: Any) -> str:
    parts = [html.escape(node.text or "", quote=False)]
    for child in node:
        parts.append(_node_html(child))
        parts.append(html.escape(child.tail or "", quote=False))
    return "".join(parts)


def _node_html(node: Any) -> str:
    tag = node.tag if isinstance(node.tag, str) else ""
    inner = _children_html(node) if tag not in ("graphic", "lb") else ""
    if tag == "p":
        return f"<p>{inner}</p>" if inner.strip() else ""
    if tag == "head":
        level = _HEADINGS.get(node.get("rend", ""), "h4")
        return f"<{level}>{inner}</{level}>" if inner.strip() else ""
    if tag == "list":
        kind = "ol" if node.get("rend") == "ol" else "ul"
        return f"<{kind}>{inner}</{kind}>"
    if tag == "item":
        return f"<li>{inner}</li>"
    if tag == "quote":
        return f"<blockquote>{inner}</blockquote>"
    if tag == "graphic":
        src = node.get("src", "")
        if not src:
            return ""
        alt = node.get("alt", "") or node.get("title", "")
        return f'<figure><img src="{_attr(src)}" alt="{_attr(alt)}"></figure>'
    if tag == "ref":
        target = node.get("target", "")
        return f'<a href="{_attr(target)}">{inner}</a>' if target else inner
    if tag == "hi":
        inline = _INLINE.get(node.get("rend", ""))
        return f"<{inline}>{inner}</{inline}>" if inline else inner
    if tag == "lb":
        return "<br>"
    if tag == "table":
        return f"<table>{inner}</table>"
    if tag == "row":
        return f"<tr>{inner}</tr>"
    if tag == "cell":
        cell = "th" if node.get("role") == "head" else "td"
        return f"<{cell}>{inner}</{cell}>"
    if tag == "code":
        return f"<pre>{inner}</pre>"
    return inner


def body_to_html(body: Any, title: str = "") -> str:
    """Simple HTML for trafilatura's body tree; a leading heading repeating the title goes."""
    blocks = list(body)
    if blocks and blocks[0].tag == "head" and title:
        head_text = " ".join("".join(blocks[0].itertext()).split())
        if head_text.casefold() == " ".join(title.split()).casefold():
            blocks = blocks[1:]
    parts = []
    for block in blocks:
        parts.append(_node_html(block))
        if block.tail and block.tail.strip():
            parts.append(f"<p>{html.escape(block.tail.strip(), quote=False)}</p>")
    return "".join(parts)


_TOKENS = frozenset(sel.BOILERPLATE_TOKENS)
_TAGS = frozenset(sel.BOILERPLATE_TAGS)
_ROLES = frozenset(sel.BOILERPLATE_ROLES)
_KEEP = frozenset(sel.NEVER_PRUNED)


def _mostly_links(element: Any) -> bool:
    text = len("".join(element.itertext()).split())
    linked = sum(len("".join(a.itertext()).split()) for a in element.iter("a"))
    return text == 0 or linked >= sel.MENU_LINK_SHARE * text


def _is_boilerplate(element: Any) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or tag in _KEEP:
        return False
    if tag in _TAGS:
        return _mostly_links(element)  # some sites wrap the article itself in <nav>
    if element.get("role") in _ROLES or element.get("aria-modal") == "true":
        return True
    classes = element.get("class")
    if classes and not _TOKENS.isdisjoint(classes.split()):
        return True
    return element.get("id") in _TOKENS


def prune_boilerplate(tree: Any) -> None:
    """Remove cookie banners, ads, related links, comment threads and menus, in place.

    One pass in Python over the elements: an XPath doing the same class-token tests was
    measured at 60 ms per page, this at about one.
    """
    doomed = [element for element in tree.iter() if _is_boilerplate(element)]
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        tail = element.tail
        if tail and tail.strip():
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(element)


def extract_body(tree: etree._Element, url: str, title: str = "", *, fast: bool = False) -> str:
    """The main content of a parsed page as simple (not yet sanitized) HTML, or ``""``.

    ``fast`` skips trafilatura's second opinions (readability and jusText), which cost
    about a third of its time and change the result on few pages; see
    :func:`fast_body_suffices` for when that answer is kept. trafilatura edits the tree it
    is given; callers pass a tree they no longer need.
    """
    try:
        prune_boilerplate(tree)
        options = copy.copy(_FAST if fast else _FULL)
        options.url = options.source = url or None
        body = _trafilatura_body(tree, options)
    except Exception:  # a third-party parser must never take a page down
        return ""
    if body is None:
        return ""
    return body_to_html(body, title)


def _trafilatura_body(tree: Any, options: Extractor) -> Any:
    """trafilatura's body tree for the page, or None when it found nothing.

    ``bare_extraction`` minus what we never use: the copy of a tree we hand over for
    good, and the plain-text rendering of the body (a seventh of a fast extraction). Its
    cascade is an internal function: if a trafilatura release changes it, the public
    call is used (tests compare both on our fixture pages).
    """
    if _SEQUENCE is not None:
        try:
            body, text, _comments_body, comments = _SEQUENCE(tree, options, options.url)
        except TypeError:
            pass  # another signature: fall through to the public function
        else:
            # bare_extraction's own verdict for "nothing worth returning"
            if len(text) < options.min_output_size and \
                    len(comments) < options.min_output_comm_size:
                return None
            return body
    document = trafilatura.bare_extraction(tree, options=options)
    return getattr(document, "body", None)


# trafilatura's own floor under which it also asks jusText (its min_extracted_size).
FAST_MIN_CHARS = 250
# trafilatura takes readability's answer when it is more than twice as long as its own.
FALLBACK_WIN_RATIO = 2


def paragraph_chars(tree: etree._Element) -> int:
    """Characters of text inside the page's ``<p>`` elements, read before any pruning."""
    return sum(len(t) for t in tree.xpath("//p//text()"))


def fast_body_suffices(body_html: str, text: str, page_paragraph_chars: int) -> bool:
    """Whether trafilatura's fallbacks could still have changed the fast answer.

    They win when the main extraction is short (jusText), holds no paragraph or is a
    table, or when readability finds more than twice as much text; readability keeps
    paragraphs, so when ours holds at least half of all the page's paragraph text it
    cannot. Only the remaining pages pay for the full extraction.
    """
    if len(text) < FAST_MIN_CHARS or "<p>" not in body_html or "<table>" in body_html:
        return False
    return FALLBACK_WIN_RATIO * len(text) >= page_paragraph_chars


def paragraphs_to_html(text: str) -> str:
    """Plain text (e.g. JSON-LD ``articleBody``) as paragraphs, one per non-empty line."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)
