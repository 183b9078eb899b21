"""Full-text search structures: FTS5 on SQLite, a tsvector side table on PostgreSQL.

Revision ID: 0002

Existing articles are indexed here too, so that upgrading a populated database gives
working search at once rather than after the next refresh of every source.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from kiosque.search.backend import backend_for
    from kiosque.search.tables import (
        FTS5_CREATE,
        PG_GIN_INDEX,
        ensure_search_state,
        search_docs,
        search_meta,
    )

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        bind.execute(text(FTS5_CREATE))
        search_meta.create(bind, checkfirst=True)
    elif bind.dialect.name == "postgresql":
        search_docs.create(bind, checkfirst=True)
        bind.execute(
            text(f"CREATE INDEX IF NOT EXISTS {PG_GIN_INDEX} ON search_docs USING gin (vec)")
        )
    else:
        return
    ensure_search_state(bind)  # indexing stamps rows from its counter (revision 0005)
    backend = backend_for(bind.dialect.name)
    ids = [row[0] for row in bind.execute(text("SELECT id FROM articles ORDER BY id"))]
    for start in range(0, len(ids), 1000):
        backend.index(bind, ids[start: start + 1000])


def downgrade() -> None:
    from kiosque.search.tables import FTS5_DROP, search_docs, search_meta

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        bind.execute(text(FTS5_DROP))
        search_meta.drop(bind, checkfirst=True)
    elif bind.dialect.name == "postgresql":
        search_docs.drop(bind, checkfirst=True)
