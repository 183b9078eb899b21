"""Statements run on the driver's cursor (``repo.DriverStatement``), on both engines.

They skip SQLAlchemy's execution machinery for speed; these tests pin that they store
and read exactly what ``conn.execute`` of the same Core statement stores and reads, and
that they behave like it around transactions and errors.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from kiosque.models import Article
from kiosque.store import images, repo
from kiosque.store.tables import articles, stories
from kiosque.store.tables import images as images_table

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PARIS = timezone(timedelta(hours=1))


def _article(n: int, **changes: object) -> Article:
    values: dict[str, object] = {
        "source_slug": "a", "url": f"http://x/{n}", "canonical_url": f"http://x/{n}",
        "title": f"Titre {n} « l'été »", "guid": f"g{n}", "summary": "résumé\nsur deux",
        "content_html": "<p>t’</p>", "text": f"texte {n} 😀", "author": "Autrice",
        "published_at": datetime(2026, 3, 1, 23, 30, 0, 120, tzinfo=PARIS),
        "lang": "fr", "section": "Monde", "image_url": "http://img/1.jpg", "full_text": True,
        "content_hash": f"h{n}", "simhash": -(2 ** 63) + n,
    }
    values.update(changes)
    return Article(**values)  # type: ignore[arg-type]


def _stored(engine: Engine, table: str, row_id: int) -> dict[str, Any]:
    """A row as the database holds it: on SQLite, each value's storage class and literal
    (a date must be the very same text, not just parse to the same instant)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            cols = [r[1] for r in conn.execute(text(f"PRAGMA table_info({table})"))]
            listed = ", ".join(f"typeof({c}) || ':' || quote({c})" for c in cols)
            row = conn.execute(text(f"SELECT {listed} FROM {table} WHERE id = :i"),
                               {"i": row_id}).one()
            return dict(zip(cols, row, strict=True))
        return dict(conn.execute(text(f"SELECT * FROM {table} WHERE id = :i"),
                                 {"i": row_id}).mappings().one())


def test_insert_article_stores_what_core_stores(
    engine: Engine, source_ids: dict[str, int]
) -> None:
    art = _article(1)
    with engine.begin() as conn:
        art.story_id = repo.create_story(conn, "Une histoire", "fr", NOW)
        image = images.add_pending(conn, "http://img/1.jpg", NOW)
        first = repo.insert_article(conn, source_ids["a"], "x", _article(9), NOW)
        driver = repo.insert_article(conn, source_ids["b"], "same", art, NOW, first, image)
        core = conn.execute(insert(articles), {
            **repo._article_values(art), "source_id": source_ids["a"], "image_id": image,
            "ident": "core", "published_at": art.published_at, "fetched_at": NOW,
            "story_id": art.story_id, "duplicate_of": first, "version": 1,
        }).inserted_primary_key
        assert core is not None
    got, want = _stored(engine, "articles", driver), _stored(engine, "articles", core[0])
    for row in (got, want):
        row.pop("id"), row.pop("source_id"), row.pop("ident")
    assert got == want


def test_story_and_pending_image_rows_are_what_core_stores(engine: Engine) -> None:
    when = datetime(2026, 3, 2, 1, 2, 3, tzinfo=PARIS)
    with engine.begin() as conn:
        story = repo.create_story(conn, "Titre", "ar", when)
        core_story = conn.execute(insert(stories).values(
            title="Titre", lang="ar", first_seen=when, last_seen=when, article_count=0,
            source_count=0)).inserted_primary_key
        image = images.add_pending(conn, "http://img/é.jpg", when)
        core_image = conn.execute(insert(images_table).values(
            source_url="http://img/é.jpg", status=images.PENDING, created_at=when,
        )).inserted_primary_key
        assert core_story is not None and core_image is not None
    for table, mine, theirs in (("stories", story, core_story[0]),
                                ("images", image, core_image[0])):
        got, want = _stored(engine, table, mine), _stored(engine, table, theirs)
        got.pop("id"), want.pop("id")
        assert got == want


