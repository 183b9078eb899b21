"""RSS 0.91, 1.0 (RDF) and 2.0 through parse_feed, on the fixtures in tests/data/feeds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from kiosque.models import ParsedFeed
from kiosque.parse import parse_feed

Parse = Callable[..., ParsedFeed]
ReadBytes = Callable[[str], bytes]


def test_rss2_french_fields(parsed: Parse) -> None:
    feed = parsed("rss2_fr_utf8.xml", url="https://quotidien.example/rss")
    assert feed.errors == []
    assert feed.meta.kind == "rss"
    assert feed.meta.title == "Le Quotidien du Port"
    assert feed.meta.lang == "fr"
    assert feed.meta.ttl_minutes == 15
    first, second, third = feed.entries
    # relative <link> resolved against the feed URL; non-permalink guid kept as guid
    assert first.url == "https://quotidien.example/ville/marche-couvert-rouvre"
    assert first.guid == "qdp-1001"
    assert first.author == "Élodie Marchand"
    assert first.categories == ["Ville", "Commerce"]
    assert first.published == datetime(2025, 3, 3, 7, 15, tzinfo=UTC)
    # CDATA HTML decoded as-is, content:encoded separate from description
    assert first.content_html.startswith("<p>Les commerçants ont retrouvé leurs places <b>")
    assert first.summary_html == "<p>Les étals sont de retour sous la halle rénovée.</p>"
    assert first.image_url == "https://cdn.quotidien.example/img/halle.jpg"  # media:content
    assert first.lang == "fr"
    # entity-escaped HTML in a title is flattened to text; in a description kept as HTML
    assert second.title == "Régates d'automne : le club nautique prépare sa 40e édition"
    assert second.summary_html.endswith('<img src="/img/voiles.png" alt="">')
    assert "&amp; le public" in second.summary_html
    assert second.author == "Jules Navarre"  # "email (Name)"
    assert second.image_url == "https://cdn.quotidien.example/img/regates.jpg"  # enclosure
    # no <link>: the permalink guid is the URL
    assert third.url == "https://quotidien.example/culture/bibliotheque-horaires"
    assert third.image_url == "https://cdn.quotidien.example/img/biblio-thumb.jpg"
    assert third.published == datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_rss1_rdf_spanish(parsed: Parse) -> None:
    feed = parsed("rss1_es.xml")
    assert feed.meta.title == "Boletín Municipal"
    assert feed.meta.lang == "es"
    assert [e.url for e in feed.entries] == ["https://boletin.example/n/1",
                                            "https://boletin.example/n/2"]
    first = feed.entries[0]
    assert first.guid == "https://boletin.example/n/1"  # rdf:about
    assert first.author == "Lucía Romero"
    assert first.categories == ["Deportes"]
    assert first.published == datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert feed.entries[1].published == datetime(2025, 2, 28, tzinfo=UTC)  # W3CDTF date only
    assert first.lang == "es"


def test_rss091_with_html_entities(parsed: Parse) -> None:
    feed = parsed("rss091_en_entities.xml")
    assert len(feed.entries) == 2
    assert feed.entries[0].title == "Café on Main Street wins award"  # nbsp folded
    assert feed.entries[0].summary_html == "The café was praised for its scones — again."
    assert feed.errors  # the undefined entities were noticed


def test_rss2_arabic_language_and_dates(parsed: Parse) -> None:
    feed = parsed("rss2_ar_utf8.xml")
    assert feed.meta.lang == "ar"
    assert all(e.lang == "ar" for e in feed.entries)
    assert feed.entries[0].categories == ["ثقافة"]
    assert feed.entries[1].published == datetime(2025, 3, 4, 5, 45, tzinfo=UTC)


def test_xml_base_and_item_language() -> None:
    body = b"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
      <language>en</language>
      <item xml:base="https://other.example/es/"><title>Uno</title><link>nota-1</link>
        <dc:language>es-ES</dc:language></item>
      <item><title>Two</title><link>../two</link>
        <description>&lt;p&gt;x&lt;/p&gt;&lt;img src="pic.jpg"&gt;</description></item>
    </channel></rss>"""
    feed = parse_feed(body, "https://site.example/feeds/main.xml")
    one, two = feed.entries
    assert one.url == "https://other.example/es/nota-1"
    assert one.lang == "es"
    assert two.url == "https://site.example/two"
    assert two.lang == "en"
    assert two.image_url == "https://site.example/feeds/pic.jpg"  # first <img>, resolved


def test_image_priority_enclosure_over_media_over_itunes() -> None:
    body = b"""<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
      xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
      <item><link>https://a.example/1</link>
        <itunes:image href="https://a.example/itunes.jpg"/>
        <media:thumbnail url="https://a.example/thumb.jpg"/>
        <enclosure url="https://a.example/audio.mp3" type="audio/mpeg"/>
        <enclosure url="https://a.example/enc.jpg" type="image/jpeg"/></item>
      <item><link>https://a.example/2</link>
        <itunes:image href="https://a.example/itunes.jpg"/>
        <media:group><media:content url="https://a.example/video.mp4" medium="video"/>
        <media:content url="https://a.example/still.png" type="image/png"/></media:group>
      </item>
      <item><link>https://a.example/3</link><itunes:image href="https://a.example/it.jpg"/>
        <description>&lt;img src="https://a.example/inline.jpg"&gt;</description></item>
      <item><link>https://a.example/4</link>
        <description><![CDATA[<p>Text</p><IMG SRC='https://a.example/last&amp;resort.jpg'>]]>
        </description></item>
    </channel></rss>"""
    images = [e.image_url for e in parse_feed(body, "https://a.example/feed").entries]
    assert images == ["https://a.example/enc.jpg", "https://a.example/still.png",
                      "https://a.example/it.jpg", "https://a.example/last&resort.jpg"]


def test_guid_not_permalink_is_never_the_url() -> None:
    body = b"""<rss version="2.0"><channel><item><title>t</title>
      <guid isPermaLink="false">https://a.example/internal/42</guid></item></channel></rss>"""
    entry = parse_feed(body, "https://a.example/feed").entries[0]
    assert entry.url == ""
    assert entry.guid == "https://a.example/internal/42"


def test_syndication_update_period_as_ttl() -> None:
    body = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
      <channel rdf:about="x"><title>T</title><sy:updatePeriod>hourly</sy:updatePeriod>
      <sy:updateFrequency>4</sy:updateFrequency></channel></rdf:RDF>"""
    feed = parse_feed(body, "https://a.example/feed")
    assert feed.meta.ttl_minutes == 15
    assert feed.entries == []
