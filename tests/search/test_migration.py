"""Migration 0002 builds the index and fills it from articles already stored."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from kiosque.search import backend_for
from kiosque.store.engine import alembic_config, make_engine, migrate
from tests.search.conftest import _pg_url
from tests.search.search_corpus import generate
from tests.search.search_loader import insert_articles


def test_upgrade_indexes_existing_articles_and_downgrade_drops(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        insert_articles(conn, generate()[:40])
    migrate(engine)
    backend = backend_for("sqlite")
    with engine.connect() as conn:
        assert backend.search(conn, "gouvernement").total == 10
        assert conn.execute(text("SELECT count(*) FROM search_fts")).scalar() == 40
    command.downgrade(alembic_config(engine), "0001")
    assert "search_fts" not in inspect(engine).get_table_names()
    engine.dispose()


@pytest.mark.postgres
def test_upgrade_and_downgrade_on_postgres() -> None:
    url = _pg_url()
    schema = f"m_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        command.upgrade(alembic_config(engine), "0001")
        with engine.begin() as conn:
            insert_articles(conn, generate()[:40])
        migrate(engine)
        with engine.connect() as conn:
            assert backend_for("postgresql").search(conn, "gouvernement").total == 10
        command.downgrade(alembic_config(engine), "0001")
        assert "search_docs" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
