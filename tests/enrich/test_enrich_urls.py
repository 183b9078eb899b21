"""canonicalize_url: one spelling per article address."""

from __future__ import annotations

import pytest

from kiosque.enrich import canonicalize_url
from kiosque.enrich.urls import registrable_domain


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.MA:443/Politique/Article-1.html",
         "https://www.example.ma/Politique/Article-1.html"),
        ("http://example.ma:80", "http://example.ma/"),
        ("http://example.ma:8080/a", "http://example.ma:8080/a"),
        ("https://example.ma/a#comments", "https://example.ma/a"),
        ("https://example.ma/a?utm_source=rss&utm_medium=feed&id=7&fbclid=abc&gclid=z",
         "https://example.ma/a?id=7"),
        ("https://example.ma/a?b=2&a=1&a=0", "https://example.ma/a?a=0&a=1&b=2"),
        ("https://example.ma/a?mc_cid=1&mc_eid=2&igshid=3&yclid=4&_ga=5&msclkid=6&dclid=7",
         "https://example.ma/a"),
        ("https://example.ma/a?ref=rss", "https://example.ma/a"),
        ("https://example.ma/a?ref=v2.1", "https://example.ma/a?ref=v2.1"),
        ("https://example.ma/a?ref_src=twsrc", "https://example.ma/a"),
        ("https://example.ma/%7Euser/caf%c3%a9", "https://example.ma/~user/caf%C3%A9"),
        ("https://example.ma/café olé", "https://example.ma/caf%C3%A9%20ol%C3%A9"),
        ("https://example.ma/a%2Fb", "https://example.ma/a%2Fb"),
        ("https://example.ma/a/./b/../c", "https://example.ma/a/c"),
        ("https://example.ma/s?q=a+b", "https://example.ma/s?q=a%20b"),
        ("https://example.ma/s?q=a%20b", "https://example.ma/s?q=a%20b"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("https://EXAMPLE.ma./x", "https://example.ma/x"),
        ("https://مثال.المغرب/خبر",
         "https://xn--mgbh0fb.xn--mgbc0a9azcg/%D8%AE%D8%A8%D8%B1"),
        ("mailto:someone@example.ma", "mailto:someone@example.ma"),
        ("  https://example.ma/a  ", "https://example.ma/a"),
    ],
)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected
    assert canonicalize_url(expected) == expected  # idempotent


def test_variants_agree() -> None:
    variants = [
        "http://www.example.ma/a?id=7&utm_campaign=x#top",
        "HTTP://www.EXAMPLE.ma:80/a?utm_source=y&id=7",
        "http://www.example.ma/./a?id=%37",
    ]
    assert len({canonicalize_url(v) for v in variants}) == 1


@pytest.mark.parametrize(
    ("url", "hint", "expected"),
    [
        ("https://m.example.ma/a?utm_source=x", "https://www.example.ma/a-canonique",
         "https://www.example.ma/a-canonique"),
        ("https://www.example.co.uk/a", "https://news.example.co.uk/b",
         "https://news.example.co.uk/b"),
        ("https://www.example.ma/a", "https://www.other.ma/a", "https://www.example.ma/a"),
        ("https://a.example.co.uk/x", "https://b.other.co.uk/x", "https://a.example.co.uk/x"),
        ("https://www.example.ma/a", "https://www.example.ma/", "https://www.example.ma/a"),
        ("https://www.example.ma/a", "/relative", "https://www.example.ma/a"),
        ("https://www.example.ma/a", "javascript:alert(1)", "https://www.example.ma/a"),
        ("https://www.example.ma/a", "", "https://www.example.ma/a"),
        ("https://www.example.ma/a", None, "https://www.example.ma/a"),
        ("https://www.example.ma/a", "https://WWW.example.ma/b?utm_term=z",
         "https://www.example.ma/b"),
    ],
)
def test_canonical_hint(url: str, hint: str | None, expected: str) -> None:
    assert canonicalize_url(url, hint) == expected


def test_registrable_domain() -> None:
    assert registrable_domain("news.example.co.uk") == "example.co.uk"
    assert registrable_domain("www.le360.ma") == "le360.ma"
    assert registrable_domain("localhost") == "localhost"


@pytest.mark.parametrize("junk", ["", "http://", "http://[::1", "::::", "https://exa mple.ma/"])
def test_junk_does_not_raise(junk: str) -> None:
    assert isinstance(canonicalize_url(junk, junk), str)
