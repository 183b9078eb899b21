"""One poll cycle over 5,000 sources, most of them answering 304 Not Modified.

Why: at scale almost every poll is a conditional GET that learns nothing new, so the
cost of a poll cycle is the per-source cost of kiosque's 304 path (fetch chain, poll
policy, the saved schedule) and not extraction. Goal: ``sources_per_s`` >= 500 on two
cores, with ``cpu_ms_per_source`` as the figure to drive down.

Set-up: a tiny raw-asyncio HTTP server in a child process (its CPU is not billed to
kiosque) serves ``/feed/<n>.xml`` for every source on ONE host:port with ETag and
Last-Modified. A first, untimed cycle stores every feed's items and its validators;
the timed second cycle then gets a 304 for ~95 % of the sources and a small changed
feed (1-2 new items, full text in the feed) for the rest. Because every source shares
one host, per-host concurrency is high and the per-host delay 0: this measures
kiosque's per-source cost, NOT politeness. The floor, measured in the same run, is a
bare httpx conditional-GET loop over the same URLs with the same concurrency.

Run: .venv/bin/python bench/poll.py [--sources 5000] [--changed-every 20]
(last line printed: one JSON object)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from multiprocessing.connection import Connection
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from _common import (
    ServerProcess,
    Span,
    current_rss_mb,
    measured,
    peak_rss_mb,
    percentile,
    wait_for_stop,
)
from sqlalchemy import Engine, func, select

from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.ingest import Ingestor, RefreshReport
from kiosque.models import Source, SourceState
from kiosque.scheduler.runner import Scheduler
from kiosque.search import backend_for
from kiosque.store import repo
from kiosque.store.engine import make_engine, migrate
from kiosque.store.tables import articles

HOST = "127.0.0.1"
GOAL_SOURCES_PER_S = 500.0
PARALLEL_SOURCES = 16  # the Scheduler's default
BASE_ITEMS = 1  # items every feed starts with (priming stores them all)
_SYLLABLES = ("ra", "mo", "li", "ta", "ne", "su", "ka", "do", "vi", "pe", "lo", "ri", "ma",
              "te", "ba", "no", "ge", "fa", "zu", "chi", "on", "el", "ar", "is")
_GLUE = ("le", "la", "les", "des", "et", "dans", "pour", "une", "un", "du", "sur", "avec")


# --- the feed server (child process) ---------------------------------------------------
def _vocabulary(size: int = 3000) -> list[str]:
    """Generated pseudo-words with French glue words mixed in, built once per process."""
    rng = random.Random(5000)
    words = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
             for _ in range(size)]
    return words + list(_GLUE) * (size // (2 * len(_GLUE)))


_VOCAB = _vocabulary()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(_VOCAB, k=words))


class FeedSite:
    """What the server publishes: per source, a version that moves only for some."""

    def __init__(self, port: int, changed_every: int, base: datetime) -> None:
        self.port = port
        self.changed_every = changed_every
        self.base = base
        self.requests: dict[int, int] = {}
        self._bodies: dict[tuple[int, int], bytes] = {}

    def changes(self, n: int) -> bool:
        return n % self.changed_every == 0

    def new_items(self, n: int) -> int:
        """1 or 2 new items per version of a changing feed."""
        return 2 if n % (2 * self.changed_every) == 0 else 1

    def _item(self, n: int, k: int, when: datetime) -> str:
        rng = random.Random(n * 1000 + k)
        title = escape(_text(rng, 7).capitalize())
        paragraphs = "".join(f"<p>{escape(_text(rng, 45))}.</p>" for _ in range(3))
        return (
            f"<item><title>{title}</title>"
            f"<link>http://{HOST}:{self.port}/a/{n}/{k}.html</link>"
            f'<guid isPermaLink="false">feed-{n}-item-{k}</guid>'
            f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
            f"<description>{escape(_text(rng, 25))}</description>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        )

    def published(self, n: int, k: int) -> datetime:
        """Old items are spread an hour apart per source, so a store's 48 h story
        window holds a few dozen sources, not all; new items are recent."""
        if k < BASE_ITEMS:
            return self.base - timedelta(hours=10_000 - n, minutes=k)
        return self.base - timedelta(minutes=(10_000 - n) % 600 + k)

    def body(self, n: int, version: int) -> bytes:
        key = (n, version)
        cached = self._bodies.get(key)
        if cached is not None:
            return cached
        total = BASE_ITEMS + version * self.new_items(n)
        items = "".join(self._item(n, k, self.published(n, k))
                        for k in reversed(range(total)))
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Source {n}</title><link>http://{HOST}:{self.port}/</link>"
            f"<description>Flux généré {n}</description><language>fr</language>"
            f"{items}</channel></rss>"
        ).encode()
        self._bodies[key] = body
        return body

    def respond(self, head: bytes) -> bytes:
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
        inm = b""
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"if-none-match":
                inm = value.strip()
        if path == "/robots.txt":
            return _response(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path.startswith("/feed/") and path.endswith(".xml"):
            try:
                n = int(path[6:-4])
            except ValueError:
                return _response(404, b"not found\n", "text/plain")
            count = self.requests.get(n, 0)
            self.requests[n] = count + 1
            version = count if self.changes(n) else 0
            etag = f'"{n}-{version}"'.encode()
            modified = format_datetime(self.base + timedelta(minutes=version), usegmt=True)
            validators = (b"ETag: " + etag + b"\r\nLast-Modified: " + modified.encode()
                          + b"\r\n")
            if inm == etag:
                return b"HTTP/1.1 304 Not Modified\r\n" + validators + b"\r\n"
            return _response(200, self.body(n, version),
                             "application/rss+xml; charset=utf-8", validators)
        return _response(404, b"not found\n", "text/plain")


def _response(status: int, body: bytes, content_type: str, extra: bytes = b"") -> bytes:
    reason = {200: b"OK", 404: b"Not Found"}.get(status, b"OK")
    return (b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
            % (status, reason, content_type.encode(), len(body)) + extra + b"\r\n" + body)


class _FeedProtocol(asyncio.Protocol):
    """HTTP/1.1 keep-alive, GET only, no request bodies: all a feed poller sends."""

    def __init__(self, site: FeedSite) -> None:
        self.site = site
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end])
            del self.buffer[:end + 4]
            self.transport.write(self.site.respond(head))


def _serve_feeds(conn: Connection, changed_every: int, base_iso: str) -> None:
    """Child process: serve every feed from one port until told to stop."""

    async def run() -> None:
        loop = asyncio.get_running_loop()
        site = FeedSite(0, changed_every, datetime.fromisoformat(base_iso))
        server = await loop.create_server(lambda: _FeedProtocol(site), HOST, 0, backlog=1024)
        site.port = server.sockets[0].getsockname()[1]
        conn.send([site.port])
        await loop.run_in_executor(None, wait_for_stop, conn)
        server.close()

    asyncio.run(run())


# --- kiosque's side ------------------------------------------------------------------------
def bench_settings(folder: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{folder / 'kiosque.db'}",
        data_dir=str(folder),
        allowed_hosts=[HOST],
        per_host_delay_s=0.0,
        per_host_concurrency=64,
        max_concurrency=64,
        connect_timeout_s=10,
        read_timeout_s=30,
        total_timeout_s=60,
    )


def feed_url(port: int, n: int) -> str:
    return f"http://{HOST}:{port}/feed/{n}.xml"


def make_sources(port: int, count: int) -> list[Source]:
    return [Source(slug=f"feed-{n:05d}", name=f"Source {n}", feed_url=feed_url(port, n),
                   lang="fr", country="MA") for n in range(count)]


@dataclass(slots=True)
class Cycle:
    span: Span
    reports: list[RefreshReport]
    rss_before_mb: float
    rss_after_mb: float


async def _two_cycles(settings: Settings, engine: Engine) -> tuple[Cycle, Cycle]:
    """Prime every source, then time a second full cycle with the same warm fetcher."""
    async with Fetcher(settings) as fetcher:
        ingestor = Ingestor(settings, engine, fetcher, backend_for(engine.dialect.name))
        scheduler = Scheduler(settings, engine, ingestor, parallel_sources=PARALLEL_SOURCES,
                              fetch_images=False)
        cycles: list[Cycle] = []
        for _ in range(2):
            before = current_rss_mb()
            with measured() as box:
                with engine.connect() as conn:
                    states = repo.all_source_states(conn)
                reports = await scheduler.refresh_many(states)
            cycles.append(Cycle(box[0], reports, before, current_rss_mb()))
        return cycles[0], cycles[1]


async def _bare_loop(urls: list[tuple[str, str | None]]) -> Counter[int]:
    """The floor: httpx conditional GETs, same URLs and concurrency, nothing else."""
    gate = asyncio.Semaphore(PARALLEL_SOURCES)
    statuses: Counter[int] = Counter()
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, trust_env=False, timeout=30) as client:

        async def one(url: str, etag: str | None) -> None:
            headers = {"If-None-Match": etag} if etag else {}
            async with gate:
                resp = await client.get(url, headers=headers)
                statuses[resp.status_code] += 1

        await asyncio.gather(*(one(u, e) for u, e in urls))
    return statuses


def describe(label: str, count: int, span: Span) -> None:
    print(f"  {label:<34} {span.wall_s:7.2f} s wall {span.cpu_s:7.2f} s CPU  "
          f"{count / span.wall_s:8.1f} sources/s  {span.cpu_s * 1000 / count:6.3f} CPU ms/source")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=5000)
    parser.add_argument("--changed-every", type=int, default=20,
                        help="every n-th source changes between cycles (20: 5 %%)")
    args = parser.parse_args()
    count: int = args.sources

    print(f"kiosque poll-cycle benchmark: {count} sources on ONE loopback host:port, "
          f"every {args.changed_every}th one changing between cycles")
    print("NOTE: per-host delay 0 and per-host concurrency 64 (all sources share one host): "
          "this measures kiosque's per-source cost, not politeness.")
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    with ServerProcess(_serve_feeds, args.changed_every, base.isoformat()) as server, \
            tempfile.TemporaryDirectory(prefix="kiosque-bench-poll-") as tmp:
        port = server.ports[0]
        print(f"feed server pid {server.pid} on port {port}; SQLite in {tmp}")
        settings = bench_settings(Path(tmp))
        engine = make_engine(settings.database_url)
        migrate(engine)
        with engine.begin() as conn:
            repo.sync_sources(conn, make_sources(port, count), datetime.now(UTC))
        prime, timed = asyncio.run(_two_cycles(settings, engine))
        with engine.connect() as conn:
            stored = int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
            states: list[SourceState] = repo.all_source_states(conn)
        engine.dispose()
        urls = [(s.source.feed_url, s.etag) for s in states]
        with measured() as box:
            bare_statuses = asyncio.run(_bare_loop(urls))
        bare = box[0]

    statuses = Counter(r.status for r in timed.reports)
    errors = [f"{r.slug}: {r.error}" for r in timed.reports if r.status == "error"]
    latencies = [r.elapsed_s for r in timed.reports]
    new_articles = sum(r.new for r in timed.reports)
    print(f"\nprime cycle: {sum(r.new for r in prime.reports)} articles stored; "
          f"{Counter(r.status for r in prime.reports)}; {stored} articles in the store after "
          f"both cycles")
    print(f"timed cycle: {dict(statuses)}, {new_articles} new articles, {len(errors)} errors")
    for err in errors[:5]:
        print(f"    error {err}")
    print(f"\n{'':<36}{'wall':>8}{'':>7}{'CPU':>7}")
    describe("prime cycle (all 200, untimed)", count, prime.span)
    describe("kiosque timed cycle (~95 % 304)", count, timed.span)
    describe("bare httpx conditional GETs", count, bare)
    print(f"  bare loop statuses: {dict(bare_statuses)}")
    sources_per_s = count / timed.span.wall_s
    cpu_ms = timed.span.cpu_s * 1000 / count
    bare_cpu_ms = bare.cpu_s * 1000 / count
    p50, p95 = percentile(latencies, 50) * 1000, percentile(latencies, 95) * 1000
    only_304 = [r.elapsed_s for r in timed.reports if r.status == "not_modified"]
    changed = [r.elapsed_s for r in timed.reports if r.status == "ok"]
    print(f"\nper-source latency (inside refresh_source): p50 {p50:.2f} ms, p95 {p95:.2f} ms; "
          f"304 only p50 {percentile(only_304, 50) * 1000:.2f} ms; "
          f"changed p50 {percentile(changed, 50) * 1000:.2f} ms")
    print(f"RSS: {timed.rss_before_mb:.0f} MB before the timed cycle, "
          f"{timed.rss_after_mb:.0f} MB after; peak {peak_rss_mb():.0f} MB (whole run)")
    ceiling = 1000.0 / cpu_ms if cpu_ms else 0.0
    print(f"CPU-bound ceiling, load-independent: 1000 / cpu_ms_per_source = {ceiling:.0f} "
          f"sources/s per core (the cycle runs on one event loop; the measured wall rate "
          f"also pays for whatever else this machine is running: load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the end)")
    verdict = "meets" if sources_per_s >= GOAL_SOURCES_PER_S else "MISSES"
    print(f"\nsources_per_s = {sources_per_s:.0f} [{verdict} the goal >= "
          f"{GOAL_SOURCES_PER_S:.0f}]; cpu_ms_per_source = {cpu_ms:.3f} "
          f"({cpu_ms / bare_cpu_ms:.1f}x the bare httpx floor of {bare_cpu_ms:.3f})")

    result = {
        "bench": "poll",
        "sources": count,
        "sources_per_s": round(sources_per_s, 1),
        "cpu_ms_per_source": round(cpu_ms, 3),
        "cpu_bound_sources_per_s": round(ceiling, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "wall_s": round(timed.span.wall_s, 3),
        "cpu_s": round(timed.span.cpu_s, 3),
        "p50_ms": round(p50, 3),
        "p95_ms": round(p95, 3),
        "statuses": dict(statuses),
        "new_articles": new_articles,
        "errors": len(errors),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_after_cycle_mb": round(timed.rss_after_mb, 1),
        "baseline_httpx_sources_per_s": round(count / bare.wall_s, 1),
        "baseline_httpx_cpu_ms_per_source": round(bare_cpu_ms, 3),
        "cpu_vs_baseline": round(cpu_ms / bare_cpu_ms, 2) if bare_cpu_ms else 0.0,
        "prime_cycle_s": round(prime.span.wall_s, 2),
        "goal_sources_per_s": GOAL_SOURCES_PER_S,
        "meets_goal": sources_per_s >= GOAL_SOURCES_PER_S,
        "parallel_sources": PARALLEL_SOURCES,
        "politeness": "off (per_host_delay_s=0, one loopback host)",
    }
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
