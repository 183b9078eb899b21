"""The publisher simulator: one uvicorn server, one listening socket per site.

Each site gets its own port so that a per-host polite fetcher sees fourteen hosts; one
ASGI app serves them all and tells them apart by the local port of the connection
(``scope["server"][1]``). What a site shows depends only on the seed and the simulated
clock, so two simulators with the same seed and anchor serve the same bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
import socket
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import uvicorn

from kiosque.simulator.entities import SECTION_KEYS
from kiosque.simulator.feeds import (
    CONTENT_TYPES,
    FEED_ITEMS,
    RENDERERS,
    http_date,
    render_news_sitemap,
    render_robots,
    render_sections_sitemap,
    render_sitemap_index,
)
from kiosque.simulator.images import ImageCache
from kiosque.simulator.pages import render_article, render_listing
from kiosque.simulator.sites import SPECS, SimSite, SiteSpec, bind_site, feed_path
from kiosque.simulator.timeline import SimArticle, article_by_number, site_articles

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

FEED_WINDOW = timedelta(days=4)
SITEMAP_WINDOW = timedelta(days=2)
_ARTICLE_PATH = re.compile(r"^/[a-z]+/\d{4}/\d{2}/\d{2}/[a-z0-9-]*-(\d+)\.html$")
_IMAGE_PATH = re.compile(r"^/img/(\d+)\.jpg$")


class SimClock:
    """``sim_now = anchor + (real_now - start) * speed``; ``speed == 0`` freezes time."""

    def __init__(self, anchor: datetime, speed: float) -> None:
        self.anchor = anchor.astimezone(UTC)
        self.speed = speed
        self._start = time.monotonic()

    def restart(self) -> None:
        """Put the clock back on its anchor (done when the server starts listening)."""
        self._start = time.monotonic()

    def now(self) -> datetime:
        elapsed = (time.monotonic() - self._start) * self.speed
        return (self.anchor + timedelta(seconds=elapsed)).replace(microsecond=0)


class Response:
    """A status, headers and a body, sent as one ASGI message pair."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, body: bytes = b"", content_type: str = "",
                 headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        if content_type:
            self.headers["content-type"] = content_type


