"""Search structures, per engine; owned here because they differ between engines.

SQLite: ``search_fts``, an FTS5 table of analyzed tokens (title and body columns, and
``tags``: a token for the article's source and one for its section, so that those
filters narrow the match itself), whose rowid is the article id. Its tokenizer keeps
``_`` inside tokens so that the language prefix stays attached (``fr_gouvern``);
diacritics were already folded by ``analysis``, so the tokenizer must not fold again.

PostgreSQL: ``search_docs``, one ``tsvector`` per article built from the very same
tokens (cast from a literal, never through a text-search parser), under a GIN index.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.sql import column, table

from kiosque.store.tables import UTC, articles

search_metadata = MetaData()

FTS5_TABLE = "search_fts"
FTS5_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS5_TABLE} USING fts5("
    "title, body, tags, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
)
FTS5_DROP = f"DROP TABLE IF EXISTS {FTS5_TABLE}"

# Core handle on the FTS5 table, enough to select and join; it is created by raw DDL.
search_fts: Any = table(
    FTS5_TABLE, column("rowid", Integer), column("title"), column("body"), column("tags")
)

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
    Column("seq", Integer, nullable=False, server_default="0"),
    Index("ix_search_meta_published", "published_at"),
    Index("ix_search_meta_seq", "seq"),
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
    Column("seq", Integer, nullable=False, server_default="0"),
    Index("ix_search_docs_published", "published_at"),
    Index("ix_search_docs_seq", "seq"),
)

# Both engines: one row naming this index (``generation``, random, set when the search
# structures are created) and counting its writes (``seq``). Every write stamps its rows
# in ``search_meta``/``search_docs`` with the next count; see ``docvalues``.
search_state = Table(
    "search_state",
    search_metadata,
    Column("generation", String(36), primary_key=True),
    Column("seq", Integer, nullable=False),
)
NEXT_SEQ = "UPDATE search_state SET seq = seq + 1 RETURNING seq"


def ensure_search_state(bind: Connection) -> None:
    """Create ``search_state`` with its one row (a fresh generation) if missing."""
    search_state.create(bind, checkfirst=True)
    if bind.execute(select(func.count()).select_from(search_state)).scalar() == 0:
        bind.execute(search_state.insert().values(generation=str(uuid.uuid4()), seq=0))
PG_GIN_INDEX = "ix_search_docs_vec"
PG_META_COLUMNS = ("source_id", "lang", "section", "author", "published_at")
