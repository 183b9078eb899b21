"""Small text/HTML conversions the adapter needs, with regexes rather than a parser.

Entry HTML is sanitized later by ``enrich``; here we only need to move between plain
text and markup (escape a text body, flatten a title, spot the first image) and that
must stay cheap because it runs on every entry of every feed.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<(?:[A-Za-z/!][^<>]*)>")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_SPACE = re.compile(r"\s+")
_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s"'>]+))""",
                      re.IGNORECASE)


def text_to_html(text: str) -> str:
    """Plain text as HTML: escaped, blank-line separated paragraphs wrapped in <p>."""
    text = text.strip()
    if not text:
        return ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paragraphs) == 1:
        return html.escape(paragraphs[0], quote=False)
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def plain_text(value: str) -> str:
    """A title-like field as one line of text: tags dropped, entities decoded.

    RSS never said whether a title is text or HTML, so publishers do both (and often
    escape twice); flattening is the only reading that is right for all of them.
    """
    if "<" in value:
        value = _TAG.sub("", value)
    if "&" in value and _ENTITY.search(value):
        value = html.unescape(value)
    return _SPACE.sub(" ", value).strip()


def first_image(markup: str) -> str:
    """``src`` of the first ``<img>`` in some HTML, entity-decoded; '' when none."""
    if "<img" not in markup and "<IMG" not in markup:
        return ""
    match = _IMG_SRC.search(markup)
    if not match:
        return ""
    src = next(group for group in match.groups() if group)
    return html.unescape(src).strip()
