"""Google News sitemaps, plain sitemaps and sitemap indexes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from kiosque.models import ParsedFeed
from kiosque.parse import parse_feed

Parse = Callable[..., ParsedFeed]
ReadBytes = Callable[[str], bytes]


def test_news_sitemap_french(parsed: Parse) -> None:
    feed = parsed("sitemap_news_fr.xml", url="https://quotidien.example/sitemap-news.xml")
    assert feed.meta.kind == "sitemap"
    assert feed.meta.lang == "fr"
    tram, port = feed.entries
    assert tram.url == "https://quotidien.example/ville/tramway-ligne-2"
    assert tram.title == "Tramway : la ligne 2 « en service dès l'été »"  # CDATA
    assert tram.published == datetime(2025, 3, 5, 5, 30, tzinfo=UTC)
    assert tram.lang == "fr"
    assert tram.categories == ["transport", "tramway"]
    assert tram.image_url == "https://cdn.quotidien.example/img/tram.jpg"
    assert port.url == "https://quotidien.example/economie/port-record"  # relative <loc>
    assert port.published == datetime(2025, 3, 4, tzinfo=UTC)


def test_plain_sitemap_uses_lastmod(parsed: Parse) -> None:
    feed = parsed("sitemap_plain_es.xml")
    assert [e.url for e in feed.entries] == [
        "https://diario-valle.example/campo/cosecha-aceituna",
        "https://diario-valle.example/ciudad/puente-viejo",
    ]
    assert feed.entries[0].published == datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    assert feed.entries[1].published is None


def test_sitemap_index_lists_children(parsed: Parse) -> None:
    feed = parsed("sitemap_index.xml", url="https://madina.example/sitemap.xml")
    assert feed.meta.kind == "sitemapindex"
    assert feed.entries == []
    assert feed.sub_feeds == ["https://madina.example/sitemap-news.xml",
                              "https://madina.example/sitemap-2025-03.xml"]


def test_news_sitemap_without_namespace_prefix_declared_twice() -> None:
    body = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:n="http://www.google.com/schemas/sitemap-news/0.9"><url>
      <loc>https://a.example/x</loc><n:news><n:publication><n:name>A</n:name>
      <n:language>es</n:language></n:publication><n:title>Hola &amp; adi\xc3\xb3s</n:title>
      <n:publication_date>2025-03-01T10:00:00Z</n:publication_date></n:news></url></urlset>"""
    entry = parse_feed(body, "https://a.example/s.xml").entries[0]
    assert (entry.title, entry.lang) == ("Hola & adiós", "es")
