"""Read-only queries for the reader's site, the JSON API and the feeds.

The web layer never builds SQL itself: every question it asks the database is one
function here, taking a ``sqlalchemy.Connection`` and returning plain frozen dataclasses,
so templates and serializers cannot trigger lazy queries and the same functions serve
pages, API and feeds. Everything is SQLAlchemy Core over ``tables.py`` and runs
unchanged on SQLite and PostgreSQL.

Lists use keyset ("cursor") pagination on ``(published_at, id)``: it stays fast on deep
pages and does not skip or repeat rows while ingestion inserts new articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Dialect,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
)

from kiosque.store.tables import articles, images, sources, stories

# --- plain values handed to the web layer ------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceView:
    """A source as readers see it, with its polling health."""

    id: int
    slug: str
    name: str
    feed_url: str
    homepage: str
    lang: str
    country: str
    section: str
    description: str
    enabled: bool
    text_policy: str
    excerpt_words: int
    health: str
    consecutive_failures: int
    last_error: str
    last_error_at: datetime | None
    last_success_at: datetime | None
    last_checked_at: datetime | None
    next_check_at: datetime | None
    article_count: int = 0
    latest_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article joined with the few source fields every listing shows."""

    id: int
    source_slug: str
    source_name: str
    url: str
    canonical_url: str
    title: str
    summary: str
    author: str
    published_at: datetime
    fetched_at: datetime
    updated_at: datetime | None
    lang: str
    section: str
    image_url: str
    image_id: int | None
    full_text: bool
    story_id: int | None
    # the lead image's moderation state and original size (None without an image row),
    # so pages choose between picture, placeholder and nothing without another query
    image_status: str | None = None
    image_width: int | None = None
    image_height: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """One article with its body and the source's text policy."""

    article: ArticleView
    content_html: str
    text: str
    text_policy: str
    excerpt_words: int


@dataclass(frozen=True, slots=True)
class StoryView:
    """A cluster of articles about one event."""

    id: int
    title: str
    lang: str
    first_seen: datetime
    last_seen: datetime
    article_count: int
    source_count: int


@dataclass(frozen=True, slots=True)
class Cursor:
    """Position after the last row of a page: the next page starts strictly below it."""

    published_at: datetime
    id: int

    def encode(self) -> str:
        """An opaque, URL-safe token (microseconds since the epoch, then the id)."""
        micros = int(self.published_at.timestamp() * 1_000_000)
        return f"{micros}_{self.id}"

    @staticmethod
    def decode(token: str) -> Cursor | None:
        """Read a token back; a malformed one means "first page" rather than an error."""
        try:
            micros_s, id_s = token.split("_", 1)
            micros, ident = int(micros_s), int(id_s)
            when = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
        except (ValueError, OverflowError):
            return None
        return Cursor(when, ident)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list and the cursor of the next page (None on the last)."""

    items: list[ArticleView]
    next_cursor: Cursor | None


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Every way a list of articles can be narrowed; all fields are optional."""

    source_slug: str | None = None
    lang: str | None = None
    section: str | None = None
    author: str | None = None
    story_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    exclude_id: int | None = None


# --- building blocks ---------------------------------------------------------------

_ARTICLE_COLUMNS = (
    articles.c.id,
    sources.c.slug,
    sources.c.name,
    articles.c.url,
    articles.c.canonical_url,
    articles.c.title,
    articles.c.summary,
    articles.c.author,
    articles.c.published_at,
    articles.c.fetched_at,
    articles.c.updated_at,
    articles.c.lang,
    articles.c.section,
    articles.c.image_url,
    articles.c.image_id,
    articles.c.full_text,
    articles.c.story_id,
    images.c.status,
    images.c.width,
    images.c.height,
)

# Articles with their source, and their lead image's row when there is one.
_ARTICLE_FROM = articles.join(sources, articles.c.source_id == sources.c.id).outerjoin(
    images, articles.c.image_id == images.c.id
)


def _article_select() -> Select[tuple[object, ...]]:
    """Articles joined to their source; exact duplicates are hidden from readers."""
    return (
        select(*_ARTICLE_COLUMNS)
        .select_from(_ARTICLE_FROM)
        .where(articles.c.duplicate_of.is_(None))
    )


def _to_article(row: tuple[object, ...]) -> ArticleView:
    return ArticleView(*row)  # type: ignore[arg-type]


