"""A real migrated SQLite database, a real file store, and a minimal app with only the
image router, driven in-process; pictures are generated here."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, insert
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.media import process_image
from kiosque.store.images import images_root, save_image
from kiosque.store.tables import articles, sources
from kiosque.web.images import router
from tests.databases import BACKENDS, migrated_engine
from tests.moderation.moderation_pictures import draw, to_bytes

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    return Settings(database_url=f"sqlite:///{data / 'kiosque.db'}", data_dir=str(data))


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Engine]:
    """Real SQLite in a temp dir; also real PostgreSQL (a fresh database) when offered."""
    yield from migrated_engine(request.param, settings.database_url, "kiosque_mod")


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
