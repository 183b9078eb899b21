"""The ingester's window of recent articles: grown back in steps, backfills kept apart.

Why: commits do not arrive in publication order (several sources at once, and worker
processes interleave hosts), so the window is asked to move back and forth. It must
still cluster each batch against the articles of its own period, without reloading days
of articles for each batch.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Connection, Engine

from kiosque import enrich
from kiosque.models import Article, Source
from kiosque.store import repo
from kiosque.store.engine import make_engine, migrate
from kiosque.story_index import MAX_MEMBERS, NEAR_DUP_DISTANCE, StoryIndex

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


def _add(index: StoryIndex, article_id: int, source_id: int, story_id: int | None,
         sig: enrich.StorySignature, when: datetime, simhash: int = 0) -> None:
    art = Article(source_slug="a", url=f"http://a.test/{article_id}", canonical_url="",
                  title="", text="", published_at=when, lang=sig.lang, simhash=simhash)
    art.story_id = story_id
    index.add(article_id, source_id, art, sig)


@pytest.mark.parametrize("threshold", [0.15, 0.3, 0.5])
def test_best_story_out_of_publication_order(threshold: float) -> None:
    """Why: batches interleave, so members arrive out of publication order; the members a
    story is compared through must stay its latest, as sorting all of them would give."""
    from tests.enrich.enrich_story_events import ARTICLES

    rng = random.Random(threshold)
    index = StoryIndex(threshold)
    everyone: dict[int, list[tuple[datetime, enrich.StorySignature]]] = {}
    for n, (_event, lang, title, lead) in enumerate(ARTICLES * 4, start=1):
        sig = enrich.story_signature(title, lead if n % 3 else "", lang)
        candidates = [index.candidate(story_id) for story_id in index.story_ids()]
        expected = enrich.assign_story(sig, candidates, threshold)
        assert index.best_story(sig) == expected, title
        story = expected if expected is not None else 1000 - n  # ids not in arrival order
        when = NOW + timedelta(minutes=rng.randrange(8))  # equal times: arrival order
        _add(index, n, 1, story, sig, when)
        everyone.setdefault(story, []).append((when, sig))
    for story_id, members in everyone.items():
        latest = sorted(members, key=lambda m: m[0], reverse=True)[:MAX_MEMBERS]
        assert index.candidate(story_id).members == tuple(sig for _, sig in latest)


def test_best_story_ties_go_to_the_latest_then_the_lowest_id() -> None:
    sig = _sig("Inondations record dans la vallée du Souss")
    index = StoryIndex()
    _add(index, 1, 1, 9, sig, NOW)
    _add(index, 2, 1, 7, sig, NOW)
    _add(index, 3, 1, 8, sig, NOW)
    assert index.best_story(sig) == 7
    _add(index, 4, 2, 9, sig, NOW + timedelta(minutes=1))
    assert index.best_story(sig) == 9


def test_a_zero_threshold_compares_the_stories_sharing_two_tokens() -> None:
    """Why: at zero, a story scoring zero joins, so which stories are compared decides."""
    index = StoryIndex(threshold=0.0)
    _add(index, 1, 1, 5, _sig("Visite de Benslimane dans une école"), NOW)
    _add(index, 2, 1, 4, _sig("Inondations record dans la vallée du Souss"), NOW)
    # one shared name: a term and an anchor, two tokens, a score of zero
    sig = _sig("Le forum de Benslimane sur l'emploi")
    assert enrich.similarity(sig, index.candidate(5).members[0]) == 0.0
    assert index.best_story(sig) == 5
    assert index.best_story(_sig("Rien en commun ici")) is None


def _nearest_by_scan(window: list[tuple[int, int, int]], simhash: int,
                     source_id: int) -> int | None:
    """The scan near_duplicate replaced: every article of the window, one by one."""
    best: tuple[int, int] | None = None
    if not simhash:
        return None
    for art_id, source, other in window:
        if source == source_id or not other:
            continue
        dist = enrich.hamming(simhash, other)
        if dist <= NEAR_DUP_DISTANCE and (best is None or (dist, art_id) < best):
            best = (dist, art_id)
    return best[1] if best else None


@pytest.mark.parametrize("popcount", ["numpy", "byte table"])
def test_near_duplicate_is_the_scan(popcount: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random hashes clustered around a few, so that many are within reach, with ties,
    the same source, zero hashes, signed and unsigned values, and a re-added article."""
    if popcount == "byte table":
        monkeypatch.delattr(np, "bitwise_count", raising=False)
    rng = random.Random(7)
    bases = [rng.getrandbits(64) for _ in range(6)]

    def near(base: int) -> int:
        value = base
        for _ in range(rng.randrange(5)):
            value ^= 1 << rng.randrange(64)
        return value - (1 << 64) if value >= 1 << 63 and rng.random() < 0.7 else value

    index = StoryIndex()
    window: dict[int, tuple[int, int, int]] = {}
    ids = rng.sample(range(1, 5000), 700)  # not in arrival order, so ties need the id
    for n, art_id in enumerate(ids):
        simhash = 0 if n % 37 == 0 else near(rng.choice(bases))
        source = rng.randrange(1, 6)
        _add(index, art_id, source, None, _sig("x"), NOW, simhash)
        window[art_id] = (art_id, source, simhash)
        if n % 50 == 49:  # the same article remembered again, with another hash
            again = ids[n - 20]
            _add(index, again, 3, None, _sig("x"), NOW, near(bases[0]))
            window[again] = (again, 3, index._articles[again].simhash)
        if n % 5 == 0:
            query = 0 if n % 45 == 0 else near(rng.choice(bases))
            source = rng.randrange(1, 6)
            expected = _nearest_by_scan(list(window.values()), query, source)
            assert index.near_duplicate(query, source) == expected
    found = 0
    for _ in range(300):
        query, source = near(rng.choice(bases)), rng.randrange(1, 6)
        expected = _nearest_by_scan(list(window.values()), query, source)
        assert index.near_duplicate(query, source) == expected
        found += expected is not None
    assert found > 200


def test_a_reloaded_article_keeps_the_signature_it_was_given(engine: Engine) -> None:
    """After a restart the index signs stored articles again: from the start of their
    text, or from their summary when they have none, exactly as at ingest."""
    long_text = " ".join(f"Le barrage numéro {n} de la vallée du Drâa déborde." for n in range(40))
    made = [
        Article(source_slug="a", url=f"http://a.test/{n}", canonical_url=f"http://a.test/{n}",
                title="Crue de l'oued Drâa à Zagora", text=text, summary=summary,
                published_at=NOW, lang="fr", content_hash=f"h{n}", simhash=n + 1)
        for n, (text, summary) in enumerate([
            (long_text, "Résumé court."),
            ("", "Les pompiers de Zagora évacuent trois douars après la crue de l'oued."),
        ])
    ]
    with engine.begin() as conn:
        ids = [repo.insert_article(conn, 1, f"s{n}", art, NOW) for n, art in enumerate(made)]
        index = StoryIndex()
        index.refresh(conn, NOW - WINDOW)
    for art_id, art in zip(ids, made, strict=True):
        assert index._articles[art_id].signature == StoryIndex.signature(art)
    assert "pompi" in StoryIndex.signature(made[1]).terms  # the summary counted
