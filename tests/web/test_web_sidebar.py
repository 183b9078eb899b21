"""The article page's shared pieces: "More from" kept per source, list items in Python."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, update
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.store import read
from kiosque.store.tables import articles
from kiosque.web import render
from kiosque.web.app import create_app
from kiosque.web.listing import item_html
from kiosque.web.sidebar import LatestBySource
from tests.web.conftest import make_db
from tests.web.webseed import Seed


def test_more_from_is_the_query_that_excludes_the_page(web_db: tuple[Engine, Seed]) -> None:
    engine, seed = web_db
    cache = LatestBySource(ttl_s=60)
    with engine.connect() as conn:
        for slug, ids in seed.by_source.items():
            for article_id in (ids[0], ids[1], ids[-1]):  # newest, second, oldest
                wanted = read.list_articles(
                    conn, read.ArticleFilter(source_slug=slug, exclude_id=article_id),
                    limit=6).items
                assert cache.more_from(conn, slug, article_id, 6) == wanted


def _retitle_newest(engine: Engine, slug_ids: list[int], title: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(articles).where(articles.c.id == slug_ids[0])
                     .values(title=title, updated_at=datetime.now(UTC)))


def test_more_from_follows_the_page_cache(tmp_path: Path) -> None:
    """Kept as long as whole pages are (``page_cache_s``), and emptied with them by a write."""
    engine, seed = make_db(tmp_path / "k.db")
    slug, ids = next(iter(seed.by_source.items()))
    page = f"/fr/{slug}/{ids[-1]}"
    with TestClient(create_app(Settings(page_cache_s=60), engine),
                    follow_redirects=False) as client:
        assert client.get(page).status_code == 200
        _retitle_newest(engine, ids, "Titre du jour changé")
        # another article of the same source: a new page, but the same shared list
        assert "Titre du jour changé" not in client.get(f"/fr/{slug}/{ids[-2]}").text
        client.post("/images/1/report", data={"next": "/fr/"})  # any write empties both
        assert "Titre du jour changé" in client.get(f"/fr/{slug}/{ids[-3]}").text
    with TestClient(create_app(Settings(page_cache_s=0), engine),
                    follow_redirects=False) as client:
        client.get(page)
        _retitle_newest(engine, ids, "Encore un autre titre")
        assert "Encore un autre titre" in client.get(f"/fr/{slug}/{ids[-2]}").text


def test_items_escape_publisher_text_and_cut_summaries(web_db: tuple[Engine, Seed]) -> None:
    with web_db[0].connect() as conn:
        art = read.list_articles(conn, limit=1).items[0]
    hostile = dataclasses.replace(art, title="<script>x</script>", source_name="A & <b>B</b>",
                                  section="<i>s</i>", summary="mot " * 100, lang="ar")
    html = item_html("fr", hostile, show_source=True, show_summary=True)
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "A &amp; &lt;b&gt;B&lt;/b&gt;" in html and "&lt;i&gt;s&lt;/i&gt;" in html
    assert 'dir="rtl"' in html and html.count("mot ") < 60 and "..." in html
    bare = item_html("fr", dataclasses.replace(hostile, section="", lang=""), False, False)
    assert 'class="source"' not in bare and 'class="section"' not in bare
    assert "lang-tag" not in bare and 'class="summary"' not in bare and 'dir="auto"' in bare


def test_an_item_with_an_image_keeps_its_picture_and_report_form(
        web_db: tuple[Engine, Seed]) -> None:
    with web_db[0].connect() as conn:
        art = read.list_articles(conn, limit=1).items[0]
    pictured = dataclasses.replace(art, image_id=41, image_status="ok", image_width=800,
                                   image_height=400)
    html = render._article_item("fr", pictured, True, True, False, "/fr/?done=1")
    assert html.index("<picture>") < html.index('class="article-title"')
    assert 'action="/images/41/report"' in html and 'value="/fr/?done=1"' in html
    hidden = render._article_item("fr", pictured, True, False, False, "")
    assert "<picture>" not in hidden
