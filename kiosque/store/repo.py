"""Write-side repository: sources and their polling state, articles, versions, stories.

Functions take a ``Connection`` that the caller opened inside a transaction, so a whole
refresh (articles, versions, stories, search index, source state) commits or rolls back
as one unit. Reads for the site live in ``read.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from operator import itemgetter
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ClauseElement,
    ColumnElement,
    Connection,
    Dialect,
    Integer,
    RowMapping,
    SelectBase,
    String,
    Text,
    TypeDecorator,
    bindparam,
    column,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import CompileError, DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeEngine

from kiosque.models import Article, Health, Source, SourceState, TextPolicy
from kiosque.store.tables import UTCDateTime, article_versions, articles, sources, stories

# What the source list describes; refreshed from the file at every start.
_DESCRIPTIVE_FIELDS = (
    "name", "feed_url", "homepage", "lang", "country", "section", "description", "verified",
)
# What operators manage once a source exists (desk, `kiosque sources disable`): the file
# only gives the initial value, so a restart does not undo a moderator's decision.
_OPERATIONAL_FIELDS = ("enabled", "excerpt_words", "fetch_full_text")


# --- statements run on the driver's cursor ---------------------------------------------

_Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement as one dialect runs it, with what turns values into driver values."""

    sql: str
    names: tuple[str, ...]  # bound parameters, in the order the SQL takes them
    pick: Callable[[Mapping[str, Any]], tuple[Any, ...]]  # their values, in that order
    positional: bool
    fixed: dict[str, Any]  # values the statement carries itself: literals, column defaults
    binders: tuple[tuple[int, _Processor], ...]  # positions whose values the dialect converts
    readers: tuple[tuple[int, _Processor], ...]  # result columns the dialect converts
    returning: bool  # an INSERT whose new primary key comes back as a row
    lists: tuple[str, ...]  # parameters bound as whole lists (``in_list``)


def _picker(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    if len(names) == 1:
        name = names[0]
        return lambda values: (values[name],)
    if not names:
        return lambda values: ()
    return itemgetter(*names)  # a tuple for two names or more


_PROBES = (
    datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
    datetime(999, 1, 1, 1, 2, 3, 40, tzinfo=timezone(timedelta(hours=5))),
)


def _faster(type_: TypeEngine[Any], dialect: Dialect, proc: _Processor) -> _Processor:
    """``proc``, or a faster function known to give the same values.

    On SQLite an aware datetime becomes the text of its UTC time (see ``UTCDateTime``),
    which the dialect formats field by field: ``isoformat`` writes the same text in a
    quarter of the time, and a refresh binds several dates per article. Anything but
    an aware ``datetime`` (None, a naive one: refused) takes ``proc`` itself, and the
    shortcut is only used if it agrees with ``proc`` on a few dates.
    """
    if dialect.name != "sqlite" or not isinstance(type_, UTCDateTime):
        return proc

    def utc_text(value: Any) -> Any:
        if value.__class__ is datetime:
            if value.tzinfo is UTC:
                return value.isoformat(" ", "microseconds")[:26]
            if value.tzinfo is not None:
                return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]
        return proc(value)

    return utc_text if all(utc_text(d) == proc(d) for d in _PROBES) else proc


