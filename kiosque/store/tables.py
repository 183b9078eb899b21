"""The schema, declared once with SQLAlchemy Core.

Both SQLite and PostgreSQL run from these declarations; Alembic migrations under
``migrations/`` create them. Timestamps are stored as timezone-aware UTC. Search
indexes (FTS5 / tsvector) are owned by ``kiosque.search`` and created by their own
migration, since they differ per engine.
"""

from __future__ import annotations

from datetime import UTC as _UTC
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

metadata = MetaData()



class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC-aware values")
        aware: datetime = value.astimezone(_UTC)
        return aware.replace(tzinfo=None) if dialect.name == "sqlite" else aware

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=_UTC)
        return value.astimezone(_UTC)


UTC = UTCDateTime()

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(100), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("feed_url", Text, nullable=False),
    Column("homepage", Text, nullable=False, default=""),
    Column("lang", String(16), nullable=False, default=""),
    Column("country", String(8), nullable=False, default=""),
    Column("section", String(100), nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("verified", Boolean, nullable=False, default=True),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("text_policy", String(16), nullable=False, default="auto"),
    Column("excerpt_words", Integer, nullable=False, default=60),
    Column("fetch_full_text", Boolean, nullable=False, default=True),
    # conditional GET validators of the last 200 answer
    Column("etag", Text, nullable=True),
    Column("last_modified", Text, nullable=True),
    # health and scheduling
    Column("health", String(16), nullable=False, default="ok"),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=False, default=""),
    Column("last_error_at", UTC, nullable=True),
    Column("last_success_at", UTC, nullable=True),
    Column("last_checked_at", UTC, nullable=True),
    Column("next_check_at", UTC, nullable=True),
    Column("interval_s", Integer, nullable=True),
    Column("entries_per_day", Float, nullable=False, default=0.0),
    Column("created_at", UTC, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("lang", String(16), nullable=False, default=""),
    Column("first_seen", UTC, nullable=False),
    Column("last_seen", UTC, nullable=False),
    Column("article_count", Integer, nullable=False, default=0),
    Column("source_count", Integer, nullable=False, default=0),
    Index("ix_stories_last_seen", "last_seen"),
)

images = Table(
    "images",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_url", Text, nullable=False),
    Column("sha256", String(64), nullable=True, unique=True),
    Column("phash", String(32), nullable=True),
    Column("width", Integer, nullable=True),
    Column("height", Integer, nullable=True),
    Column("mime", String(32), nullable=False, default=""),
    # pending (not fetched yet), ok, broken, blocked, allowed (pinned by a moderator)
    Column("status", String(16), nullable=False, default="pending"),
    Column("error", Text, nullable=False, default=""),
    Column("attempts", Integer, nullable=False, default=0),  # failed fetches so far
    Column("report_count", Integer, nullable=False, default=0),
    Column("blocked_at", UTC, nullable=True),
    Column("created_at", UTC, nullable=False),
    Index("ix_images_source_url", "source_url"),
    Index("ix_images_phash", "phash"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    # identity within a source: the guid when the feed gives one, else the canonical URL
    Column("ident", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("canonical_url", Text, nullable=False),
    Column("guid", Text, nullable=False, default=""),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("content_html", Text, nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("author", String(300), nullable=False, default=""),
    Column("published_at", UTC, nullable=False),
    Column("fetched_at", UTC, nullable=False),
    Column("updated_at", UTC, nullable=True),
    Column("lang", String(16), nullable=False, default=""),
    Column("section", String(100), nullable=False, default=""),
    Column("image_url", Text, nullable=False, default=""),
    Column("image_id", Integer, ForeignKey("images.id"), nullable=True),
    Column("full_text", Boolean, nullable=False, default=False),
    Column("content_hash", String(64), nullable=False, default=""),
    Column("simhash", BigInteger, nullable=False, default=0),
    Column("duplicate_of", Integer, ForeignKey("articles.id"), nullable=True),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=True),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("source_id", "ident", name="uq_articles_source_ident"),
    Index("ix_articles_published", "published_at"),
    Index("ix_articles_source_published", "source_id", "published_at"),
    Index("ix_articles_section_published", "section", "published_at"),
    Index("ix_articles_lang_published", "lang", "published_at"),
    Index("ix_articles_story", "story_id"),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_canonical_url", "canonical_url"),
    Index("ix_articles_author", "author"),
)

article_versions = Table(
    "article_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("content_html", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("recorded_at", UTC, nullable=False),
    Index("ix_article_versions_article", "article_id"),
)

image_reports = Table(
    "image_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("image_id", Integer, ForeignKey("images.id"), nullable=False),
    Column("reader_id", String(64), nullable=False),
    Column("ip_hash", String(64), nullable=False),
    Column("created_at", UTC, nullable=False),
    UniqueConstraint("image_id", "reader_id", name="uq_image_reports_reader"),
    Index("ix_image_reports_ip", "ip_hash", "created_at"),
    Index("ix_image_reports_reader", "reader_id", "created_at"),
)

article_reports = Table(
    "article_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("reader_id", String(64), nullable=False),
    Column("ip_hash", String(64), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("status", String(16), nullable=False, default="open"),
    Column("created_at", UTC, nullable=False),
    Index("ix_article_reports_reader", "reader_id", "created_at"),
    Index("ix_article_reports_ip", "ip_hash", "created_at"),
    Index("ix_article_reports_article", "article_id", "status"),
)

admin_users = Table(
    "admin_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at", UTC, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor", String(100), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
    Column("created_at", UTC, nullable=False),
)