def test_sqlite_dates_shortcut_gives_the_dialects_own_text() -> None:
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    type_ = articles.c.published_at.type
    proc = type_.dialect_impl(dialect).bind_processor(dialect)
    assert proc is not None
    fast = repo._faster(type_, dialect, proc)
    assert fast is not proc  # the shortcut is in use, so this test exercises it
    rnd = random.Random(7)
    zones = [UTC, timezone(timedelta(0)), PARIS,
             timezone(timedelta(hours=-9, minutes=-30)), timezone(timedelta(hours=14))]
    for _ in range(5000):
        value = datetime(rnd.randint(1, 9998), rnd.randint(1, 12), rnd.randint(1, 28),
                         rnd.randint(0, 23), rnd.randint(0, 59), rnd.randint(0, 59),
                         rnd.choice([0, 1, 999999, rnd.randint(0, 999999)]),
                         tzinfo=rnd.choice(zones))
        assert fast(value) == proc(value)
    assert fast(None) is None
    with pytest.raises(ValueError):
        fast(datetime(2026, 1, 1))  # naive: refused, as the type refuses it
    with pytest.raises(TypeError):
        fast("2026-01-01")


def test_errors_are_wrapped_as_core_wraps_them(
    engine: Engine, source_ids: dict[str, int]
) -> None:
    with engine.begin() as conn:
        repo.insert_article(conn, source_ids["a"], "dup", _article(1), NOW)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        repo.insert_article(conn, source_ids["a"], "other", _article(2), NOW)
        repo.insert_article(conn, source_ids["a"], "dup", _article(3), NOW)
    with engine.connect() as conn:  # the failed transaction left nothing behind
        assert conn.execute(select(func.count()).select_from(articles)).scalar() == 1


def test_a_connection_outside_a_transaction_begins_one(
    engine: Engine, source_ids: dict[str, int]
) -> None:
    with engine.connect() as conn:
        kept = repo.insert_article(conn, source_ids["a"], "kept", _article(1), NOW)
        assert conn.in_transaction()
        conn.commit()
        repo.insert_article(conn, source_ids["a"], "dropped", _article(2), NOW)
        # closed without commit: rolled back, as with conn.execute
    with engine.connect() as conn:
        assert conn.execute(select(articles.c.id)).scalars().all() == [kept]


def _tricky_idents(engine: Engine) -> list[str]:
    idents = ["plain", "l'été", 'quo"te', "back\\slash", "[1, 2]", "null", "1", " spaced ",
              "tab\tnew\nline", "😀 émoji", "\u2028", "", "ا٣"]
    if engine.dialect.name == "sqlite":  # PostgreSQL text cannot hold a NUL at all
        idents += ["nul\x00inside", "\x00"]
    return idents


def test_in_list_finds_what_an_expanding_in_finds(
    engine: Engine, source_ids: dict[str, int]
) -> None:
    idents = _tricky_idents(engine)
    with engine.begin() as conn:
        for n, ident in enumerate(idents):
            repo.insert_article(conn, source_ids["a"], ident, _article(n, content_hash=ident),
                                NOW)
        asked = [*idents[::2], "absent", "nul", "plai"]
        known = repo.known_articles(conn, source_ids["a"], asked)
        reference = {
            r.ident: r.id for r in conn.execute(select(articles.c.ident, articles.c.id).where(
                articles.c.source_id == source_ids["a"], articles.c.ident.in_(asked)))
        }
        assert {k: v.id for k, v in known.items()} == reference
        assert sorted(known) == sorted(idents[::2])
        # without any NUL the list goes through the driver, and still finds everything
        clean = [i for i in idents if "\x00" not in i]
        assert set(repo.known_articles(conn, source_ids["a"], clean)) == set(clean)
        assert set(repo.find_exact_duplicates(conn, idents, source_ids["b"])) == set(idents) - {""}
        assert repo.find_exact_duplicates(conn, idents, source_ids["a"]) == {}
        urls = {u: images.add_pending(conn, u, NOW) for u in idents if u}
        assert images.add_pending_many(conn, idents, NOW) == urls


def test_known_articles_reads_booleans_and_versions(
    engine: Engine, source_ids: dict[str, int]
) -> None:
    with engine.begin() as conn:
        on = repo.insert_article(conn, source_ids["a"], "on", _article(1, full_text=True), NOW)
        off = repo.insert_article(conn, source_ids["a"], "off", _article(2, full_text=False),
                                  NOW)
        known = repo.known_articles(conn, source_ids["a"], ["on", "off", "on"])
    assert known == {
        "on": repo.KnownArticle(on, "h1", _article(1).title, 1, True),
        "off": repo.KnownArticle(off, "h2", _article(2).title, 1, False),
    }
    assert known["on"].full_text is True and known["off"].full_text is False


