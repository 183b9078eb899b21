"""The one allowlist every piece of publisher HTML passes before it reaches a reader.

Feed content and extracted pages both end up here, so there is a single place to audit.
nh3 (the Rust ammonia sanitizer) parses like a browser, which is what defeats the
mis-nesting and encoding tricks; on top of its allowlist we resolve relative URLs against
the article's address and refuse every scheme but http(s) in links and images.
"""

from __future__ import annotations

import re
import threading
from typing import Any
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
# An absolute http(s) URL that urljoin hands back unchanged whatever the base: lowercase
# scheme, a host, printable ASCII without brackets (urlsplit's only ways to raise), no
# ";" in the path (urlparse would split params off) and no empty "?" or "#" (urlunparse
# drops them). Dot segments may stay: urljoin never resolves them in a URL with a host.
_NOT_PLAIN = r"\x00-\x20\x7f-\U0010ffff\[\]"
_PLAIN_HTTP_URL = re.compile(
    rf"https?://[^{_NOT_PLAIN}/?#]+(?:/[^{_NOT_PLAIN}?#;]*)?"
    rf"(?:\?[^{_NOT_PLAIN}#]+)?(?:#[^{_NOT_PLAIN}]+)?"
)


def unchanged_by_urljoin(url: str, base: str) -> bool:
    """True when ``url`` is an absolute http(s) URL that ``urljoin(base, url)`` returns
    as it is, without raising; False says nothing (the caller must ask urljoin).

    Most links and images publishers write are absolute already: this check costs a
    tenth of the urljoin (two URL parses) it spares. Beyond the URL, urljoin can only
    raise on a base that urlsplit refuses, which takes brackets or non-ASCII.
    """
    return _PLAIN_HTTP_URL.fullmatch(url) is not None and (
        not base or (base.isascii() and "[" not in base and "]" not in base)
    )


def safe_url(value: str, base_url: str = "") -> str | None:
    """An absolute http(s) URL, or None when the value is anything else."""
    if unchanged_by_urljoin(value, base_url):
        return value  # no control character or space: every check below would pass
    return resolved_url(value, base_url)


def resolved_url(value: str, base_url: str = "") -> str | None:
    """:func:`safe_url` the long way, for any value: joined, then every check made."""
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


# The base URL of the sanitize_html call running on this thread, for _keep: nh3 calls
# the filter back on the thread that asked for the cleaning.
_CALL = threading.local()


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: URLs made absolute http(s), sizes kept only when numeric."""
    if (tag, attribute) in _URL_ATTRIBUTES:
        return safe_url(value, _CALL.base_url)
    if attribute in ("width", "height", "colspan", "rowspan"):
        return value if _DIGITS.match(value.strip()) else None
    return value


_OPTIONS: dict[str, Any] = {
    "tags": set(ALLOWED_TAGS),
    "clean_content_tags": set(DROPPED_WITH_CONTENT),
    "attributes": ALLOWED_ATTRIBUTES,
    "attribute_filter": _keep,
    "strip_comments": True,
    "link_rel": LINK_REL,
    "url_schemes": {"http", "https"},
    "generic_attribute_prefixes": set(),
    "tag_attribute_values": {},
    "set_tag_attribute_values": {},
}
# Building ammonia's sanitizer from these options is most of nh3.clean's cost on a short
# fragment (16 of 19 us on a one-paragraph summary): an nh3 that has Cleaner keeps one
# built, so the allowlist above is read once, at import.
_CLEANER: nh3.Cleaner | None = nh3.Cleaner(**_OPTIONS) if hasattr(nh3, "Cleaner") else None


def sanitize_html(html: str, base_url: str = "") -> str:
    """Allowlisted HTML: nothing executable survives, links and images are absolute http(s)."""
    if not html:
        return ""
    _CALL.base_url = base_url
    if _CLEANER is not None:
        return _CLEANER.clean(html)
    return nh3.clean(html, **_OPTIONS)
