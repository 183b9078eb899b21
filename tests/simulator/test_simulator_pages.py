"""Article pages, listings and images: the metadata and the clutter real sites have."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import feedparser
import httpx
from PIL import Image

from kiosque.simulator import SimArticle, Simulator, generate_corpus
from tests.simulator.simulator_anchor import ANCHOR


def _corpus(sim: Simulator, hours: int = 30) -> list[SimArticle]:
    urls = tuple(site.base_url for site in sim.sites)
    return generate_corpus(42, ANCHOR - timedelta(hours=hours), ANCHOR, base_urls=urls)


def _feed_date(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return parsedate_to_datetime(raw)


def _body_text(html: str) -> str:
    body = html.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


def test_article_page_has_canonical_opengraph_jsonld_and_lang(
    sim: Simulator, client: httpx.Client
) -> None:
    for site in (sim.site("vigie-detroit"), sim.site("marsad-raqmi"), sim.site("harbour-ledger")):
        entry = feedparser.parse(client.get(site.feed_url).content).entries[3]
        response = client.get(entry.link)
        assert response.status_code == 200
        html = response.text
        assert f'<html lang="{site.lang}"' in html
        assert f'<link rel="canonical" href="{entry.link}">' in html
        for prop in ("og:title", "og:image", "og:description", "article:published_time"):
            assert f'property="{prop}"' in html
        blob = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
        data = json.loads(blob)
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == entry.title
        assert data["author"][0]["name"] and data["image"][0].startswith(site.base_url)
        assert datetime.fromisoformat(data["datePublished"]) == _feed_date(entry.published)
        # boilerplate around the body
        for marker in ('class="cookie-banner"', 'class="ad ', 'class="related"',
                       'class="comments"', "<footer", "<nav"):
            assert marker in html, marker
        paragraphs = html.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
        assert 4 <= paragraphs.count("<p>") <= 11


def test_published_time_matches_the_ground_truth(sim: Simulator, client: httpx.Client) -> None:
    article = _corpus(sim)[-1]
    html = client.get(article.url).text
    match = re.search(r'property="article:published_time" content="([^"]+)"', html)
    assert match
    assert datetime.fromisoformat(match.group(1)) == article.published
    assert article.title.replace("'", "&#x27;") in html


def test_a_wrong_slug_redirects_to_the_canonical_path(sim: Simulator, client: httpx.Client) -> None:
    article = next(a for a in _corpus(sim) if a.lang == "fr")
    wrong = article.url.replace(article.path.rsplit("/", 1)[1], f"autre-titre-{article.n}.html")
    response = client.get(wrong)
    assert response.status_code == 301
    assert response.headers["location"] == article.url
    assert client.get(sim.sites[0].base_url + "/nulle-part").status_code == 404


def test_home_page_links_its_feed_for_discovery(sim: Simulator, client: httpx.Client) -> None:
    types = {"rss": "application/rss+xml", "atom": "application/atom+xml",
             "jsonfeed": "application/feed+json"}
    for site in sim.sites:
        html = client.get(site.base_url + "/").text
        assert f'rel="alternate" type="{types[site.feed_kind]}"' in html
        assert f'href="{site.feed_url}"' in html
        assert html.count('<li><a href="/') >= 10
        section = client.get(f"{site.base_url}/{site.sections[1]}/")
        assert section.status_code == 200


def test_lead_images_are_deterministic_jpegs(sim: Simulator, client: httpx.Client) -> None:
    article = _corpus(sim)[-1]
    base = article.url[: -len(article.path)]
    first = client.get(base + article.image_path)
    assert first.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(first.content))
    assert image.format == "JPEG" and image.size == (600, 400)
    assert client.get(base + article.image_path).content == first.content
    other = _corpus(sim)[-2]
    other_base = other.url[: -len(other.path)]
    assert client.get(other_base + other.image_path).content != first.content


def test_one_story_is_told_by_several_sites(sim: Simulator, client: httpx.Client) -> None:
    by_story: dict[int, list[SimArticle]] = defaultdict(list)
    for article in _corpus(sim):
        by_story[article.story_id].append(article)
    story = max(by_story.values(), key=lambda arts: len({a.site for a in arts}))
    assert len({a.site for a in story}) >= 3
    for article in story:
        page = client.get(article.url)
        assert page.status_code == 200
        assert article.paragraphs[0][:40] in _body_text(page.text).replace("&#x27;", "'")


def test_agency_dispatch_is_nearly_identical_on_two_sites(
    sim: Simulator, client: httpx.Client
) -> None:
    by_story: dict[int, list[SimArticle]] = defaultdict(list)
    for article in _corpus(sim):
        if article.is_agency_copy:
            by_story[article.story_id].append(article)
    first, second = next(arts for arts in by_story.values() if len(arts) >= 2)[:2]
    assert first.site != second.site
    words = []
    for article in (first, second):
        html = client.get(article.url).text
        words.append(set(re.findall(r"\w+", _body_text(html).lower())))
    overlap = len(words[0] & words[1]) / len(words[0] | words[1])
    assert overlap >= 0.8
