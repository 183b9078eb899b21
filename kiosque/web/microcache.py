"""A few seconds of memory for public pages: the hot article is rendered once, not per reader.

News traffic concentrates on a handful of pages at a time. Every page the site serves
to an anonymous reader is the same for all of them and already says
``Cache-Control: public``, so keeping the finished response (compressed bytes and
headers) for a few seconds is safe, and it turns template rendering and database reads
into a dictionary lookup for the hottest pages.

What is never kept: anything but a 200 to GET/HEAD; responses that set cookies or are
not public; requests that carry the flash cookie (their page shows a one-time
message); conditional requests (the inner middleware answers those with 304s);
``/admin``. Any other method (a report, a moderator's action) empties the cache of this
process once it has been answered, so a blocked image disappears from the pages at once
here; other worker processes see the change within ``ttl_s``.

One render per page at a time: when a kept page expires under load, the first request
renders it again while the others get the page it replaces (a few milliseconds staler
than ``ttl_s``) or, when there is none (first request, or just emptied), wait for that
render instead of all rendering the same page at once.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_NEVER_PATHS = (b"/admin",)
_CONDITIONAL = (b"if-none-match", b"if-modified-since")


@dataclass(slots=True)
class _Entry:
    expires: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class MicroCacheMiddleware:
    """An in-process LRU of whole responses, for ``ttl_s`` seconds."""

    def __init__(self, app: ASGIApp, ttl_s: float = 10.0, max_entries: int = 2048,
                 max_body: int = 512 * 1024, skip_cookies: tuple[str, ...] = (),
                 also_clear: tuple[Callable[[], None], ...] = ()) -> None:
        self.app = app
        # other per-process caches of what pages show, emptied together with this one
        self.also_clear = also_clear
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.max_body = max_body
        self.skip_cookies = tuple(name.encode() + b"=" for name in skip_cookies)
        self._entries: OrderedDict[tuple[bytes, ...], _Entry] = OrderedDict()
        self._filling: dict[tuple[bytes, ...], asyncio.Event] = {}

    def clear(self) -> None:
        self._entries.clear()
        for clear in self.also_clear:
            clear()

    def _key(self, scope: Scope) -> tuple[bytes, ...] | None:
        if scope["method"] not in ("GET", "HEAD") or self.ttl_s <= 0:
            return None
        path: str = scope["path"]
        raw_path = path.encode()
        if raw_path.startswith(_NEVER_PATHS):
            return None
        headers = dict(scope["headers"])
        if any(name in headers for name in _CONDITIONAL):
            return None
        cookie = headers.get(b"cookie", b"")
        if any(marker in cookie for marker in self.skip_cookies):
            return None
        gzip_ok = b"gzip" in headers.get(b"accept-encoding", b"")
        language = headers.get(b"accept-language", b"") if raw_path == b"/" else b""
        return (scope["method"].encode(), raw_path, scope.get("query_string", b""),
                b"gz" if gzip_ok else b"", language)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key = self._key(scope)
        if key is None:
            try:
                await self.app(scope, receive, send)
            finally:
                if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                    self.clear()
            return
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit.expires > now:
            self._entries.move_to_end(key)
            await _replay(hit, send)
            return
        filling = self._filling.get(key)
        if filling is not None:
            if hit is not None:  # someone is rendering it again: the previous one will do
                await _replay(hit, send)
                return
            await filling.wait()
            fresh = self._entries.get(key)
            if fresh is not None:
                await _replay(fresh, send)
                return
            # that render was not kept (an error, a private page): render our own
        done = self._filling.setdefault(key, asyncio.Event())
        try:
            await self._fill(key, scope, receive, send, now)
        finally:
            if self._filling.get(key) is done:
                del self._filling[key]
            done.set()

    async def _fill(self, key: tuple[bytes, ...], scope: Scope, receive: Receive, send: Send,
                    now: float) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                start = message
                keep = message["status"] == 200 and _cacheable(message["headers"])
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                size += len(body)
                if size > self.max_body:
                    keep = False
                    chunks.clear()
                else:
                    chunks.append(body)
            await send(message)

        await self.app(scope, receive, capture)
        if keep and start is not None:
            self._entries[key] = _Entry(now + self.ttl_s, int(start["status"]),
                                        list(start["headers"]), b"".join(chunks))
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


async def _replay(entry: _Entry, send: Send) -> None:
    await send({"type": "http.response.start", "status": entry.status,
                "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})


def _cacheable(headers: list[tuple[bytes, bytes]]) -> bool:
    public = False
    for name, value in headers:
        lname = name.lower()
        if lname == b"set-cookie":
            return False
        if lname == b"cache-control":
            lvalue = value.lower()
            if b"private" in lvalue or b"no-store" in lvalue:
                return False
            public = public or b"public" in lvalue
    return public
