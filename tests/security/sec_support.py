"""Real parts for the security tests: a local publisher, the app on a socket, generated data.

Everything listens on 127.0.0.1 with ephemeral ports. The local publisher records every
request it gets, so a test can say "nothing reached this path" (the XSS hit counter) or
"nothing connected here at all" (the SSRF traps).
"""

from __future__ import annotations

import asyncio
import io
import random
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from xml.sax.saxutils import escape

import httpx
import uvicorn
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import Engine, insert, select, update

from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.ingest import Ingestor, RefreshReport
from kiosque.media import process_image
from kiosque.models import Source
from kiosque.search import backend_for
from kiosque.store import images as store_images
from kiosque.store import repo
from kiosque.store.tables import articles as articles_table
from kiosque.store.tables import images as images_table
from kiosque.store.tables import sources as sources_table
from kiosque.web.app import create_app
from tests.databases import fresh_store

HERE = Path(__file__).resolve().parent
PAYLOAD_FILE = HERE / "xss_payloads.txt"
HIT_PATH = "/xss-hit"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]

WORDS = (
    "harbour", "council", "orchard", "library", "bridge", "festival", "market", "tram",
    "river", "school", "budget", "garden", "museum", "station", "harvest", "clinic",
    "stadium", "quarry", "lantern", "ferry", "meadow", "pottery", "workshop", "archive",
    "canal", "bakery", "vineyard", "theatre", "lighthouse", "observatory", "granary",
)


def load_payloads(hit_base: str) -> list[str]:
    """The corpus, with ``__HIT__`` pointing at our own local server."""
    out = []
    for line in PAYLOAD_FILE.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("# "):
            continue
        out.append(line.replace("__HIT__", hit_base))
    return out


# --- a tiny local publisher -----------------------------------------------------------

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class LocalServer:
    """A threaded HTTP server on 127.0.0.1: fixed routes, and a log of every request."""

    routes: dict[str, Reply | Callable[[str], Reply]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    host: str = "127.0.0.1"
    _server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hits(self, prefix: str) -> list[str]:
        return [p for p in self.requests if p.startswith(prefix)]

    def start(self) -> LocalServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                path = self.path.split("?", 1)[0]
                route = owner.routes.get(path)
                if route is None:
                    route = next((r for p, r in owner.routes.items()
                                  if p.endswith("*") and path.startswith(p[:-1])), None)
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"no"
                elif callable(route):
                    status, headers, body = route(self.path)
                else:
                    status, headers, body = route
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class Trap:
    """A listening socket that only counts connections: "was anything sent here?"."""

    def __init__(self, family: int = socket.AF_INET, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


# --- generated content ----------------------------------------------------------------


def noise_png(seed: int, size: tuple[int, int] = (800, 450)) -> bytes:
    """A picture of seeded coarse blocks: distinct bytes AND a distinct perceptual hash."""
    rng = random.Random(seed)
    small = Image.new("RGB", (8, 6))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))
                   for _ in range(48)])
    img = small.resize(size, Image.Resampling.NEAREST)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


@dataclass(frozen=True)
class Item:
    """One feed item of generated text; any field may carry a payload."""

    guid: str
    link: str
    title: str
    content_html: str
    author: str = ""
    category: str = ""
    image_url: str = ""


