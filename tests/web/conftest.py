"""A migrated SQLite database in a temp dir, filled once per session, and app clients."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.store.engine import make_engine, migrate
from kiosque.web.app import create_app
from tests.web.webseed import Seed, populate


def make_db(path: Path) -> tuple[Engine, Seed]:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.begin() as conn:
        seed = populate(conn)
    return engine, seed


def pg_db() -> Iterator[tuple[Engine, Seed]]:
    """The same data in a private schema of the test PostgreSQL server, dropped after."""
    url = os.environ.get("KIOSQUE_TEST_PG_URL", "")
    if not url:
        if os.environ.get("KIOSQUE_REQUIRE_PG") == "1":
            pytest.fail("KIOSQUE_REQUIRE_PG=1 but KIOSQUE_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL: set KIOSQUE_TEST_PG_URL (scripts/pg-for-tests.sh)")
    schema = f"web_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(engine)
        with engine.begin() as conn:
            seed = populate(conn)
        yield engine, seed
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Seed]]:
    engine, seed = make_db(tmp_path_factory.mktemp("webdb") / "kiosque.db")
    yield engine, seed
    engine.dispose()


@pytest.fixture(scope="session")
def seed(web_db: tuple[Engine, Seed]) -> Seed:
    return web_db[1]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(default_lang="fr", page_size=20, site_name="kiosque")


@pytest.fixture(scope="session")
def app(web_db: tuple[Engine, Seed], settings: Settings) -> FastAPI:
    return create_app(settings, web_db[0])


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as c:
        yield c
