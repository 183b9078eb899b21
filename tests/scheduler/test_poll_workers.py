"""Poll worker processes: the same articles and stories as one process, politeness intact.

Why: workers fetch and parse on every core while one process writes. What must not
change is what lands in the store (no duplicate, stories across sources), that a host's
limits still hold (all its sources go to one worker), and that a worker that dies costs
its sources one cycle, not the scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.ingest import Ingestor, RefreshReport
from kiosque.models import Source, SourceState
from kiosque.scheduler.runner import Scheduler
from kiosque.scheduler.workers import PollWorkers, shard_of, split_by_host
from kiosque.search import backend_for
from kiosque.simulator import Simulator
from kiosque.store import repo
from kiosque.store.tables import articles, sources
from tests.conftest import make_settings
from tests.databases import fresh_store
from tests.fetch.fetch_server import Handler, LocalServer
from tests.fetch.test_fetch_pacing import max_overlap


async def _cycle(settings: Settings, engine: Engine, workers: PollWorkers | None
                 ) -> list[RefreshReport]:
    async with Fetcher(settings) as fetcher:
        ingestor = Ingestor(settings, engine, fetcher, backend_for(engine.dialect.name))
        scheduler = Scheduler(settings, engine, ingestor, fetch_images=False, workers=workers)
        with engine.connect() as conn:
            states = repo.all_source_states(conn)
        return await scheduler.refresh_many(states)


def _stored(engine: Engine) -> tuple[set[tuple[str, str]], int, int]:
    """(source, ident) pairs, row count, and stories told by more than one source."""
    with engine.connect() as conn:
        pairs = {(r[0], r[1]) for r in conn.execute(
            select(sources.c.slug, articles.c.ident)
            .join(sources, sources.c.id == articles.c.source_id))}
        rows = int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
        shared = conn.execute(
            select(articles.c.story_id).group_by(articles.c.story_id)
            .having(func.count(func.distinct(articles.c.source_id)) > 1)).all()
    return pairs, rows, len(shared)


def _state(url: str) -> SourceState:
    return SourceState(id=1, source=Source(slug="s", name="S", feed_url=url))


def test_a_host_always_goes_to_the_same_worker() -> None:
    urls = [f"http://127.0.0.1:{port}/feed/{n}.xml" for port in range(8100, 8120)
            for n in range(5)]
    for count in (1, 2, 3):
        shards = split_by_host([_state(u) for u in urls], count)
        assert sum(len(s) for s in shards) == len(urls)
        for shard in shards:
            ports = {s.source.feed_url.split("/")[2] for s in shard}
            for other in shards:
                if other is not shard:
                    assert not ports & {s.source.feed_url.split("/")[2] for s in other}
    assert len({shard_of(_state(u), 2) for u in urls}) == 2, "20 hosts, one worker idle"
    # the default port is the same host as no port; a bad URL still lands somewhere
    assert shard_of(_state("http://example.org/a"), 7) == \
        shard_of(_state("http://EXAMPLE.org:80/b"), 7)
    assert 0 <= shard_of(_state("not a url at all"), 3) < 3


def test_workers_store_what_one_process_stores(tmp_path: Path, sim: Simulator) -> None:
    feeds = [s.as_source() for s in sim.sites]
    alone_settings = make_settings(tmp_path / "alone")
    split_settings = make_settings(tmp_path / "split")
    for s in (alone_settings, split_settings):
        Path(s.data_dir).mkdir()
    alone, split = fresh_store(alone_settings, feeds), fresh_store(split_settings, feeds)
    alone_reports = asyncio.run(_cycle(alone_settings, alone, None))
    with PollWorkers(split_settings, 2) as workers:
        assert len(workers.pids()) == 2
        reports = asyncio.run(_cycle(split_settings, split, workers))
        again = asyncio.run(_cycle(split_settings, split, workers))
    assert sorted(r.slug for r in reports) == sorted(f.slug for f in feeds)
    assert sum(r.new for r in reports) >= 50
    assert len(again) == len(feeds)

    alone_pairs, alone_rows, alone_shared = _stored(alone)
    split_pairs, split_rows, split_shared = _stored(split)
    assert split_rows == len(split_pairs), "a second cycle through workers duplicated"
    assert alone_rows == len(alone_pairs)
    # A source with the simulator's 503 fault answers 503 to every third request to its
    # host, counted over the whole test session: its feed can fail in one cycle and not
    # in the other, and then all its articles differ. Compare the sources that answered
    # in both; the others are checked by the second cycle's report count above.
    failed = {r.slug for r in [*alone_reports, *reports, *again] if r.status == "error"}
    assert len(failed) <= 2, failed
    alone_pairs = {p for p in alone_pairs if p[0] not in failed}
    split_pairs = {p for p in split_pairs if p[0] not in failed}
    # the simulator keeps publishing: the two stores were filled seconds apart, so allow
    # a few articles of difference
    assert len(alone_pairs ^ split_pairs) <= max(3, len(alone_pairs) // 20), \
        sorted(alone_pairs ^ split_pairs)[:10]
    assert split_shared >= 1 and abs(split_shared - alone_shared) <= max(2, alone_shared // 5)
    with split.connect() as conn:
        checked = conn.execute(select(func.count()).select_from(sources)
                               .where(sources.c.last_checked_at.is_not(None))).scalar_one()
    assert checked == len(feeds), "every source's schedule is written by the parent"
    alone.dispose()
    split.dispose()


FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>Un titre</title><link>http://127.0.0.1/a</link>"
        b"<guid>g1</guid><description>Du texte.</description></item></channel></rss>")


def _slow_feed(h: Handler) -> None:
    time.sleep(0.2)
    h.send(200, FEED, {"Content-Type": "application/rss+xml"})


@pytest.fixture
def one_host() -> Iterator[LocalServer]:
    server = LocalServer()
    server.route("/robots.txt", 404)
    for n in range(6):
        server.routes[f"/feed/{n}.xml"] = _slow_feed
    yield server
    server.close()


def test_a_hosts_limit_holds_across_workers(tmp_path: Path, one_host: LocalServer) -> None:
    settings = make_settings(tmp_path, per_host_concurrency=2)
    feeds = [Source(slug=f"s{n}", name=f"S{n}", feed_url=one_host.url(f"/feed/{n}.xml"),
                    fetch_full_text=False)
             for n in range(6)]
    engine = fresh_store(settings, feeds)
    with PollWorkers(settings, 3) as workers:
        reports = asyncio.run(_cycle(settings, engine, workers))
    assert [r.status for r in reports] == ["ok"] * 6, [r.error for r in reports]
    assert max_overlap(one_host.hits("/feed/0.xml") + [
        seen for n in range(1, 6) for seen in one_host.hits(f"/feed/{n}.xml")]) == 2
    engine.dispose()


def test_a_dead_worker_costs_one_cycle_not_the_scheduler(tmp_path: Path,
                                                         one_host: LocalServer) -> None:
    settings = make_settings(tmp_path)
    feeds = [Source(slug=f"s{n}", name=f"S{n}", feed_url=one_host.url(f"/feed/{n}.xml"),
                    fetch_full_text=False)
             for n in range(3)]
    engine = fresh_store(settings, feeds)

    async def killed_mid_cycle(workers: PollWorkers) -> list[RefreshReport]:
        cycle = asyncio.create_task(_cycle(settings, engine, workers))
        await asyncio.sleep(0.1)  # the worker is inside its 0.2 s feeds
        os.kill(workers.pids()[0], signal.SIGKILL)
        return await asyncio.wait_for(cycle, timeout=10)

    with PollWorkers(settings, 1) as workers:
        assert asyncio.run(killed_mid_cycle(workers)) == []
        with engine.connect() as conn:
            assert all(s.last_checked_at is None for s in repo.all_source_states(conn)), \
                "sources a dead worker never answered for keep their schedule"
        reports = asyncio.run(_cycle(settings, engine, workers))
        assert sorted(r.status for r in reports) == ["ok"] * 3
        os.kill(workers.pids()[0], signal.SIGKILL)  # between cycles this time
        time.sleep(0.2)
        assert len(asyncio.run(_cycle(settings, engine, workers))) == 3
    engine.dispose()


def test_an_abandoned_cycle_does_not_leak_into_the_next(tmp_path: Path,
                                                        one_host: LocalServer) -> None:
    """A cycle cancelled mid-way (shutdown, a failing caller): the worker finishes that
    shard unheard, and the next cycle reads only its own answers."""
    settings = make_settings(tmp_path)
    feeds = [Source(slug=f"s{n}", name=f"S{n}", feed_url=one_host.url(f"/feed/{n}.xml"),
                    fetch_full_text=False) for n in range(6)]
    engine = fresh_store(settings, feeds)

    async def abandoned(workers: PollWorkers) -> None:
        cycle = asyncio.create_task(_cycle(settings, engine, workers))
        await asyncio.sleep(0.1)
        cycle.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await cycle

    with PollWorkers(settings, 1) as workers:
        asyncio.run(abandoned(workers))
        reports = asyncio.run(_cycle(settings, engine, workers))
        assert sorted(r.slug for r in reports) == [f"s{n}" for n in range(6)]
        assert {r.status for r in reports} == {"ok"}
        assert len(asyncio.run(_cycle(settings, engine, workers))) == 6
    engine.dispose()