# --- the hot path: the site's most frequent reads straight on the driver's cursor -----
#
# Why: the article page runs three or four small indexed queries, and SQLAlchemy's
# execution (cache lookup, execution context, result metadata, a type processor per
# value) costs several times what SQLite spends answering them. These statements are
# compiled once per dialect and run on the DB-API cursor of the same connection; their
# parameters are plain ints and strings (no bind processing on any backend), and
# ``_driver_article`` does the only result processing they need: aware UTC datetimes
# and real booleans, exactly as ``UTCDateTime`` and ``Boolean`` would.

_PLAIN_PARAMS = (int, str)


@dataclass(frozen=True, slots=True)
class _DriverSQL:
    """One statement as its driver takes it: text, parameter order, fixed values."""

    sql: str
    order: tuple[str, ...] | None  # positional paramstyles (SQLite's "?"); None: named
    fixed: dict[str, object]  # values compiled into the statement (SQLite's OFFSET 0)


@lru_cache(maxsize=128)
def _driver_sql(stmt: Select[tuple[object, ...]], dialect: Dialect) -> _DriverSQL:
    compiled = stmt.compile(dialect=dialect)
    fixed = {name: bind.effective_value for name, bind in compiled.binds.items()
             if not bind.required}
    order = tuple(compiled.positiontup or ()) if dialect.positional else None
    return _DriverSQL(compiled.string, order, fixed)


def _driver_rows(
    conn: Connection, stmt: Select[tuple[object, ...]], params: dict[str, object]
) -> list[Sequence[Any]]:
    """Rows of ``stmt`` as the driver returns them (see the note above for why)."""
    prepared = _driver_sql(stmt, conn.dialect)
    values = {**prepared.fixed, **params}
    args: Any = values if prepared.order is None else tuple(values[n] for n in prepared.order)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(prepared.sql, args)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _utc(value: Any) -> datetime | None:
    """A stored time as an aware UTC datetime, from SQLite's text or a driver datetime."""
    if value is None:
        return None
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(when, datetime)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _driver_article(row: Sequence[Any]) -> ArticleView:
    """``_ARTICLE_COLUMNS`` from the driver, typed as SQLAlchemy would type them."""
    return ArticleView(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
        _utc(row[8]), _utc(row[9]), _utc(row[10]),  # type: ignore[arg-type]
        row[11], row[12], row[13], row[14], bool(row[15]), row[16], row[17], row[18],
        row[19],
    )


# Each filter field as a condition on a bound parameter of the same name, so a statement
# depends only on WHICH fields are set, never on their values.
_FILTER_CONDITIONS: dict[str, ColumnElement[bool]] = {
    "source_slug": sources.c.slug == bindparam("source_slug"),
    "lang": articles.c.lang == bindparam("lang"),
    "section": articles.c.section == bindparam("section"),
    "author": articles.c.author == bindparam("author"),
    "story_id": articles.c.story_id == bindparam("story_id"),
    "since": articles.c.published_at >= bindparam("since"),
    "until": articles.c.published_at < bindparam("until"),
    "exclude_id": articles.c.id != bindparam("exclude_id"),
}
_FILTER_FIELDS = tuple(_FILTER_CONDITIONS)


def _filter_params(flt: ArticleFilter) -> dict[str, object]:
    """The values of the fields ``flt`` sets, keyed like the statements' parameters."""
    params: dict[str, object] = {}
    for name in _FILTER_FIELDS:
        value = getattr(flt, name)
        if value is not None:
            params[name] = value
    return params


def _apply_filter(query: Select[tuple[object, ...]], fields: frozenset[str]) -> Select[
    tuple[object, ...]
]:
    conds = [cond for name, cond in _FILTER_CONDITIONS.items() if name in fields]
    return query.where(*conds) if conds else query


@cache
def _list_statement(fields: frozenset[str], paged: bool) -> Select[tuple[object, ...]]:
    """The list query for one combination of set filter fields, built once per process.

    Why cached: building a ``select`` costs more Python than running it on an indexed
    table (coercing every column and condition, then generating the cache key that finds
    its compiled SQL). A statement reused as the same object keeps its memoized cache
    key, so the work per request is binding the values and reading the rows.
    """
    query = _apply_filter(_article_select(), fields)
    if paged:
        after_at: BindParameter[datetime] = bindparam("after_at")
        query = query.where(
            or_(
                articles.c.published_at < after_at,
                and_(articles.c.published_at == after_at,
                     articles.c.id < bindparam("after_id")),
            )
        )
    return query.order_by(articles.c.published_at.desc(), articles.c.id.desc()).limit(
        bindparam("row_limit", type_=Integer)
    )


