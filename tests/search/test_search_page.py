"""The search page, its facet links, its feeds and ``/search`` on the real site app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from kiosque.config import Settings
from kiosque.web.app import create_app
from tests.search.conftest import make_test_engine
from tests.search.search_loader import load_corpus


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    gen = make_test_engine("sqlite", Path(tmp_path_factory.mktemp("page")))
    engine = next(gen)
    load_corpus(engine)
    with TestClient(create_app(Settings(page_cache_s=0), engine),
                    follow_redirects=False) as c:
        yield c
    gen.close()


def _hrefs(html: str, marker: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html) if marker in h]


def test_arabic_query_finds_spelling_variants_with_marks(client: TestClient) -> None:
    r = client.get("/ar/search", params={"q": "الحكومة"})
    assert r.status_code == 200
    assert 'dir="rtl"' in r.text
    assert "12" in r.text.split('class="search-count"', 1)[1][:80]
    assert r.text.count('class="article-item"') == 12
    assert "<mark>" in r.text


def test_facet_links_narrow_the_search(client: TestClient) -> None:
    page = client.get("/fr/search", params={"q": "Kiosquia"}).text
    lang_links = _hrefs(page, "lang%3A")
    assert lang_links, "no language facet links"
    narrowed = client.get(lang_links[0]).text
    total_all = int(re.search(r'class="search-count">(\d+)', page).group(1))
    total_narrow = int(re.search(r'class="search-count">(\d+)', narrowed).group(1))
    assert 0 < total_narrow < total_all
    day_links = _hrefs(page, "after%3A")
    assert day_links and client.get(day_links[0]).status_code == 200


def test_search_feeds_parse_and_hostile_queries_are_text(client: TestClient) -> None:
    feed = client.get("/fr/search.rss", params={"q": "Kiosquia"})
    assert feed.status_code == 200
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo and len(parsed.entries) > 10
    assert client.get("/fr/search.atom", params={"q": "Kiosquia"}).status_code == 200
    hostile = '"><script>alert(1)</script> NEAR( OR -'
    r = client.get("/fr/search", params={"q": hostile})
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text
    assert client.get("/fr/search", params={"q": "x" * 600}).status_code == 422


def test_bare_search_redirects_by_language(client: TestClient) -> None:
    r = client.get("/search", params={"q": "eau"}, headers={"Accept-Language": "es"})
    assert r.status_code == 302 and r.headers["location"] == "/es/search?q=eau"
    assert client.get("/fr/search").status_code == 200  # the empty form


def test_a_very_broad_search_says_how_it_was_ranked(client: TestClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the rank cap the page says so in words, in the reader's language; below it
    it says nothing; filter counts are always exact."""
    from kiosque.search import base

    plain = client.get("/fr/search", params={"q": "Kiosquia"}).text
    assert "search-note" not in plain and "≈" not in plain
    monkeypatch.setattr(base, "RANK_CAP", 5)
    broad = client.get("/fr/search", params={"q": "Kiosquia"}).text
    # the window grows in whole caps until it covers the page (20 results)
    assert re.search(r"Recherche très large : classement parmi les 20 correspondances", broad)
    assert "≈" not in broad
    ar = client.get("/ar/search", params={"q": "Kiosquia"}).text
    assert "بحث واسع جدًا" in ar
    by_date = client.get("/es/search", params={"q": "Kiosquia", "sort": "date"}).text
    assert "search-note" not in by_date  # by date every match is ordered
