"""The write path of a refresh (articles, stories, pending images), on both engines.

These functions run once or more per new article with prebuilt statements; the tests
pin what they store, so that a faster statement cannot store something else.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from kiosque.models import Article
from kiosque.store import images, repo
from kiosque.store.tables import articles, stories
from kiosque.store.tables import images as images_table

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _article(n: int, **changes: object) -> Article:
    values: dict[str, object] = {
        "source_slug": "a", "url": f"http://x/{n}", "canonical_url": f"http://x/{n}",
        "title": f"Titre {n}", "guid": f"g{n}", "summary": "résumé", "content_html": "<p>t</p>",
        "text": f"texte {n}", "author": "Auteur", "published_at": NOW - timedelta(hours=n),
        "lang": "fr", "section": "Monde", "image_url": "", "full_text": True,
        "content_hash": f"h{n}", "simhash": -(2 ** 62) + n,
    }
    values.update(changes)
    return Article(**values)  # type: ignore[arg-type]


def test_insert_article_stores_every_field(engine: Engine, source_ids: dict[str, int]) -> None:
    art = _article(1, author="x" * 400, section="s" * 150, published_at=None)
    with engine.begin() as conn:
        story = repo.create_story(conn, "Une histoire", "fr", NOW)
        image = images.add_pending(conn, "http://img/1.jpg", NOW)
        art.story_id = story
        first = repo.insert_article(conn, source_ids["a"], "g1", _article(2), NOW)
        new_id = repo.insert_article(conn, source_ids["b"], "g1", art, NOW, first, image)
    with engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.id == new_id)).mappings().one()
    assert new_id != first
    assert row["source_id"] == source_ids["b"] and row["ident"] == "g1"
    assert row["published_at"] == NOW and row["fetched_at"] == NOW  # no date: fetch time
    assert row["updated_at"] is None and row["version"] == 1
    assert row["story_id"] == story and row["duplicate_of"] == first
    assert row["image_id"] == image
    assert row["author"] == "x" * 300 and row["section"] == "s" * 100
    assert row["full_text"] is True and row["simhash"] == -(2 ** 62) + 1
    assert (row["title"], row["summary"], row["text"], row["lang"], row["content_hash"]) == (
        "Titre 1", "résumé", "texte 1", "fr", "h1")


def test_find_exact_duplicate_is_the_oldest_from_another_source(
    engine: Engine, source_ids: dict[str, int]
) -> None:
    a, b, c = source_ids["a"], source_ids["b"], source_ids["c"]
    with engine.begin() as conn:
        own = repo.insert_article(conn, a, "1", _article(1, content_hash="same"), NOW)
        older = repo.insert_article(conn, b, "2", _article(2, content_hash="same"), NOW)
        repo.insert_article(conn, c, "3", _article(3, content_hash="same"), NOW)
        assert repo.find_exact_duplicate(conn, "same", a) == older
        assert repo.find_exact_duplicate(conn, "same", b) == own
        assert repo.find_exact_duplicate(conn, "other", a) is None
        assert repo.find_exact_duplicate(conn, "", a) is None


def test_refresh_story_counts(engine: Engine, source_ids: dict[str, int]) -> None:
    a, b = source_ids["a"], source_ids["b"]
    with engine.begin() as conn:
        s1 = repo.create_story(conn, "un", "fr", NOW)
        s2 = repo.create_story(conn, "deux", "fr", NOW)
        empty = repo.create_story(conn, "vide", "fr", NOW - timedelta(days=3))
        for n, (src, story) in enumerate([(a, s1), (a, s1), (b, s1), (b, s2)]):
            art = _article(n, story_id=story)
            repo.insert_article(conn, src, f"i{n}", art, NOW)
        repo.refresh_story_counts(conn, [s1, s2, s1, empty])
        repo.refresh_story_counts(conn, [])
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(stories))}
    assert (rows[s1].article_count, rows[s1].source_count) == (3, 2)
    assert (rows[s1].first_seen, rows[s1].last_seen) == (NOW - timedelta(hours=2), NOW)
    assert (rows[s2].article_count, rows[s2].source_count) == (1, 1)
    assert rows[s2].first_seen == rows[s2].last_seen == NOW - timedelta(hours=3)
    # a story without articles keeps what it had
    assert (rows[empty].article_count, rows[empty].first_seen) == (0, NOW - timedelta(days=3))


def test_refresh_story_counts_many_stories(engine: Engine, source_ids: dict[str, int]) -> None:
    with engine.begin() as conn:
        ids = [repo.create_story(conn, f"s{n}", "fr", NOW) for n in range(1203)]
        for n, sid in enumerate(ids):
            repo.insert_article(conn, source_ids["a"], f"i{n}", _article(n, story_id=sid), NOW)
        repo.refresh_story_counts(conn, ids)
        counts = dict(conn.execute(select(stories.c.id, stories.c.article_count)).all())
    assert all(counts[sid] == 1 for sid in ids)


def test_add_pending_reuses_the_latest_row_of_a_url(engine: Engine) -> None:
    with engine.begin() as conn:
        first = images.add_pending(conn, "http://img/a.jpg", NOW)
        assert images.add_pending(conn, "http://img/a.jpg", NOW) == first
        other = images.add_pending(conn, "http://img/b.jpg")
        assert other != first
        # a URL may have several rows (new bytes later): the latest one is reused
        newer = images.mark_broken(conn, "http://img/c.jpg", "gone", NOW)
        conn.execute(images_table.insert().values(
            source_url="http://img/c.jpg", status=images.OK, created_at=NOW))
        latest = conn.execute(select(images_table.c.id).order_by(
            images_table.c.id.desc())).scalar()
        assert latest != newer
        assert images.add_pending(conn, "http://img/c.jpg", NOW) == latest
    with engine.connect() as conn:
        record = images.get_image(conn, first)
    assert record is not None
    assert (record.status, record.created_at, record.mime, record.error) == (
        images.PENDING, NOW, "", "")
    assert record.report_count == 0 and record.sha256 is None


def test_find_exact_duplicates_answers_as_one_call_per_hash(
    engine: Engine, source_ids: dict[str, int]
) -> None:
    a, b, c = source_ids["a"], source_ids["b"], source_ids["c"]
    with engine.begin() as conn:
        for n, (src, digest) in enumerate([(a, "h1"), (b, "h1"), (c, "h1"), (a, "h2"),
                                           (b, "h3"), (c, "h3")]):
            repo.insert_article(conn, src, f"i{n}", _article(n, content_hash=digest), NOW)
        hashes = ["h1", "h2", "h3", "h4", "", "h1"] + [f"x{n}" for n in range(1100)]
        for src in (a, b, c):
            found = repo.find_exact_duplicates(conn, hashes, src)
            expected = {h: repo.find_exact_duplicate(conn, h, src) for h in hashes}
            assert found == {h: i for h, i in expected.items() if i is not None}
        assert repo.find_exact_duplicates(conn, [], a) == {}


def test_add_pending_many_gives_the_ids_of_add_pending_in_turn(engine: Engine) -> None:
    urls = ["http://img/b", "http://img/known", "http://img/a", "", "http://img/b",
            *[f"http://img/n{n}" for n in range(600)]]
    with engine.begin() as conn:
        known = images.add_pending(conn, "http://img/known", NOW)
        got = images.add_pending_many(conn, urls, NOW)
        assert got["http://img/known"] == known
        assert "" not in got
        # new rows in the order given, so the same ids as one call per URL
        fresh = [got[u] for u in dict.fromkeys(urls) if u and u != "http://img/known"]
        assert fresh == sorted(fresh) == list(range(fresh[0], fresh[0] + len(fresh)))
        assert all(images.add_pending(conn, u, NOW) == got[u] for u in urls if u)
        assert images.add_pending_many(conn, [], NOW) == {}
        record = images.get_image(conn, got["http://img/a"])
    assert record is not None and (record.status, record.created_at) == (images.PENDING, NOW)
