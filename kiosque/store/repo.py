"""Write-side repository: sources and their polling state, articles, versions, stories.

Functions take a ``Connection`` that the caller opened inside a transaction, so a whole
refresh (articles, versions, stories, search index, source state) commits or rolls back
as one unit. Reads for the site live in ``read.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, bindparam, func, insert, select, update

from kiosque.models import Article, Health, Source, SourceState, TextPolicy
from kiosque.store.tables import article_versions, articles, sources, stories

# What the source list describes; refreshed from the file at every start.
_DESCRIPTIVE_FIELDS = (
    "name", "feed_url", "homepage", "lang", "country", "section", "description", "verified",
)
# What operators manage once a source exists (desk, `kiosque sources disable`): the file
# only gives the initial value, so a restart does not undo a moderator's decision.
_OPERATIONAL_FIELDS = ("enabled", "excerpt_words", "fetch_full_text")


def _source_values(src: Source, with_operational: bool) -> dict[str, Any]:
    values = {name: getattr(src, name) for name in _DESCRIPTIVE_FIELDS}
    if with_operational:
        values.update({name: getattr(src, name) for name in _OPERATIONAL_FIELDS})
        values["text_policy"] = str(src.text_policy)
    return values


def sync_sources(conn: Connection, wanted: Sequence[Source], now: datetime) -> dict[str, int]:
    """Insert new sources and refresh the descriptive fields of known ones.

    Polling state (validators, health, schedule) and operators' settings (enabled, text
    policy) are kept: restarting with the same list resumes where it was. A changed feed
    URL drops the validators, which belonged to the old URL. Returns slug -> id.
    """
    known = {
        row.slug: row
        for row in conn.execute(select(sources.c.id, sources.c.slug, sources.c.feed_url))
    }
    ids: dict[str, int] = {}
    for src in wanted:
        row = known.get(src.slug)
        values = _source_values(src, with_operational=row is None)
        if row is None:
            new_id = conn.execute(
                insert(sources).values(slug=src.slug, created_at=now, **values)
            ).inserted_primary_key
            assert new_id is not None
            ids[src.slug] = int(new_id[0])
            continue
        if row.feed_url != src.feed_url:
            values.update(etag=None, last_modified=None, next_check_at=None)
        conn.execute(update(sources).where(sources.c.id == row.id).values(**values))
        ids[src.slug] = int(row.id)
    return ids


def _state(row: RowMapping) -> SourceState:
    src = Source(
        slug=row["slug"],
        name=row["name"],
        feed_url=row["feed_url"],
        homepage=row["homepage"],
        lang=row["lang"],
        country=row["country"],
        section=row["section"],
        description=row["description"],
        verified=row["verified"],
        enabled=row["enabled"],
        text_policy=TextPolicy(row["text_policy"]),
        excerpt_words=row["excerpt_words"],
        fetch_full_text=row["fetch_full_text"],
    )
    return SourceState(
        id=row["id"],
        source=src,
        etag=row["etag"],
        last_modified=row["last_modified"],
        health=Health(row["health"]),
        consecutive_failures=row["consecutive_failures"],
        last_error=row["last_error"],
        last_error_at=row["last_error_at"],
        last_success_at=row["last_success_at"],
        last_checked_at=row["last_checked_at"],
        next_check_at=row["next_check_at"],
        interval_s=row["interval_s"],
        entries_per_day=row["entries_per_day"],
    )


def all_source_states(conn: Connection) -> list[SourceState]:
    rows = conn.execute(select(sources).order_by(sources.c.slug)).mappings()
    return [_state(r) for r in rows]


def source_state(conn: Connection, slug: str) -> SourceState | None:
    row = conn.execute(select(sources).where(sources.c.slug == slug)).mappings().first()
    return _state(row) if row else None


def due_sources(conn: Connection, now: datetime, limit: int = 1000) -> list[SourceState]:
    """Enabled, not dead sources whose next check has come (never-checked ones first)."""
    due = (
        (sources.c.next_check_at.is_(None)) | (sources.c.next_check_at <= now)
    )
    query = (
        select(sources)
        .where(sources.c.enabled.is_(True), sources.c.health != Health.DEAD.value, due)
        .order_by(sources.c.next_check_at.is_not(None), sources.c.next_check_at)
        .limit(limit)
    )
    return [_state(r) for r in conn.execute(query).mappings()]


def next_due_at(conn: Connection) -> datetime | None:
    """When the earliest enabled source is due; lets the scheduler sleep precisely."""
    value = conn.execute(
        select(func.min(sources.c.next_check_at)).where(
            sources.c.enabled.is_(True), sources.c.health != Health.DEAD.value
        )
    ).scalar()
    return value if isinstance(value, datetime) or value is None else None


_POLL_STATE_COLUMNS = (
    "etag", "last_modified", "health", "consecutive_failures", "last_error",
    "last_error_at", "last_success_at", "last_checked_at", "next_check_at", "interval_s",
    "entries_per_day",
)


def _poll_state_row(state: SourceState) -> dict[str, object]:
    return {
        "state_id": state.id,
        "etag": state.etag,
        "last_modified": state.last_modified,
        "health": state.health.value,
        "consecutive_failures": state.consecutive_failures,
        "last_error": state.last_error,
        "last_error_at": state.last_error_at,
        "last_success_at": state.last_success_at,
        "last_checked_at": state.last_checked_at,
        "next_check_at": state.next_check_at,
        "interval_s": state.interval_s,
        "entries_per_day": state.entries_per_day,
    }


def save_poll_state(conn: Connection, state: SourceState) -> None:
    """Persist what a poll learnt: validators, health, error, schedule."""
    save_poll_states(conn, [state])


def save_poll_states(conn: Connection, states: Sequence[SourceState]) -> None:
    """Persist many polls' states in one executemany: a poll cycle writes them in batches.

    Why one statement: at scale almost every poll is a 304 whose only write is this row,
    and a statement (or a transaction) per source would cost more than the poll itself.
    """
    if not states:
        return
    stmt = (
        update(sources)
        .where(sources.c.id == bindparam("state_id"))
        .values({name: bindparam(name) for name in _POLL_STATE_COLUMNS})
    )
    conn.execute(stmt, [_poll_state_row(s) for s in states])


def set_source_enabled(conn: Connection, slug: str, enabled: bool) -> bool:
    res = conn.execute(update(sources).where(sources.c.slug == slug).values(enabled=enabled))
    return bool(res.rowcount)


# --- articles -----------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class KnownArticle:
    """What ingest needs to know about an article it has stored before."""

    id: int
    content_hash: str
    title: str
    version: int
    full_text: bool


def known_articles(
    conn: Connection, source_id: int, idents: Iterable[str]
) -> dict[str, KnownArticle]:
    wanted = list(set(idents))
    out: dict[str, KnownArticle] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        rows = conn.execute(
            select(
                articles.c.ident, articles.c.id, articles.c.content_hash, articles.c.title,
                articles.c.version, articles.c.full_text,
            ).where(articles.c.source_id == source_id, articles.c.ident.in_(chunk))
        )
        for r in rows:
            out[r.ident] = KnownArticle(r.id, r.content_hash, r.title, r.version, r.full_text)
    return out


def _article_values(art: Article) -> dict[str, Any]:
    return {
        "url": art.url,
        "canonical_url": art.canonical_url,
        "guid": art.guid,
        "title": art.title,
        "summary": art.summary,
        "content_html": art.content_html,
        "text": art.text,
        "author": art.author[:300],
        "lang": art.lang,
        "section": art.section[:100],
        "image_url": art.image_url,
        "full_text": art.full_text,
        "content_hash": art.content_hash,
        "simhash": art.simhash,
    }


# Statements run once or more per new article are built once: building a Core construct
# from literal values (and its cache key) cost several times what executing the
# compiled statement with a parameter dict does.
_INSERT_ARTICLE = insert(articles)


def insert_article(
    conn: Connection, source_id: int, ident: str, art: Article, now: datetime,
    duplicate_of: int | None = None, image_id: int | None = None,
) -> int:
    params = _article_values(art)
    params.update(
        source_id=source_id,
        image_id=image_id,
        ident=ident,
        published_at=art.published_at or now,
        fetched_at=now,
        story_id=art.story_id,
        duplicate_of=duplicate_of,
        version=1,
    )
    pk = conn.execute(_INSERT_ARTICLE, params).inserted_primary_key
    assert pk is not None
    return int(pk[0])


def update_article(
    conn: Connection, known: KnownArticle, art: Article, now: datetime
) -> None:
    """Record the previous version, then store the new content (an update, not a copy)."""
    prev = conn.execute(
        select(articles.c.title, articles.c.content_html, articles.c.text,
               articles.c.content_hash).where(articles.c.id == known.id)
    ).one()
    conn.execute(
        insert(article_versions).values(
            article_id=known.id,
            version=known.version,
            title=prev.title,
            content_html=prev.content_html,
            text=prev.text,
            content_hash=prev.content_hash,
            recorded_at=now,
        )
    )
    values = _article_values(art)
    conn.execute(
        update(articles)
        .where(articles.c.id == known.id)
        .values(updated_at=now, version=known.version + 1, **values)
    )


_EXACT_DUPLICATE = (
    select(articles.c.id)
    .where(articles.c.content_hash == bindparam("content_hash"),
           articles.c.source_id != bindparam("source_id"))
    .order_by(articles.c.id)
    .limit(1)
)


def find_exact_duplicate(conn: Connection, content_hash: str, source_id: int) -> int | None:
    """An earlier article from another source with the same normalized text."""
    if not content_hash:
        return None
    value = conn.execute(
        _EXACT_DUPLICATE, {"content_hash": content_hash, "source_id": source_id}
    ).scalar()
    return int(value) if value is not None else None


_EXACT_DUPLICATES = (
    select(articles.c.content_hash, func.min(articles.c.id))
    .where(articles.c.content_hash.in_(bindparam("hashes", expanding=True)),
           articles.c.source_id != bindparam("source_id"))
    .group_by(articles.c.content_hash)
)


def find_exact_duplicates(
    conn: Connection, content_hashes: Iterable[str], source_id: int
) -> dict[str, int]:
    """``find_exact_duplicate`` for many hashes in one query: hash -> earliest article of
    another source (hashes without one are absent).

    A refresh writes one source's articles, which never count as duplicates of each
    other here, so asking for the whole batch before writing it gives the same answers
    as asking article by article while writing.
    """
    wanted = sorted({h for h in content_hashes if h})
    out: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            _EXACT_DUPLICATES,
            {"hashes": wanted[start:start + 500], "source_id": source_id},
        )
        out.update((h, int(i)) for h, i in rows)
    return out


@dataclass(slots=True, frozen=True)
class RecentArticle:
    """A recent article, as story clustering and near-dup detection compare them."""

    id: int
    source_id: int
    story_id: int | None
    title: str
    text: str
    lang: str
    simhash: int
    published_at: datetime


def recent_articles(
    conn: Connection, since: datetime, limit: int = 5000, after_id: int = 0,
    before: datetime | None = None,
) -> list[RecentArticle]:
    """Articles published since ``since`` (and before ``before``); with ``after_id``,
    only those stored later."""
    query = (
        select(
            articles.c.id, articles.c.source_id, articles.c.story_id, articles.c.title,
            func.substr(articles.c.text, 1, 600).label("text"), articles.c.lang,
            articles.c.simhash, articles.c.published_at,
        )
        .where(articles.c.published_at >= since)
        .order_by(articles.c.published_at.desc())
        .limit(limit)
    )
    if after_id:
        query = query.where(articles.c.id > after_id)
    if before is not None:
        query = query.where(articles.c.published_at < before)
    rows = conn.execute(query)
    return [
        RecentArticle(r.id, r.source_id, r.story_id, r.title, r.text or "", r.lang, r.simhash,
                      r.published_at)
        for r in rows
    ]


_INSERT_STORY = insert(stories)


def create_story(conn: Connection, title: str, lang: str, when: datetime) -> int:
    pk = conn.execute(
        _INSERT_STORY,
        {"title": title, "lang": lang, "first_seen": when, "last_seen": when,
         "article_count": 0, "source_count": 0},
    ).inserted_primary_key
    assert pk is not None
    return int(pk[0])


_STORY_CHUNK = 500
_STORY_COUNTS = (
    select(
        articles.c.story_id,
        func.count(articles.c.id),
        func.count(func.distinct(articles.c.source_id)),
        func.min(articles.c.published_at),
        func.max(articles.c.published_at),
    )
    .where(articles.c.story_id.in_(bindparam("story_ids", expanding=True)))
    .group_by(articles.c.story_id)
)
_UPDATE_STORY_COUNTS = (
    update(stories)
    .where(stories.c.id == bindparam("sid"))
    .values(article_count=bindparam("n_articles"), source_count=bindparam("n_sources"),
            first_seen=bindparam("first"), last_seen=bindparam("last"))
)


def refresh_story_counts(conn: Connection, story_ids: Iterable[int]) -> None:
    """Recount articles and sources of the stories a refresh touched.

    One grouped count and one executemany per chunk of stories, not two statements per
    story. A story without articles is left as it is.
    """
    wanted = sorted(set(story_ids))
    for start in range(0, len(wanted), _STORY_CHUNK):
        rows = conn.execute(
            _STORY_COUNTS, {"story_ids": wanted[start:start + _STORY_CHUNK]}
        ).all()
        if rows:
            conn.execute(
                _UPDATE_STORY_COUNTS,
                [{"sid": sid, "n_articles": count, "n_sources": nsources, "first": first,
                  "last": last} for sid, count, nsources, first, last in rows],
            )


def article_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(articles)).scalar() or 0)


def recent_publication_times(
    conn: Connection, source_id: int, now: datetime, days: int = 7
) -> list[datetime]:
    """Publication times over the last days: the source's cadence for the poll policy."""
    since = now - timedelta(days=days)
    rows = conn.execute(
        select(articles.c.published_at).where(
            articles.c.source_id == source_id, articles.c.published_at >= since
        )
    )
    return [r[0] for r in rows]
