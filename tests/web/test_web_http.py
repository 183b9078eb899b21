"""HTTP behaviour shared by every route: validators and 304s, gzip, security headers."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from kiosque.web.caching import etag_matches, not_modified_since
from tests.web.webseed import Seed


@pytest.mark.parametrize("path", ["/fr/", "/ar/sources", "/fr/feed.atom", "/api/v1/ticker",
                                  "/sitemap.xml"])
def test_etag_and_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = client.get(path, headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_last_modified_and_if_modified_since(client: TestClient, seed: Seed) -> None:
    r = client.get(f"/fr/quotidien/{seed.hostile_id}")
    last_modified = r.headers["last-modified"]
    assert last_modified.endswith("GMT")
    assert client.get(f"/fr/quotidien/{seed.hostile_id}",
                      headers={"If-Modified-Since": last_modified}).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(f"/fr/quotidien/{seed.hostile_id}",
                      headers={"If-Modified-Since": old}).status_code == 200


def test_cache_control(client: TestClient) -> None:
    assert client.get("/fr/").headers["cache-control"] == "public, max-age=60"
    assert client.get("/fr/feed.rss").headers["cache-control"] == "public, max-age=300"
    assert "max-age" in client.get("/api/v1/articles").headers["cache-control"]
    assert client.get("/fr/nope/1").headers["cache-control"] == "no-cache"


def test_gzip(client: TestClient) -> None:
    r = client.get("/fr/", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert "<html" in r.text  # httpx decoded it
    plain = client.get("/fr/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    # the ETag does not depend on the encoding
    assert plain.headers["etag"] == r.headers["etag"]


def test_security_headers(client: TestClient) -> None:
    for path in ("/fr/", "/api/v1/sources", "/static/site.css", "/fr/nope/1"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_no_inline_script_or_style(client: TestClient, seed: Seed) -> None:
    for path in ("/fr/", f"/ar/akhbar/{seed.by_source['akhbar'][0]}", "/api/docs"):
        body = client.get(path).text
        assert "<script>" not in body and "<style" not in body and " style=" not in body
        assert "onload=" not in body and "onclick=" not in body


def test_static_files(client: TestClient) -> None:
    css = client.get("/static/site.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    js = client.get("/static/ticker.js")
    assert js.status_code == 200 and "data-ticker-endpoint" in js.text  # endpoint from HTML
    assert ".innerHTML" not in js.text and ".textContent = entry.title" in js.text


def test_validator_helpers() -> None:
    assert etag_matches('W/"a", W/"b"', 'W/"b"')
    assert etag_matches('"b"', 'W/"b"')
    assert etag_matches("*", 'W/"b"')
    assert not etag_matches('W/"a"', 'W/"b"')
    lm = "Thu, 26 Nov 2026 02:00:00 GMT"
    assert not_modified_since(lm, lm)
    assert not not_modified_since("Wed, 25 Nov 2026 02:00:00 GMT", lm)
    assert not not_modified_since("garbage", lm)
