"""Bad publishers get a clear error and lose nothing; none may crash or stall a poll cycle.

One cycle polls a good feed next to every kind of bad answer a publisher can give,
served for real by a local HTTP server; the cycle must finish quickly, keep every entry
it can, and record a named error (and the right health) for everything else.
"""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.ingest import Ingestor, RefreshReport
from kiosque.models import Health, Source
from kiosque.scheduler.runner import Scheduler
from kiosque.search import backend_for
from kiosque.store import repo
from kiosque.store.tables import article_versions, articles, sources
from tests.databases import fresh_store
from tests.fetch.fetch_server import Handler, LocalServer

LONG = " ".join(f"mot{i} de l'article complet" for i in range(60))


def rss(items: list[tuple[str, str, str]], encoding: str = "utf-8", declare: bool = True
        ) -> bytes:
    head = f'<?xml version="1.0" encoding="{encoding}"?>' if declare else ""
    body = "".join(
        f"<item><title>{t}</title><link>http://example.invalid/{g}</link><guid>{g}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 10:00:00 +0100</pubDate>"
        f"<description><![CDATA[<p>{c}</p>]]></description></item>"
        for g, t, c in items
    )
    text = f'{head}<rss version="2.0"><channel><title>T</title>{body}</channel></rss>'
    return text.encode(encoding)


def _trickle(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(100):
        h.wfile.write(b" ")
        h.wfile.flush()
        time.sleep(0.5)


@pytest.fixture
def bad_server() -> Iterator[LocalServer]:
    srv = LocalServer()
    three = [("g1", "Premier titre", LONG), ("g2", "Deuxième titre", LONG),
             ("g3", "Troisième titre", LONG)]
    srv.route("/good.xml", body=rss(three), headers={"Content-Type": "application/rss+xml"})
    broken = rss(three).replace(b"Deuxi\xc3\xa8me titre", b"Deuxi\xc3\xa8me & titre")
    srv.route("/broken.xml", body=broken, headers={"Content-Type": "application/rss+xml"})
    latin = rss([("l1", "Été à Fès : réunion générale", LONG)], "iso-8859-1", declare=False)
    srv.route("/latin1.xml", body=latin, headers={"Content-Type": "application/xml"})
    srv.route("/huge.xml", body=b"<rss>" + b" " * 2_000_000,
              headers={"Content-Type": "application/rss+xml"})
    srv.routes["/slow.xml"] = _trickle
    srv.route("/loop", 302, headers={"Location": "/loop2"})
    srv.route("/loop2", 302, headers={"Location": "/loop"})
    srv.route("/to-private", 302, headers={"Location": "http://10.0.0.1/feed"})
    srv.route("/bomb.xml", body=gzip.compress(b"\0" * 50_000_000),
              headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})
    srv.route("/page.html", body=b"<!doctype html><html><head><title>Accueil</title></head>"
              b"<body><p>Bienvenue</p></body></html>", headers={"Content-Type": "text/html"})
    srv.route("/empty", body=b"", headers={"Content-Type": "application/rss+xml"})
    srv.route("/gone", 410, b"gone")
    srv.route("/robots.txt", 404, b"")
    yield srv
    srv.close()


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'k.db'}", data_dir=str(tmp_path),
        allowed_hosts=["127.0.0.1"], per_host_delay_s=0.0, per_host_concurrency=8,
        connect_timeout_s=2.0, read_timeout_s=2.0, total_timeout_s=3.0,
        max_body_bytes=1_000_000,
    )


async def _cycle(settings: Settings, engine: Engine) -> dict[str, RefreshReport]:
    async with Fetcher(settings) as fetcher:
        ingestor = Ingestor(settings, engine, fetcher, backend_for(engine.dialect.name))
        scheduler = Scheduler(settings, engine, ingestor, fetch_images=False)
        with engine.connect() as conn:
            states = repo.all_source_states(conn)
        return {r.slug: r for r in await scheduler.refresh_many(states)}


def test_one_cycle_survives_every_bad_publisher(tmp_path: Path, bad_server: LocalServer
                                                ) -> None:
    settings = _settings(tmp_path)
    names = ["good.xml", "broken.xml", "latin1.xml", "huge.xml", "slow.xml", "loop",
             "to-private", "bomb.xml", "page.html", "empty", "gone"]
    srcs = [Source(slug=n.split(".")[0].replace("-", ""), name=n, feed_url=bad_server.url(
        "/" + n), fetch_full_text=False) for n in names]
    srcs.append(Source(slug="private", name="private", feed_url="http://192.168.1.10/feed"))
    srcs.append(Source(slug="hexlocal", name="hex", feed_url="http://0x0a000001/feed"))
    engine = fresh_store(settings, srcs)

    started = time.monotonic()
    reports = asyncio.run(_cycle(settings, engine))
    assert time.monotonic() - started < 30, "a bad publisher stalled the cycle"

    with engine.connect() as conn:
        counts = dict(conn.execute(
            select(sources.c.slug, func.count(articles.c.id))
            .join(articles, articles.c.source_id == sources.c.id, isouter=True)
            .group_by(sources.c.slug)).all())
        titles = [r[0] for r in conn.execute(select(articles.c.title))]
        health = {s.source.slug: s for s in repo.all_source_states(conn)}

    assert counts["good"] == 3
    assert counts["broken"] == 3  # entries before and after the break are kept
    assert counts["latin1"] == 1 and "Été à Fès : réunion générale" in titles
    expected = {
        "huge": "too_large", "slow": "timeout", "loop": "redirect", "toprivate": "ssrf",
        "private": "ssrf", "hexlocal": "ssrf", "bomb": "too_large", "page": "not a feed",
        "empty": "not a feed", "gone": "http_410",
    }
    for slug, needle in expected.items():
        rep = reports[slug]
        assert rep.status == "error", (slug, rep)
        assert needle in rep.error, (slug, rep.error)
        assert health[slug].last_error and health[slug].consecutive_failures == 1
        assert health[slug].next_check_at is not None
        assert counts[slug] == 0
    assert health["gone"].health is Health.DEAD
    assert health["good"].health is Health.OK
    # nothing was ever sent to the private addresses: they were refused before connecting
    assert all(not s.path.startswith("http") for s in bad_server.log)


def test_changed_article_is_an_update_with_its_previous_version(
    tmp_path: Path, bad_server: LocalServer
) -> None:
    settings = _settings(tmp_path)
    first = rss([("u1", "Titre initial", LONG)])
    bad_server.route("/live.xml", body=first, headers={"Content-Type": "application/rss+xml"})
    engine = fresh_store(settings, [Source(slug="live", name="Live",
                                      feed_url=bad_server.url("/live.xml"))])
    asyncio.run(_cycle(settings, engine))
    changed = rss([("u1", "Titre corrigé", LONG + " Mise à jour : un paragraphe ajouté.")])
    bad_server.route("/live.xml", body=changed, headers={"Content-Type": "application/rss+xml"})
    reports = asyncio.run(_cycle(settings, engine))
    assert reports["live"].updated == 1 and reports["live"].new == 0
    with engine.connect() as conn:
        rows = conn.execute(select(articles.c.title, articles.c.version, articles.c.text)).all()
        old = conn.execute(select(article_versions.c.title, article_versions.c.version)).all()
    assert len(rows) == 1
    assert rows[0].title == "Titre corrigé" and rows[0].version == 2
    assert "paragraphe ajouté" in rows[0].text
    assert old == [("Titre initial", 1)]
    # seeing the same content again changes nothing
    again = asyncio.run(_cycle(settings, engine))
    assert again["live"].updated == 0 and again["live"].new == 0
