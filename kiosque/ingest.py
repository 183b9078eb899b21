"""The one orchestrator of a source refresh.

A polite conditional GET (a 304 stops here), parse the body into entries, fetch and
extract only the article pages that are new, then canonicalize, detect language,
fingerprint, dedup and attach each article to a story, write it all in one transaction,
update the search index, and set the source's next check from the polling policy.

Nothing here may let one bad source break a poll cycle: every failure of a source ends
as a recorded error on that source, with its back-off, and the cycle goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import random
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from kiosque import enrich, extract
from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.media import ImageRejected, process_image
from kiosque.models import (
    Article,
    Entry,
    ExtractedPage,
    FetchResult,
    Health,
    ParsedFeed,
    SourceState,
)
from kiosque.parse import FeedError, parse_feed
from kiosque.scheduler import policy
from kiosque.search import SearchBackend
from kiosque.store import images, repo
from kiosque.story_index import StoryIndex

log = logging.getLogger(__name__)
_T = TypeVar("_T")

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_SUB_FEEDS = 10  # sitemap index children read per refresh
STORY_WINDOW = timedelta(hours=48)
MAX_FUTURE = timedelta(hours=1)
IMAGE_ATTEMPTS = 3  # transient failures before an image is given up as broken
STATE_BATCH = 128  # poll states written per transaction while a batch is open


@dataclass(slots=True)
class RefreshReport:
    """What one refresh did; the CLI prints it, the scheduler logs it."""

    slug: str
    status: str = "ok"  # ok, not_modified, error
    entries: int = 0
    new: int = 0
    updated: int = 0
    pages_fetched: int = 0
    error: str = ""
    elapsed_s: float = 0.0
    new_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Prepared:
    entry: Entry
    ident: str
    article: Article
    known: repo.KnownArticle | None


@dataclass(slots=True)
class Polled:
    """What one refresh learned before writing anything.

    Plain data (picklable): a worker process produces it, the writing process commits it.
    The fetched body is dropped once parsed; only the headers matter from then on.
    """

    state: SourceState
    result: FetchResult
    report: RefreshReport
    now: datetime
    prepared: list[_Prepared] = field(default_factory=list)
    ttl_minutes: int | None = None
    parse_failed: bool = False


def _fail_internally(polled: Polled, exc: Exception) -> None:
    """Record a bug of ours as this source's error for this cycle."""
    polled.report.status = "error"
    polled.report.error = f"internal error: {type(exc).__name__}: {exc}"
    polled.prepared = []
    polled.result = FetchResult(url=polled.state.source.feed_url, error="internal",
                                error_detail=polled.report.error)


def _now() -> datetime:
    return datetime.now(UTC)


class _IngestThread:
    """The one thread of a process that runs the ingester's blocking work.

    Why one: extraction, article building and the SQL writes are CPU-bound Python, so
    the GIL runs them one at a time whatever the pool size; but several threads handing
    the GIL back and forth across cores each cost more CPU per page. Measured on the
    ingest benchmark: extraction of the same pages cost 2.9 ms on one thread, 5.2 ms
    each on two, 7.8 ms on six (asyncio's default pool). More cores are used by poll
    worker processes (``poll_workers``), not by more threads.
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._pool = None  # a forked child has no copy of the thread: start its own

    def pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1,
                                                thread_name_prefix="kiosque-ingest")
            return self._pool

    async def run(self, fn: Callable[..., _T], *args: Any) -> _T:
        """``fn(*args)`` on the ingest thread, awaited from the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool(), functools.partial(fn, *args))


_INGEST_THREAD = _IngestThread()


def entry_ident(entry: Entry) -> str:
    """Identity of an entry within its source: the guid when given, else its URL."""
    guid = entry.guid.strip()
    return guid if guid else enrich.canonicalize_url(entry.url)


def normalize_paragraphs(text: str) -> str:
    """Normalize each paragraph but keep the breaks that make text readable."""
    parts = (enrich.normalize_text(p) for p in text.split("\n\n"))
    return "\n\n".join(p for p in parts if p)


def needs_page(entry: Entry) -> bool:
    """The feed carries only a summary (or nothing): the page holds the article."""
    content = extract.html_to_text(entry.content_html) if entry.content_html else ""
    return len(content.split()) < 80


