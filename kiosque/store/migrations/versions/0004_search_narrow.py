"""Search without reading articles rows: filter and facet columns beside the index.

Revision ID: 0004

Why: a broad query matches tens of thousands of articles, and reading each match's
source, language and date from ``articles`` (rows that carry whole texts) cost most of
a search on PostgreSQL (``bench/search.py``). ``search_docs`` gets the same narrow
columns SQLite keeps in ``search_meta``, filled here for rows indexed before. SQLite
already has ``search_meta``: nothing to do there.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = {
    "source_id": "integer",
    "lang": "varchar(16)",
    "section": "varchar(100)",
    "author": "varchar(300)",
    "published_at": "timestamp with time zone",
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    adds = ", ".join(f"ADD COLUMN IF NOT EXISTS {c} {t}" for c, t in _COLUMNS.items())
    bind.execute(text(f"ALTER TABLE search_docs {adds}"))
    sets = ", ".join(f"{c} = a.{c}" for c in _COLUMNS)
    bind.execute(text(
        f"UPDATE search_docs d SET {sets} FROM articles a "
        "WHERE a.id = d.article_id AND d.source_id IS NULL"
    ))
    bind.execute(text(
        "CREATE INDEX IF NOT EXISTS ix_search_docs_published ON search_docs (published_at)"
    ))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.execute(text("DROP INDEX IF EXISTS ix_search_docs_published"))
    drops = ", ".join(f"DROP COLUMN IF EXISTS {c}" for c in _COLUMNS)
    bind.execute(text(f"ALTER TABLE search_docs {drops}"))
