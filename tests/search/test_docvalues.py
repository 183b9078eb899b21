"""The per-process column copies stay true to the database they were read from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from sqlalchemy import Engine, text, update

from kiosque.search import backend_for, docvalues
from kiosque.search.base import SqlSearchBackend, analyze_article
from kiosque.search.tables import search_state
from kiosque.store.engine import alembic_config, make_engine, migrate
from kiosque.store.tables import articles
from tests.search.search_corpus import GenArticle, generate
from tests.search.search_loader import insert_articles


def _doc(key: str, section: str, when: datetime, source: str = "fr-a") -> GenArticle:
    return GenArticle(
        key=key, lang="fr", source=source, section=section, author="Claire Martin",
        title=f"Marché couvert {key}", summary="", text="Le marché couvert rouvre ses portes.",
        published=when,
    )


def test_a_reindexed_article_moves_between_filters_facets_and_dates(engine: Engine) -> None:
    """An update seen by the same process without a restart: the arrays are refreshed
    from the write counter, not loaded once."""
    backend = backend_for(engine.dialect.name)
    early, late = datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 9, tzinfo=UTC)
    with engine.begin() as conn:
        ids = insert_articles(conn, [_doc("a", "Économie", early), _doc("b", "Sport", late)])
        backend.index(conn, list(ids.values()))
    with engine.connect() as conn:
        assert [h.article_id for h in backend.search(conn, "marché section:économie").hits] == [
            ids["a"]]
        assert backend.search(conn, "marché", sort="date").hits[0].article_id == ids["b"]
    with engine.begin() as conn:
        conn.execute(update(articles).where(articles.c.id == ids["a"]).values(
            section="Sport", published_at=datetime(2026, 1, 12, tzinfo=UTC)))
        backend.index(conn, [ids["a"]])
    with engine.connect() as conn:
        assert backend.search(conn, "marché section:économie").total == 0
        r = backend.search(conn, "marché section:sport", sort="date")
        assert [h.article_id for h in r.hits] == [ids["a"], ids["b"]]
        assert {(f.value, f.count) for f in r.facets.day} == {("2026-01-12", 1),
                                                              ("2026-01-09", 1)}
        assert backend.search(conn, "marché after:2026-01-10").total == 1
        assert backend.search(conn, "marché before:2026-01-10").total == 1


def test_two_databases_never_share_arrays(tmp_path: Path) -> None:
    """Same article ids, different sources: each database answers from its own rows."""
    engines = []
    for name, source in (("one", "fr-a"), ("two", "fr-b")):
        engine = make_engine(f"sqlite:///{tmp_path / f'{name}.db'}")
        migrate(engine)
        with engine.begin() as conn:
            ids = insert_articles(conn, [_doc("x", "Culture", datetime(2026, 1, 2, tzinfo=UTC),
                                              source=source)])
            backend_for("sqlite").index(conn, list(ids.values()))
        engines.append((engine, source))
    for engine, source in engines:
        with engine.connect() as conn:
            r = backend_for("sqlite").search(conn, "marché")
            assert [f.value for f in r.facets.source] == [source]
            assert backend_for("sqlite").search(conn, f"marché source:{source}").total == 1
            generation = conn.execute(text("SELECT generation FROM search_state")).scalar()
            assert generation
        engine.dispose()


def test_a_match_written_after_the_refresh_is_loaded_by_id(engine: Engine) -> None:
    backend = backend_for(engine.dialect.name)
    assert isinstance(backend, SqlSearchBackend)
    with engine.begin() as conn:
        first = insert_articles(conn, [_doc("a", "Culture", datetime(2026, 1, 2, tzinfo=UTC))])
        backend.index(conn, list(first.values()))
    m = backend.meta
    epoch = backend._epoch_seconds(m.c.published_at)
    with engine.connect() as conn:
        dv = docvalues.current(conn, m, epoch)
    with engine.begin() as conn:
        later = insert_articles(conn, [_doc("b", "Sport", datetime(2026, 1, 3, tzinfo=UTC))])
        backend.index(conn, list(later.values()))
    new_id = np.array([later["b"]], dtype=np.int64)
    assert not dv.cols.has(new_id).any()
    with engine.connect() as conn:
        docvalues.fill_unknown(conn, dv, m, epoch, new_id, backend._id_in)
    assert dv.cols.has(new_id).all()
    assert dv.section_names[dv.cols.section[later["b"]]] == "sport"
    assert dv.cols.epoch[later["b"]] == int(datetime(2026, 1, 3, tzinfo=UTC).timestamp())


def test_an_unknown_source_slug_matches_nothing(engine: Engine) -> None:
    backend = backend_for(engine.dialect.name)
    with engine.begin() as conn:
        ids = insert_articles(conn, [_doc("a", "Culture", datetime(2026, 1, 2, tzinfo=UTC))])
        backend.index(conn, list(ids.values()))
    with engine.connect() as conn:
        assert backend.search(conn, "marché source:nowhere").total == 0
        assert backend.search(conn, "marché source:fr-a").total == 1
        assert conn.execute(search_state.select()).one().seq >= 1


@pytest.mark.parametrize("with_meta", [True, False])
def test_upgrade_rebuilds_a_two_column_fts_index_with_tags(tmp_path: Path,
                                                          with_meta: bool) -> None:
    """A database indexed before revision 0005 (FTS5 without ``tags``, rows without
    ``seq``, no ``search_state``, perhaps no ``search_meta`` at all) gets the new index,
    from the tokens it held, and answers filtered queries."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0004")
    with engine.begin() as conn:
        ids = insert_articles(conn, generate()[:60])
        conn.execute(text("DROP TABLE search_fts"))
        conn.execute(text(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, "
            "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"))
        for row in conn.execute(text("SELECT id, lang, title, summary, text FROM articles")):
            doc = analyze_article(*row)
            conn.execute(text("INSERT INTO search_fts(rowid, title, body) VALUES (:i, :t, :b)"),
                         {"i": doc.article_id, "t": " ".join(doc.title_tokens),
                          "b": " ".join(doc.body_tokens)})
        conn.execute(text(
            "INSERT INTO search_meta (id, source_id, lang, section, author, published_at) "
            "SELECT id, source_id, lang, section, author, published_at FROM articles"))
        conn.execute(text("DROP TABLE search_state"))
        conn.execute(text("DROP INDEX ix_search_meta_seq"))
        conn.execute(text("ALTER TABLE search_meta DROP COLUMN seq"))
        if not with_meta:  # the first form of revision 0002 had no search_meta
            conn.execute(text("DROP TABLE search_meta"))
    migrate(engine)
    backend = backend_for("sqlite")
    with engine.connect() as conn:
        columns = [r[1] for r in conn.execute(text("PRAGMA table_info(search_fts)"))]
        assert columns == ["title", "body", "tags"]
        assert conn.execute(text("SELECT count(*) FROM search_fts")).scalar() == len(ids)
        everything = backend.search(conn, "gouvernement", per_page=100)
        assert everything.total > 0
        slug = everything.hits[0].source_slug
        expected = sum(h.source_slug == slug for h in everything.hits)
        assert backend.search(conn, f"gouvernement source:{slug}").total == expected
    engine.dispose()


