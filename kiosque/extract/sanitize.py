"""The one allowlist every piece of publisher HTML passes before it reaches a reader.

Feed content and extracted pages both end up here, so there is a single place to audit.
nh3 (the Rust ammonia sanitizer) parses like a browser, which is what defeats the
mis-nesting and encoding tricks; on top of its allowlist we resolve relative URLs against
the article's address and refuse every scheme but http(s) in links and images.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "a", "strong", "em", "b", "i", "u", "h2", "h3", "h4", "ul", "ol", "li",
        "blockquote", "figure", "figcaption", "img", "table", "thead", "tbody", "tfoot",
        "tr", "th", "td", "caption", "pre", "code",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Elements removed together with everything inside them (not merely unwrapped).
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "svg", "math", "template",
        "noscript", "textarea", "select", "button", "title", "frameset", "frame",
        "noembed", "noframes", "xmp", "plaintext", "applet",
    }
)
LINK_REL = "nofollow noopener noreferrer"
_URL_ATTRIBUTES = {("a", "href"), ("img", "src")}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_DIGITS = re.compile(r"^\d{1,5}$")


def safe_url(value: str, base_url: str = "") -> str | None:
    """An absolute http(s) URL, or None when the value is anything else."""
    compact = _CONTROL.sub("", value)
    if not compact:
        return None
    try:
        joined = urljoin(base_url, value.strip()) if base_url else value.strip()
        parts = urlsplit(joined)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if urlsplit(compact).scheme.lower() not in ("", "http", "https"):
        return None
    return joined


def sanitize_html(html: str, base_url: str = "") -> str:
    """Allowlisted HTML: nothing executable survives, links and images are absolute http(s)."""
    if not html:
        return ""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if (tag, attribute) in _URL_ATTRIBUTES:
            return safe_url(value, base_url)
        if attribute in ("width", "height", "colspan", "rowspan"):
            return value if _DIGITS.match(value.strip()) else None
        return value

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes={"http", "https"},
        generic_attribute_prefixes=set(),
        tag_attribute_values={},
        set_tag_attribute_values={},
    )
