"""The polite HTTP client every part of kiosque fetches through.

``Fetcher.get`` runs one URL through a chain of small concerns, each in its own module:
URL check -> robots.txt (``robots``) -> per-host slot (``pacing``) -> SSRF guard with the
address pinned (``ssrf``) -> conditional GET (``headers``) -> size-capped decoding
(``body``) -> redirect decision (``redirects``), repeated per hop under one total
deadline. Whatever goes wrong on the network or at the publisher comes back as a
``FetchResult`` with ``error`` set; only programming errors raise.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from types import TracebackType

import httpx

from kiosque.config import Settings
from kiosque.fetch.body import Body, drain, read_body
from kiosque.fetch.errors import (
    ConnectFailed,
    ConnectionBroken,
    ConnectTimedOut,
    FetchFailure,
    NetworkError,
    ReadTimedOut,
    Unsupported,
    WriteTimedOut,
)
from kiosque.fetch.headers import ACCEPT_ROBOTS, parse_retry_after, request_headers, robots_token
from kiosque.fetch.httpx_transport import HttpxTransport
from kiosque.fetch.pacing import HostPacer, HostStats, Outcome
from kiosque.fetch.redirects import REDIRECT_STATUSES, RedirectTrail
from kiosque.fetch.robots import ROBOTS_MAX_BYTES, RobotsCache, robots_url
from kiosque.fetch.ssrf import SsrfGuard, check_scheme, host_key
from kiosque.fetch.transport import Http11Transport, Reply, Transport
from kiosque.models import FetchResult

ERROR_BODY_BYTES = 64 * 1024  # what we keep of a 4xx/5xx page, for the operator's eyes
MAX_PAUSE_S = 24 * 3600.0


@dataclass(slots=True)
class _Answer:
    """One hop's response, read and closed."""

    status: int
    reason: str
    headers: dict[str, str]
    body: Body


def _status_outcome(status: int) -> Outcome:
    if status == 429 or status >= 500:
        return Outcome.TROUBLE
    if status >= 400:
        return Outcome.NEUTRAL
    return Outcome.CLEAN


def _network_failure(exc: NetworkError, url: httpx.URL) -> FetchFailure:
    """Name a transport's failure with one of our short codes and a plain sentence."""
    if isinstance(exc, ConnectTimedOut):
        return FetchFailure("timeout", f"Connecting to {url.host} timed out.")
    if isinstance(exc, ReadTimedOut | WriteTimedOut):
        return FetchFailure("timeout", f"{url.host} stopped sending data for too long "
                            f"({type(exc).__name__}).")
    if isinstance(exc, ConnectFailed):
        return FetchFailure("connect", f"Could not connect to {url.host}: {exc or 'refused'}.")
    if isinstance(exc, ConnectionBroken):
        return FetchFailure("connect", f"The connection to {url.host} broke: "
                            f"{exc or type(exc).__name__}.")
    if isinstance(exc, Unsupported):
        return FetchFailure("bad_url", f"The URL {url} cannot be fetched: {exc}.")
    return FetchFailure("protocol", f"{url.host} broke the HTTP protocol: "
                        f"{exc or type(exc).__name__}.")


