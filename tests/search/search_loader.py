"""Put the generated corpus into a real database (SQLite file or a PostgreSQL schema)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, select

from kiosque.search import backend_for
from kiosque.store.tables import articles
from kiosque.store.tables import sources as sources_table
from tests.search.search_corpus import GenArticle, generate, sources

NOW = datetime(2026, 3, 2, tzinfo=UTC)


def ensure_sources(conn: Connection) -> dict[str, int]:
    """Create the corpus' publishers; slug -> id."""
    existing = dict(conn.execute(select(sources_table.c.slug, sources_table.c.id)).all())
    for slug, name, lang in sources():
        if slug not in existing:
            existing[slug] = conn.execute(
                insert(sources_table).values(
                    slug=slug, name=name, lang=lang, feed_url=f"http://127.0.0.1/{slug}.xml",
                    created_at=NOW,
                )
            ).inserted_primary_key[0]
    return existing


def insert_articles(conn: Connection, items: list[GenArticle]) -> dict[str, int]:
    """Insert articles (no indexing); key -> id."""
    ids = ensure_sources(conn)
    out: dict[str, int] = {}
    for a in items:
        out[a.key] = conn.execute(
            insert(articles).values(
                source_id=ids[a.source], ident=a.key, url=f"http://127.0.0.1/{a.key}",
                canonical_url=f"http://127.0.0.1/{a.key}", title=a.title, summary=a.summary,
                text=a.text, author=a.author, published_at=a.published, fetched_at=NOW,
                lang=a.lang, section=a.section,
            )
        ).inserted_primary_key[0]
    return out


def load_corpus(engine: Engine) -> dict[str, int]:
    """The whole corpus, written and indexed in one transaction as ingest would."""
    backend = backend_for(engine.dialect.name)
    with engine.begin() as conn:
        keys = insert_articles(conn, generate())
        backend.index(conn, list(keys.values()))
    return keys
