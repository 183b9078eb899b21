"""The in-process scheduler of the embedded default: an asyncio loop over due sources.

It asks the store which sources are due (never-checked first), refreshes them with a
bounded number running at once (the fetcher adds per-host limits underneath), and
sleeps until the next source is due or the tick passes. Because each source's next
check is persisted, a restart resumes the schedule where it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from kiosque.scheduler.workers import PollWorkers

from kiosque.config import Settings
from kiosque.ingest import Ingestor, RefreshReport
from kiosque.models import SourceState
from kiosque.store import repo

log = logging.getLogger(__name__)


class Scheduler:
    """Runs refresh cycles until told to stop."""

    def __init__(self, settings: Settings, engine: Engine, ingestor: Ingestor,
                 parallel_sources: int = 16, fetch_images: bool = True,
                 workers: PollWorkers | None = None) -> None:
        self.settings = settings
        self.workers = workers
        self.engine = engine
        self.ingestor = ingestor
        self._parallel = asyncio.Semaphore(parallel_sources)
        self.cycles = 0
        self.fetch_images = fetch_images

    def due(self, now: datetime | None = None, limit: int = 1000) -> list[SourceState]:
        with self.engine.connect() as conn:
            return repo.due_sources(conn, now or datetime.now(UTC), limit)

    async def refresh_many(self, states: Sequence[SourceState]) -> list[RefreshReport]:
        """Refresh these sources now: in this process, or polled by the worker processes
        and committed here."""
        # Poll states are written in batches, not one transaction per source; the batch
        # is flushed before this returns, so callers read the new schedule right after.
        async with self.ingestor.batched_states():
            if self.workers is not None:
                return [_logged(await self.ingestor.commit(polled))
                        async for polled in self.workers.poll(states)]

            async def one(state: SourceState) -> RefreshReport:
                async with self._parallel:
                    return _logged(await self.ingestor.refresh_source(state))

            return list(await asyncio.gather(*(one(s) for s in states)))

    async def run_once(self, limit: int = 1000) -> list[RefreshReport]:
        """One cycle: refresh every source that is due now."""
        reports = await self.refresh_many(self.due(limit=limit))
        self.cycles += 1
        if self.fetch_images:
            try:
                await self.ingestor.process_pending_images()
            except Exception:  # images wait for the next cycle; articles are already in
                log.exception("image processing failed")
        return reports

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Cycle until ``stop`` is set; a failing cycle is logged and the loop goes on."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("poll cycle failed; retrying at the next tick")
            await self._sleep(stop)

    async def _sleep(self, stop: asyncio.Event) -> None:
        tick = self.settings.poll_tick_s
        with self.engine.connect() as conn:
            nxt = repo.next_due_at(conn)
        if nxt is not None:
            wait = (nxt - datetime.now(UTC)).total_seconds()
            tick = min(tick, max(wait, 0.2))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=tick)


def _logged(report: RefreshReport) -> RefreshReport:
    log.info(
        "%s: %s new=%d updated=%d entries=%d pages=%d %.2fs %s",
        report.slug, report.status, report.new, report.updated, report.entries,
        report.pages_fetched, report.elapsed_s, report.error,
    )
    return report
