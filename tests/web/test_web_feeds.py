"""Feeds, OPML, sitemaps and robots.txt, parsed back with real parsers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import feedparser
import pytest
from starlette.testclient import TestClient

from kiosque.web.feeds import build
from tests.web.webseed import HOSTILE_TITLE, Seed


def parse_json_feed(body: bytes) -> Any:
    """feedparser 6.0 does not read JSON Feed: check the 1.1 shape and wrap it alike."""
    data = json.loads(body)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    for item in data["items"]:
        assert {"id", "url", "title", "date_published"} <= item.keys()
    entries = [
        SimpleNamespace(
            title=i["title"], link=i["url"],
            published_parsed=datetime.fromisoformat(i["date_published"]).utctimetuple(),
        )
        for i in data["items"]
    ]
    return SimpleNamespace(bozo=0, version="json11", entries=entries,
                           feed=SimpleNamespace(title=data["title"]))


def parse(body: bytes, fmt: str) -> Any:
    if fmt == "json":
        return parse_json_feed(body)
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_site_feed_round_trips(client: TestClient, seed: Seed, fmt: str) -> None:
    r = client.get(f"/fr/feed.{fmt}")
    assert r.status_code == 200
    parsed = parse(r.content, fmt)
    assert parsed.version.startswith({"rss": "rss20", "atom": "atom10", "json": "json1"}[fmt])
    assert len(parsed.entries) == 50
    first = parsed.entries[0]
    assert first.title == HOSTILE_TITLE  # escaped in transit, identical once parsed
    assert first.link == f"http://testserver/fr/quotidien/{seed.hostile_id}"
    published = datetime(*first.published_parsed[:6], tzinfo=UTC)
    assert published == seed.published[seed.hostile_id]


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_source_feed(client: TestClient, seed: Seed, fmt: str) -> None:
    parsed = parse(client.get(f"/ar/source/akhbar/feed.{fmt}").content, fmt)
    assert [e.link.rsplit("/", 1)[1] for e in parsed.entries] == [
        str(i) for i in seed.by_source["akhbar"]]
    assert "أخبار اليوم" in parsed.feed.title


def test_other_list_feeds(client: TestClient, seed: Seed) -> None:
    story = client.get(f"/fr/story/{seed.story_ids[0]}/feed.atom")
    assert len(feedparser.parse(story.content).entries) == 3
    section = feedparser.parse(client.get("/fr/section/world/feed.rss").content)
    assert len(section.entries) == len(seed.by_source["daily"])
    assert client.get("/fr/source/nope/feed.rss").status_code == 404
    assert client.get("/fr/source/akhbar/feed.xml").status_code == 404
    assert client.get("/fr/planet/akhbar/feed.rss").status_code == 404


def test_feed_content_types(client: TestClient) -> None:
    assert client.get("/fr/feed.rss").headers["content-type"].startswith("application/rss+xml")
    assert client.get("/fr/feed.atom").headers["content-type"].startswith(
        "application/atom+xml")
    assert client.get("/fr/feed.json").headers["content-type"].startswith(
        "application/feed+json")


def test_opml_lists_enabled_sources(client: TestClient) -> None:
    r = client.get("/sources.opml")
    root = ET.fromstring(r.content)
    outlines = root.findall("./body/outline")
    assert len(outlines) == 5  # the disabled source is left out
    urls = {o.get("xmlUrl") for o in outlines}
    assert "https://akhbar.example/feed.xml" in urls
    assert any(o.get("text") == "L'Écho <b>& Cie</b>" for o in outlines)


def test_sitemaps_and_robots(client: TestClient, seed: Seed) -> None:
    ns = {"s": build.SITEMAP_NS, "n": build.NEWS_NS}
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locs = [e.text for e in root.findall("./s:url/s:loc", ns)]
    # each article once, under its own language when the UI speaks it
    assert f"http://testserver/ar/akhbar/{seed.by_source['akhbar'][0]}" in locs
    assert f"http://testserver/es/diario/{seed.by_source['diario'][0]}" in locs
    assert len([u for u in locs if u and u.rsplit("/", 1)[1].isdigit()]) == len(
        seed.article_ids)
    news = ET.fromstring(client.get("/sitemap-news.xml").content)
    items = news.findall("./s:url", ns)
    assert items
    titles = [i.findtext("./n:news/n:title", namespaces=ns) for i in items]
    assert HOSTILE_TITLE in titles
    langs = {i.findtext("./n:news/n:publication/n:language", namespaces=ns) for i in items}
    assert {"fr", "ar", "es", "en"} <= langs
    robots = client.get("/robots.txt").text
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Sitemap: http://testserver/sitemap-news.xml" in robots


def test_builders_escape_and_survive_empty_lists() -> None:
    doc = build.FeedDoc(title="<x> & y", link="https://h/fr/", self_url="https://h/fr/feed",
                        lang="fr")
    for fmt, serialize in (("rss", build.to_rss), ("atom", build.to_atom),
                           ("json", build.to_jsonfeed)):
        parsed = parse(serialize(doc), fmt)
        assert parsed.feed.title == "<x> & y"
        assert parsed.entries == []
