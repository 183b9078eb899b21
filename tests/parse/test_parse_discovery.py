"""Feed discovery from HTML pages and robots.txt."""

from __future__ import annotations

from collections.abc import Callable

from kiosque.models import ParsedFeed
from kiosque.parse import COMMON_FEED_PATHS, discover_feeds, sitemaps_from_robots

Parse = Callable[..., ParsedFeed]
ReadBytes = Callable[[str], bytes]


def test_discovers_advertised_feeds_best_first(feed_bytes: ReadBytes) -> None:
    found = discover_feeds(feed_bytes("page_fr.html"), "https://quotidien.example/page/")
    assert found == [
        "https://quotidien.example/rss",
        "https://quotidien.example/atom.xml",
        "https://quotidien.example/feed.json",  # resolved against <base href>
        "https://quotidien.example/comments/feed",  # comment feeds last
    ]


def test_relative_links_without_base_and_charset_from_header() -> None:
    html = ('<html><head><title>صحيفة</title>'
            '<link rel="alternate" type="application/atom+xml" title="أخبار" href="atom">'
            '<link rel="ALTERNATE feed" type="application/rss+xml; charset=utf-8" '
            'href="//cdn.example/rss.xml"></head><body></body></html>').encode("cp1256")
    found = discover_feeds(html, "https://madina.example/ar/index.html",
                           "text/html; charset=windows-1256")
    assert found == ["https://madina.example/ar/atom", "https://cdn.example/rss.xml"]


def test_no_feed_no_html() -> None:
    assert discover_feeds(b"", "https://a.example/") == []
    assert discover_feeds(b"<html><head><link rel='stylesheet' href='/s.css'></head></html>",
                          "https://a.example/") == []
    assert discover_feeds(b"<html><link rel='alternate' type='application/rss+xml' "
                          b"href='javascript:alert(1)'></html>", "https://a.example/") == []


def test_common_paths() -> None:
    assert COMMON_FEED_PATHS[:7] == ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml",
                                     "/index.rss", "/feed/")
    assert len(set(COMMON_FEED_PATHS)) == len(COMMON_FEED_PATHS)
    assert all(path.startswith("/") for path in COMMON_FEED_PATHS)


def test_sitemaps_from_robots() -> None:
    robots = """User-agent: *
Disallow: /admin
Sitemap: https://quotidien.example/sitemap.xml
sitemap: /news-sitemap.xml   # Google News
SITEMAP:https://quotidien.example/sitemap.xml
# Sitemap: https://quotidien.example/commented.xml
Sitemap:
"""
    assert sitemaps_from_robots(robots, "https://quotidien.example/robots.txt") == [
        "https://quotidien.example/sitemap.xml",
        "https://quotidien.example/news-sitemap.xml",
    ]
    assert sitemaps_from_robots("", "https://a.example/") == []


def test_wordpress_rest_api_json_is_not_a_feed() -> None:
    html = (b'<html><head><link rel="alternate" type="application/json" '
            b'href="https://a.example/wp-json/wp/v2/pages/2">'
            b'<link rel="alternate" type="application/json+oembed" href="/oembed">'
            b'<link rel="alternate" type="application/json" href="/feed.json">'
            b"</head></html>")
    assert discover_feeds(html, "https://a.example/") == ["https://a.example/feed.json"]
