"""One poll cycle over 5,000 sources, most of them answering 304 Not Modified.

Why: at scale almost every poll is a conditional GET that learns nothing new, so the
cost of a poll cycle is the per-source cost of kiosque's 304 path (fetch chain, poll
policy, the saved schedule) and not extraction. Goal: ``sources_per_s`` >= 500 on two
cores, with ``cpu_ms_per_source`` as the figure to drive down.

Set-up: a tiny raw-asyncio HTTP server in a child process (its CPU is not billed to
kiosque) serves ``/feed/<n>.xml`` with ETag and Last-Modified on ``--hosts`` loopback
ports (each port is a host to kiosque's politeness; sources are spread over them). A
first, untimed cycle stores every feed's items and its validators; each timed cycle then
gets a 304 for ~95 % of the sources and a small changed feed (1-2 new items, full text
in the feed) for the rest. Per-host concurrency is high and the per-host delay 0: this
measures kiosque's per-source cost, NOT politeness.

Two timed cycles, same run: the scheduler polling in its own process (one core), then
with ``--workers`` poll worker processes (``poll_workers`` setting) that fetch and parse
while the scheduler's process commits. CPU counts the workers' too (from /proc). The
floor is a bare httpx conditional-GET loop over the same URLs, same concurrency, one
process.

Run: .venv/bin/python bench/poll.py [--sources 5000] [--changed-every 20] [--workers 2]
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
    process_cpu_s,
    wait_for_stop,
)
from sqlalchemy import Engine, func, select

from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.ingest import Ingestor, RefreshReport
from kiosque.models import Source, SourceState
from kiosque.scheduler.runner import Scheduler
from kiosque.scheduler.workers import PollWorkers
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


def _serve_feeds(conn: Connection, changed_every: int, base_iso: str, hosts: int) -> None:
    """Child process: serve every feed from ``hosts`` ports until told to stop."""

    async def run() -> None:
        loop = asyncio.get_running_loop()
        site = FeedSite(0, changed_every, datetime.fromisoformat(base_iso))
        servers = [await loop.create_server(lambda: _FeedProtocol(site), HOST, 0,
                                            backlog=1024) for _ in range(hosts)]
        ports = [srv.sockets[0].getsockname()[1] for srv in servers]
        site.port = ports[0]
        conn.send(ports)
        await loop.run_in_executor(None, wait_for_stop, conn)
        for srv in servers:
            srv.close()

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


def make_sources(ports: list[int], count: int) -> list[Source]:
    return [Source(slug=f"feed-{n:05d}", name=f"Source {n}",
                   feed_url=feed_url(ports[n % len(ports)], n), lang="fr", country="MA")
            for n in range(count)]


@dataclass(slots=True)
class Cycle:
    span: Span
    reports: list[RefreshReport]
    rss_before_mb: float
    rss_after_mb: float
    workers_cpu_s: float = 0.0


async def _cycles(settings: Settings, engine: Engine, workers: PollWorkers
                  ) -> tuple[Cycle, Cycle, Cycle]:
    """Prime every source (through the workers: faster), then time a cycle in one
    process and one through the workers, with the same warm fetcher."""
    async with Fetcher(settings) as fetcher:
        ingestor = Ingestor(settings, engine, fetcher, backend_for(engine.dialect.name))
        alone = Scheduler(settings, engine, ingestor, parallel_sources=PARALLEL_SOURCES,
                          fetch_images=False)
        split = Scheduler(settings, engine, ingestor, parallel_sources=PARALLEL_SOURCES,
                          fetch_images=False, workers=workers)
        cycles: list[Cycle] = []
        for scheduler in (split, alone, split):
            before = current_rss_mb()
            pids = workers.pids() if scheduler is split else []
            workers_cpu = sum(process_cpu_s(pid) for pid in pids)
            with measured() as box:
                with engine.connect() as conn:
                    states = repo.all_source_states(conn)
                reports = await scheduler.refresh_many(states)
            workers_cpu = sum(process_cpu_s(pid) for pid in pids) - workers_cpu
            span = Span(box[0].wall_s, box[0].cpu_s + workers_cpu)
            cycles.append(Cycle(span, reports, before, current_rss_mb(), workers_cpu))
        return cycles[0], cycles[1], cycles[2]


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


def _latencies(cycle: Cycle) -> tuple[float, float]:
    values = [r.elapsed_s for r in cycle.reports]
    return percentile(values, 50) * 1000, percentile(values, 95) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=5000)
    parser.add_argument("--changed-every", type=int, default=20,
                        help="every n-th source changes between cycles (20: 5 %%)")
    parser.add_argument("--workers", type=int, default=2,
                        help="poll worker processes for the split cycle (2: the goal's cores)")
    parser.add_argument("--hosts", type=int, default=50,
                        help="loopback ports the sources are spread over")
    args = parser.parse_args()
    count: int = args.sources

    print(f"kiosque poll-cycle benchmark: {count} sources on {args.hosts} loopback hosts, "
          f"every {args.changed_every}th one changing between cycles")
    print("NOTE: per-host delay 0 and per-host concurrency 64: this measures kiosque's "
          "per-source cost, not politeness.")
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    with ServerProcess(_serve_feeds, args.changed_every, base.isoformat(), args.hosts
                       ) as server, \
            tempfile.TemporaryDirectory(prefix="kiosque-bench-poll-") as tmp:
        print(f"feed server pid {server.pid} on ports {server.ports[0]}..; SQLite in {tmp}")
        settings = bench_settings(Path(tmp))
        engine = make_engine(settings.database_url)
        migrate(engine)
        with engine.begin() as conn:
            repo.sync_sources(conn, make_sources(server.ports, count), datetime.now(UTC))
        with PollWorkers(settings, args.workers, PARALLEL_SOURCES) as workers:
            prime, alone, split = asyncio.run(_cycles(settings, engine, workers))
        with engine.connect() as conn:
            stored = int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
            distinct = int(conn.execute(select(func.count(func.distinct(
                articles.c.source_id.concat("|").concat(articles.c.ident))))).scalar_one())
            states: list[SourceState] = repo.all_source_states(conn)
        engine.dispose()
        urls = [(s.source.feed_url, s.etag) for s in states]
        with measured() as box:
            bare_statuses = asyncio.run(_bare_loop(urls))
        bare = box[0]

    print(f"\nprime cycle: {sum(r.new for r in prime.reports)} articles stored; "
          f"{Counter(r.status for r in prime.reports)}; {stored} articles in the store after "
          f"all cycles ({distinct} distinct source+ident)")
    errors: list[str] = []
    for label, cycle in (("one process", alone), (f"{args.workers} workers", split)):
        statuses = Counter(r.status for r in cycle.reports)
        errs = [f"{r.slug}: {r.error}" for r in cycle.reports if r.status == "error"]
        errors += errs
        print(f"timed cycle, {label}: {dict(statuses)}, "
              f"{sum(r.new for r in cycle.reports)} new articles, {len(errs)} errors")
        for err in errs[:5]:
            print(f"    error {err}")
    print(f"\n{'':<36}{'wall':>8}{'':>7}{'CPU':>7}")
    describe("prime cycle (all 200, untimed)", count, prime.span)
    describe("timed cycle, one process", count, alone.span)
    describe(f"timed cycle, {args.workers} poll workers", count, split.span)
    describe("bare httpx conditional GETs", count, bare)
    print(f"  (workers' own CPU in the split cycle: {split.workers_cpu_s:.2f} s; "
          f"bare loop statuses: {dict(bare_statuses)})")
    sources_per_s = count / split.span.wall_s
    alone_per_s = count / alone.span.wall_s
    cpu_ms = split.span.cpu_s * 1000 / count
    alone_cpu_ms = alone.span.cpu_s * 1000 / count
    bare_cpu_ms = bare.cpu_s * 1000 / count
    p50, p95 = _latencies(split)
    print(f"\nper-source latency (poll + commit), split cycle: p50 {p50:.2f} ms, "
          f"p95 {p95:.2f} ms")
    print(f"RSS of the scheduler's process: {split.rss_before_mb:.0f} MB before the split "
          f"cycle, {split.rss_after_mb:.0f} MB after; peak {peak_rss_mb():.0f} MB (whole run)")
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs at the end (anything else "
          f"running here slows the wall-clock rates)")
    verdict = "meets" if sources_per_s >= GOAL_SOURCES_PER_S else "MISSES"
    print(f"\nsources_per_s = {sources_per_s:.0f} with {args.workers} workers [{verdict} the "
          f"goal >= {GOAL_SOURCES_PER_S:.0f}], {sources_per_s / alone_per_s:.2f}x one process "
          f"({alone_per_s:.0f}/s); cpu_ms_per_source = {cpu_ms:.3f} (one process "
          f"{alone_cpu_ms:.3f}; bare httpx floor {bare_cpu_ms:.3f})")

    result = {
        "bench": "poll",
        "sources": count,
        "hosts": args.hosts,
        "workers": args.workers,
        "sources_per_s": round(sources_per_s, 1),
        "cpu_ms_per_source": round(cpu_ms, 3),
        "one_process_sources_per_s": round(alone_per_s, 1),
        "one_process_cpu_ms_per_source": round(alone_cpu_ms, 3),
        "speedup_vs_one_process": round(sources_per_s / alone_per_s, 2),
        "load_average_1m": round(load, 2),
        "wall_s": round(split.span.wall_s, 3),
        "cpu_s": round(split.span.cpu_s, 3),
        "p50_ms": round(p50, 3),
        "p95_ms": round(p95, 3),
        "statuses": dict(Counter(r.status for r in split.reports)),
        "new_articles": sum(r.new for r in split.reports),
        "duplicates": stored - distinct,
        "errors": len(errors),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "baseline_httpx_sources_per_s": round(count / bare.wall_s, 1),
        "baseline_httpx_cpu_ms_per_source": round(bare_cpu_ms, 3),
        "cpu_vs_baseline": round(cpu_ms / bare_cpu_ms, 2) if bare_cpu_ms else 0.0,
        "prime_cycle_s": round(prime.span.wall_s, 2),
        "goal_sources_per_s": GOAL_SOURCES_PER_S,
        "meets_goal": sources_per_s >= GOAL_SOURCES_PER_S,
        "parallel_sources": PARALLEL_SOURCES,
        "politeness": "off (per_host_delay_s=0)",
    }
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