# --- articles ----------------------------------------------------------------------


def list_articles(
    conn: Connection,
    flt: ArticleFilter | None = None,
    *,
    limit: int = 30,
    after: Cursor | None = None,
) -> Page:
    """Newest first, ``limit`` rows strictly older than ``after``, plus the next cursor."""
    params = _filter_params(flt) if flt is not None else {}
    query = _list_statement(frozenset(params), after is not None)
    params["row_limit"] = limit + 1
    if after is not None:
        params["after_at"] = after.published_at
        params["after_id"] = after.id
        rows = [_to_article(tuple(r)) for r in conn.execute(query, params)]
    elif all(isinstance(v, _PLAIN_PARAMS) for v in params.values()):
        rows = [_driver_article(r) for r in _driver_rows(conn, query, params)]
    else:  # datetimes need the column type's bind processing
        rows = [_to_article(tuple(r)) for r in conn.execute(query, params)]
    if len(rows) > limit:
        last = rows[limit - 1]
        return Page(rows[:limit], Cursor(last.published_at, last.id))
    return Page(rows, None)


# Built once: see ``_list_statement`` for why statements are not rebuilt per call.
_ARTICLE_BY_ID = (
    select(
        *_ARTICLE_COLUMNS,
        articles.c.content_html,
        articles.c.text,
        sources.c.text_policy,
        sources.c.excerpt_words,
    )
    .select_from(_ARTICLE_FROM)
    .where(articles.c.id == bindparam("article_id"))
)


def get_article(conn: Connection, article_id: int) -> ArticleDetail | None:
    """One article with its body, or None (duplicates included: old links keep working)."""
    rows = _driver_rows(conn, _ARTICLE_BY_ID, {"article_id": article_id})
    if not rows:
        return None
    values = rows[0]
    n = len(_ARTICLE_COLUMNS)
    return ArticleDetail(
        article=_driver_article(values[:n]),
        content_html=str(values[n]),
        text=str(values[n + 1]),
        text_policy=str(values[n + 2]),
        excerpt_words=int(values[n + 3]),
    )


def latest_published_at(conn: Connection, flt: ArticleFilter | None = None) -> datetime | None:
    """When the newest matching article appeared; feeds and sitemaps use it as Last-Modified."""
    params = _filter_params(flt) if flt is not None else {}
    query = _apply_filter(
        select(func.max(articles.c.published_at))
        .select_from(articles.join(sources, articles.c.source_id == sources.c.id))
        .where(articles.c.duplicate_of.is_(None)),
        frozenset(params),
    )
    value = conn.execute(query, params).scalar()
    if value is None:
        return None
    if isinstance(value, str):  # SQLite aggregates bypass the column type
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def days_with_articles(conn: Connection, year: int, month: int) -> dict[int, int]:
    """Day of month -> article count, for the archive calendar (UTC days).

    One indexed range count per day: date functions differ between SQLite and
    PostgreSQL (and PostgreSQL's follow the session time zone), ranges do not, and
    this never loads a month of rows into Python.
    """
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
    counts: dict[int, int] = {}
    day = start
    while day < end:
        nxt = day + timedelta(days=1)
        query = (
            select(func.count(articles.c.id))
            .where(articles.c.duplicate_of.is_(None))
            .where(articles.c.published_at >= day, articles.c.published_at < nxt)
        )
        n = int(conn.execute(query).scalar() or 0)
        if n:
            counts[day.day] = n
        day = nxt
    return counts


def has_articles(conn: Connection, flt: ArticleFilter) -> bool:
    """Whether a list is non-empty (one indexed row, not a count)."""
    return bool(list_articles(conn, flt, limit=1).items)


def list_sections(conn: Connection, since: datetime | None = None) -> list[tuple[str, int]]:
    """Every non-empty section with its article count, biggest first.

    With ``since``, only recent articles count: the home page ranks what is active now,
    and a range over the date index stays cheap however large the archive grows.
    """
    count = func.count(articles.c.id)
    query = (
        select(articles.c.section, count)
        .where(articles.c.section != "", articles.c.duplicate_of.is_(None))
        .group_by(articles.c.section)
        .order_by(count.desc(), articles.c.section)
    )
    if since is not None:
        query = query.where(articles.c.published_at >= since)
    return [(str(s), int(n)) for s, n in conn.execute(query)]


