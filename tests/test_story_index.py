"""The ingester's window of recent articles: grown back in steps, backfills kept apart.

Why: commits do not arrive in publication order (several sources at once, and worker
processes interleave hosts), so the window is asked to move back and forth. It must
still cluster each batch against the articles of its own period, without reloading days
of articles for each batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine

from kiosque import enrich
from kiosque.models import Article, Source
from kiosque.store import repo
from kiosque.store.engine import make_engine, migrate
from kiosque.story_index import StoryIndex

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
WINDOW = timedelta(hours=48)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    migrate(eng)
    with eng.begin() as conn:
        repo.sync_sources(conn, [Source(slug="a", name="A", feed_url="http://a.test/f"),
                                 Source(slug="b", name="B", feed_url="http://b.test/f")], NOW)
    yield eng
    eng.dispose()


def _store(conn: Connection, source_id: int, ident: str, title: str, when: datetime) -> int:
    """An article in its own story, as the ingester would leave it."""
    text = f"{title}. " * 5
    art = Article(source_slug="a", url=f"http://a.test/{ident}",
                  canonical_url=f"http://a.test/{ident}", title=title, text=text,
                  published_at=when, lang="fr", content_hash=enrich.content_hash(text),
                  simhash=enrich.simhash64(text, "fr"))
    art.story_id = repo.create_story(conn, title, "fr", when)
    return repo.insert_article(conn, source_id, ident, art, NOW)


def _sig(title: str) -> enrich.StorySignature:
    return enrich.story_signature(title, f"{title}. " * 5, "fr")


def test_the_window_grows_back_without_losing_what_it_holds(engine: Engine) -> None:
    with engine.begin() as conn:
        recent = _store(conn, 1, "r", "Le port de Tanger double ses capacités", NOW)
        older = _store(conn, 1, "o", "Inondations record dans la vallée du Souss",
                       NOW - timedelta(hours=60))
        index = StoryIndex()
        assert index.for_batch(conn, NOW - WINDOW, NOW + WINDOW) is index
        assert index.story_of(recent) is not None and index.story_of(older) is None
        later = _store(conn, 2, "l", "Tanger: le port double ses capacités", NOW)
        # a batch from 60 h ago overlaps the window: it grows back over the gap only,
        # and keeps (and tops up) what it already held
        assert index.for_batch(conn, NOW - timedelta(hours=70), NOW) is index
        assert index.story_of(older) is not None and index.story_of(later) is not None
        assert index.best_story(_sig("Inondations record dans la vallée du Souss")) == \
            index.story_of(older)


def test_a_backfill_older_than_the_window_gets_its_own_stretch(engine: Engine) -> None:
    last_year = NOW - timedelta(days=365)
    with engine.begin() as conn:
        recent = _store(conn, 1, "r", "Le port de Tanger double ses capacités", NOW)
        old = _store(conn, 1, "old", "Sécheresse: les barrages à leur plus bas niveau",
                     last_year)
        index = StoryIndex()
        index.refresh(conn, NOW - WINDOW)
        stretch = index.for_batch(conn, last_year - WINDOW, last_year + WINDOW)
        assert stretch is not index
        assert stretch.story_of(old) is not None and stretch.story_of(recent) is None
        assert stretch.best_story(_sig("Sécheresse: les barrages à leur plus bas niveau")) \
            == stretch.story_of(old)
        # the main window neither moved nor forgot its articles
        assert index.story_of(recent) is not None and index.story_of(old) is None
        assert index.best_story(_sig("Sécheresse: les barrages à leur plus bas niveau")) \
            is None


def test_best_story_skips_only_stories_that_could_not_score() -> None:
    """The token prefilter gives the answer of comparing with every story in the window."""
    from tests.enrich.enrich_story_events import ARTICLES

    index = StoryIndex()
    joined = 0
    for n, (_event, lang, title, lead) in enumerate(ARTICLES * 3, start=1):
        sig = enrich.story_signature(title, lead, lang)
        everything = [index.candidate(story_id) for story_id in index.story_ids()]
        expected = enrich.assign_story(sig, everything, index.threshold)
        assert index.best_story(sig) == expected, title
        joined += expected is not None
        art = Article(source_slug="a", url=f"http://a.test/{n}", canonical_url="",
                      title=title, text=lead, published_at=NOW + timedelta(minutes=n),
                      lang=lang)
        art.story_id = expected if expected is not None else 1000 + n
        index.add(n, 1 + n % 3, art, sig)
    assert joined > len(ARTICLES)  # the comparison was exercised, not only new stories
