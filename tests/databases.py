"""Real databases for tests: SQLite in a temp dir always, PostgreSQL when a server is offered.

One helper so every suite creates and drops its PostgreSQL databases the same way. CI
sets KIOSQUE_REQUIRE_PG=1: there a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, make_url, text

from kiosque.config import Settings
from kiosque.models import Source
from kiosque.store import repo
from kiosque.store.engine import make_engine, migrate, normalize_url

PG_URL = os.environ.get("KIOSQUE_TEST_PG_URL", "")
REQUIRE_PG = bool(os.environ.get("KIOSQUE_REQUIRE_PG"))

# parametrize an ``engine`` fixture with these: the PostgreSQL case skips without a server
BACKENDS = [
    "sqlite",
    pytest.param("postgres", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not PG_URL and not REQUIRE_PG, reason="KIOSQUE_TEST_PG_URL not set"),
    ]),
]


def migrated_engine(kind: str, sqlite_url: str, prefix: str = "kiosque_t") -> Iterator[Engine]:
    """A fresh migrated database of ``kind``; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        eng = make_engine(sqlite_url)
        migrate(eng)
        yield eng
        eng.dispose()
        return
    if not PG_URL:
        pytest.fail("KIOSQUE_REQUIRE_PG is set but KIOSQUE_TEST_PG_URL is not")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    server = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = make_engine(make_url(normalize_url(PG_URL)).set(database=name)
                      .render_as_string(hide_password=False))
    try:
        migrate(eng)
        yield eng
    finally:
        eng.dispose()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        server.dispose()


def fresh_store(settings: Settings, sources: list[Source]) -> Engine:
    """The settings' database, migrated, with these sources in it."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    with engine.begin() as conn:
        repo.sync_sources(conn, sources, datetime.now(UTC))
    return engine
