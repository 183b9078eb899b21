"""The read functions on their own: cursors, filters, aggregates, on real SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from kiosque.store import read
from tests.web.webseed import Seed


def test_cursor_round_trip_and_garbage() -> None:
    cur = read.Cursor(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC), 42)
    assert read.Cursor.decode(cur.encode()) == cur
    for bad in ("", "x", "1_", "_2", "a_b", "9" * 40 + "_1"):
        assert read.Cursor.decode(bad) is None


def test_list_articles_pages(web_db: tuple[Engine, Seed]) -> None:
    engine, seed = web_db
    with engine.connect() as conn:
        page = read.list_articles(conn, limit=10)
        assert [a.id for a in page.items] == seed.article_ids[:10]
        assert page.next_cursor is not None
        nxt = read.list_articles(conn, limit=10, after=page.next_cursor)
        assert [a.id for a in nxt.items] == seed.article_ids[10:20]
        everything = read.list_articles(conn, limit=1000)
        assert everything.next_cursor is None
        assert all(a.published_at.tzinfo is not None for a in everything.items)


def test_filters_combine(web_db: tuple[Engine, Seed]) -> None:
    engine, seed = web_db
    since = seed.now - timedelta(hours=12)
    with engine.connect() as conn:
        items = read.list_articles(
            conn, read.ArticleFilter(source_slug="akhbar", since=since), limit=100).items
    expected = [a for a in seed.by_source["akhbar"] if seed.published[a] >= since]
    assert [a.id for a in items] == expected


def test_aggregates(web_db: tuple[Engine, Seed]) -> None:
    engine, seed = web_db
    with engine.connect() as conn:
        latest = read.latest_published_at(conn)
        assert latest == seed.now
        assert read.latest_published_at(conn, read.ArticleFilter(source_slug="nope")) is None
        days = read.days_with_articles(conn, seed.now.year, seed.now.month)
        same_month = [w for w in seed.published.values()
                      if (w.year, w.month) == (seed.now.year, seed.now.month)]
        assert sum(days.values()) == len(same_month)
        src = read.get_source(conn, "sabah")
        assert src is not None and src.article_count == len(seed.by_source["sabah"])
        assert src.latest_at == seed.published[seed.by_source["sabah"][0]]
        assert read.get_source(conn, "nope") is None
        assert next(s.slug for s in read.list_sources(conn)) == "diario"  # by name
        stories = read.latest_stories(conn)
        assert [s.id for s in stories] == seed.story_ids
        assert read.get_article(conn, 10**9) is None


def check_driver_path_matches_sqlalchemy(engine: Engine) -> None:
    """The hot reads on the driver's cursor give exactly what SQLAlchemy's types give."""
    n = len(read._ARTICLE_COLUMNS)
    with engine.connect() as conn:
        every = [read._to_article(tuple(r)) for r in conn.execute(
            read._list_statement(frozenset(), False), {"row_limit": 10_000})]
        assert every and read.list_articles(conn, limit=10_000).items == every
        for art in every:
            detail = read.get_article(conn, art.id)
            row = conn.execute(read._ARTICLE_BY_ID, {"article_id": art.id}).one()
            assert detail is not None and detail.article == read._to_article(tuple(row)[:n])
            assert detail.article.published_at.tzinfo is not None
            assert isinstance(detail.article.full_text, bool)
        slug = every[0].source_slug
        flt = read.ArticleFilter(source_slug=slug, exclude_id=every[0].id)
        expected = [a for a in every if a.source_slug == slug and a.id != every[0].id]
        assert read.list_articles(conn, flt, limit=6).items == expected[:6]


def test_driver_path_matches_sqlalchemy(web_db: tuple[Engine, Seed]) -> None:
    check_driver_path_matches_sqlalchemy(web_db[0])
