"""Request headers we send and response headers we interpret.

Kept apart from the client so the small rules (what a feed request accepts, how a
Retry-After date becomes seconds) can be read and tested on their own.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime

from kiosque.fetch.decoding import ACCEPT_ENCODING

ACCEPT_FEED = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
ACCEPT_ROBOTS = "text/plain, */*;q=0.5"
ACCEPT_IMAGE = "image/avif, image/webp, image/png, image/jpeg, image/*;q=0.8, */*;q=0.5"
ACCEPT_ANY = "*/*"

_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


def robots_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against (``kiosque`` by default)."""
    match = _TOKEN.match(user_agent.strip())
    return match.group(0).lower() if match else "kiosque"


def _header_safe(value: str) -> bool:
    """A stored validator we can send back: printable ASCII, no line breaks.

    Validators come from earlier responses (publisher-controlled); a broken one must
    cost us the conditional request, not crash the fetch.
    """
    return value.isascii() and value.isprintable()


def request_headers(user_agent: str, accept: str | None, etag: str | None,
                    last_modified: str | None) -> dict[str, str]:
    """Headers of one GET, including the validators of a conditional request."""
    headers = {
        "User-Agent": user_agent,
        "Accept": accept or ACCEPT_ANY,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if etag and _header_safe(etag):
        headers["If-None-Match"] = etag
    if last_modified and _header_safe(last_modified):
        headers["If-Modified-Since"] = last_modified
    return headers


def parse_http_date(value: str) -> datetime | None:
    """An HTTP date (IMF-fixdate or the obsolete forms) as aware UTC, None if unreadable."""
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait according to a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    when = parse_http_date(text)
    if when is None:
        return None
    return max(0.0, (when - now).total_seconds())
