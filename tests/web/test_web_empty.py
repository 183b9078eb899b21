"""A fresh install with no sources and no articles yet: every page still answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.store.engine import make_engine, migrate
from kiosque.web.app import create_app


@pytest.fixture(scope="module")
def empty_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path: Path = tmp_path_factory.mktemp("empty") / "k.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with TestClient(create_app(Settings(), engine), follow_redirects=False) as client:
        yield client
    engine.dispose()


def test_empty_site(empty_client: TestClient) -> None:
    home = empty_client.get("/fr/")
    assert home.status_code == 200 and "Aucun article pour l&#39;instant." in home.text
    assert "Aucune source pour l&#39;instant." in empty_client.get("/fr/sources").text
    today = datetime.now(UTC)
    assert empty_client.get("/ar/archive/").headers["location"] == (
        f"/ar/archive/{today:%Y/%m/%d}")
    assert empty_client.get(f"/ar/archive/{today:%Y/%m/%d}").status_code == 200
    feed = feedparser.parse(empty_client.get("/fr/feed.atom").content)
    assert not feed.bozo and feed.entries == []
    assert empty_client.get("/api/v1/articles").json() == {"items": [], "next_cursor": None}
    assert empty_client.get("/api/v1/ticker").json() == {"items": []}
    assert empty_client.get("/sitemap.xml").status_code == 200
    assert empty_client.get("/sitemap-news.xml").status_code == 200