class Fetcher:
    """Polite, guarded HTTP GETs; one instance per process, shared by all tasks."""

    def __init__(self, settings: Settings,
                 transport: Transport | httpx.AsyncBaseTransport | None = None,
                 resolver: Callable[[str, int], Awaitable[list[str]]] | None = None) -> None:
        self._settings = settings
        self._user_agent = settings.effective_user_agent
        self._token = robots_token(self._user_agent)
        self._guard = SsrfGuard(settings.allowed_hosts, resolver, settings.connect_timeout_s)
        self._pacer = HostPacer(max_concurrency=settings.max_concurrency,
                                per_host_concurrency=settings.per_host_concurrency,
                                min_delay_s=settings.per_host_delay_s,
                                max_wait_s=settings.total_timeout_s)
        self._robots = RobotsCache(self._fetch_robots)
        if transport is None:
            # The pacer keeps at most max_concurrency exchanges in flight; the pool may
            # keep as many connections again idle. With fewer, hosts taking turns for
            # the global slots closed each other's idle connections, and almost every
            # request paid a new connection (per_host_concurrency x hosts easily exceeds
            # max_concurrency). Our transport dials the addresses the guard checked.
            transport = Http11Transport(max_idle=2 * max(1, settings.max_concurrency),
                                        connect_timeout=settings.connect_timeout_s,
                                        read_timeout=settings.read_timeout_s)
        elif isinstance(transport, httpx.AsyncBaseTransport):
            # An httpx transport (tests, special setups) is trusted to connect where it
            # likes after the check. It is called directly, not through an
            # httpx.AsyncClient, whose cookie jar is unwanted: a poller keeps no session
            # with publishers (tracking, consent walls, session state).
            transport = HttpxTransport(transport, httpx.Timeout(
                connect=settings.connect_timeout_s, read=settings.read_timeout_s,
                write=settings.read_timeout_s, pool=settings.total_timeout_s).as_dict())
        self._transport: Transport = transport
        self._closed = False

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        await self._transport.aclose()

    def host_stats(self) -> dict[str, HostStats]:
        """Per ``host:port``: current delay, requests in flight, errors, latency EWMA."""
        return self._pacer.stats()

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                  accept: str | None = None, max_bytes: int | None = None,
                  check_robots: bool = True) -> FetchResult:
        """GET ``url`` politely; never raises for network, HTTP or protocol problems.

        ``etag`` / ``last_modified`` make the request conditional (a 304 comes back as a
        success with an empty body). ``max_bytes`` caps the decoded body (default
        ``settings.max_body_bytes``). A ``too_large`` result keeps the first
        ``max_bytes`` in ``body`` when they were read.
        """
        result = FetchResult(url=url, final_url=url)
        started = time.monotonic()
        try:
            await self._run(result, etag=etag, last_modified=last_modified, accept=accept,
                            max_bytes=max_bytes or self._settings.max_body_bytes,
                            check_robots=check_robots)
        except FetchFailure as failure:
            result.error = failure.code
            result.error_detail = failure.detail
            if failure.retry_after_s is not None:
                result.retry_after_s = failure.retry_after_s
        result.elapsed_s = time.monotonic() - started
        return result

    async def _fetch_robots(self, url: str) -> FetchResult:
        return await self.get(url, accept=ACCEPT_ROBOTS, max_bytes=ROBOTS_MAX_BYTES,
                              check_robots=False)

    async def _check_robots(self, url: httpx.URL) -> None:
        rules = await self._robots.rules_for(url)
        if rules.kind == "unreachable" and rules.code is not None:
            raise FetchFailure(rules.code, f"Fetching robots.txt first failed: {rules.reason}")
        delay = rules.crawl_delay(self._token)
        if delay is not None:
            self._pacer.raise_min_delay(host_key(url), delay)
        if not rules.allows(str(url), self._token):
            raise FetchFailure("robots", f"{robots_url(url)} does not allow {self._token} to "
                               f"fetch {url} ({rules.reason}).")

    async def _run(self, result: FetchResult, *, etag: str | None, last_modified: str | None,
                   accept: str | None, max_bytes: int, check_robots: bool) -> None:
        try:
            current = httpx.URL(result.url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise FetchFailure("bad_url", f"{result.url!r} is not a valid URL ({exc}).") from exc
        check_scheme(current)
        headers = request_headers(self._user_agent, accept, etag, last_modified)
        trail = RedirectTrail(current, self._settings.max_redirects)
        budget = self._settings.total_timeout_s
        while True:
            result.final_url = str(current)
            if check_robots and self._settings.respect_robots:
                await self._check_robots(current)
            key = host_key(current)
            async with self._pacer.slot(key):
                began = time.monotonic()
                try:
                    answer = await self._hop(current, key, headers, max_bytes, budget)
                finally:
                    budget -= time.monotonic() - began
            if answer.status in REDIRECT_STATUSES:
                current = trail.next_url(current, answer.headers.get("location"))
                continue
            self._fill(result, key, answer, max_bytes)
            return

    def _fill(self, result: FetchResult, key: str, answer: _Answer, max_bytes: int) -> None:
        """Copy one final answer into the result, naming any error."""
        result.status = answer.status
        result.headers = answer.headers
        result.body = answer.body.data
        result.etag = answer.headers.get("etag")
        result.last_modified = answer.headers.get("last-modified")
        if answer.status in (429, 503):
            wait = parse_retry_after(answer.headers.get("retry-after"), datetime.now(UTC))
            if wait is not None:
                result.retry_after_s = wait
                self._pacer.pause(key, min(wait, MAX_PAUSE_S))
        if answer.status >= 400:
            result.error = f"http_{answer.status}"
            result.error_detail = (f"{result.final_url} answered {answer.status} "
                                   f"{answer.reason}.".replace(" .", "."))
        elif answer.status == 304:
            result.body = b""
        elif answer.body.truncated:
            result.error = "too_large"
            result.error_detail = (f"The body of {result.final_url} is larger than "
                                   f"{max_bytes} bytes; it was cut and refused.")
        elif not 200 <= answer.status < 300:
            result.error = "protocol"
            result.error_detail = (f"{result.final_url} answered {answer.status}, which is "
                                   "neither a success nor a redirect.")

    async def _hop(self, url: httpx.URL, key: str, headers: dict[str, str], max_bytes: int,
                   budget: float) -> _Answer:
        """One request/response under what is left of the total deadline."""
        if budget <= 0:
            raise FetchFailure("timeout", "The redirects used up the total time allowed "
                               f"({self._settings.total_timeout_s:g} s).")
        began = time.monotonic()
        try:
            async with asyncio.timeout(budget):
                addresses = await self._guard.check(url)
                return await self._send(url, key, addresses, headers, max_bytes, began)
        except TimeoutError as exc:
            self._pacer.record(key, time.monotonic() - began, Outcome.TROUBLE)
            raise FetchFailure("timeout", f"{url} took longer than the "
                               f"{self._settings.total_timeout_s:g} s allowed for a whole "
                               "response.") from exc

    async def _send(self, url: httpx.URL, key: str, addresses: list[str],
                    headers: dict[str, str], max_bytes: int, began: float) -> _Answer:
        """Send to the checked address (one retry on an early network error), then read."""
        attempt = 0
        while True:
            address = addresses[attempt % len(addresses)] if addresses else None
            try:
                response = await self._exchange(url, headers, address)
            except NetworkError as exc:
                if attempt == 0 and exc.early:
                    attempt += 1
                    continue
                self._pacer.record(key, time.monotonic() - began, Outcome.TROUBLE)
                raise _network_failure(exc, url) from exc
            break
        latency = time.monotonic() - began
        try:
            answer = await self._read(response, max_bytes)
        except NetworkError as exc:
            self._pacer.record(key, time.monotonic() - began, Outcome.TROUBLE)
            raise _network_failure(exc, url) from exc
        except FetchFailure:
            self._pacer.record(key, latency, Outcome.NEUTRAL)
            raise
        finally:
            await response.aclose()
        self._pacer.record(key, latency, _status_outcome(answer.status))
        return answer

    async def _exchange(self, url: httpx.URL, headers: dict[str, str],
                        address: str | None) -> Reply:
        """Send one GET and return the response with its body still to be streamed."""
        if self._closed:
            raise RuntimeError("Cannot send a request, as the fetcher has been closed.")
        return await self._transport.send(url, headers, address)

    async def _read(self, response: Reply, max_bytes: int) -> _Answer:
        status = response.status
        headers = response.headers
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = response.reason
        if status in REDIRECT_STATUSES or status == 304:
            await drain(response, ERROR_BODY_BYTES)  # lets the connection be reused
            body = Body(b"", truncated=False)
        elif status >= 400:
            body = await read_body(response, min(max_bytes, ERROR_BODY_BYTES), head_only=True)
        else:
            body = await read_body(response, max_bytes)
        return _Answer(status=status, reason=reason, headers=headers, body=body)
