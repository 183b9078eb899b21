"""The shortcuts metadata and sanitizing take must give exactly what the long way gives.

Each fast path (one tree walk instead of three XPath queries, URLs urljoin would return
unchanged, split-join whitespace cleaning, one nh3 Cleaner for every call) is checked
here against the straightforward code it replaced, on crafted edge cases and on many
generated inputs.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from kiosque.extract import metadata
from kiosque.extract import selectors as sel
from kiosque.extract.sanitize import (
    resolved_url,
    safe_url,
    sanitize_html,
    unchanged_by_urljoin,
)

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")

PAGE = """<html><head>
<meta name="viewport" content="width=device-width">
<meta property="og:title" content="   ">
<meta property=" OG:Title " name="title" content="  First   real title ">
<meta property="og:title" content="Second title">
<meta name="" content="nameless"><meta content="keyless">
<meta name="author" itemprop="author" http-equiv="content-language" content="Ana">
<meta name="AUTHOR" content="Not the first author">
<meta name="description">
<script type="application/ld+json">{"@type": "WebPage", "name": "page"}</script>
<script type="text/javascript">var x = 1;</script>
<script type="application/LD+JSON">{"@type": "NewsArticle", "headline": "wrong case"}</script>
<link rel="stylesheet" href="/s.css"><link rel="canonical"><link href="/no-rel">
</head><body>
<meta property="og:image" content="/img/a.jpg">
<link rel="Canonical  alternate" href="/canon">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "In body"}</script>
</body></html>"""


def _meta_values_reference(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """meta_values as it was written before the single walk."""
    found: dict[str, str] = {}
    for node in tree.xpath(sel.XPATH_META):
        content = _SPACES.sub(" ", node.get("content")).strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (node.get(attr) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def test_selectors_are_the_ones_the_walk_implements() -> None:
    # metadata._scan walks the tree by hand instead of running these three queries: if
    # one of them changes, _scan must change with it.
    assert sel.XPATH_META == "//meta[@content]"
    assert sel.XPATH_JSONLD == "//script[@type='application/ld+json']"
    assert sel.XPATH_LINKS == "//link[@rel][@href]"


@pytest.mark.parametrize("start", ["root", "body", "detached_head"])
def test_scan_finds_what_the_xpath_queries_find(start: str) -> None:
    root = lxml_html.document_fromstring(PAGE)
    node = {"root": root, "body": root.find("body"), "detached_head": root.find("head")}[start]
    metas, scripts, links = metadata._scan(node)
    assert metas == node.xpath(sel.XPATH_META)
    assert scripts == node.xpath(sel.XPATH_JSONLD)
    assert links == node.xpath(sel.XPATH_LINKS)


def test_meta_values_match_the_reference() -> None:
    tree = lxml_html.document_fromstring(PAGE)
    expected = _meta_values_reference(tree)
    assert metadata.meta_values(tree) == expected
    assert expected["og:title"] == "First real title"
    assert expected["author"] == "Ana"
    restricted = metadata._meta_values(metadata._scan(tree)[0], metadata._META_KEYS_READ)
    assert restricted == {k: v for k, v in expected.items() if k in metadata._META_KEYS_READ}


def test_page_level_results_on_the_crafted_page() -> None:
    meta = metadata.extract_metadata(lxml_html.document_fromstring(PAGE), "https://ex.ma/a/b")
    assert meta.title == "In body"
    assert meta.author == "Ana"
    assert meta.image_url == "https://ex.ma/img/a.jpg"
    assert meta.canonical_url == "https://ex.ma/canon"
    assert meta.lang == "ana"  # http-equiv="content-language" names a key too


def test_dates_keep_their_order_of_trust() -> None:
    markup = (
        "<html><head><script type='application/ld+json'>"
        '{"@type": "NewsArticle", "datePublished": "soon", "dateCreated": "2026-01-02"}'
        "</script></head><body><time datetime='2026-03-04T05:06:07Z' class='published'>"
        "</time></body></html>"
    )
    meta = metadata.extract_metadata(lxml_html.document_fromstring(markup), "https://ex.ma/")
    assert meta.published == datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    without_time = markup.replace("<time", "<span").replace("</time>", "</span>")
    meta = metadata.extract_metadata(lxml_html.document_fromstring(without_time), "")
    assert meta.published == datetime(2026, 1, 2, tzinfo=UTC)


def test_clean_agrees_with_the_regex_on_every_whitespace() -> None:
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()] + ["\u200b", "\ufeff", "x"]
    for c in spaces:
        for value in (f"{c}a{c}{c}b{c}", c, f"a{c}", c * 3):
            assert metadata._clean(value) == _SPACES.sub(" ", value).strip(), repr(c)
    assert metadata._clean(None) == ""
    assert metadata._clean(12) == "12"


PIECES = [
    "http", "https", "HTTP", "ftp", ":", "//", "/", "?", "#", ";", "[", "]", "::1", "a",
    "b.c", "..", ".", "%20", " ", "\t", "\n", "\x00", "\x7f", "é", "\u2100", "@", "=",
    "&", "\u00a0", "1.2.3.4", "v1.x", "'", "\\", ":80", "data:", "javascript:",
]
BASES = [
    "", "http://example.ma/a/b", "https://example.ma/a/b?x#y", "http://[::1]/a",
    "http://[bad/a", "https://é.fr/x", "ftp://x/y", "http://\u2100/x", "relative/path",
]


def _urls() -> list[str]:
    rng = random.Random(20260314)
    urls = {"".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8))) for _ in range(6000)}
    for scheme in ("http", "https", "HTTP"):
        for host in ("a", "a.b:8080", "u@a", "[::1]", "é.fr", ""):
            for rest in ("", "/", "/x/../y", "/./", "?", "?q", "#", "#f", "/p;x", "/p?a;b",
                         "/p#a?b#c", "?#", "/a b", "/%7e?x=1&y=2#top"):
                urls.add(f"{scheme}://{host}{rest}")
    return sorted(urls)


def _outcome(func: Callable[..., object], *args: str) -> tuple[str, object]:
    try:
        return "ok", func(*args)
    except ValueError as exc:
        return "raised", type(exc).__name__


@pytest.mark.parametrize(
    ("url", "plain"),
    [
        ("http://a/b/../c", True), ("https://a.b:80/x?y=1#z", True), ("http://a", True),
        ("http://a?", False), ("http://a/b#", False), ("http://a/b?#f", False),
        ("http://a/b;p", False), ("HTTP://a/b", False), ("http:///b", False),
        ("http://[::1]/", False), ("http://é.fr/", False), ("http://a/b c", False),
        (" http://a/", False), ("//a/b", False), ("/a/b", False),
    ],
)
def test_unchanged_by_urljoin_cases(url: str, plain: bool) -> None:
    assert unchanged_by_urljoin(url, "https://example.ma/x/y") is plain
    if plain:
        assert urljoin("https://example.ma/x/y", url) == url
        assert urljoin("http://example.ma/x/y", url) == url


def test_unchanged_by_urljoin_never_lies() -> None:
    for url in _urls():
        for base in BASES:
            if unchanged_by_urljoin(url, base):
                assert (urljoin(base, url) if base else url) == url, (url, base)
                parts = urlsplit(url)
                assert parts.scheme in ("http", "https") and parts.netloc, url


def _absolute_reference(url: str, base: str) -> str:
    url = url.strip()
    return metadata._joined(url, base) if url else ""


def test_safe_url_and_absolute_match_the_reference() -> None:
    for url in _urls():
        for base in BASES:
            assert _outcome(safe_url, url, base) == _outcome(resolved_url, url, base)
            assert _outcome(metadata._absolute, url, base) == _outcome(
                _absolute_reference, url, base)


def test_sanitize_uses_each_calls_own_base_across_threads() -> None:
    fragment = '<p><a href="../x?n={n}">x</a><img src="y{n}.jpg" width="640"></p>'
    jobs = [(fragment.format(n=n), f"https://site{n % 7}.ma/a/b/c") for n in range(400)]
    expected = [sanitize_html(html, base) for html, base in jobs]
    assert 'href="https://site3.ma/a/x?n=3"' in expected[3]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda job: sanitize_html(*job), jobs))
    assert got == expected
