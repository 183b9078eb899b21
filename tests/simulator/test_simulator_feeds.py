"""Feeds over real loopback HTTP: formats, determinism, conditional GET, charsets."""

from __future__ import annotations

import json
from collections import Counter

import feedparser
import httpx
import pytest

from kiosque.simulator import Simulator
from kiosque.simulator.sites import SimSite
from tests.simulator.simulator_anchor import ANCHOR


def _entries(site: SimSite, body: bytes) -> list[dict[str, object]]:
    if site.feed_kind == "jsonfeed":
        return list(json.loads(body)["items"])
    return list(feedparser.parse(body).entries)


def test_fourteen_sites_in_four_languages_each_on_its_own_port(sim: Simulator) -> None:
    langs = Counter(site.lang for site in sim.sites)
    assert langs == {"fr": 5, "ar": 5, "es": 2, "en": 2}
    assert len({site.port for site in sim.sites}) == len(sim.sites)
    assert {site.feed_kind for site in sim.sites} == {"rss", "atom", "jsonfeed"}
    assert {site.full_content for site in sim.sites} == {True, False}
    for site in sim.sites:
        assert site.base_url == f"http://127.0.0.1:{site.port}"
        assert len(site.sections) == 5
        source = site.as_source()
        assert source.feed_url == site.feed_url and source.homepage == site.base_url
        assert source.verified and source.lang == site.lang


def test_fixed_ports_are_known_before_start() -> None:
    simulator = Simulator(base_port=18200)
    assert [s.port for s in simulator.sites] == list(range(18200, 18200 + 14))
    assert simulator.sites[0].feed_url.startswith("http://127.0.0.1:18200/")


def test_every_feed_parses_with_items_and_metadata(sim: Simulator, client: httpx.Client) -> None:
    for site in sim.sites:
        response = client.get(site.feed_url)
        assert response.status_code == 200, site.slug
        entries = _entries(site, response.content)
        assert len(entries) >= 15, site.slug
        if site.feed_kind == "jsonfeed":
            assert all(item["id"] and item["date_published"] for item in entries)
            continue
        parsed = feedparser.parse(response.content)
        assert bool(parsed.bozo) == ("broken_xml" in site.faults), site.slug
        for entry in entries:
            assert entry.get("id") and entry.get("link") and entry.get("title")
            assert entry.get("published_parsed") and entry.get("author")
            assert entry.get("tags")
        has_content = any("content" in entry for entry in entries)
        assert has_content == site.full_content, site.slug


def test_feeds_use_local_time_zones(sim: Simulator, client: httpx.Client) -> None:
    offsets = set()
    for site in sim.sites:
        if site.feed_kind == "jsonfeed":
            continue
        entry = feedparser.parse(client.get(site.feed_url).content).entries[0]
        raw = str(entry.get("published"))
        offsets.add(raw[-5:] if site.feed_kind == "rss" else raw[-6:])
    assert {"+0100", "+01:00", "-0500"} <= offsets
    assert len(offsets) >= 4


def test_broken_feed_still_yields_items_before_and_after_the_break(
    sim: Simulator, client: httpx.Client
) -> None:
    site = next(s for s in sim.sites if "broken_xml" in s.faults)
    body = client.get(site.feed_url).content
    assert b" & " in body
    parsed = feedparser.parse(body)
    assert parsed.bozo
    titles = [e.title for e in parsed.entries]
    assert len(titles) == 25
    broken = next(i for i, t in enumerate(titles) if "&" in t)
    assert 0 < broken < len(titles) - 1


