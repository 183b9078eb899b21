"""Poll states are written in batches during a cycle, and all of them by its end.

Why: one transaction per 304 cost more than the 304 itself. The batch must still be
bounded (a crash loses at most one batch) and flushed before ``refresh_many`` returns,
because ``kiosque poll`` and ``kiosque sources`` read the schedule right after.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.ingest import Ingestor
from kiosque.models import Health, Source, SourceState
from kiosque.scheduler.runner import Scheduler
from kiosque.store import repo
from kiosque.store.engine import make_engine, migrate
from kiosque.store.tables import sources
from tests.fetch.fetch_server import LocalServer

COUNT = 5


@pytest.fixture
def publisher() -> Iterator[LocalServer]:
    server = LocalServer()
    server.route("/robots.txt", 404)
    for n in range(COUNT):
        server.route(f"/feed/{n}.xml", 304, headers={"ETag": f'"e{n}"'})
    server.route("/broken.xml", 500)
    yield server
    server.close()


@pytest.fixture
def store(tmp_path: Path, publisher: LocalServer) -> Iterator[tuple[Settings, Engine]]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'k.db'}", data_dir=str(tmp_path),
                        allowed_hosts=["127.0.0.1"], per_host_delay_s=0.0,
                        connect_timeout_s=2, read_timeout_s=2, total_timeout_s=5)
    engine = make_engine(settings.database_url)
    migrate(engine)
    feeds = [Source(slug=f"s{n}", name=f"S{n}", feed_url=publisher.url(f"/feed/{n}.xml"))
             for n in range(COUNT)]
    feeds.append(Source(slug="broken", name="Broken", feed_url=publisher.url("/broken.xml")))
    with engine.begin() as conn:
        repo.sync_sources(conn, feeds, datetime.now(UTC))
    yield settings, engine
    engine.dispose()


@pytest.fixture
async def ingestor(store: tuple[Settings, Engine]) -> AsyncIterator[Ingestor]:
    settings, engine = store
    async with Fetcher(settings) as fetcher:
        yield Ingestor(settings, engine, fetcher)


def _states(engine: Engine) -> dict[str, SourceState]:
    with engine.connect() as conn:
        return {s.source.slug: s for s in repo.all_source_states(conn)}


def _checked(engine: Engine) -> set[str]:
    return {slug for slug, s in _states(engine).items() if s.last_checked_at is not None}


async def test_batches_are_bounded_and_flushed_at_exit(ingestor: Ingestor) -> None:
    engine = ingestor.engine
    todo = _states(engine)
    async with ingestor.batched_states(every=2):
        for slug in ("s0", "s1", "s2"):
            report = await ingestor.refresh_source(todo[slug])
            assert report.status == "not_modified"
        assert _checked(engine) == {"s0", "s1"}  # one full batch written, one queued
    assert _checked(engine) == {"s0", "s1", "s2"}
    assert _states(engine)["s2"].next_check_at is not None


async def test_unbatched_refresh_writes_at_once(ingestor: Ingestor) -> None:
    todo = _states(ingestor.engine)
    await ingestor.refresh_source(todo["s3"])
    assert _checked(ingestor.engine) == {"s3"}


async def test_block_left_by_an_exception_still_writes(ingestor: Ingestor) -> None:
    todo = _states(ingestor.engine)
    with pytest.raises(RuntimeError):
        async with ingestor.batched_states(every=100):
            await ingestor.refresh_source(todo["s4"])
            assert _checked(ingestor.engine) == set()
            raise RuntimeError("cycle interrupted")
    assert _checked(ingestor.engine) == {"s4"}


async def test_refresh_many_leaves_every_state_readable(ingestor: Ingestor) -> None:
    engine = ingestor.engine
    scheduler = Scheduler(ingestor.settings, engine, ingestor, fetch_images=False)
    reports = await scheduler.refresh_many(list(_states(engine).values()))
    assert {r.slug: r.status for r in reports}["broken"] == "error"
    after = _states(engine)
    assert set(after) == _checked(engine)
    assert after["s1"].etag is None  # a 304 leaves the stored validators as they were
    assert after["broken"].consecutive_failures == 1
    assert after["broken"].last_error.startswith("http_500")
    assert after["s0"].consecutive_failures == 0 and after["s0"].health is Health.OK


def test_save_poll_states_writes_each_row_its_own_values(
        store: tuple[Settings, Engine]) -> None:
    _, engine = store
    states = list(_states(engine).values())
    now = datetime.now(UTC)
    for i, state in enumerate(states):
        state.interval_s = 100 + i
        state.etag = f'"x{i}"'
        state.last_checked_at = now
    with engine.begin() as conn:
        repo.save_poll_states(conn, states)
        repo.save_poll_states(conn, [])
    with engine.connect() as conn:
        rows = dict(conn.execute(select(sources.c.slug, sources.c.interval_s)).all())
    assert rows == {s.source.slug: s.interval_s for s in states}
    assert {s.etag for s in _states(engine).values()} == {f'"x{i}"' for i in range(len(states))}