def _summary_text(summary_html: str, url: str) -> str:
    """The feed summary as text; markup goes through the sanitizer first (scripts out)."""
    if extract.is_plain(summary_html):
        return extract.html_to_text(summary_html)
    return extract.html_to_text(extract.sanitize_html(summary_html, url))


def build_article(
    state: SourceState, entry: Entry, page: ExtractedPage | None, now: datetime
) -> Article:
    """Turn a feed entry (and its extracted page, if fetched) into a storable article."""
    src = state.source
    url = entry.url
    feed_full = bool(entry.content_html) and not needs_page(entry)
    if not feed_full and page is not None and page.text and page.html:
        # extract_page sanitized it already, against the page's own address; it holds
        # absolute URLs only, so a second pass against the entry's would change nothing
        content_html = page.html
        text = normalize_paragraphs(page.text)
    else:
        if feed_full:
            raw_html = entry.content_html
        elif page is not None and page.text:
            raw_html = "".join(f"<p>{p}</p>" for p in page.text.split("\n\n"))
        else:
            raw_html = entry.content_html or entry.summary_html
        content_html = extract.sanitize_html(raw_html, base_url=url)
        text = normalize_paragraphs(extract.html_to_text(content_html))
    summary_src = _summary_text(entry.summary_html, url)
    summary = enrich.normalize_text(summary_src) if summary_src else ""
    if not summary and page is not None and page.description:
        summary = enrich.normalize_text(page.description)
    if not summary:
        summary = " ".join(text.split()[:50])
    title_src = entry.title or (page.title if page else "") or summary[:120] or url
    title = enrich.normalize_text(extract.html_to_text(title_src)) or url
    canonical_hint = page.canonical_url if page is not None else None
    canonical = enrich.canonicalize_url(url, canonical_hint or None)
    hint = entry.lang or (page.lang if page else "") or src.lang
    lang = enrich.detect_language(f"{title}\n{text[:1000] or summary}", hint=hint)
    published = entry.published or (page.published if page else None) or now
    if published > now + MAX_FUTURE:
        published = now
    author = entry.author or (page.author if page else "")
    image_url = entry.image_url or (page.image_url if page else "")
    section = entry.categories[0] if entry.categories else src.section
    basis = text or summary or title
    return Article(
        source_slug=src.slug,
        url=url,
        canonical_url=canonical,
        title=title[:1000],
        guid=entry.guid,
        summary=summary[:2000],
        content_html=content_html,
        text=text,
        author=enrich.normalize_text(author)[:300],
        published_at=published,
        lang=lang,
        section=enrich.normalize_text(section)[:100],
        image_url=image_url,
        full_text=feed_full or (page is not None and bool(page.text)),
        content_hash=enrich.content_hash(basis),
        simhash=enrich.simhash64(f"{title}\n{basis}", lang),
    )