def test_same_seed_and_anchor_serve_identical_bytes_other_seed_differs(
    sim: Simulator, client: httpx.Client
) -> None:
    twin = Simulator(base_port=0, seed=42, speed=0, faults=False, anchor=ANCHOR)
    other = Simulator(base_port=0, seed=43, speed=0, faults=False, anchor=ANCHOR)
    twin.start_in_thread()
    other.start_in_thread()
    try:
        for mine, theirs, stranger in zip(sim.sites, twin.sites, other.sites, strict=True):
            body = client.get(mine.feed_url).content
            port = str(mine.port).encode()
            twin_body = client.get(theirs.feed_url).content.replace(str(theirs.port).encode(), port)
            other_body = client.get(stranger.feed_url).content
            other_body = other_body.replace(str(stranger.port).encode(), port)
            assert body == twin_body, mine.slug
            assert body != other_body, mine.slug
    finally:
        twin.stop()
        other.stop()


def test_conditional_get_answers_304(sim: Simulator, client: httpx.Client) -> None:
    for site in sim.sites:
        first = client.get(site.feed_url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        again = client.get(site.feed_url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        by_date = client.get(site.feed_url, headers={"If-Modified-Since": modified})
        assert by_date.status_code == 304
        stale = client.get(site.feed_url, headers={"If-None-Match": '"stale"',
                                                   "If-Modified-Since": modified})
        assert stale.status_code == 200 and stale.content == first.content


@pytest.mark.parametrize(("slug", "codec"), [("journal-remparts", "iso-8859-1"),
                                             ("sada-wahat", "windows-1256")])
def test_legacy_charsets_are_declared_and_real(
    sim: Simulator, client: httpx.Client, slug: str, codec: str
) -> None:
    site = next(s for s in sim.sites if s.slug == slug)
    assert site.encoding == codec
    response = client.get(site.feed_url)
    assert response.headers["content-type"].endswith(f"charset={codec}")
    assert response.content.startswith(f'<?xml version="1.0" encoding="{codec}"?>'.encode())
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    text = response.content.decode(codec)
    assert ("é" in text) if codec == "iso-8859-1" else ("ال" in text)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and len(parsed.entries) == 25
    page = client.get(parsed.entries[0].link)
    assert page.headers["content-type"] == f"text/html; charset={codec}"
    assert f'<meta charset="{codec}">'.encode() in page.content


def test_duplicate_guids_and_tracking_parameters(sim: Simulator, client: httpx.Client) -> None:
    site = sim.site("messager-littoral")
    entries = feedparser.parse(client.get(site.feed_url).content).entries
    ids = Counter(e.id for e in entries)
    assert max(ids.values()) == 2
    assert all("utm_source=rss" in e.link for e in entries)
    page = client.get(entries[0].link).text
    clean = entries[0].link.split("?")[0]
    assert f'<link rel="canonical" href="{clean}">' in page


def test_images_in_feeds_come_three_ways(sim: Simulator, client: httpx.Client) -> None:
    enclosure = feedparser.parse(client.get(sim.site("vigie-detroit").feed_url).content)
    assert enclosure.entries[0].enclosures[0]["type"] == "image/jpeg"
    media = feedparser.parse(client.get(sim.site("northgate-wire").feed_url).content)
    assert media.entries[0].media_content[0]["url"].endswith(".jpg")
    bare = client.get(sim.site("manarat-atlas").feed_url).content
    assert b".jpg" not in bare


def test_news_sitemap_index_and_robots(sim: Simulator, client: httpx.Client) -> None:
    with_maps = [s for s in sim.sites if s.sitemap_url]
    assert 3 <= len(with_maps) < len(sim.sites)
    for site in with_maps:
        assert site.sitemap_url
        robots = client.get(site.base_url + "/robots.txt").text
        assert f"Sitemap: {site.sitemap_url}" in robots
        assert "/news-sitemap.xml" in client.get(site.sitemap_url).text
        news = client.get(site.base_url + "/news-sitemap.xml")
        assert news.status_code == 200
        assert news.text.count("<news:publication_date>") >= 10
        assert f"<news:language>{site.lang}</news:language>" in news.text
    without = next(s for s in sim.sites if not s.sitemap_url)
    assert "Sitemap:" not in client.get(without.base_url + "/robots.txt").text
    assert client.get(without.base_url + "/news-sitemap.xml").status_code == 404