class SimApp:
    """The ASGI application behind every simulated site."""

    def __init__(self, seed: int, clock: SimClock, faults: bool, slow_delay: float) -> None:
        self.seed = seed
        self.clock = clock
        self.faults = faults
        self.slow_delay = slow_delay
        self.sites: dict[int, tuple[int, SimSite]] = {}  # port -> (spec index, site)
        self.base_urls: tuple[str, ...] = ()
        self.images = ImageCache()
        self._counters: dict[int, int] = {}
        self._feed_cache: dict[tuple[int, tuple[tuple[int, bool], ...]], bytes] = {}
        self._lock = threading.Lock()

    def bind(self, sites: list[SimSite]) -> None:
        """Tell the app which port serves which site (after the sockets are bound)."""
        self.sites = {site.port: (i, site) for i, site in enumerate(sites)}
        self.base_urls = tuple(site.base_url for site in sites)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        port = int((scope.get("server") or ("", 0))[1])
        found = self.sites.get(port)
        if found is None:
            response = Response(404, b"unknown site\n", "text/plain")
        else:
            index, site = found
            response = await self._serve(index, site, scope)
        if scope["method"] == "HEAD":
            response.headers["content-length"] = str(len(response.body))
            body = b""
        else:
            body = response.body
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
        await send({"type": "http.response.start", "status": response.status,
                    "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _serve(self, index: int, site: SimSite, scope: Scope) -> Response:
        spec = SPECS[index]
        path: str = scope["path"]
        if self.faults and "slow" in spec.faults and self.slow_delay > 0:
            await asyncio.sleep(self.slow_delay)
        if self.faults and "http503" in spec.faults and path != "/robots.txt":
            with self._lock:
                count = self._counters.get(index, 0)
                self._counters[index] = count + 1
            if count % 3 == 2:
                return Response(503, b"Service temporarily unavailable\n", "text/plain",
                                {"retry-after": "2"})
        if scope["method"] not in ("GET", "HEAD"):
            return Response(405, b"", "text/plain", {"allow": "GET, HEAD"})
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        try:
            return self._route(index, spec, site, path, headers)
        except Exception:  # a generator bug must not kill the server
            log.exception("simulator failed on %s%s", site.base_url, path)
            return Response(500, b"internal error\n", "text/plain")

    def _route(self, index: int, spec: SiteSpec, site: SimSite, path: str,
               headers: dict[str, str]) -> Response:
        now = self.clock.now()
        if path == feed_path(spec):
            return self._feed(index, spec, site, now, headers)
        if path == "/robots.txt":
            return Response(200, render_robots(site).encode(), "text/plain; charset=utf-8")
        if spec.sitemap and path in ("/sitemap.xml", "/news-sitemap.xml",
                                     "/sitemap-sections.xml"):
            return self._sitemap(index, spec, site, path, now)
        match = _IMAGE_PATH.match(path)
        if match:
            return self._image(index, int(match.group(1)), now)
        if path == "/":
            latest = self._latest(index, now, timedelta(days=2))[:30]
            return self._html(spec, render_listing(spec, site, latest, now,
                                                   spec.lexicon.ui["latest"]))
        for key in SECTION_KEYS:
            if path == f"/{spec.lexicon.section_slugs[key]}/":
                latest = [a for a in self._latest(index, now, FEED_WINDOW) if a.section == key]
                return self._html(spec, render_listing(
                    spec, site, latest[:30], now, spec.lexicon.section_labels[key]))
        match = _ARTICLE_PATH.match(path)
        if match:
            return self._article(index, spec, site, int(match.group(1)), path, now)
        return Response(404, b"not found\n", "text/plain")

    def _latest(self, index: int, now: datetime, window: timedelta) -> list[SimArticle]:
        end = now + timedelta(seconds=1)
        return site_articles(self.seed, index, now - window, end, self.base_urls)

    def _feed_articles(self, index: int, now: datetime) -> list[SimArticle]:
        articles = self._latest(index, now, FEED_WINDOW)
        if len(articles) < FEED_ITEMS:
            articles = self._latest(index, now, FEED_WINDOW * 3)
        return articles[:FEED_ITEMS]

    def _feed(self, index: int, spec: SiteSpec, site: SimSite, now: datetime,
              headers: dict[str, str]) -> Response:
        articles = self._feed_articles(index, now)
        key = (index, tuple((a.n, a.is_updated_at(now)) for a in articles))
        with self._lock:
            body = self._feed_cache.get(key)
        if body is None:
            text = RENDERERS[spec.feed_kind](spec, site, articles, now)
            body = text.encode(spec.encoding, "xmlcharrefreplace")
            with self._lock:
                if len(self._feed_cache) > 256:
                    self._feed_cache.clear()
                self._feed_cache[key] = body
        newest = max((a.modified_at(now) for a in articles), default=now)
        validators = {
            "etag": '"' + hashlib.sha1(body).hexdigest()[:20] + '"',
            "last-modified": http_date(newest),
            "cache-control": "max-age=60",
        }
        if _not_modified(headers, validators["etag"], newest):
            return Response(304, b"", "", validators)
        content_type = f"{CONTENT_TYPES[spec.feed_kind]}; charset={spec.encoding}"
        return Response(200, body, content_type, validators)

    def _sitemap(self, index: int, spec: SiteSpec, site: SimSite, path: str,
                 now: datetime) -> Response:
        if path == "/sitemap.xml":
            text = render_sitemap_index(site, now, spec)
        elif path == "/news-sitemap.xml":
            text = render_news_sitemap(spec, site, self._latest(index, now, SITEMAP_WINDOW))
        else:
            text = render_sections_sitemap(site, spec)
        return Response(200, text.encode(), "application/xml; charset=utf-8")

    def _image(self, index: int, n: int, now: datetime) -> Response:
        article = article_by_number(self.seed, n, self.base_urls)
        if article is None or article.site_index != index or article.published > now:
            return Response(404, b"not found\n", "text/plain")
        return Response(200, self.images.get(n), "image/jpeg",
                        {"cache-control": "max-age=86400"})

    def _article(self, index: int, spec: SiteSpec, site: SimSite, n: int, path: str,
                 now: datetime) -> Response:
        article = article_by_number(self.seed, n, self.base_urls)
        if article is None or article.site_index != index or article.published > now:
            return Response(404, b"not found\n", "text/plain")
        if path != article.path:
            return Response(301, b"", "text/plain", {"location": article.url})
        recent = self._latest(index, now, timedelta(days=1))
        related = [a for a in recent if a.section == article.section and a.n != n][:5]
        return self._html(spec, render_article(spec, site, article, related, now),
                          {"last-modified": http_date(article.modified_at(now))})

    @staticmethod
    def _html(spec: SiteSpec, text: str, headers: dict[str, str] | None = None) -> Response:
        body = text.encode(spec.encoding, "xmlcharrefreplace")
        return Response(200, body, f"text/html; charset={spec.encoding}", headers)


def _not_modified(headers: dict[str, str], etag: str, newest: datetime) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since only counts without it."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return etag in tags or "*" in tags
    since = headers.get("if-modified-since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return newest.replace(microsecond=0) <= when
    return False


class Simulator:
    """Fourteen generated news sites on consecutive (or ephemeral) local ports.

    ``speed`` is simulated seconds per real second (0 freezes the clock); ``anchor``
    fixes the simulated time at start. With ``faults=False`` no delay and no 503 are
    injected (charsets, the broken feed and the duplicates remain: they are content).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        base_port: int = 8100,
        seed: int = 42,
        speed: float = 60.0,
        faults: bool = True,
        anchor: datetime | None = None,
        slow_delay: float = 1.5,
    ) -> None:
        self.host = host
        self.base_port = base_port
        self.seed = seed
        start = anchor if anchor is not None else datetime.now(UTC).replace(microsecond=0)
        self.clock = SimClock(start, speed)
        self.app = SimApp(seed, self.clock, faults, slow_delay)
        self._url_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        ports = [base_port + i if base_port else 0 for i in range(len(SPECS))]
        self.sites: list[SimSite] = [
            bind_site(spec, self._url_host, port) for spec, port in zip(SPECS, ports, strict=True)
        ]
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sockets: list[socket.socket] = []
        self._error: BaseException | None = None

    def now(self) -> datetime:
        """The simulated clock (UTC, aware)."""
        return self.clock.now()

    def site(self, slug: str) -> SimSite:
        """The site with this slug (KeyError when there is none)."""
        for site in self.sites:
            if site.slug == slug:
                return site
        raise KeyError(slug)

    def _bind(self) -> list[socket.socket]:
        sockets: list[socket.socket] = []
        try:
            for i in range(len(SPECS)):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((self.host, self.base_port + i if self.base_port else 0))
                sock.listen(128)
                sock.setblocking(False)
                sockets.append(sock)
        except OSError:
            for sock in sockets:
                sock.close()
            raise
        ports = [sock.getsockname()[1] for sock in sockets]
        self.sites = [
            bind_site(spec, self._url_host, port) for spec, port in zip(SPECS, ports, strict=True)
        ]
        self.app.bind(self.sites)
        self._sockets = sockets
        self.clock.restart()
        return sockets

    def _make_server(self) -> uvicorn.Server:
        config = uvicorn.Config(
            self.app,
            log_config=None,
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            server_header=False,
            timeout_graceful_shutdown=1,
        )
        return uvicorn.Server(config)

    async def serve(self) -> None:
        """Bind every site's port and serve until cancelled."""
        sockets = self._bind()
        self._server = self._make_server()
        log.info("simulator serving %d sites on %s", len(self.sites),
                 ", ".join(str(s.port) for s in self.sites))
        try:
            await self._server.serve(sockets=sockets)
        finally:
            for sock in sockets:
                sock.close()

    def start_in_thread(self) -> Simulator:
        """Serve from a daemon thread; return once every site is listening."""
        sockets = self._bind()
        server = self._make_server()
        self._server = server

        def run() -> None:
            try:
                asyncio.run(server.serve(sockets=sockets))
            except BaseException as exc:  # reported to the waiting caller
                self._error = exc

        self._thread = threading.Thread(target=run, name="kiosque-simulator", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError("simulator failed to start") from self._error
            if time.monotonic() > deadline:
                raise TimeoutError("simulator did not start within 10 s")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and release the ports."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()
        self._sockets = []

    def __enter__(self) -> Simulator:
        return self.start_in_thread()

    def __exit__(self, *exc: object) -> None:
        self.stop()
