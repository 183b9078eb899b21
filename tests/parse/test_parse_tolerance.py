"""Broken feeds keep their entries, non-feeds raise FeedError, feedparser is the oracle."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest

from kiosque.models import ParsedFeed
from kiosque.parse import FeedError, parse_feed
from kiosque.parse.feed import parse_unguarded

Parse = Callable[..., ParsedFeed]
ReadBytes = Callable[[str], bytes]

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("broken_ampersand.xml", [1, 2, 3, 4, 5]),
        ("broken_truncated_item.xml", [1, 2, 3, 4, 5]),
        ("broken_missing_close.xml", [1, 2, 3, 4, 5]),
        ("broken_entities.xml", [1, 2]),
        ("broken_garbage_prolog.xml", [1, 2, 3]),
        ("broken_unclosed_cdata.xml", [1, 2, 3, 4, 5]),
        ("broken_attribute_comment.xml", [1, 2, 3, 5, 6]),
    ],
)
def test_entries_before_and_after_the_break_are_kept(parsed: Parse, name: str,
                                                     expected: list[int]) -> None:
    feed = parsed(name)
    urls = [e.url for e in feed.entries if e.url]
    assert urls == [f"https://broken.example/a/{n}" for n in expected]
    assert feed.errors, "a recovered problem must be reported"
    assert feed.meta.title == "Broken Feed"


def test_recovery_that_drops_items_triggers_item_by_item_reparse(parsed: Parse) -> None:
    feed = parsed("broken_unclosed_cdata.xml")
    assert any("re-read one by one" in problem for problem in feed.errors)
    assert [e.title for e in feed.entries][-2:] == ["Article 4", "Article 5"]


def test_entity_and_ampersand_repairs_keep_text(parsed: Parse) -> None:
    assert parsed("broken_ampersand.xml").entries[2].title == "Fish & chips night"
    assert parsed("broken_entities.xml").entries[0].title == "Café crème & co"


def test_cdata_is_not_touched_by_repairs() -> None:
    body = (b"<rss><channel><item><title>A & B</title><link>https://a.example/1</link>"
            b"<description><![CDATA[<p>Tom &amp; Jerry &nbsp; & co</p>]]></description>"
            b"</item></channel></rss>")
    entry = parse_feed(body, "https://a.example/").entries[0]
    assert entry.title == "A & B"
    assert entry.summary_html == "<p>Tom &amp; Jerry &nbsp; & co</p>"


def test_truncated_download_keeps_complete_items() -> None:
    full = (FEEDS / "rss2_fr_utf8.xml").read_bytes()
    cut = full[: full.index(b"<title>Biblioth")]
    feed = parse_feed(cut, "https://quotidien.example/rss")
    assert [e.url for e in feed.entries][:2] == [
        "https://quotidien.example/ville/marche-couvert-rouvre",
        "https://quotidien.example/sport/regates",
    ]
    assert feed.errors


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        ("\ufeff  \n".encode("utf-16"), "whitespace"),
        (b"<!DOCTYPE html><html><head><title>Accueil</title></head><body>x</body></html>",
         "HTML page"),
        (b"<html><body><p>Pas un flux</p></body></html>", "HTML page"),
        (b"just some text, no markup", "no markup"),
        (b"<note><to>Tove</to></note>", "root element <note>"),
        (b'{"error": "not found"}', "not a JSON Feed"),
    ],
)
def test_not_a_feed(body: bytes, fragment: str) -> None:
    with pytest.raises(FeedError, match=fragment):
        parse_feed(body, "https://a.example/feed")


def test_html_fixture_is_not_a_feed(feed_bytes: ReadBytes) -> None:
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed(feed_bytes("page_fr.html"), "https://quotidien.example/")


@pytest.mark.parametrize(
    "body",
    [
        b"<rss><channel><item><title>x</title></item>\x00\x01</channel>",
        b"<?xml version='1.0' encoding='bogus-charset'?><rss><channel/></rss>",
        b"<rss><channel><item><link>http://[::1/broken</link></item></channel></rss>",
        b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><content type='xhtml' mode='base64'>"
        b"!!!</content><updated>9999-99-99</updated></entry></feed>",
        b"<rss>" + b"<item>" * 3000,
        b"<urlset><url><loc>", b"<sitemapindex><sitemap><loc>/a</loc>",
        b"\xff\xfe\x00\x00<\x00\x00\x00",
    ],
)
def test_junk_never_raises_anything_but_feed_error(body: bytes) -> None:
    try:
        result = parse_unguarded(body, "https://a.example/feed")
    except FeedError as exc:
        assert str(exc).endswith(".")  # a sentence for the operator
    else:
        assert all(isinstance(entry.url, str) for entry in result.entries)


FEEDPARSER_ORACLE = [
    "rss2_fr_utf8.xml", "rss2_es_latin1.xml", "rss2_ar_windows1256.xml", "rss2_ar_utf8.xml",
    "atom10_en_utf16.xml", "atom03_fr.xml", "rss1_es.xml", "rss091_en_entities.xml",
    "broken_ampersand.xml", "broken_truncated_item.xml", "broken_missing_close.xml",
    "broken_entities.xml", "broken_garbage_prolog.xml", "broken_unclosed_cdata.xml",
    "broken_attribute_comment.xml", "wrong_charset_fr_latin1.xml",
]


@pytest.mark.parametrize("name", FEEDPARSER_ORACLE)
def test_feedparser_oracle_no_entry_lost(name: str) -> None:
    """Every entry link feedparser finds, we find too (and titles agree on clean feeds)."""
    body = (FEEDS / name).read_bytes()
    url = f"https://feeds.example/{name}"
    ours = parse_feed(body, url)
    theirs = feedparser.parse(body, response_headers={"content-location": url,
                                                      "content-type": "application/xml"})
    our_urls = {e.url for e in ours.entries}
    their_urls = {e.get("link") for e in theirs.entries if e.get("link")}
    assert their_urls <= our_urls
    assert len(ours.entries) >= len(theirs.entries)
    if not theirs.bozo:  # on well-formed feeds, titles agree (feedparser keeps title tags)
        their_titles = [" ".join(re.sub(r"<[^>]+>", "", e.get("title", "")).split())
                        for e in theirs.entries]
        assert [e.title for e in ours.entries] == their_titles


def test_feedparser_oracle_compared_titles_on_clean_fixtures() -> None:
    """Guard for the test above: the clean fixtures must not be bozo for feedparser."""
    clean = [name for name in FEEDPARSER_ORACLE if not name.startswith(("broken", "wrong"))]
    for name in clean:
        result = feedparser.parse((FEEDS / name).read_bytes(),
                                  response_headers={"content-type": "application/xml"})
        assert not result.bozo or name == "rss091_en_entities.xml", name


def test_entity_expansion_bomb_is_refused() -> None:
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{levels}]><rss><channel>'
            "<item><title>&l9;</title><link>https://a.example/1</link></item>"
            "</channel></rss>").encode()
    feed = parse_feed(body, "https://a.example/")
    assert [e.url for e in feed.entries] == ["https://a.example/1"]
    assert len(feed.entries[0].title) < 1000
    assert feed.errors


def test_external_entities_are_never_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
            "<rss><channel><item><title>a&x;b</title><link>https://a.example/1</link></item>"
            "</channel></rss>").encode()
    feed = parse_feed(body, "https://a.example/")
    assert "TOP-SECRET" not in feed.entries[0].title
    assert feed.entries[0].url == "https://a.example/1"


def test_internal_dtd_entities_are_expanded() -> None:
    body = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY site "https://a.example">]>'
            b"<rss><channel><item><title>x</title><link>&site;/1</link></item>"
            b"</channel></rss>")
    assert parse_feed(body, "https://b.example/").entries[0].url == "https://a.example/1"


def test_parsing_from_several_threads_gives_the_same_result() -> None:
    from concurrent.futures import ThreadPoolExecutor

    names = ["rss2_fr_utf8.xml", "broken_unclosed_cdata.xml", "atom10_en_utf16.xml"] * 8
    bodies = [(FEEDS / name).read_bytes() for name in names]

    def urls(body: bytes) -> list[str]:
        return [e.url for e in parse_feed(body, "https://feeds.example/").entries]

    expected = [urls(body) for body in bodies]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(urls, bodies)) == expected


def test_markup_before_the_root_without_declaration() -> None:
    body = (b"<br />\n<b>Notice</b>: Undefined index in feed.php<br />\n"
            b'<rss version="2.0"><channel><title>T</title><item><title>Un</title>'
            b"<link>https://a.example/1</link></item></channel></rss>")
    feed = parse_feed(body, "https://a.example/")
    assert [e.url for e in feed.entries] == ["https://a.example/1"]
    assert feed.meta.title == "T"
    assert feed.errors


def test_repair_leaves_cdata_and_comments_alone() -> None:
    from kiosque.parse.xmltree import repair

    text = "<a>x & y &eacute;<!-- & <![CDATA[ -->z<![CDATA[ & <!-- &nbsp; ]]>w<![CDATA[ & open"
    assert repair(text) == ("<a>x &amp; y &#233;<!-- & <![CDATA[ -->z<![CDATA[ & <!-- &nbsp; ]]>"
                            "w<![CDATA[ & open")
