"""Search: a write counter and an index generation, for in-memory column copies.

Revision ID: 0005

Why: searches now filter, count and order matches from per-process arrays
(``kiosque/search/docvalues.py``) instead of one row lookup per match. A process keeps
them current by reading the rows written since its last look, which needs every index
row stamped with a write counter (``seq``), and a name for the index (``generation``)
so that arrays built for one database are never used with another. Rows indexed before
this revision carry ``seq`` 0: the first load reads them all anyway.

SQLite also gets a third FTS5 column, ``tags`` (the source and section of each article),
so that those filters narrow the match before anything is scored. FTS5 cannot add a
column: the table is rebuilt from the tokens it already holds.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Connection, inspect, text

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLE = {"sqlite": "search_meta", "postgresql": "search_docs"}


def _has_column(bind: Connection, table: str, column: str) -> bool:
    # PRAGMA rather than the inspector: it also lists an FTS5 virtual table's columns
    if bind.dialect.name == "sqlite":
        return any(r[1] == column for r in bind.execute(text(f"PRAGMA table_info({table})")))
    return any(c["name"] == column for c in inspect(bind).get_columns(table))


def upgrade() -> None:
    from kiosque.search.tables import FTS5_TABLE, ensure_search_state

    bind = op.get_bind()
    table = _TABLE.get(bind.dialect.name)
    if table is None:
        return
    if not inspect(bind).has_table(table):
        _create_search_meta(bind)
    # 0002 creates the tables from today's definitions: the column may already be there
    if not _has_column(bind, table, "seq"):
        bind.execute(text(f"ALTER TABLE {table} ADD COLUMN seq INTEGER NOT NULL DEFAULT 0"))
    bind.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{table}_seq ON {table} (seq)"))
    ensure_search_state(bind)
    if bind.dialect.name == "sqlite" and not _has_column(bind, FTS5_TABLE, "tags"):
        _add_tags_column(bind)


def _create_search_meta(bind: Connection) -> None:
    """SQLite databases made by the first form of revision 0002 have no ``search_meta``
    (it joined that revision later): build it for the articles the index holds."""
    from kiosque.search.tables import FTS5_TABLE, search_meta

    search_meta.create(bind)
    cols = ", ".join(c.name for c in search_meta.c if c.name != "seq")
    bind.execute(text(
        f"INSERT INTO search_meta ({cols}) SELECT {cols} FROM articles "
        f"WHERE id IN (SELECT rowid FROM {FTS5_TABLE})"
    ))


def _add_tags_column(bind: Connection) -> None:
    """Copy every row's analyzed tokens into a table with the new column.

    The tokens have not changed, and analyzing the texts again (stemming every word) is
    what makes indexing slow: copying them is several times faster than re-indexing.
    """
    from kiosque.search.sqlite_fts import section_tag
    from kiosque.search.tables import FTS5_CREATE, FTS5_TABLE

    old = f"{FTS5_TABLE}_before_0005"
    bind.connection.driver_connection.create_function(  # type: ignore[union-attr]
        "kiosque_section_tag", 1, section_tag, deterministic=True
    )
    bind.execute(text(f"ALTER TABLE {FTS5_TABLE} RENAME TO {old}"))
    bind.execute(text(FTS5_CREATE))
    bind.execute(text(
        f"INSERT INTO {FTS5_TABLE}(rowid, title, body, tags) "
        "SELECT o.rowid, o.title, o.body, "
        "'src_' || a.source_id || ' ' || kiosque_section_tag(a.section) "
        f"FROM {old} AS o JOIN articles AS a ON a.id = o.rowid"
    ))
    bind.execute(text(f"DROP TABLE {old}"))


def downgrade() -> None:
    bind = op.get_bind()
    table = _TABLE.get(bind.dialect.name)
    if table is None:
        return
    bind.execute(text("DROP TABLE IF EXISTS search_state"))
    bind.execute(text(f"DROP INDEX IF EXISTS ix_{table}_seq"))
    bind.execute(text(f"ALTER TABLE {table} DROP COLUMN seq"))
