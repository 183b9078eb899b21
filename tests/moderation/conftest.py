"""A real migrated SQLite database, a real file store, and a minimal app with only the
image router, driven in-process; pictures are generated here."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, insert, make_url, text
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.media import process_image
from kiosque.store.engine import make_engine, migrate, normalize_url
from kiosque.store.images import images_root, save_image
from kiosque.store.tables import articles, sources
from kiosque.web.images import router
from tests.moderation.moderation_pictures import draw, to_bytes

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    return Settings(database_url=f"sqlite:///{data / 'kiosque.db'}", data_dir=str(data))


PG_URL = os.environ.get("KIOSQUE_TEST_PG_URL", "")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not PG_URL, reason="KIOSQUE_TEST_PG_URL not set"),
        ]),
    ]
)
def engine(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Engine]:
    """Real SQLite in a temp dir; also real PostgreSQL (a fresh database) when offered."""
    if request.param == "sqlite":
        eng = make_engine(settings.database_url)
        migrate(eng)
        yield eng
        eng.dispose()
        return
    name = f"kiosque_mod_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = make_engine(make_url(normalize_url(PG_URL)).set(database=name)
                      .render_as_string(hide_password=False))
    try:
        migrate(eng)
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def files_root(settings: Settings) -> Path:
    return images_root(settings.data_dir)


@pytest.fixture
def add_image(engine: Engine, files_root: Path) -> Callable[..., int]:
    """Store a generated picture as an article image; returns its id."""

    def add(seed: int = 0, url: str = "", data: bytes | None = None) -> int:
        payload = data if data is not None else to_bytes(draw(seed))
        with engine.begin() as conn:
            return save_image(
                conn, files_root, url or f"https://pub.example/{seed}.jpg",
                process_image(payload), NOW,
            )

    return add


@pytest.fixture
def add_article(engine: Engine) -> Callable[..., int]:
    serial = itertools.count(1)

    def add(title: str = "Generated headline") -> int:
        with engine.begin() as conn:
            source_id = conn.execute(
                insert(sources).values(
                    slug=f"src-{next(serial)}", name="Source", feed_url="https://pub.example/f",
                    created_at=NOW,
                ).returning(sources.c.id)
            ).scalar_one()
            return int(
                conn.execute(
                    insert(articles).values(
                        source_id=source_id, ident=title, url="https://pub.example/a",
                        canonical_url="https://pub.example/a", title=title,
                        published_at=NOW, fetched_at=NOW,
                    ).returning(articles.c.id)
                ).scalar_one()
            )

    return add


@pytest.fixture
def app(engine: Engine, settings: Settings) -> FastAPI:
    application = FastAPI()
    application.state.engine = engine
    application.state.settings = settings
    application.include_router(router)
    return application


@pytest.fixture
def client_for(app: FastAPI) -> Iterator[Callable[..., TestClient]]:
    """A browser at a given address, posting from our own pages (Origin set)."""
    made: list[TestClient] = []

    def make(address: str = "203.0.113.7", origin: str | None = "http://testserver") -> TestClient:
        headers = {"Origin": origin} if origin else {}
        client = TestClient(app, client=(address, 40000), headers=headers,
                            follow_redirects=False)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
