"""One spelling per article address, so that the same article is stored once.

Feeds and pages link to an article with tracking parameters, mixed-case hosts, default
ports, fragments and every percent-encoding variant; all of these are folded here. A
publisher's ``rel=canonical`` wins when it stays on the same registrable domain (a
canonical pointing elsewhere, or at the home page, is a publisher bug or a syndication
partner and is ignored).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from tld import get_fld

# Query parameters that only say where a click came from.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
        "igshid", "yclid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref_src",
        "ref_url", "twclid", "ttclid", "li_fat_id", "s_cid", "ocid", "cmpid", "xtor",
        "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3",
        "at_custom4", "wt_mc", "wt.mc_id", "sr_share", "guccounter", "spm",
    }
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "__twitter_impression")
# ``ref`` is a real parameter on some sites (a document or branch reference); only the
# values that name a traffic channel are dropped.
REF_CHANNELS: frozenset[str] = frozenset(
    {"rss", "feed", "atom", "twitter", "facebook", "fb", "tw", "newsletter", "email",
     "mail", "share", "social", "home", "homepage", "hp", "nav", "menu", "push", "app"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are in a path / query component (RFC 3986 unreserved + sub-delims).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_QUERY_SAFE = ":@!$'()*+,;/?-._~"
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Cache sizes. An address is cleaned again at every refresh of its feed (entry identity)
# and once more with its page's canonical, which most often is the same address; hosts
# are a few hundred publishers.
_URLS_CACHED = 8192
_HOSTS_CACHED = 2048


def _is_tracking(key: str, value: str) -> bool:
    lowered = key.lower()
    if lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES):
        return True
    return lowered == "ref" and value.lower() in REF_CHANNELS


@lru_cache(maxsize=_HOSTS_CACHED)
def _host(netloc_host: str) -> str:
    host = netloc_host.strip().rstrip(".").lower()
    if not host or host.startswith("["):
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _normalize_escapes(component: str, safe: str) -> str:
    """Decode needlessly escaped unreserved characters, escape the rest in upper case.

    Reserved characters that were escaped stay escaped: ``%2F`` in a path is not ``/``.
    """

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    if "%" in component:
        component = _PERCENT.sub(fix, component)
    # escape what is left unescaped and unsafe (spaces, non-ASCII), keeping valid escapes
    return quote(component, safe=safe + "%")


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    out: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(out) > 1:
                out.pop()
        elif segment != ".":
            out.append(segment)
    result = "/".join(out)
    if path.endswith(("/.", "/..")):
        result += "/"
    return result if result.startswith("/") else "/" + result


@lru_cache(maxsize=_HOSTS_CACHED)
def registrable_domain(host: str) -> str:
    """``news.example.co.uk`` -> ``example.co.uk`` (public suffix list, offline)."""
    host = host.lower().rstrip(".")
    try:
        found = get_fld(host, fix_protocol=True, fail_silently=True)
    except Exception:  # the tld package raises its own types on odd hosts
        found = None
    if isinstance(found, str) and found:
        return found
    labels = [label for label in host.split(".") if label]
    return ".".join(labels[-2:])


@lru_cache(maxsize=_URLS_CACHED)
def _clean(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        return url
    try:
        port = parts.port
    except ValueError:
        port = None
    host = _host(parts.hostname or "")
    netloc = host if ":" not in host or host.startswith("[") else f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = _remove_dot_segments(_normalize_escapes(parts.path or "/", _PATH_SAFE))
    query = _clean_query(parts.query) if parts.query else ""
    return urlunsplit((scheme, netloc, path, query, ""))


def _clean_query(query: str) -> str:
    """Tracking parameters dropped, the others sorted and escaped one way."""
    pairs = [
        (unquote(k), unquote(v))
        for k, v in parse_qsl(query, keep_blank_values=True)
        if not _is_tracking(unquote(k), unquote(v))
    ]
    pairs.sort()
    return urlencode(pairs, quote_via=quote, safe=_QUERY_SAFE.replace("&", "").replace("=", ""))


def canonicalize_url(url: str, canonical_hint: str | None = None) -> str:
    """The one spelling of an article URL; prefers a same-site ``rel=canonical`` hint."""
    cleaned = _clean(url)
    if not canonical_hint:
        return cleaned
    hint = _clean(canonical_hint)
    try:
        hint_parts, url_parts = urlsplit(hint), urlsplit(cleaned)
    except ValueError:
        return cleaned
    if hint_parts.scheme not in _DEFAULT_PORTS or not hint_parts.hostname:
        return cleaned
    if url_parts.scheme in _DEFAULT_PORTS and url_parts.hostname:
        if registrable_domain(hint_parts.hostname) != registrable_domain(url_parts.hostname):
            return cleaned
        # a canonical that points an article at the home page is a template bug
        if hint_parts.path in ("", "/") and url_parts.path not in ("", "/"):
            return cleaned
    return hint
