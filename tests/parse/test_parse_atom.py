"""Atom 1.0 and 0.3 through parse_feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from kiosque.models import ParsedFeed
from kiosque.parse import parse_feed

Parse = Callable[..., ParsedFeed]
ReadBytes = Callable[[str], bytes]


def test_atom10_english_utf16(parsed: Parse) -> None:
    feed = parsed("atom10_en_utf16.xml", url="https://harbour-times.example/atom.xml")
    assert feed.errors == []
    assert feed.meta.kind == "atom"
    assert feed.meta.link == "https://harbour-times.example/"
    assert feed.meta.lang == "en"
    ferry, rowing = feed.entries
    # xml:base on the feed, then on the entry
    assert ferry.url == "https://harbour-times.example/news/ferry-timetable"
    assert rowing.url == "https://harbour-times.example/sport/rowing-cup"
    assert ferry.title == "Ferry timetable changes & what they mean"
    assert rowing.title == "Rowing club wins the estuary cup"  # type="html" flattened
    # type="text" is escaped into HTML, type="html" is unescaped once
    assert ferry.summary_html == "Two crossings move; one is new. Tea &lt;still&gt; served."
    assert ferry.content_html == "<p>The morning ferry now leaves at <em>7:10</em>.</p>"
    assert rowing.content_html.startswith("<div><p>A close finish by <strong>")
    assert "xmlns" not in rowing.content_html
    assert ferry.image_url == "https://harbour-times.example/img/ferry.png"  # image enclosure
    assert rowing.image_url == "https://harbour-times.example/img/cup.jpg"  # first <img>
    assert ferry.published == datetime(2025, 3, 5, 7, 30, tzinfo=UTC)
    assert ferry.updated == datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
    assert rowing.published == datetime(2025, 3, 4, 17, 45, tzinfo=UTC)  # from <updated>
    assert ferry.author == "Ada Quayle"
    assert rowing.author == "Newsroom"  # feed author inherited
    assert ferry.categories == ["Transport"]
    assert ferry.guid == "tag:harbour-times.example,2025:1"


def test_atom03_french(parsed: Parse) -> None:
    feed = parsed("atom03_fr.xml")
    entry = feed.entries[0]
    assert feed.meta.lang == "fr"
    assert entry.url == "https://carnet.example/fete-voisins"
    assert entry.content_html == "<p>Rendez-vous place des Tilleuls.</p>"  # mode="escaped"
    assert entry.published == datetime(2025, 3, 2, 10, 0, tzinfo=UTC)  # <issued>
    assert entry.updated == datetime(2025, 3, 2, 12, 0, tzinfo=UTC)  # <modified>
    assert entry.author == "Camille Rivière"
    assert entry.lang == "fr"


def test_alternate_link_preferred_over_others() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
      <link rel="enclosure" href="https://a.example/file.mp3" type="audio/mpeg"/>
      <link rel="replies" href="https://a.example/comments"/>
      <link rel="alternate" type="application/pdf" href="https://a.example/doc.pdf"/>
      <link rel="alternate" type="text/html" href="https://a.example/story"/>
      <id>urn:uuid:1</id></entry>
      <entry><link rel="related" href="/only-link"/><id>urn:uuid:2</id></entry>
      <entry><id>https://a.example/from-id</id></entry></feed>"""
    entries = parse_feed(body, "https://a.example/atom").entries
    assert [e.url for e in entries] == ["https://a.example/story",
                                        "https://a.example/only-link",
                                        "https://a.example/from-id"]


def test_atom_text_content_becomes_escaped_html() -> None:
    body = """<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar"><entry>
      <title>عنوان &amp; أكثر</title><link href="https://a.example/1"/>
      <content type="text">سطر أول &lt;b&gt;

سطر ثان</content></entry></feed>""".encode()
    entry = parse_feed(body, "https://a.example/atom").entries[0]
    assert entry.title == "عنوان & أكثر"
    assert entry.content_html == "<p>سطر أول &lt;b&gt;</p><p>سطر ثان</p>"
    assert entry.lang == "ar"