class DriverStatement:
    """A Core statement run on the DBAPI cursor, compiled once per dialect.

    Why: executing even a prebuilt Core statement costs SQLAlchemy about 20 µs of Python
    (execution context, parameter and result set-up), half of what SQLite takes to store
    an article, and a refresh runs several statements per article. Here the SQL is the one
    SQLAlchemy compiles for the connection's dialect, and every parameter and result value
    goes through that dialect's own type processors, so what is stored and read back is
    exactly what ``conn.execute`` would store and read; only the bookkeeping is skipped.

    For statements whose parameters have fixed names: a list goes through ``in_list``,
    not an expanding ``IN``. Errors come back wrapped as ``conn.execute`` wraps them
    (``sqlalchemy.exc.IntegrityError`` and the like), and a connection outside a
    transaction begins one, as Core does, so that ``conn.commit()`` commits the work.
    """

    def __init__(self, stmt: ClauseElement, keys: Sequence[str] = ()) -> None:
        """``keys``: the parameters every call passes (an INSERT names its columns so)."""
        self.stmt = stmt
        self.keys = tuple(keys)
        self._by_dialect: WeakKeyDictionary[Dialect, _Compiled] = WeakKeyDictionary()

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect)
        if found is None:
            found = self._by_dialect[dialect] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.stmt.compile(dialect=dialect, column_keys=list(self.keys) or None,
                                     compile_kwargs={_WHOLE_LISTS: True})
        assert isinstance(compiled, SQLCompiler)
        if compiled.positional:
            names = tuple(compiled.positiontup or ())
        else:
            names = tuple(dict.fromkeys(compiled.bind_names.values()))
        fixed: dict[str, Any] = {}
        for col in compiled.insert_prefetch:  # Python-side defaults of unnamed columns
            default = col.default
            if default is None or not default.is_scalar:
                raise ValueError(f"{col.key}: only scalar defaults can be prefetched")
            fixed[col.key] = default.arg  # type: ignore[attr-defined]
        for name in names:
            bind = compiled.binds[name]
            if name not in fixed and not bind.required and name not in self.keys:
                fixed[name] = bind.effective_value
        binders = []
        for at, name in enumerate(names):
            type_ = compiled.binds[name].type
            proc = type_.dialect_impl(dialect).bind_processor(dialect)
            if proc is not None:
                binders.append((at, _faster(type_, dialect, proc)))
        readers: tuple[tuple[int, _Processor], ...] = ()
        if isinstance(self.stmt, SelectBase):
            readers = tuple(
                (i, proc) for i, col in enumerate(self.stmt.selected_columns)
                if (proc := col.type.dialect_impl(dialect).result_processor(dialect, None))
            )
        lists = tuple(n for n in dict.fromkeys(names) if isinstance(compiled.binds[n].type, ListOf))
        return _Compiled(compiled.string, names, _picker(names), compiled.positional, fixed,
                         tuple(binders), readers, bool(compiled.effective_returning), lists)

    @staticmethod
    def _values(c: _Compiled, params: Mapping[str, Any] | None) -> Any:
        """The driver's parameters: a tuple (positional paramstyle) or a dict."""
        values = c.pick({**c.fixed, **params} if c.fixed and params else params or c.fixed)
        if c.binders:
            converted = list(values)
            for at, proc in c.binders:
                converted[at] = proc(converted[at])
            values = tuple(converted)
        return values if c.positional else dict(zip(c.names, values, strict=True))

    def _run(self, conn: Connection, params: Any, fetch: str) -> Any:
        """Execute (``params`` a list: once per element); ``fetch`` says what comes back:
        "" nothing, "pk" the new row's primary key, "rows" every row, converted."""
        c = self.compiled(conn.dialect)
        if c.lists and not isinstance(params, list) and any(
                _has_nul(params[name]) for name in c.lists):
            return self._through_core(conn, params, fetch)
        if not conn.in_transaction():
            conn.begin()  # as Core's autobegin
        dbapi_error = conn.dialect.loaded_dbapi.Error
        values: Any = None
        cursor = conn.connection.cursor()
        try:
            if isinstance(params, list):
                values = [self._values(c, p) for p in params]
                cursor.executemany(c.sql, values)
                return None
            values = self._values(c, params)
            cursor.execute(c.sql, values)
            if fetch == "pk":
                if c.returning:
                    row = cursor.fetchone()
                    assert row is not None
                    return int(row[0])
                return int(cursor.lastrowid)
            if fetch != "rows":
                return None
            found = cursor.fetchall()
        except dbapi_error as err:
            raise DBAPIError.instance(c.sql, values, err, dbapi_error, dialect=conn.dialect,
                                      ismulti=isinstance(params, list)) from err
        finally:
            cursor.close()
        if not c.readers:
            return found
        out = []
        for row in found:
            converted = list(row)
            for i, proc in c.readers:
                converted[i] = proc(converted[i])
            out.append(converted)
        return out

    def _through_core(self, conn: Connection, params: Mapping[str, Any], fetch: str) -> Any:
        """The same statement through ``conn.execute``, lists as expanding ``IN``."""
        assert isinstance(self.stmt, Executable)
        result = conn.execute(self.stmt, dict(params))
        if fetch == "pk":
            pk = result.inserted_primary_key
            assert pk is not None
            return int(pk[0])
        return result.all() if fetch == "rows" else None

    def insert(self, conn: Connection, params: Mapping[str, Any]) -> int:
        """Run an INSERT of one row; its new primary key."""
        pk: int = self._run(conn, params, "pk")
        return pk

    def rows(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Run a query; its rows, values converted as ``conn.execute`` converts them."""
        found: list[Any] = self._run(conn, params, "rows")
        return found

    def execute(self, conn: Connection, params: Mapping[str, Any] | None = None) -> None:
        """Run a statement that returns nothing the caller needs."""
        self._run(conn, params, "")

    def executemany(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run a statement once per parameter set, in one driver call."""
        if rows:
            self._run(conn, list(rows), "")


class ListOf(TypeDecorator[Sequence[Any]]):
    """A whole list bound as one parameter: JSON text for SQLite's ``json_each``, an
    array on PostgreSQL. See ``in_list``."""

    impl = String
    cache_ok = True

    def __init__(self, item: TypeEngine[Any]) -> None:
        super().__init__()
        self.item = item

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(self.item))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Sequence[Any] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return list(value)
        return json.dumps(list(value), ensure_ascii=False)