def test_recent_articles_with_every_bound(engine: Engine, source_ids: dict[str, int]) -> None:
    long_text = "mot " * 400
    with engine.begin() as conn:
        ids = [
            repo.insert_article(conn, source_ids["ab"[n % 2]], f"r{n}", _article(
                n, published_at=NOW - timedelta(hours=n), text=long_text if n % 3 else ""),
                NOW)
            for n in range(12)
        ]
    since, before = NOW - timedelta(hours=9), NOW - timedelta(hours=2)
    cases: list[dict[str, Any]] = [
        {}, {"after_id": ids[3]}, {"before": before}, {"after_id": ids[3], "before": before},
        {"limit": 3}, {"after_id": ids[1], "before": before, "limit": 2},
    ]
    with engine.connect() as conn:
        for bounds in cases:
            got = repo.recent_articles(conn, since, **bounds)
            query = (
                select(articles.c.id, articles.c.source_id, articles.c.story_id,
                       articles.c.title,
                       func.coalesce(func.nullif(func.substr(articles.c.text, 1, 600), ""),
                                     articles.c.summary),
                       articles.c.lang, articles.c.simhash, articles.c.published_at)
                .where(articles.c.published_at >= since)
                .order_by(articles.c.published_at.desc())
                .limit(bounds.get("limit", 5000))
            )
            if "after_id" in bounds:
                query = query.where(articles.c.id > bounds["after_id"])
            if "before" in bounds:
                query = query.where(articles.c.published_at < bounds["before"])
            want = [repo.RecentArticle(*r[:4], r[4] or "", *r[5:])
                    for r in conn.execute(query)]
            assert got == want and got
            assert all(len(r.text) <= 600 and r.published_at.tzinfo is not None for r in got)
            # no text: the summary stands in (the story signature's basis at ingest)
            assert {r.text for r in got if (ids.index(r.id) % 3) == 0} <= {"résumé\nsur deux"}
        assert sorted(repo.recent_publication_times(conn, source_ids["a"], NOW, days=1)) == [
            NOW - timedelta(hours=n) for n in range(10, -1, -2)]


def test_story_counts_copy_the_dates_as_stored(
    engine: Engine, source_ids: dict[str, int]
) -> None:
    with engine.begin() as conn:
        story = repo.create_story(conn, "s", "fr", NOW)
        for n in range(3):
            repo.insert_article(conn, source_ids["ab"[n % 2]], f"s{n}", _article(
                n, story_id=story, published_at=NOW - timedelta(minutes=n, microseconds=n)),
                NOW)
        repo.refresh_story_counts(conn, [story])
        if engine.dialect.name == "sqlite":
            first, last = conn.execute(text(
                "SELECT quote(first_seen), quote(last_seen) FROM stories")).one()
            # the very text Core binds for these dates
            type_ = articles.c.published_at.type
            core_text = type_.dialect_impl(engine.dialect).bind_processor(engine.dialect)
            assert core_text is not None
            assert first == f"'{core_text(NOW - timedelta(minutes=2, microseconds=2))}'"
            assert last == f"'{core_text(NOW)}'" == "'2026-03-02 09:00:00.000000'"
    with engine.connect() as conn:
        row = conn.execute(select(stories)).one()
    assert (row.article_count, row.source_count) == (3, 2)
    assert (row.first_seen, row.last_seen) == (NOW - timedelta(minutes=2, microseconds=2), NOW)


def test_recent_articles_stored_after_keep_the_order_of_ties(
    engine: Engine, source_ids: dict[str, int]
) -> None:
    """SQLite finds what was stored after an id from the rowid up: same rows, and the
    order the publication index gave, ties (equal times) included, up to the limit."""
    times = [NOW - timedelta(minutes=n % 4) for n in range(30)]
    with engine.begin() as conn:
        ids = [repo.insert_article(conn, source_ids["ab"[n % 2]], f"t{n}",
                                   _article(n, published_at=when), NOW)
               for n, when in enumerate(times)]
    since = NOW - timedelta(minutes=2)
    with engine.connect() as conn:
        for after, limit, before in [(ids[4], 5000, None), (ids[4], 7, None), (ids[0], 3, None),
                                     (ids[9], 5000, NOW), (ids[9], 4, NOW)]:
            got = repo.recent_articles(conn, since, limit=limit, after_id=after, before=before)
            query = (
                select(articles.c.id)  # the query as Core runs it (publication index)
                .where(articles.c.published_at >= since, articles.c.id > after)
                .order_by(articles.c.published_at.desc())
                .limit(limit)
            )
            if before is not None:
                query = query.where(articles.c.published_at < before)
            assert [r.id for r in got] == conn.execute(query).scalars().all()
            assert got