def rss(items: list[Item], base: str, now: datetime) -> bytes:
    """An RSS 2.0 feed; every text is XML-escaped, so payloads arrive exactly as written."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f"<channel><title>Generated test publisher</title><link>{escape(base)}/</link>",
        "<description>Generated items</description><language>en</language>",
    ]
    for n, item in enumerate(items):
        when = format_datetime(now - timedelta(minutes=5 * n), usegmt=True)
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        parts.append(f"<link>{escape(item.link)}</link>")
        parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        parts.append(f"<pubDate>{when}</pubDate>")
        if item.author:
            parts.append(f"<dc:creator>{escape(item.author)}</dc:creator>")
        if item.category:
            parts.append(f"<category>{escape(item.category)}</category>")
        if item.image_url:
            parts.append(f'<enclosure url="{escape(item.image_url, {chr(34): "&quot;"})}" '
                         'type="image/png" length="1"/>')
        parts.append(f"<content:encoded>{escape(item.content_html)}</content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


@dataclass
class Corpus:
    """The ingested payloads and everything a test needs to reach them."""

    settings: Settings
    engine: Engine
    app: FastAPI
    publisher: LocalServer
    payloads: list[str]
    reports: dict[str, object]


# --- the pipeline and the app ---------------------------------------------------------


def make_settings(tmp: Path, **changes: Any) -> Settings:
    base = Settings(
        database_url=f"sqlite:///{tmp / 'kiosque.db'}",
        data_dir=str(tmp),
        allowed_hosts=["127.0.0.1"],
        per_host_delay_s=0.0,
        per_host_concurrency=8,
        respect_robots=False,
        connect_timeout_s=5,
        read_timeout_s=10,
        total_timeout_s=20,
        page_size=200,
        secret_key="security-tests-only-secret",
    )
    return base.with_overrides(**changes)


Resolver = Callable[[str, int], Awaitable[list[str]]]
T = TypeVar("T")


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on a fresh event loop in a thread of its own, and return its result.

    Not plain ``asyncio.run``: a test elsewhere in the session (a sync playwright user,
    say) may leave a loop running in the main thread, and ``asyncio.run`` refuses to
    start inside one. The coroutine is created in that thread too, so a refused start
    never leaves a "never awaited" coroutine behind.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


async def _poll(settings: Settings, engine: Engine, slugs: list[str] | None,
                transport: httpx.AsyncBaseTransport | None,
                resolver: Resolver | None) -> list[RefreshReport]:
    async with Fetcher(settings, transport=transport, resolver=resolver) as fetcher:
        ingestor = Ingestor(settings, engine, fetcher, backend_for(engine.dialect.name))
        with engine.connect() as conn:
            states = [s for s in repo.all_source_states(conn)
                      if slugs is None or s.source.slug in slugs]
        reports = [await ingestor.refresh_source(s) for s in states]
        await ingestor.process_pending_images(limit=500)
        return reports


def poll(settings: Settings, engine: Engine, slugs: list[str] | None = None,
         transport: httpx.AsyncBaseTransport | None = None,
         resolver: Resolver | None = None) -> dict[str, RefreshReport]:
    """One real refresh of the named sources (all when None), then their images."""
    reports = run_async(lambda: _poll(settings, engine, slugs, transport, resolver))
    return {r.slug: r for r in reports}


@contextmanager
def serve_app(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn on an ephemeral loopback port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


def walk_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(full path template, route) for every route, through included routers too."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            extra = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            yield from walk_routes(included.routes, prefix + extra)
        elif hasattr(route, "path"):
            yield prefix + route.path, route


@dataclass
class Site:
    """A small store for the report tests: one article per image state, and the app."""

    settings: Settings
    engine: Engine
    app: FastAPI
    article: dict[str, int]  # image state -> article id
    image: dict[str, int]  # image state -> image id


def build_site(tmp: Path, **changes: Any) -> Site:
    """Articles whose lead image is visible, blocked, pending, broken, or absent.

    The visible and blocked pictures are real: generated PNGs through ``process_image``
    and ``save_image``, the same calls ingest makes.
    """
    settings = make_settings(tmp, **changes)
    engine = fresh_store(settings, [Source(slug="gazette", name="Generated Gazette",
                                           feed_url="https://gazette.example/feed",
                                           lang="fr")])
    now = datetime.now(UTC).replace(microsecond=0)
    root = store_images.images_root(settings.data_dir)
    image_ids: dict[str, int] = {}
    article_ids: dict[str, int] = {}
    rng = random.Random(5)
    with engine.begin() as conn:
        source_id = conn.execute(
            select(sources_table.c.id).where(sources_table.c.slug == "gazette")).scalar_one()
        for n, state in enumerate(("ok", "blocked", "pending", "broken", "none")):
            url = f"https://gazette.example/img/{state}.png"
            if state in ("ok", "blocked"):
                image_ids[state] = store_images.save_image(
                    conn, root, url, process_image(noise_png(100 + n)), now)
                if state == "blocked":
                    conn.execute(update(images_table)
                                 .where(images_table.c.id == image_ids[state])
                                 .values(status="blocked", blocked_at=now))
            elif state == "pending":
                image_ids[state] = store_images.add_pending(conn, url, now)
            elif state == "broken":
                image_ids[state] = store_images.mark_broken(conn, url, "http_404", now)
            result = conn.execute(insert(articles_table).values(
                source_id=source_id, ident=f"a-{state}", url=f"https://gazette.example/{state}",
                canonical_url=f"https://gazette.example/{state}",
                title=f"Titre généré {state} {sentence(rng, 4)}",
                summary=sentence(rng, 20), text=sentence(rng, 120),
                content_html=f"<p>{sentence(rng, 120)}</p>", author="Rédaction",
                published_at=now - timedelta(minutes=n), fetched_at=now, lang="fr",
                section="ville", image_url=url if state != "none" else "",
                image_id=image_ids.get(state), full_text=True,
            ))
            assert result.inserted_primary_key is not None
            article_ids[state] = int(result.inserted_primary_key[0])
    return Site(settings, engine, create_app(settings, engine), article_ids, image_ids)
