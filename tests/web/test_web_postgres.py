"""The read functions and the main pages on PostgreSQL, with the same generated data.

SQLite and PostgreSQL differ where it bites a web layer: aggregates over timestamps,
ordering ties, case-folding in ORDER BY. These run the same checks on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.store import read
from kiosque.web import dates
from kiosque.web.app import create_app
from tests.web.conftest import pg_db
from tests.web.test_web_read import check_driver_path_matches_sqlalchemy
from tests.web.webseed import HOSTILE_TITLE, Seed

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg() -> Iterator[tuple[Engine, Seed]]:
    yield from pg_db()


@pytest.fixture(scope="module")
def pg_client(pg: tuple[Engine, Seed]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(page_size=20), pg[0]), follow_redirects=False) as c:
        yield c


def test_read_functions(pg: tuple[Engine, Seed]) -> None:
    engine, seed = pg
    with engine.connect() as conn:
        everything = read.list_articles(conn, limit=1000)
        assert [a.id for a in everything.items] == seed.article_ids
        page = read.list_articles(conn, limit=10)
        assert page.next_cursor is not None
        nxt = read.list_articles(conn, limit=10, after=page.next_cursor)
        assert [a.id for a in nxt.items] == seed.article_ids[10:20]
        assert read.latest_published_at(conn) == seed.now
        days = read.days_with_articles(conn, seed.now.year, seed.now.month)
        assert days[seed.now.day] >= 1
        src = read.get_source(conn, "sabah")
        assert src is not None and src.latest_at == seed.published[seed.by_source["sabah"][0]]
        assert next(s.slug for s in read.list_sources(conn)) == "diario"
        assert dict(read.list_sections(conn))["politique"] == len(seed.by_source["quotidien"])


def test_driver_path_matches_sqlalchemy(pg: tuple[Engine, Seed]) -> None:
    check_driver_path_matches_sqlalchemy(pg[0])


def test_pages_and_api(pg_client: TestClient, pg: tuple[Engine, Seed]) -> None:
    _engine, seed = pg
    home = pg_client.get("/ar/")
    assert home.status_code == 200 and 'dir="rtl"' in home.text
    aid = seed.by_source["akhbar"][0]
    article = pg_client.get(f"/fr/akhbar/{aid}").text
    assert dates.long_date(seed.published[aid], "fr") in article
    assert pg_client.get("/fr/source/sabah").status_code == 200
    archive = pg_client.get(f"/fr/archive/{seed.now:%Y/%m/%d}").text
    assert re.search(r'<td class="current">', archive)
    api = pg_client.get("/api/v1/articles", params={"limit": 5}).json()
    assert api["items"][0]["title"] == HOSTILE_TITLE
