"""The initial schema: sources, articles and their versions, stories, images, moderation.

Revision ID: 0001
"""

from __future__ import annotations

from alembic import op

from kiosque.store.tables import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen list: later migrations add to the schema, never by editing this one.
TABLES = [
    "sources",
    "stories",
    "images",
    "articles",
    "article_versions",
    "image_reports",
    "article_reports",
    "admin_users",
    "audit_log",
]


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, tables=[metadata.tables[name] for name in TABLES])


def downgrade() -> None:
    bind = op.get_bind()
    metadata.drop_all(bind, tables=[metadata.tables[name] for name in reversed(TABLES)])