def top_sources(conn: Connection, since: datetime, limit: int = 8) -> list[tuple[str, str, int]]:
    """(slug, name, articles) of the sources publishing most since ``since``."""
    count = func.count(articles.c.id)
    query = (
        select(sources.c.slug, sources.c.name, count)
        .select_from(articles.join(sources, articles.c.source_id == sources.c.id))
        .where(articles.c.published_at >= since, articles.c.duplicate_of.is_(None))
        .group_by(sources.c.slug, sources.c.name)
        .order_by(count.desc(), sources.c.slug)
        .limit(limit)
    )
    return [(str(slug), str(name), int(n)) for slug, name, n in conn.execute(query)]


# --- sources -----------------------------------------------------------------------

_SOURCE_COLUMNS = (
    sources.c.id,
    sources.c.slug,
    sources.c.name,
    sources.c.feed_url,
    sources.c.homepage,
    sources.c.lang,
    sources.c.country,
    sources.c.section,
    sources.c.description,
    sources.c.enabled,
    sources.c.text_policy,
    sources.c.excerpt_words,
    sources.c.health,
    sources.c.consecutive_failures,
    sources.c.last_error,
    sources.c.last_error_at,
    sources.c.last_success_at,
    sources.c.last_checked_at,
    sources.c.next_check_at,
)


def _source_select(slug: str | None = None) -> Select[tuple[object, ...]]:
    """Sources with their article count and newest article; narrowed early to one
    source when ``slug`` is given, so a source page does not aggregate the whole table."""
    stats_query = (
        select(
            articles.c.source_id,
            func.count(articles.c.id).label("n"),
            func.max(articles.c.published_at).label("latest"),
        )
        .where(articles.c.duplicate_of.is_(None))
        .group_by(articles.c.source_id)
    )
    if slug is not None:
        one = select(sources.c.id).where(sources.c.slug == slug).scalar_subquery()
        stats_query = stats_query.where(articles.c.source_id == one)
    stats = stats_query.subquery()
    query = select(*_SOURCE_COLUMNS, func.coalesce(stats.c.n, 0), stats.c.latest).select_from(
        sources.outerjoin(stats, stats.c.source_id == sources.c.id)
    )
    return query if slug is None else query.where(sources.c.slug == slug)


def _to_source(row: tuple[object, ...]) -> SourceView:
    values = list(row)
    latest = values[-1]
    if isinstance(latest, str):  # aggregate over a TypeDecorator comes back raw on SQLite
        latest = datetime.fromisoformat(latest)
    if isinstance(latest, datetime) and latest.tzinfo is None:
        latest = latest.replace(tzinfo=UTC)
    values[-1] = latest
    values[-2] = int(values[-2])  # type: ignore[call-overload]
    return SourceView(*values)  # type: ignore[arg-type]


def list_sources(conn: Connection) -> list[SourceView]:
    """Every source, by name, with article counts (disabled ones too: their past stays)."""
    query = _source_select().order_by(func.lower(sources.c.name), sources.c.slug)
    return [_to_source(tuple(r)) for r in conn.execute(query)]


def get_source(conn: Connection, slug: str) -> SourceView | None:
    row = conn.execute(_source_select(slug)).first()
    return _to_source(tuple(row)) if row is not None else None


# --- stories -----------------------------------------------------------------------


_STORY_BY_ID = select(stories).where(stories.c.id == bindparam("story_id"))


def get_story(conn: Connection, story_id: int) -> StoryView | None:
    row = conn.execute(_STORY_BY_ID, {"story_id": story_id}).first()
    if row is None:
        return None
    return StoryView(
        id=row.id,
        title=row.title,
        lang=row.lang,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        article_count=row.article_count,
        source_count=row.source_count,
    )


def story_articles(conn: Connection, story_id: int, *, limit: int = 200) -> list[ArticleView]:
    """Every article of a story, newest first (a story is small; no pagination needed)."""
    return list_articles(conn, ArticleFilter(story_id=story_id), limit=limit).items


def latest_stories(conn: Connection, *, limit: int = 10, min_sources: int = 2) -> list[StoryView]:
    """Stories covered by several sources, most recently active first."""
    query = (
        select(stories)
        .where(stories.c.source_count >= min_sources)
        .order_by(stories.c.last_seen.desc(), stories.c.id.desc())
        .limit(limit)
    )
    return [
        StoryView(r.id, r.title, r.lang, r.first_seen, r.last_seen, r.article_count,
                  r.source_count)
        for r in conn.execute(query)
    ]
