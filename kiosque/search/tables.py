"""Search structures, per engine; owned here because they differ between engines.

SQLite: ``search_fts``, an FTS5 table of analyzed tokens (title and body columns),
whose rowid is the article id. Its tokenizer keeps ``_`` inside tokens so that the
language prefix stays attached (``fr_gouvern``); diacritics were already folded by
``analysis``, so the tokenizer must not fold again.

PostgreSQL: ``search_docs``, one ``tsvector`` per article built from the very same
tokens (cast from a literal, never through a text-search parser), under a GIN index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.sql import column, table

from kiosque.store.tables import UTC, articles

search_metadata = MetaData()

FTS5_TABLE = "search_fts"
FTS5_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS5_TABLE} USING fts5("
    "title, body, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
)
FTS5_DROP = f"DROP TABLE IF EXISTS {FTS5_TABLE}"

# Core handle on the FTS5 table, enough to select and join; it is created by raw DDL.
search_fts: Any = table(FTS5_TABLE, column("rowid", Integer), column("title"), column("body"))

# SQLite only: the columns a match is filtered, faceted and ranked by, copied out of
# ``articles``. An articles row carries the whole text, and SQLite must walk a row's
# overflow pages to reach the columns stored after it: joining tens of thousands of
# matches to this narrow table instead is what keeps large result sets fast.
search_meta = Table(
    "search_meta",
    search_metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, nullable=False),
    Column("lang", String(16), nullable=False),
    Column("section", String(100), nullable=False),
    Column("author", String(300), nullable=False),
    Column("published_at", UTC, nullable=False),
    Index("ix_search_meta_published", "published_at"),
)

# PostgreSQL: besides the vector, the same filter, facet and date columns as
# ``search_meta`` (nullable: migration 0004 added them to existing rows). A search
# then never reads ``articles``, whose rows carry whole texts, until the page's hits.
search_docs = Table(
    "search_docs",
    search_metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey(articles.c.id, ondelete="CASCADE"),
        primary_key=True,
        key="id",
    ),
    Column("vec", TSVECTOR, nullable=False),
    Column("source_id", Integer),
    Column("lang", String(16)),
    Column("section", String(100)),
    Column("author", String(300)),
    Column("published_at", UTC),
    Index("ix_search_docs_published", "published_at"),
)
PG_GIN_INDEX = "ix_search_docs_vec"
PG_META_COLUMNS = ("source_id", "lang", "section", "author", "published_at")