class _Listed(ColumnElement[Any]):
    """The right side of ``in_list``: the elements of one bound list."""

    inherit_cache = False  # compiled once per dialect by DriverStatement, or (Core) per call

    def __init__(self, name: str, item: TypeEngine[Any]) -> None:
        self.name = name
        self.item = item


@compiles(_Listed)
def _compile_listed(element: _Listed, compiler: Any, **kw: Any) -> str:
    if not kw.get(_WHOLE_LISTS):  # Core: an expanding IN, one placeholder per element
        listed = bindparam(element.name, type_=element.item, expanding=True)
        return str(compiler.process(listed, **kw))  # "(__[POSTCOMPILE_name])"
    whole = compiler.process(bindparam(element.name, type_=ListOf(element.item)), **kw)
    if compiler.dialect.name == "sqlite":
        return f"(SELECT value FROM json_each({whole}))"
    if compiler.dialect.name == "postgresql":
        return f"(SELECT unnest({whole}))"
    raise CompileError(f"in_list: no whole-list form for {compiler.dialect.name}")


_WHOLE_LISTS = "kiosque_whole_lists"
"""Compile keyword: render ``in_list`` with the list bound as one parameter."""


def in_list(column: ColumnElement[Any], name: str, item: TypeEngine[Any]) -> ColumnElement[bool]:
    """``column IN`` a list given as the parameter ``name``.

    An expanding ``IN`` renders its SQL again at every execution (one placeholder per
    element), so a ``DriverStatement`` could not compile it once: there the list is bound
    whole, as a JSON text SQLite reads with ``json_each`` and as a PostgreSQL array. A
    list holding a string with a NUL character, which ``json_each`` would cut short,
    goes through Core and its expanding form instead.
    """
    return column.op("IN", is_comparison=True)(_Listed(name, item))


def _has_nul(values: Any) -> bool:
    return any(isinstance(v, str) and "\x00" in v for v in values)


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


_KNOWN_ARTICLES = DriverStatement(
    select(
        articles.c.ident, articles.c.id, articles.c.content_hash, articles.c.title,
        articles.c.version, articles.c.full_text,
    ).where(articles.c.source_id == bindparam("source_id"),
            in_list(articles.c.ident, "idents", Text()))
)