class Ingestor:
    """Holds what refreshes share: settings, the engine, the fetcher, the search index.

    SQLite has one writer: every write goes through ``_write_lock`` so concurrent
    refreshes queue their transactions instead of failing with "database is locked".
    """

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        fetcher: Fetcher,
        search: SearchBackend | None = None,
        rng: random.Random | None = None,
        *,
        inline: bool = False,
    ) -> None:
        """``inline`` runs the blocking work on the event loop itself instead of the
        ingest thread: for processes whose loop serves nothing else (``kiosque poll``,
        poll workers, a scheduler whose site runs in other processes). It saves the
        hand-overs between two threads, about 4 % of the CPU per article."""
        self.settings = settings
        self.inline = inline
        self.engine = engine
        self.fetcher = fetcher
        self.search = search
        self.rng = rng or random.Random()
        self._write_lock = threading.Lock()
        self._stories = StoryIndex()
        # Poll states waiting to be written while a batch is open (see ``batched_states``).
        self._pending_states: list[SourceState] = []
        self._batch_depth = 0
        self._batch_size = STATE_BATCH

    async def _blocking(self, fn: Callable[..., _T], *args: Any) -> _T:
        """``fn(*args)``: on the ingest thread, or right here when ``inline``."""
        if self.inline:
            return fn(*args)
        return await _INGEST_THREAD.run(fn, *args)

    # --- the refresh ----------------------------------------------------------------
    async def refresh_source(self, state: SourceState) -> RefreshReport:
        """Poll one source end to end; never raises for the source's own faults."""
        return await self.commit(await self.poll(state))

    async def poll(self, state: SourceState) -> Polled:
        """Everything a refresh learns before it writes: fetch, parse, pages, articles.

        It reads the store (which entries are known) but never writes it, so worker
        processes can run it side by side while one process commits (see
        ``kiosque.scheduler.workers``). Never raises for the source's own faults.
        """
        started = time.perf_counter()
        polled = Polled(state, FetchResult(url=state.source.feed_url),
                        RefreshReport(slug=state.source.slug), _now())
        try:
            result = await self.fetcher.get(
                state.source.feed_url,
                etag=state.etag,
                last_modified=state.last_modified,
                accept=FEED_ACCEPT,
            )
            polled.result = result
            if result.not_modified:
                polled.report.status = "not_modified"
            elif not result.ok:
                polled.report.status = "error"
                polled.report.error = _describe(result)
            else:
                await self._prepare_body(polled, result)
        except Exception as exc:  # a bug must cost one source one cycle, not the cycle
            log.exception("refresh of %s failed", state.source.slug)
            _fail_internally(polled, exc)
        polled.result = polled.result.without_body()
        polled.report.elapsed_s = time.perf_counter() - started
        return polled

    async def commit(self, polled: Polled) -> RefreshReport:
        """Write what ``poll`` learned: articles, stories, search index, the schedule."""
        started = time.perf_counter()
        state, report, now = polled.state, polled.report, polled.now
        try:
            times = None
            if polled.prepared:
                times = await self._blocking(self._store, state, polled.prepared, report,
                                             now)
            await self._finish(state, polled.result, report, now,
                               ttl_minutes=polled.ttl_minutes,
                               parse_failed=polled.parse_failed, times=times)
        except Exception as exc:
            log.exception("refresh of %s failed", state.source.slug)
            _fail_internally(polled, exc)
            try:
                await self._finish(state, polled.result, report, now)
            except Exception:
                log.exception("could not record the failure of %s", state.source.slug)
        report.elapsed_s += time.perf_counter() - started
        return report

    async def _prepare_body(self, polled: Polled, result: FetchResult) -> None:
        state, report = polled.state, polled.report
        try:
            parsed = parse_feed(result.body, result.final_url or result.url,
                                result.headers.get("content-type"))
        except FeedError as exc:
            report.status = "error"
            report.error = f"not a feed: {exc}"
            polled.parse_failed = True
            return
        entries = list(parsed.entries)
        entries.extend(await self._sub_feed_entries(parsed))
        for problem in parsed.errors[:5]:
            log.info("%s: feed problem: %s", state.source.slug, problem)
        report.entries = len(entries)
        polled.ttl_minutes = parsed.meta.ttl_minutes
        polled.prepared = await self._prepare(state, entries, report, polled.now)

    async def _sub_feed_entries(self, parsed: ParsedFeed) -> list[Entry]:
        """Entries of the first children of a sitemap index."""
        out: list[Entry] = []
        for url in parsed.sub_feeds[:MAX_SUB_FEEDS]:
            res = await self.fetcher.get(url, accept=FEED_ACCEPT)
            if not res.ok:
                log.info("sub-feed %s: %s", url, _describe(res))
                continue
            try:
                out.extend(parse_feed(res.body, res.final_url or url,
                                      res.headers.get("content-type")).entries)
            except FeedError as exc:
                log.info("sub-feed %s: %s", url, exc)
        return out

    async def _prepare(
        self, state: SourceState, entries: Sequence[Entry], report: RefreshReport,
        now: datetime,
    ) -> list[_Prepared]:
        """Dedupe the feed's own repeats, fetch the pages that are needed, build articles."""
        by_ident: dict[str, Entry] = {}
        for entry in entries:
            if not entry.url and not entry.guid:
                continue
            ident = entry_ident(entry)
            if ident and ident not in by_ident:
                by_ident[ident] = entry
        known, summary_only, fetch_for = await self._blocking(
            self._plan, state, by_ident)
        bodies = await self._fetch_pages(fetch_for)
        report.pages_fetched = len(bodies)
        return await self._blocking(self._extract_and_build, state, by_ident, known,
                                    fetch_for, bodies, now, summary_only)

    @classmethod
    def _extract_and_build(
        cls, state: SourceState, by_ident: dict[str, Entry], known: dict[str, repo.KnownArticle],
        fetched: dict[str, Entry], bodies: dict[str, FetchResult], now: datetime,
        summary_only: set[str],
    ) -> list[_Prepared]:
        """Extract the fetched pages, then build the articles: one trip to the ingest
        thread per refresh rather than one per page."""
        pages = {ident: extract.extract_page(res.body, res.final_url or fetched[ident].url,
                                             res.headers.get("content-type"))
                 for ident, res in bodies.items()}
        return cls._build_all(state, by_ident, known, fetched, pages, now, summary_only)

    def _plan(
        self, state: SourceState, by_ident: dict[str, Entry],
    ) -> tuple[dict[str, repo.KnownArticle], set[str], dict[str, Entry]]:
        """What is already stored, which entries are summaries, which pages to fetch.

        Database read and HTML parsing: runs in a worker thread, off the event loop.
        """
        with self.engine.connect() as conn:
            known = repo.known_articles(conn, state.id, by_ident)
        # needs_page parses HTML: asked once per entry, and only where the answer is used
        # (a known entry may be skipped; an unknown one may need its page fetched)
        wants_pages = state.source.fetch_full_text
        summary_only = {ident for ident, entry in by_ident.items()
                        if (ident in known or (wants_pages and entry.url)) and needs_page(entry)}
        fetch_for: dict[str, Entry] = {}
        for ident, entry in by_ident.items():
            k = known.get(ident)
            if not state.source.fetch_full_text or not entry.url or ident not in summary_only:
                continue
            # a known article is refetched only when its headline changed
            if k is None or enrich.normalize_text(extract.html_to_text(entry.title)) != k.title:
                fetch_for[ident] = entry
        return known, summary_only, fetch_for

    @staticmethod
    def _build_all(
        state: SourceState, by_ident: dict[str, Entry], known: dict[str, repo.KnownArticle],
        fetched: dict[str, Entry], pages: dict[str, ExtractedPage], now: datetime,
        summary_only: set[str] | None = None,
    ) -> list[_Prepared]:
        """Build the articles worth writing (CPU work: runs off the event loop)."""
        out: list[_Prepared] = []
        for ident, entry in by_ident.items():
            k = known.get(ident)
            summary = ident in summary_only if summary_only is not None else needs_page(entry)
            if k is not None and ident not in fetched and summary:
                continue  # summary-only feed, same headline: nothing new to learn
            art = build_article(state, entry, pages.get(ident), now)
            if k is not None and art.content_hash == k.content_hash and art.title == k.title:
                continue
            if k is not None and k.full_text and not art.full_text:
                continue  # never replace a full text by a summary
            out.append(_Prepared(entry, ident, art, k))
        return out

    async def _fetch_pages(self, wanted: dict[str, Entry]) -> dict[str, FetchResult]:
        """The article pages that could be fetched, by entry ident (failures logged)."""
        async def one(ident: str, entry: Entry) -> tuple[str, FetchResult | None]:
            res = await self.fetcher.get(entry.url, accept=PAGE_ACCEPT)
            if not res.ok:
                log.info("page %s: %s", entry.url, _describe(res))
                return ident, None
            return ident, res

        results = await asyncio.gather(*(one(i, e) for i, e in wanted.items()))
        return {ident: res for ident, res in results if res is not None}

    # --- storage --------------------------------------------------------------------
    def _store(
        self, state: SourceState, prepared: Sequence[_Prepared], report: RefreshReport,
        now: datetime,
    ) -> list[datetime] | None:
        """Write the articles; returns the source's recent publication times when new
        ones came in (read in the same transaction, so the cadence needs no second trip).
        """
        if not prepared:
            return None
        with self._write_lock, self.engine.begin() as conn:
            # the window follows the batch's own dates: a backfill of old news clusters too
            oldest = min((p.article.published_at or now) for p in prepared)
            newest = max((p.article.published_at or now) for p in prepared)
            stories = self._stories.for_batch(conn, min(oldest, now) - STORY_WINDOW,
                                              newest + STORY_WINDOW)
            touched_stories: set[int] = set()
            indexed: list[int] = []
            # oldest first, so stories grow in publication order
            ordered = sorted(prepared, key=lambda p: p.article.published_at or now)
            new = [p.article for p in ordered if p.known is None]
            # asked for the whole batch at once: a refresh writes one source's articles,
            # and these lookups never match the source's own (same answers, fewer trips)
            exact = repo.find_exact_duplicates(conn, [a.content_hash for a in new], state.id)
            image_ids = images.add_pending_many(conn, [a.image_url for a in new], now)
            for p in ordered:
                art = p.article
                if p.known is not None:
                    repo.update_article(conn, p.known, art, now)
                    report.updated += 1
                    indexed.append(p.known.id)
                    continue
                duplicate_of = exact.get(art.content_hash) if art.content_hash else None
                if duplicate_of is None:
                    duplicate_of = stories.near_duplicate(art.simhash, state.id)
                sig = stories.signature(art)
                art.story_id = self._assign_story(conn, stories, art, sig, duplicate_of, now)
                image_id = image_ids[art.image_url] if art.image_url else None
                new_id = repo.insert_article(conn, state.id, p.ident, art, now, duplicate_of,
                                             image_id)
                stories.add(new_id, state.id, art, sig)
                touched_stories.add(art.story_id)
                report.new += 1
                report.new_ids.append(new_id)
                indexed.append(new_id)
            repo.refresh_story_counts(conn, touched_stories)
            if self.search is not None and indexed:
                self.search.index(conn, indexed)
            if report.new:
                return repo.recent_publication_times(conn, state.id, now)
            return None

    @staticmethod
    def _assign_story(
        conn: Connection, stories: StoryIndex, art: Article, sig: enrich.StorySignature,
        duplicate_of: int | None, now: datetime,
    ) -> int:
        story = stories.story_of(duplicate_of) if duplicate_of is not None else None
        if story is None:
            story = stories.best_story(sig)
        if story is None:
            story = repo.create_story(conn, art.title, art.lang, art.published_at or now)
        return story

    # --- images ---------------------------------------------------------------------
    async def process_pending_images(self, limit: int = 50) -> int:
        """Fetch, verify and resize the lead images articles point at; returns how many.

        Kept out of the refresh itself: decoding and resizing costs ten times what
        extracting an article does, and a reader can see an article before its image.
        A broken or hostile image is marked broken with its reason; it never raises.
        """
        with self.engine.connect() as conn:
            pending = images.pending_images(conn, limit)
        root = images.images_root(self.settings.data_dir)
        done = 0
        for record in pending:
            res = await self.fetcher.get(record.source_url, accept="image/*",
                                         max_bytes=self.settings.max_image_bytes)
            reason = "" if res.ok else _describe(res)
            processed = None
            if res.ok:
                try:
                    processed = await asyncio.to_thread(
                        process_image, res.body, max_bytes=self.settings.max_image_bytes)
                except ImageRejected as exc:
                    reason = f"{exc.reason}: {exc.detail}".rstrip(": ")
                except Exception as exc:  # a decoder bug costs one image, not the cycle
                    log.exception("image %s", record.source_url)
                    reason = f"internal error: {type(exc).__name__}"
            transient = not res.ok and _is_transient(res)
            with self._write_lock, self.engine.begin() as conn:
                if processed is not None:
                    images.save_image(conn, root, record.source_url, processed)
                elif transient and images.note_failed_attempt(
                        conn, record.id, reason) < IMAGE_ATTEMPTS:
                    log.info("image %s: %s; will retry", record.source_url, reason)
                else:
                    log.info("image %s dropped: %s", record.source_url, reason)
                    images.mark_broken(conn, record.source_url, reason[:500])
            done += 1
        return done

    # --- scheduling -----------------------------------------------------------------
    async def _finish(
        self,
        state: SourceState,
        result: FetchResult,
        report: RefreshReport,
        now: datetime,
        *,
        ttl_minutes: int | None = None,
        parse_failed: bool = False,
        times: list[datetime] | None = None,
    ) -> None:
        """Update validators, health and the next check, and persist them.

        Database work runs in a worker thread: the event loop keeps fetching for the
        other sources meanwhile. The cadence is recounted only when articles came in;
        a 304 or an error teaches nothing new about it, so for them the state is worked
        out on the loop (no thread hop). Inside ``batched_states`` the state is queued and
        written with many others in one transaction; outside, it is written at once.
        """
        if times is None and (report.new or (result.ok and state.last_checked_at is None)):
            times = await self._blocking(self._publication_times, state.id, now)
        self._apply_outcome(state, result, report, now, ttl_minutes, parse_failed, times)
        if self._batch_depth == 0:
            await self._blocking(self._write_states, [state])
            return
        self._pending_states.append(state)
        if len(self._pending_states) >= self._batch_size:
            await self.flush_states()

    def _publication_times(self, source_id: int, now: datetime) -> list[datetime]:
        with self.engine.connect() as conn:
            return repo.recent_publication_times(conn, source_id, now)

    def _apply_outcome(
        self,
        state: SourceState,
        result: FetchResult,
        report: RefreshReport,
        now: datetime,
        ttl_minutes: int | None,
        parse_failed: bool,
        times: list[datetime] | None,
    ) -> None:
        """The pure part of finishing a poll: validators, health, cadence, next check."""
        ok = report.status in {"ok", "not_modified"}
        if ok:
            state.consecutive_failures = 0
            state.last_success_at = now
            if result.ok and not parse_failed:
                state.etag = result.etag
                state.last_modified = result.last_modified
        else:
            state.consecutive_failures += 1
            state.last_error = report.error
            state.last_error_at = now
        if times is not None:
            state.entries_per_day = policy.entries_per_day(times, now)
        ttl_s = policy.cache_ttl_from_headers(result.headers)
        if ttl_minutes:
            ttl_s = max(ttl_s or 0.0, ttl_minutes * 60.0)
        outcome = policy.PollOutcome(
            ok=ok,
            not_modified=result.not_modified,
            new_entries=report.new,
            entries_per_day=state.entries_per_day,
            ttl_s=ttl_s,
            retry_after_s=result.retry_after_s,
            gone=result.status == 410,
        )
        state.health = policy.health_after(outcome, state.consecutive_failures, self.settings)
        interval = policy.next_interval(outcome, state.consecutive_failures, self.settings,
                                        self.rng)
        state.interval_s = int(interval)
        state.last_checked_at = now
        state.next_check_at = now + timedelta(seconds=interval)
        if state.health is Health.DEAD:
            log.warning("%s is now dead: %s", state.source.slug, state.last_error)

    def _write_states(self, states: Sequence[SourceState]) -> None:
        """One transaction for many poll states (blocking: call it from a worker thread)."""
        if not states:
            return
        with self._write_lock, self.engine.begin() as conn:
            repo.save_poll_states(conn, states)

    @contextlib.asynccontextmanager
    async def batched_states(self, every: int = STATE_BATCH) -> AsyncIterator[None]:
        """Queue poll states inside the block; write them ``every`` at a time and at exit.

        Why: one transaction per source costs more than the 304 that produced it. What a
        crash can lose is bounded by ``every`` states, which the next cycle simply polls
        again (the validators are only an optimisation). Blocks may nest; the outermost
        one writes the rest when it ends, even when it ends by an exception.
        """
        self._batch_depth += 1
        self._batch_size = max(1, every)
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                await self.flush_states()

    async def flush_states(self) -> None:
        """Write every queued poll state now, off the event loop."""
        batch, self._pending_states = self._pending_states, []
        if not batch:
            return
        try:
            await self._blocking(self._write_states, batch)
        except BaseException:
            # keep them for the next flush rather than drop a whole batch of schedules
            self._pending_states[:0] = batch
            raise


def _is_transient(result: FetchResult) -> bool:
    """Worth another try later: the server or the network, not the content, failed."""
    code = result.error or ""
    return code in {"timeout", "connect", "protocol", "paused"} or code.startswith("http_5") \
        or code == "http_429"


def _describe(result: FetchResult) -> str:
    if result.error:
        return f"{result.error}: {result.error_detail}".rstrip(": ")
    return f"HTTP {result.status}"
