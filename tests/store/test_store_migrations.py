"""Migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from kiosque.store.engine import make_engine, migrate
from kiosque.store.tables import metadata

PG_URL = os.environ.get("KIOSQUE_TEST_PG_URL", "")


def _pg_engine() -> Iterator[Engine]:
    if not PG_URL:
        if os.environ.get("KIOSQUE_REQUIRE_PG"):
            pytest.fail("KIOSQUE_REQUIRE_PG is set but KIOSQUE_TEST_PG_URL is not")
        pytest.skip("no PostgreSQL (KIOSQUE_TEST_PG_URL unset)")
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"kq_mig_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_URL.rsplit("/", 1)[0] + "/" + name)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield eng
        eng.dispose()
    else:
        yield from _pg_engine()


def test_migrated_schema_matches_the_declared_tables(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)  # idempotent at every start
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # tables and indexes owned by later migrations (search, partial indexes) are extra
    meaningful = [d for d in diff if not (isinstance(d, tuple) and d[0] in
                                          {"remove_table", "remove_index"})]
    assert meaningful == []


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
