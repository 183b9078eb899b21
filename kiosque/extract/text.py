"""Readable plain text from HTML, the form search and fingerprints work on.

Blocks become paragraphs separated by a blank line, list items and table rows stay on
their own lines, inline markup disappears without gluing words together. lxml walks the
tree in C, so this costs well under a millisecond for a typical article.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree, html

from kiosque.extract.selectors import NON_CONTENT_TAGS

_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
        "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "figcaption", "pre",
        "ul", "ol", "dl", "table", "form", "address", "details", "summary", "body", "html",
    }
)
_LINES = frozenset({"li", "tr", "dt", "dd", "caption"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Invisible characters that only split words for search: soft hyphens, zero-width
# spaces, BOMs and word joiners (ZWNJ is kept: it is spelling in Persian and Urdu).
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
# No tag, no entity, no control character: such a string is its own text, no parse needed.
_PLAIN = re.compile(r"[^<&\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*")
_PARAGRAPH = "\x00P"
_LINE = "\x00L"


def _flatten(root: Any) -> str:
    """Text of the tree with block and line markers, iteratively (no recursion limit)."""
    out: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event in ("comment", "pi"):
            out.append(node.tail or "")
            continue
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is None or tag in NON_CONTENT_TAGS:
            if event == "start":
                walker.skip_subtree()
            else:
                out.append(node.tail or "")
            continue
        marker = _PARAGRAPH if tag in _BLOCKS else _LINE if tag in _LINES else ""
        if event == "start":
            out.append(_LINE if tag == "br" else marker)
            if tag in ("td", "th"):
                out.append(" ")
            out.append(node.text or "")
        else:
            out.append(marker)
            if node is not root:
                out.append(node.tail or "")
    return "".join(out)


def is_plain(markup: str) -> bool:
    """True for a string without markup: headlines and summaries often are."""
    return _PLAIN.fullmatch(markup) is not None


def html_to_text(markup: str) -> str:
    """Plain text with paragraphs separated by blank lines; never raises."""
    if not markup or not markup.strip():
        return ""
    if is_plain(markup):
        raw = _INVISIBLE.sub("", markup)  # what a parse would give: one paragraph
    else:
        try:
            root = html.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError):
            return " ".join(markup.split())
        raw = _INVISIBLE.sub("", _flatten(root))
    paragraphs: list[str] = []
    for chunk in raw.split(_PARAGRAPH):
        lines = [_SPACES.sub(" ", " ".join(part.split("\n"))).strip() for part in
                 chunk.split(_LINE)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)