@pytest.mark.parametrize("section", ["Économie", "Rédaction / MAP", "sport"])
def test_section_tags_ignore_case(section: str) -> None:
    from kiosque.search.sqlite_fts import section_tag

    assert section_tag(section) == section_tag(section.upper())
    assert section_tag(section).startswith("sec_") and " " not in section_tag(section)


def test_an_index_row_without_its_columns_is_skipped_not_a_crash(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    migrate(engine)
    backend = backend_for("sqlite")
    with engine.begin() as conn:
        ids = insert_articles(conn, [_doc("a", "Culture", datetime(2026, 1, 2, tzinfo=UTC)),
                                     _doc("b", "Culture", datetime(2026, 1, 3, tzinfo=UTC))])
        backend.index(conn, list(ids.values()))
        conn.execute(text("DELETE FROM search_meta WHERE id = :i"), {"i": ids["a"]})
    with engine.connect() as conn:
        r = backend.search(conn, "marché")
        assert r.total == 1 and [h.article_id for h in r.hits] == [ids["b"]]
    engine.dispose()


def test_newest_first_sorts_only_what_the_page_needs_and_breaks_ties_by_id() -> None:
    from kiosque.search.base import _newest_first

    rng = np.random.default_rng(7)
    epoch = rng.integers(0, 50, size=2_000).astype(np.int64)  # many ties
    ids = np.arange(1, 2_001, dtype=np.int64)
    full = np.lexsort((-ids, -epoch))
    for k in (1, 20, 137, 2_000, 5_000):
        assert list(_newest_first(epoch, ids, k)) == list(full[:k])


def test_the_site_loads_the_columns_at_start_up_and_survives_an_unmigrated_index(
    tmp_path: Path,
) -> None:
    from fastapi.testclient import TestClient

    from kiosque.config import Settings
    from kiosque.web.app import create_app

    engine = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    migrate(engine)
    with engine.begin() as conn:
        ids = insert_articles(conn, [_doc("a", "Culture", datetime(2026, 1, 2, tzinfo=UTC))])
        backend_for("sqlite").index(conn, list(ids.values()))
        generation, seq = conn.execute(search_state.select()).one()
    with TestClient(create_app(Settings(page_cache_s=0), engine)):
        dv = docvalues._indexes[generation]
        assert dv.seq == seq and dv.cols.has(np.array([ids["a"]], dtype=np.int64)).all()
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE search_state"))
    with TestClient(create_app(Settings(page_cache_s=0), engine)) as client:
        assert client.get("/fr/").status_code == 200  # warm-up failed, logged, site up
    engine.dispose()


def test_growing_the_arrays_never_changes_a_set_a_search_holds() -> None:
    dv = docvalues.DocValues()
    dv.put([(3, 1, "fr", "Sport", 100)])
    held = dv.cols
    dv.put([(50_000, 2, "ar", "Culture", 200)])  # past the capacity: a new set
    assert dv.cols is not held and len(held.known) < 50_000
    assert held.has(np.array([3, 50_000], dtype=np.int64)).tolist() == [True, False]
    assert dv.cols.has(np.array([3, 50_000], dtype=np.int64)).tolist() == [True, True]
    assert dv.cols.source[3] == 1 and dv.cols.epoch[50_000] == 200
