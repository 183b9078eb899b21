"""The page-weight budget, compression, caching headers and the no-inline-script policy.

Why these together: they are what a reader on a slow phone connection feels (bytes on
the wire, 304s instead of pages) and what keeps a slipped script from ever running (a
strict Content-Security-Policy works only if the site itself needs no inline script).
The home page is measured as Chromium receives it, gzip included and images excluded,
on a home page as full as production makes it.
"""

from __future__ import annotations

import gzip
from typing import Any

import httpx
import pytest
from lxml import html as lxml_html

from tests.qos.qosseed import QosSeed, page_paths

BUDGET_BYTES = 100 * 1024
ALL_KINDS = ("home", "article", "source", "sources", "section", "author", "story", "archive")


def _paths(seed: QosSeed) -> list[str]:
    return [page_paths(seed, lang)[kind] for lang in ("fr", "ar") for kind in ALL_KINDS]


def _feeds(seed: QosSeed) -> list[str]:
    src = seed.source("fr")
    return ["/fr/feed.rss", "/ar/feed.atom", "/fr/feed.json", f"/fr/source/{src}/feed.rss"]


@pytest.mark.browser
def test_home_page_weight_within_budget(browser: Any, base_url: str) -> None:
    """Everything but images that a fresh visit to the home page transfers, <= 100 KB."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        response = page.goto(base_url + "/fr/")
        assert response is not None and response.status == 200
        assert response.header_value("content-encoding") == "gzip"
        page.wait_for_load_state("load")
        entries: list[dict[str, Any]] = page.evaluate(
            """() => performance.getEntriesByType('navigation')
                 .concat(performance.getEntriesByType('resource'))
                 .map(e => ({name: e.name, type: e.initiatorType,
                             transfer: e.transferSize, body: e.decodedBodySize}))"""
        )
    finally:
        context.close()
    counted = [e for e in entries if e["type"] not in ("img", "image")
               and not e["name"].split("?")[0].endswith((".png", ".jpg", ".webp", ".avif"))]
    names = {e["name"].removeprefix(base_url) for e in counted}
    assert {"/fr/", "/static/site.css", "/static/ticker.js"} <= names, names
    assert all(e["transfer"] > 0 for e in counted), counted  # a fresh visit, no cache
    total = sum(e["transfer"] for e in counted)
    html_entry = next(e for e in counted if e["name"].endswith("/fr/"))
    # the page is really full: long enough that the budget is a real constraint
    assert html_entry["body"] > 20_000, html_entry
    assert total <= BUDGET_BYTES, f"home page transfers {total} bytes: {counted}"


def test_text_responses_are_compressed(base_url: str, qos_seed: QosSeed) -> None:
    paths = [*_paths(qos_seed), *_feeds(qos_seed), "/api/v1/articles", "/static/site.css"]
    with httpx.Client(base_url=base_url) as client:
        for path in paths:
            raw = client.get(path, headers={"Accept-Encoding": "gzip"})
            assert raw.status_code == 200, path
            assert raw.headers.get("content-encoding") == "gzip", path
            plain = client.get(path, headers={"Accept-Encoding": "identity"})
            assert "content-encoding" not in plain.headers, path
            assert raw.content == plain.content, path  # httpx decoded the gzip body
            assert len(gzip.compress(plain.content)) < len(plain.content) / 2, path


def test_pages_and_feeds_are_cacheable_and_revalidate(base_url: str, qos_seed: QosSeed) -> None:
    with httpx.Client(base_url=base_url) as client:
        for path in [*_paths(qos_seed), *_feeds(qos_seed)]:
            first = client.get(path)
            assert first.status_code == 200, path
            etag = first.headers.get("etag")
            assert etag and "cache-control" in first.headers, (path, first.headers)
            again = client.get(path, headers={"If-None-Match": etag})
            assert again.status_code == 304 and again.content == b"", path
            assert again.headers.get("etag") == etag, path
            if "last-modified" in first.headers:
                since = client.get(path, headers={"If-Modified-Since":
                                                  first.headers["last-modified"]})
                assert since.status_code == 304, path


def _csp(headers: httpx.Headers) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for part in headers.get("content-security-policy", "").split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def test_csp_forbids_inline_script_and_pages_have_none(
    base_url: str, qos_seed: QosSeed
) -> None:
    paths = [*_paths(qos_seed), page_paths(qos_seed, "fr")["404"], "/api/docs"]
    slug, hostile_id = qos_seed.hostile
    paths.append(f"/fr/{slug}/{hostile_id}")
    with httpx.Client(base_url=base_url) as client:
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 404), path
            policy = _csp(response.headers)
            scripts = policy.get("script-src", policy.get("default-src"))
            assert scripts, (path, policy)
            assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, path
            assert policy.get("object-src") == ["'none'"], path
            tree = lxml_html.fromstring(response.content)
            for script in tree.iter("script"):
                assert script.get("src"), f"{path}: inline <script>"
                assert not (script.text or "").strip(), f"{path}: inline script text"
            for element in tree.iter():
                if not isinstance(element.tag, str):
                    continue
                handlers = [a for a in element.attrib if a.lower().startswith("on")]
                assert not handlers, f"{path}: <{element.tag} {handlers}>"
                href = (element.get("href") or "").strip().lower()
                assert not href.startswith("javascript:"), f"{path}: javascript: link"
            assert b'<script>alert("qos")' not in response.content, path


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_reading_needs_no_javascript(
    browser: Any, base_url: str, qos_seed: QosSeed, lang: str
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{lang}/")
        ticker = page.locator(".ticker-list .ticker-item a")
        assert ticker.count() >= 10  # the ticker degrades to the server's static list
        expect(ticker.first).to_be_visible()
        assert page.locator(".article-list .article-item").count() >= 20
        page.locator(".article-list .article-title a").nth(2).click()
        page.wait_for_load_state()
        body = page.locator(".article-body p")
        assert body.count() >= 1
        expect(body.first).to_be_visible()
        assert len(body.first.inner_text()) > 100
        # the pager and the language switch are plain links too
        page.goto(f"{base_url}/{lang}/")
        older = page.locator("a[href*='before=']")
        assert older.count() >= 1
        older.first.click()
        page.wait_for_load_state()
        assert "before=" in page.url
        assert page.locator(".article-list .article-item").count() >= 20
    finally:
        context.close()
