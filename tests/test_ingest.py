"""The real pipeline against the simulator over loopback HTTP: simulator -> ingest -> store."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.ingest import Ingestor, RefreshReport
from kiosque.models import Health
from kiosque.scheduler.runner import Scheduler
from kiosque.search import backend_for
from kiosque.simulator import Simulator
from kiosque.store import repo
from kiosque.store.tables import article_versions, articles, sources


async def _cycle(settings: Settings, engine: Engine, everything: bool = True,
                 inline: bool = False) -> list[RefreshReport]:
    async with Fetcher(settings) as fetcher:
        ingestor = Ingestor(settings, engine, fetcher, backend_for(engine.dialect.name),
                            inline=inline)
        scheduler = Scheduler(settings, engine, ingestor)
        if not everything:
            return await scheduler.run_once()
        with engine.connect() as conn:
            states = repo.all_source_states(conn)
        return await scheduler.refresh_many(states)


def poll_all(settings: Settings, engine: Engine) -> dict[str, RefreshReport]:
    return {r.slug: r for r in asyncio.run(_cycle(settings, engine))}


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        distinct = conn.execute(
            select(func.count(func.distinct(articles.c.source_id.concat("|")
                                            .concat(articles.c.ident))))
        ).scalar_one()
    return int(total), int(distinct)


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory, sim: Simulator
           ) -> tuple[Settings, Engine, dict[str, RefreshReport]]:
    """One full poll of every simulated source, shared by the read-only tests below."""
    from kiosque.store.engine import make_engine, migrate
    from tests.conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("polled"))
    engine = make_engine(settings.database_url)
    migrate(engine)
    with engine.begin() as conn:
        repo.sync_sources(conn, [s.as_source() for s in sim.sites], datetime.now(UTC))
    reports = poll_all(settings, engine)
    return settings, engine, reports


def test_first_poll_reads_every_site(polled: tuple[Settings, Engine, dict[str, RefreshReport]],
                                     sim: Simulator) -> None:
    _settings, engine, reports = polled
    with engine.connect() as conn:
        per_source = dict(conn.execute(
            select(sources.c.slug, func.count(articles.c.id))
            .join(articles, articles.c.source_id == sources.c.id)
            .group_by(sources.c.slug)
        ).all())
        langs = {r[0] for r in conn.execute(select(articles.c.lang).distinct())}
    assert len(reports) == len(sim.sites)
    assert sum(per_source.values()) >= 50
    assert len(per_source) >= 10, reports
    assert {"fr", "ar", "es", "en"} <= langs


def test_faulty_feeds_still_give_their_entries(
    polled: tuple[Settings, Engine, dict[str, RefreshReport]], sim: Simulator
) -> None:
    _settings, engine, reports = polled
    with engine.connect() as conn:
        counts = dict(conn.execute(
            select(sources.c.slug, func.count(articles.c.id))
            .join(articles, articles.c.source_id == sources.c.id, isouter=True)
            .group_by(sources.c.slug)
        ).all())
    for site in sim.sites:
        faults = set(site.faults)
        if faults & {"broken_xml", "legacy_charset", "slow"}:
            assert counts.get(site.slug, 0) >= 5, (site.slug, site.faults, reports[site.slug])


def test_legacy_charsets_decode_without_mojibake(
    polled: tuple[Settings, Engine, dict[str, RefreshReport]], sim: Simulator
) -> None:
    _settings, engine, _reports = polled
    legacy = [s for s in sim.sites if s.encoding.lower() not in {"utf-8", "utf8"}]
    assert legacy, "the simulator should serve legacy charsets"
    with engine.connect() as conn:
        for site in legacy:
            titles = [r[0] for r in conn.execute(
                select(articles.c.title).join(sources, sources.c.id == articles.c.source_id)
                .where(sources.c.slug == site.slug))]
            assert titles, site.slug
            joined = " ".join(titles)
            assert "Ã" not in joined and "Ø" not in joined and "\ufffd" not in joined
            if site.lang == "ar":
                assert any("\u0600" <= ch <= "\u06ff" for ch in joined)


def test_summary_only_feeds_get_their_page_text(
    polled: tuple[Settings, Engine, dict[str, RefreshReport]], sim: Simulator
) -> None:
    _settings, engine, _reports = polled
    summary_sites = [s.slug for s in sim.sites if not s.full_content and "http503" not in s.faults]
    assert summary_sites
    with engine.connect() as conn:
        rows = conn.execute(
            select(articles.c.text, articles.c.full_text, articles.c.url)
            .join(sources, sources.c.id == articles.c.source_id)
            .where(sources.c.slug.in_(summary_sites))
        ).all()
    full = [r for r in rows if r.full_text]
    assert len(full) >= 0.8 * len(rows)
    # the page's boilerplate (comments, cookie banner, related links) stays out
    for r in full[:20]:
        assert len(r.text.split()) > 80, r.url
        assert "cookie" not in r.text.lower()


def test_stories_group_several_sources(
    polled: tuple[Settings, Engine, dict[str, RefreshReport]]
) -> None:
    _settings, engine, _reports = polled
    with engine.connect() as conn:
        rows = conn.execute(
            select(articles.c.story_id, func.count(func.distinct(articles.c.source_id)))
            .group_by(articles.c.story_id)
        ).all()
    multi = [sid for sid, n in rows if n >= 2]
    assert len(multi) >= 3


def test_repoll_and_restart_never_duplicate(settings: Settings, engine: Engine) -> None:
    first = poll_all(settings, engine)
    total1, distinct1 = _counts(engine)
    assert total1 == distinct1 > 0
    second = poll_all(settings, engine)
    statuses = Counter(r.status for r in second.values())
    assert statuses["not_modified"] >= len(second) // 2, statuses
    total2, distinct2 = _counts(engine)
    assert total2 == distinct2
    assert total2 - total1 == sum(r.new for r in second.values())
    # a "restart": a new engine on the same file, validators forgotten, full re-read
    from kiosque.store.engine import make_engine

    engine.dispose()
    again = make_engine(settings.database_url)
    with again.begin() as conn:
        conn.execute(sources.update().values(etag=None, last_modified=None))
    poll_all(settings, again)
    total3, distinct3 = _counts(again)
    assert total3 == distinct3
    with again.connect() as conn:
        versions = conn.execute(select(func.count()).select_from(article_versions)).scalar_one()
    # whatever changed was recorded as an update with its previous version, not a new row
    assert total3 - total2 <= sum(1 for _ in first) * 3
    assert versions >= 0


def test_scheduler_persists_next_check_and_health(settings: Settings, engine: Engine) -> None:
    asyncio.run(_cycle(settings, engine, everything=False))
    with engine.connect() as conn:
        states = repo.all_source_states(conn)
        due_now = repo.due_sources(conn, datetime.now(UTC))
    assert all(s.next_check_at is not None for s in states)
    assert all(s.last_checked_at is not None for s in states)
    assert len(due_now) < len(states)  # the cycle pushed them into the future
    assert {s.health for s in states} <= {Health.OK, Health.DEGRADED}


def _extraction_threads(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Names of the threads extract_page runs on from now on (it still runs for real)."""
    import threading

    from kiosque import extract

    seen: set[str] = set()
    real = extract.extract_page

    def recording(*args: object, **kwargs: object) -> object:
        seen.add(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(extract, "extract_page", recording)
    return seen


def test_a_cycle_runs_its_blocking_work_on_one_ingest_thread(
        settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many sources, many pages, one thread: threads fighting for the GIL cost CPU."""
    import threading

    seen = _extraction_threads(monkeypatch)
    reports = poll_all(settings, engine)
    assert sum(r.pages_fetched for r in reports.values()) > 0
    assert len(seen) == 1 and next(iter(seen)).startswith("kiosque-ingest"), seen
    assert threading.main_thread().name not in seen
    alive = [t.name for t in threading.enumerate() if t.name.startswith("kiosque-ingest")]
    assert len(alive) == 1


def test_inline_ingestion_stays_on_the_loop_thread(
        settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """``kiosque poll`` and poll workers run the work on their own loop, no thread."""
    import threading

    seen = _extraction_threads(monkeypatch)
    reports = asyncio.run(_cycle(settings, engine, inline=True))
    assert seen == {threading.current_thread().name}
    assert sum(r.pages_fetched for r in reports) > 0
    with engine.connect() as conn:
        per_source = conn.execute(select(func.count(func.distinct(articles.c.source_id)))
                                  ).scalar_one()
        full = conn.execute(select(func.count()).select_from(articles)
                            .where(articles.c.full_text.is_(True))).scalar_one()
    assert per_source >= 10 and full >= 50
