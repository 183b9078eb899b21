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

from starlette.datastructures import Headers, MutableHeaders
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


class ConditionalGetMiddleware:
    """Adds an ETag to 200 text responses to GET and turns matches into 304s."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # HEAD is left alone: its empty body would hash to a different tag than GET's.
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def wrapped(message: Message) -> None:
            nonlocal start, passthrough
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                kind = headers.get("content-type", "").split(";")[0].strip()
                if (
                    message["status"] != 200
                    or kind not in _TEXT_TYPES
                    or "etag" in headers
                ):
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
            await self._finish(start, b"".join(chunks), request_headers, send)

        await self.app(scope, receive, wrapped)

    @staticmethod
    async def _finish(start: Message, body: bytes, req: Headers, send: Send) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        etag = etag_for(body)
        headers["ETag"] = etag
        if "cache-control" not in headers:
            headers["Cache-Control"] = "no-cache"
        if_none_match = req.get("if-none-match")
        last_modified = headers.get("last-modified")
        fresh = False
        if if_none_match is not None:
            fresh = etag_matches(if_none_match, etag)
        elif last_modified and req.get("if-modified-since"):
            fresh = not_modified_since(req["if-modified-since"], last_modified)
        if fresh:
            keep = {"etag", "cache-control", "last-modified", "vary", "content-location",
                    "expires"}
            raw = [(k, v) for k, v in headers.raw if k.decode("latin-1").lower() in keep]
            await send({"type": "http.response.start", "status": 304, "headers": raw})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({**start, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})
