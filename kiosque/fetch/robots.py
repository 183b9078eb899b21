"""robots.txt: fetched once per origin, cached, and asked before every request.

RFC 9309 rules we follow: a 4xx robots.txt means "no rules" (allow all); a 5xx or an
unreachable server means "assume everything is disallowed for now" and we ask again
sooner than for a good file; at most the first 500 KiB are parsed. ``Crawl-delay`` of
our group is handed to the pacer. The robots fetch itself goes through the normal
client (SSRF guard, pacing, size and time limits) with robots checking turned off.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from protego import Protego

from kiosque.models import FetchResult

ROBOTS_MAX_BYTES = 500 * 1024
GOOD_TTL_S = 24 * 3600.0
ERROR_TTL_S = 10 * 60.0
UNREACHABLE_TTL_S = 60.0
ORIGIN_CACHE_SIZE = 100_000  # remembered robots.txt URLs; cleared whole when full
# Failures of the robots fetch that say the HOST cannot be reached: the page fetch is
# reported with the same code, since asking the host for the page would fail alike.
_NETWORK_CODES = frozenset({"connect", "timeout", "ssrf", "paused", "protocol", "bad_url"})


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one origin's robots.txt says, in a form that needs no further I/O."""

    kind: str  # "rules", "allow_all", "disallow_all" or "unreachable"
    reason: str
    parser: Protego | None = None
    code: str | None = None  # for "unreachable": the error of the robots fetch

    def allows(self, url: str, token: str) -> bool:
        if self.kind == "allow_all":
            return True
        if self.kind == "disallow_all" or self.parser is None:
            return False
        return bool(self.parser.can_fetch(url, token))

    def crawl_delay(self, token: str) -> float | None:
        if self.parser is None:
            return None
        value = self.parser.crawl_delay(token)
        return float(value) if value is not None else None


def rules_from_result(result: FetchResult) -> tuple[RobotsRules, float]:
    """Turn the robots.txt fetch into rules and how long to trust them (RFC 9309 §2.3)."""
    if result.error in (None, "too_large") and 200 <= result.status < 300:
        text = result.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        try:
            parser = Protego.parse(text)
        except Exception:  # protego is lenient; a crash on junk must not block a site
            return RobotsRules("allow_all", "robots.txt could not be parsed"), GOOD_TTL_S
        return RobotsRules("rules", "robots.txt", parser), GOOD_TTL_S
    if 400 <= result.status < 500 and result.status != 429:
        return RobotsRules("allow_all", f"robots.txt answered {result.status}"), GOOD_TTL_S
    if result.error in ("too_many_redirects", "redirect_loop"):
        # RFC 9309 2.3.1.2: after too many redirects the file counts as unavailable.
        return RobotsRules("allow_all", result.error_detail), GOOD_TTL_S
    if result.error in _NETWORK_CODES:
        return (RobotsRules("unreachable", result.error_detail, code=result.error),
                UNREACHABLE_TTL_S)
    why = result.error_detail or f"robots.txt answered {result.status}"
    return RobotsRules("disallow_all", f"robots.txt unavailable: {why}"), ERROR_TTL_S


def robots_url(url: httpx.URL) -> str:
    """The robots.txt of the origin (scheme, host and port) of ``url``."""
    return str(url.copy_with(path="/robots.txt", query=None, fragment=None))


class RobotsCache:
    """One set of rules per origin, fetched at most once at a time, kept for a while."""

    def __init__(self, fetch: Callable[[str], Awaitable[FetchResult]],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._clock = clock
        self._rules: dict[str, tuple[RobotsRules, float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        # (scheme, host, port) -> robots.txt URL: building it parses a URL, which costs
        # more than the rest of a cached lookup, and it is asked before every request.
        self._origins: dict[tuple[str, str, int | None], str] = {}

    def _origin(self, url: httpx.URL) -> str:
        key = (url.scheme, url.host, url.port)
        origin = self._origins.get(key)
        if origin is None:
            if len(self._origins) >= ORIGIN_CACHE_SIZE:
                self._origins.clear()
            origin = self._origins[key] = robots_url(url)
        return origin

    async def rules_for(self, url: httpx.URL) -> RobotsRules:
        """The rules of ``url``'s origin, fetching robots.txt when none are fresh."""
        origin = self._origin(url)
        cached = self._rules.get(origin)
        if cached is not None and cached[1] > self._clock():
            return cached[0]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._rules.get(origin)
            if cached is not None and cached[1] > self._clock():
                return cached[0]
            rules, ttl = rules_from_result(await self._fetch(origin))
            self._rules[origin] = (rules, self._clock() + ttl)
            return rules
