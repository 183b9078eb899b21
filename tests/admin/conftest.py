"""The whole app over a real migrated database (SQLite in a temp dir, and PostgreSQL
when ``KIOSQUE_TEST_PG_URL`` is set), with a real image store, driven in-process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import Engine, insert, update
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.store import admin as admin_store
from kiosque.store.images import images_root
from kiosque.store.tables import article_reports, image_reports, images
from kiosque.web.app import create_app
from tests.admin.admin_helpers import (
    NOW,
    Desk,
    add_article,
    add_image,
    add_moderator,
    add_source_row,
)
from tests.databases import BACKENDS, migrated_engine

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """Cheap argon2 parameters, so logins in tests take milliseconds, not half a second.

    The code under test is the same; ``test_admin_store`` checks the real defaults.
    """
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    dummy = cheap.hash("no moderator has this password")
    monkeypatch.setattr(admin_store, "_hasher", lambda: cheap)
    monkeypatch.setattr(admin_store, "_dummy_hash", lambda: dummy)
    return cheap


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    return Settings(
        database_url=f"sqlite:///{data / 'kiosque.db'}", data_dir=str(data),
        default_lang="fr", report_threshold=3,
    )


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Engine]:
    """A fresh migrated database per test: SQLite always, PostgreSQL when offered."""
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    yield from migrated_engine(request.param, settings.database_url, "kiosque_admin")


@pytest.fixture
def files_root(settings: Settings) -> Path:
    return images_root(settings.data_dir)


@pytest.fixture
def app(engine: Engine, settings: Settings) -> FastAPI:
    return create_app(settings, engine)


@pytest.fixture
def client_for(app: FastAPI) -> Iterator[Callable[..., TestClient]]:
    """A browser at a given address that posts from our own pages (Origin set)."""
    made: list[TestClient] = []

    def make(address: str = "198.51.100.7", origin: str | None = ORIGIN) -> TestClient:
        headers = {"Origin": origin} if origin else {}
        client = TestClient(app, client=(address, 40000), headers=headers,
                            follow_redirects=False)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(client_for: Callable[..., TestClient]) -> TestClient:
    return client_for()


@pytest.fixture
def desk(engine: Engine, files_root: Path) -> Desk:
    source_id = add_source_row(engine, "gazette")
    article_id = add_article(engine, source_id)
    image_id = add_image(engine, files_root, seed=3, article_id=article_id)
    with engine.begin() as conn:
        conn.execute(insert(image_reports).values(
            image_id=image_id, reader_id="r" * 32, ip_hash="a" * 64, created_at=NOW))
        conn.execute(update(images).where(images.c.id == image_id).values(report_count=1))
        report_id = conn.execute(insert(article_reports).values(
            article_id=article_id, reader_id="r" * 32, ip_hash="a" * 64, reason="wrong",
            note="Le titre ne correspond pas.", status="open", created_at=NOW,
        ).returning(article_reports.c.id)).scalar_one()
    return Desk(source_id, article_id, image_id, int(report_id), add_moderator(engine))
