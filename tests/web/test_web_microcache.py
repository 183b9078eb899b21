"""The page micro-cache: hot public pages are served from memory, never stale after a write."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, update
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.store.tables import articles
from kiosque.web.app import create_app
from kiosque.web.microcache import Message, MicroCacheMiddleware, Receive, Scope, Send
from kiosque.web.readers import FLASH_COOKIE
from tests.web.conftest import make_db


def _retitle(engine: Engine, title: str) -> int:
    with engine.begin() as conn:
        newest = conn.execute(articles.select().order_by(articles.c.published_at.desc())
                              .limit(1)).first()
        assert newest is not None
        conn.execute(update(articles).where(articles.c.id == newest.id)
                     .values(title=title, updated_at=datetime.now(UTC)))
        return int(newest.id)


def test_public_pages_come_from_memory_until_a_write(tmp_path: Path) -> None:
    engine, _seed = make_db(tmp_path / "k.db")
    app = create_app(Settings(page_cache_s=60), engine)
    with TestClient(app, follow_redirects=False) as client:
        first = client.get("/fr/")
        assert first.status_code == 200
        _retitle(engine, "Titre changé en base")
        assert "Titre changé en base" not in client.get("/fr/").text  # served from memory
        # a reader with a one-time message gets a fresh page, never the cached one
        client.cookies.set(FLASH_COOKIE, "x")
        assert "Titre changé en base" in client.get("/fr/").text
        client.cookies.clear()
        # any write (here a refused report) empties the cache of this process
        client.post("/images/1/report", data={"next": "/fr/"})
        assert "Titre changé en base" in client.get("/fr/").text


def test_zero_ttl_turns_it_off_and_private_pages_are_never_kept(tmp_path: Path) -> None:
    engine, _seed = make_db(tmp_path / "k.db")
    app = create_app(Settings(page_cache_s=0), engine)
    with TestClient(app, follow_redirects=False) as client:
        client.get("/fr/")
        _retitle(engine, "Sans cache")
        assert "Sans cache" in client.get("/fr/").text
    cached = create_app(Settings(page_cache_s=60), engine)
    with TestClient(cached, follow_redirects=False) as client:
        assert client.get("/admin/login").headers["cache-control"].startswith("private")
        assert "no-store" in client.get("/admin/login").headers["cache-control"]


async def test_one_render_per_page_at_a_time() -> None:
    """Ten readers arriving together cost one render; when the page expires, one reader
    renders it again while the others get the page it replaces."""
    renders: list[int] = []

    async def slow_page(scope: Scope, receive: Receive, send: Send) -> None:
        renders.append(1)
        await asyncio.sleep(0.05)
        body = f"render {len(renders)}".encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"cache-control", b"public, max-age=10"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    cache = MicroCacheMiddleware(slow_page, ttl_s=0.2)

    async def get() -> bytes:
        scope = {"type": "http", "method": "GET", "path": "/fr/", "query_string": b"",
                 "headers": []}
        parts: list[bytes] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.body":
                parts.append(message["body"])

        await cache(scope, receive, send)
        return b"".join(parts)

    assert set(await asyncio.gather(*(get() for _ in range(10)))) == {b"render 1"}
    assert len(renders) == 1
    await asyncio.sleep(0.25)  # expired
    again = await asyncio.gather(*(get() for _ in range(10)))
    assert len(renders) == 2
    assert again.count(b"render 2") == 1 and again.count(b"render 1") == 9
    assert await get() == b"render 2"
