"""Conditional GET for the site's own text responses: ETag, Last-Modified and 304s.

Pages, feeds and API answers are small and cheap to render but often fetched again
unchanged (feed readers poll, the ticker polls). A middleware hashes the rendered body
into a weak ETag and answers ``304 Not Modified`` when the client already has it, which
saves the bytes on the wire for every route without each one computing validators.
Only text-like responses are buffered; images and streams pass through untouched.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_TEXT_TYPES = (
    "text/html",
    "text/xml",
    "text/plain",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
)


def http_date(when: datetime) -> str:
    """An RFC 9110 date, as Last-Modified wants it."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


def etag_for(body: bytes) -> str:
    return 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as RFC 9110 asks for If-None-Match."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def not_modified_since(if_modified_since: str, last_modified: str) -> bool:
    try:
        since = parsedate_to_datetime(if_modified_since)
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False
    return modified <= since


_TEXT_TYPES_RAW = frozenset(kind.encode("latin-1") for kind in _TEXT_TYPES)
# Headers a 304 keeps (RFC 9110 15.4.5); the body's own headers go.
_KEEP_ON_304 = frozenset({b"etag", b"cache-control", b"last-modified", b"vary",
                          b"content-location", b"expires"})


def _wants_etag(raw: list[tuple[bytes, bytes]]) -> bool:
    """Whether a 200's headers call for buffering: a text type and no ETag of its own."""
    text = False
    for name, value in raw:
        lname = name.lower()
        if lname == b"etag":
            return False
        if lname == b"content-type":
            text = value.split(b";", 1)[0].strip().lower() in _TEXT_TYPES_RAW
    return text


def _request_header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope["headers"]:
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


class ConditionalGetMiddleware:
    """Adds an ETag to 200 text responses to GET and turns matches into 304s.

    Pure ASGI on raw header lists: it runs on every page, so it avoids building header
    objects and reads the request's validators only once the body is known.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # HEAD is left alone: its empty body would hash to a different tag than GET's.
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def wrapped(message: Message) -> None:
            nonlocal start, passthrough
            if message["type"] == "http.response.start":
                if message["status"] != 200 or not _wants_etag(message["headers"]):
                    passthrough = True
                    await send(message)
                    return
                start = message
                return
            if passthrough or start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._finish(start, b"".join(chunks), scope, send)

        await self.app(scope, receive, wrapped)

    @staticmethod
    async def _finish(start: Message, body: bytes, scope: Scope, send: Send) -> None:
        raw: list[tuple[bytes, bytes]] = list(start["headers"])
        etag = etag_for(body)
        raw.append((b"etag", etag.encode("latin-1")))
        last_modified: str | None = None
        has_cache_control = False
        for name, value in raw:
            lname = name.lower()
            if lname == b"cache-control":
                has_cache_control = True
            elif lname == b"last-modified":
                last_modified = value.decode("latin-1")
        if not has_cache_control:
            raw.append((b"cache-control", b"no-cache"))
        if _fresh(scope, etag, last_modified):
            kept = [(k, v) for k, v in raw if k.lower() in _KEEP_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({**start, "headers": raw})
        await send({"type": "http.response.body", "body": body})


def _fresh(scope: Scope, etag: str, last_modified: str | None) -> bool:
    """Whether the client's copy is current: If-None-Match wins over If-Modified-Since."""
    if_none_match = _request_header(scope, b"if-none-match")
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    if_modified_since = _request_header(scope, b"if-modified-since")
    if last_modified and if_modified_since:
        return not_modified_since(if_modified_since, last_modified)
    return False