def known_articles(
    conn: Connection, source_id: int, idents: Iterable[str]
) -> dict[str, KnownArticle]:
    wanted = list(set(idents))
    out: dict[str, KnownArticle] = {}
    for start in range(0, len(wanted), 500):
        rows = _KNOWN_ARTICLES.rows(
            conn, {"source_id": source_id, "idents": wanted[start:start + 500]}
        )
        for ident, *known in rows:
            out[ident] = KnownArticle(*known)
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
# compiled statement with a parameter dict does; and they run on the driver's cursor
# (see ``DriverStatement``).
_ARTICLE_COLUMNS = (
    "url", "canonical_url", "guid", "title", "summary", "content_html", "text", "author",
    "lang", "section", "image_url", "full_text", "content_hash", "simhash", "source_id",
    "image_id", "ident", "published_at", "fetched_at", "story_id", "duplicate_of", "version",
)
_INSERT_ARTICLE = DriverStatement(insert(articles), _ARTICLE_COLUMNS)


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
    return _INSERT_ARTICLE.insert(conn, params)


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


_EXACT_DUPLICATES = DriverStatement(
    select(articles.c.content_hash, func.min(articles.c.id))
    .where(in_list(articles.c.content_hash, "hashes", String()),
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
        rows = _EXACT_DUPLICATES.rows(
            conn, {"hashes": wanted[start:start + 500], "source_id": source_id}
        )
        out.update((h, int(i)) for h, i in rows)
    return out


# What story signatures read of an article's text: its start (the lead is its first 60
# words), or the summary when the article has no text. The story index signs an article
# from this at ingest and when it reloads the article from here: both must agree.
LEAD_CHARS = 600


@dataclass(slots=True, frozen=True)
class RecentArticle:
    """A recent article, as story clustering and near-dup detection compare them."""

    id: int
    source_id: int
    story_id: int | None
    title: str
    text: str  # the first LEAD_CHARS of the text, or the summary when there is no text
    lang: str
    simhash: int
    published_at: datetime


def _lead_or_summary() -> ColumnElement[str]:
    """``text[:LEAD_CHARS] or summary``, in SQL (characters on both backends)."""
    return func.coalesce(func.nullif(func.substr(articles.c.text, 1, LEAD_CHARS), ""),
                         articles.c.summary)


def _recent_articles_query(after: bool, before: bool) -> DriverStatement:
    query = (
        select(
            articles.c.id, articles.c.source_id, articles.c.story_id, articles.c.title,
            _lead_or_summary().label("text"), articles.c.lang,
            articles.c.simhash, articles.c.published_at,
        )
        .where(articles.c.published_at >= bindparam("since"))
        .order_by(articles.c.published_at.desc())
        .limit(bindparam("limit", type_=Integer))
    )
    if after:
        query = query.where(articles.c.id > bindparam("after_id"))
    if before:
        query = query.where(articles.c.published_at < bindparam("before"))
    return DriverStatement(query)


# One statement per combination of the optional bounds, each the query that was built
# per call before: a refresh tops its window up with one (and usually finds nothing),
# so building the query was most of the cost.
_RECENT_ARTICLES = {
    (after, before): _recent_articles_query(after, before)
    for after in (False, True) for before in (False, True)
}


def _sqlite_stored_after(before: bool) -> DriverStatement:
    sql = (
        "SELECT id, source_id, story_id, title,"
        f" coalesce(nullif(substr(text, 1, {LEAD_CHARS}), ''), summary) AS text,"
        " lang, simhash, published_at FROM articles NOT INDEXED"
        " WHERE published_at >= :since AND id > :after_id"
        + (" AND published_at < :before" if before else "")
        + " ORDER BY published_at DESC, id DESC LIMIT :limit"
    )
    dates = [bindparam(name, type_=UTCDateTime()) for name in ("since", "before")[:1 + before]]
    return DriverStatement(
        text(sql)
        .bindparams(*dates, bindparam("after_id", type_=Integer),
                    bindparam("limit", type_=Integer))
        .columns(articles.c.id, articles.c.source_id, articles.c.story_id, articles.c.title,
                 column("text", Text()), articles.c.lang, articles.c.simhash,
                 articles.c.published_at)
    )


# SQLite, with ``after_id``: what was stored since the window's last top-up, found from
# the rowid up instead of the publication index. SQLite's planner takes the index (it
# gives the order), and then reads the whole window's entries to find a handful, or none:
# 1.4 ms a refresh with 20 000 articles in the window, against 0.04 ms. The order is the
# index's: newest first, and among equal times the highest id first.
_SQLITE_STORED_AFTER = {before: _sqlite_stored_after(before) for before in (False, True)}


def recent_articles(
    conn: Connection, since: datetime, limit: int = 5000, after_id: int = 0,
    before: datetime | None = None,
) -> list[RecentArticle]:
    """Articles published since ``since`` (and before ``before``); with ``after_id``,
    only those stored later."""
    params: dict[str, Any] = {"since": since, "limit": limit}
    if after_id:
        params["after_id"] = after_id
    if before is not None:
        params["before"] = before
    if after_id and conn.dialect.name == "sqlite":
        query = _SQLITE_STORED_AFTER[before is not None]
    else:
        query = _RECENT_ARTICLES[bool(after_id), before is not None]
    rows = query.rows(conn, params)
    return [
        RecentArticle(r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6], r[7])
        for r in rows
    ]


_INSERT_STORY = DriverStatement(
    insert(stories),
    ("title", "lang", "first_seen", "last_seen", "article_count", "source_count"),
)


def create_story(conn: Connection, title: str, lang: str, when: datetime) -> int:
    return _INSERT_STORY.insert(
        conn,
        {"title": title, "lang": lang, "first_seen": when, "last_seen": when,
         "article_count": 0, "source_count": 0},
    )


_STORY_CHUNK = 500
_COUNTS = (
    select(
        articles.c.story_id,
        func.count(articles.c.id).label("n_articles"),
        func.count(func.distinct(articles.c.source_id)).label("n_sources"),
        func.min(articles.c.published_at).label("first_at"),
        func.max(articles.c.published_at).label("last_at"),
    )
    .where(in_list(articles.c.story_id, "story_ids", Integer()))
    .group_by(articles.c.story_id)
    .subquery()
)
_REFRESH_STORY_COUNTS = DriverStatement(
    update(stories)
    .values(article_count=_COUNTS.c.n_articles, source_count=_COUNTS.c.n_sources,
            first_seen=_COUNTS.c.first_at, last_seen=_COUNTS.c.last_at)
    .where(stories.c.id == _COUNTS.c.story_id)
)


def refresh_story_counts(conn: Connection, story_ids: Iterable[int]) -> None:
    """Recount articles and sources of the stories a refresh touched.

    One ``UPDATE ... FROM`` a grouped count per chunk of stories: the counts and dates
    go from the articles to the stories without a trip through Python (reading them
    back, converting the dates and binding them again cost more than the counting). A
    story without articles is left as it is.
    """
    wanted = sorted(set(story_ids))
    for start in range(0, len(wanted), _STORY_CHUNK):
        _REFRESH_STORY_COUNTS.execute(conn, {"story_ids": wanted[start:start + _STORY_CHUNK]})


def article_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(articles)).scalar() or 0)


_PUBLICATION_TIMES = DriverStatement(
    select(articles.c.published_at).where(
        articles.c.source_id == bindparam("source_id"),
        articles.c.published_at >= bindparam("since"),
    )
)


def recent_publication_times(
    conn: Connection, source_id: int, now: datetime, days: int = 7
) -> list[datetime]:
    """Publication times over the last days: the source's cadence for the poll policy."""
    since = now - timedelta(days=days)
    rows = _PUBLICATION_TIMES.rows(conn, {"source_id": source_id, "since": since})
    return [r[0] for r in rows]
