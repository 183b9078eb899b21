"""Poll worker processes: fetch and parse on every core, write in one place.

Why: a poll cycle spends its CPU on HTTP, feed parsing and extraction, and one Python
process runs on one core. Workers run ``Ingestor.poll`` (which reads the store but never
writes it) and send back plain ``Polled`` records; the scheduler's own process commits
them. SQLite keeps a single writer and the story index a single memory, so stories and
duplicates come out as they would from one process.

Sources are split among workers by host, so each host's politeness (per-host concurrency,
pacing, robots.txt cache) lives in exactly one worker and holds as it does in one process;
the global bound on requests in flight is divided among the workers. (A redirect to
another host is paced by the worker that follows it.)

The wire: one duplex pipe per worker. A cycle sends the worker its whole shard at once and
then only reads: ``Polled`` records in small batches, then an end mark. A worker that dies
ends its part of the cycle early; its sources keep their old schedule and are polled again
by the next cycle, with a fresh worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import multiprocessing
import threading
import time
import zlib
from collections.abc import AsyncIterator, Sequence
from functools import lru_cache
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import httpx

from kiosque import heap
from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.fetch.ssrf import host_key
from kiosque.ingest import Ingestor, Polled
from kiosque.models import SourceState
from kiosque.store.engine import make_engine

log = logging.getLogger(__name__)

END = "end"  # a worker's last message of a cycle
SEND_EVERY = 32  # records per message back: fewer pipe writes, results still flow
SEND_AFTER_S = 0.05  # ... or sooner, so a slow host never holds finished work back
JOIN_S = 5.0


def shard_of(state: SourceState, count: int) -> int:
    """The worker that polls this source: the same one for every source of a host
    (``host:port``, the fetcher's unit of politeness)."""
    return zlib.crc32(_host_key_of(state.source.feed_url).encode()) % count


@lru_cache(maxsize=65536)
def _host_key_of(url: str) -> str:
    """Parsing a URL costs more than the rest of a 304's trip through the parent: the
    same feed URLs come back every cycle, so each is parsed once."""
    try:
        return host_key(httpx.URL(url)).lower()
    except (httpx.InvalidURL, ValueError):
        return ""  # the fetcher will refuse it with a clear error; any worker can say so


def split_by_host(states: Sequence[SourceState], count: int) -> list[list[SourceState]]:
    shards: list[list[SourceState]] = [[] for _ in range(count)]
    for state in states:
        shards[shard_of(state, count)].append(state)
    return shards


# --- inside a worker -----------------------------------------------------------------


def _worker_main(conn: Connection, settings: Settings, parallel: int, log_level: int) -> None:
    """Entry point of a worker process (spawned: it shares nothing with its parent)."""
    logging.basicConfig(level=log_level, format="%(asctime)s %(processName)s %(name)s: "
                        "%(message)s")
    # EOF/OSError: the parent went away; KeyboardInterrupt: Ctrl-C reached the whole
    # process group. Either way there is no one left to report to.
    with contextlib.suppress(EOFError, OSError, KeyboardInterrupt):
        asyncio.run(_work(conn, settings, parallel))


async def _work(conn: Connection, settings: Settings, parallel: int) -> None:
    engine = make_engine(settings.database_url)
    try:
        async with Fetcher(settings) as fetcher:
            ingestor = Ingestor(settings, engine, fetcher, inline=True)
            heap.settle()  # start-up is over: what it made stays
            while True:
                shard: list[SourceState] | None = await asyncio.to_thread(conn.recv)
                if shard is None:
                    return
                await _poll_shard(conn, ingestor, shard, parallel)
    finally:
        engine.dispose()


async def _poll_shard(conn: Connection, ingestor: Ingestor, shard: list[SourceState],
                      parallel: int) -> None:
    gate = asyncio.Semaphore(parallel)
    outbox: list[Polled] = []
    last_sent = time.monotonic()

    def flush() -> None:
        nonlocal last_sent
        if outbox:
            conn.send(outbox[:])
            outbox.clear()
        last_sent = time.monotonic()

    async def one(state: SourceState) -> None:
        async with gate:
            polled = await ingestor.poll(state)
        outbox.append(polled)
        if len(outbox) >= SEND_EVERY or time.monotonic() - last_sent > SEND_AFTER_S:
            flush()

    await asyncio.gather(*(one(s) for s in shard))
    flush()
    conn.send(END)


# --- in the scheduler's process ------------------------------------------------------


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, index: int, settings: Settings, parallel: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe(duplex=True)
        self.process: BaseProcess = ctx.Process(
            target=_worker_main, name=f"kiosque-poll-{index}", daemon=True,
            args=(child, settings, parallel, logging.getLogger().getEffectiveLevel()))
        self.process.start()
        child.close()
        self.relay: threading.Thread | None = None  # the thread reading the current shard

    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(JOIN_S)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(JOIN_S)
        self.conn.close()


class PollWorkers:
    """A fixed number of worker processes that poll sources for one writing process."""

    def __init__(self, settings: Settings, count: int, parallel_sources: int = 16) -> None:
        if count < 1:
            raise ValueError("poll workers: at least one")
        self.parallel = parallel_sources
        # the global bound on requests in flight holds for all workers together
        share = max(1, settings.max_concurrency // count)
        self.settings = dataclasses.replace(settings, max_concurrency=share)
        self._workers = [_Worker(i, self.settings, parallel_sources) for i in range(count)]

    @property
    def count(self) -> int:
        return len(self._workers)

    async def poll(self, states: Sequence[SourceState]) -> AsyncIterator[Polled]:
        """Poll every state in the workers; yields each result as it arrives."""
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue[list[Polled] | str] = asyncio.Queue()
        running = 0
        for index, shard in enumerate(split_by_host(states, self.count)):
            if not shard:
                continue
            worker = self._ready(index)
            if worker.relay is not None and worker.relay.is_alive():
                # The last cycle was abandoned mid-way (its caller raised or was
                # cancelled): let the worker finish that shard first, so that one thread
                # at a time reads its pipe. What it answers is dropped; those sources
                # kept their schedule and are due again.
                await asyncio.to_thread(worker.relay.join)
            worker.relay = threading.Thread(
                target=_relay, args=(worker, shard, loop, inbox), daemon=True,
                name=f"kiosque-poll-relay-{index}")
            worker.relay.start()
            running += 1
        while running:
            message = await inbox.get()
            if isinstance(message, str):
                running -= 1
                continue
            for polled in message:
                yield polled

    def pids(self) -> list[int]:
        """The workers' process ids (for CPU accounting and for operators)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def _ready(self, index: int) -> _Worker:
        """The worker for a shard, replaced first if it died since the last cycle."""
        worker = self._workers[index]
        if not worker.alive():
            log.warning("poll worker %d had died (exit code %s); starting a new one",
                        index, worker.process.exitcode)
            worker.conn.close()
            worker = self._workers[index] = _Worker(index, self.settings, self.parallel)
        return worker

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()

    def __enter__(self) -> PollWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _relay(worker: _Worker, shard: list[SourceState], loop: asyncio.AbstractEventLoop,
           inbox: asyncio.Queue[list[Polled] | str]) -> None:
    """Send a worker its shard, then pass what it answers to the event loop.

    A thread, because pipe reads block; the loop only ever sees whole messages. It reads
    until the worker's end mark even when nobody listens any more (the cycle's loop is
    gone), so the next shard's thread never finds this one's answers in the pipe.
    """
    deliver = True

    def put(message: list[Polled] | str) -> None:
        nonlocal deliver
        if deliver:
            try:
                loop.call_soon_threadsafe(inbox.put_nowait, message)
            except RuntimeError:  # that cycle's event loop is closed: just drain
                deliver = False

    try:
        worker.conn.send(shard)
        while True:
            message = worker.conn.recv()
            put(message)
            if message == END:
                return
    except (EOFError, OSError) as exc:
        log.error("poll worker %s stopped mid-cycle (%s); its sources wait for the next "
                  "cycle", worker.process.name, type(exc).__name__)
        put(END)
