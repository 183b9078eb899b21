"""The render shortcuts: remembered list items and fragments stay exact, routes keep their pages."""

from __future__ import annotations

import dataclasses
import re

from sqlalchemy import Engine
from starlette.testclient import TestClient

from kiosque.store import read
from kiosque.web import render
from kiosque.web.deps import RESERVED_SEGMENTS, SourceSlugConvertor
from tests.web.webseed import Seed


def _items_html(items: list[read.ArticleView], lang: str = "fr") -> str:
    template = render.environment().from_string(
        "{{ article_items(items, true, false, true) }}")
    return template.render(render.lang_context(lang) | {"items": items, "path": "/x"})


def test_a_changed_article_is_a_new_item(web_db: tuple[Engine, Seed]) -> None:
    with web_db[0].connect() as conn:
        art = read.list_articles(conn, limit=1).items[0]
    before = _items_html([art])
    renamed = dataclasses.replace(art, title="A title nobody printed before")
    after = _items_html([renamed])
    assert "A title nobody printed before" in after and "nobody printed" not in before
    assert _items_html([art]) == before  # the remembered item is the same text
    assert _items_html([art], "ar") != before  # and the UI language is part of the key


def test_fragments_follow_the_ui_language(client: TestClient, seed: Seed) -> None:
    aid = seed.by_source["akhbar"][0]
    fr, ar = client.get(f"/fr/akhbar/{aid}").text, client.get(f"/ar/akhbar/{aid}").text
    assert 'value="offensive"' in fr and 'value="offensive"' in ar
    assert 'href="/fr/about"' in fr and 'href="/ar/about"' in ar
    assert re.search(r'<nav class="main-nav"[^>]*>', fr) and 'href="/ar/sources"' in ar


def test_article_route_leaves_reserved_words_to_their_pages(client: TestClient,
                                                            seed: Seed) -> None:
    pattern = re.compile(f"^{SourceSlugConvertor.regex}$")
    assert all(not pattern.match(word) for word in RESERVED_SEGMENTS)
    assert pattern.match("akhbar") and pattern.match("stories") and pattern.match("2024")
    story = client.get(f"/fr/story/{seed.story_ids[0]}")
    assert story.status_code == 200 and 'class="article-item"' in story.text
    assert client.get("/fr/source/2024").status_code == 404  # no such source, no article
