"""JSON Feed 1.0 and 1.1 through parse_feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from kiosque.models import ParsedFeed
from kiosque.parse import FeedError, parse_feed

Parse = Callable[..., ParsedFeed]
ReadBytes = Callable[[str], bytes]


def test_jsonfeed11_arabic(parsed: Parse) -> None:
    feed = parsed("jsonfeed11_ar.json", url="https://nashra.example/feed.json")
    assert feed.meta.kind == "jsonfeed"
    assert feed.meta.title == "نشرة الحي"
    assert feed.meta.lang == "ar"
    first, second = feed.entries
    assert first.url == "https://nashra.example/akhbar/1"
    assert first.image_url == "https://nashra.example/img/shati.jpg"  # relative, resolved
    assert first.summary_html == "متطوعون &amp; شاطئ"  # summary is text: escaped
    assert first.content_html == "<p>يشارك المتطوعون في تنظيف الشاطئ صباح السبت.</p>"
    assert first.author == "هيئة التحرير"  # feed-level authors inherited
    assert first.categories == ["بيئة", "تطوع"]
    assert first.published == datetime(2025, 3, 5, 6, 0, tzinfo=UTC)
    assert first.lang == "ar"
    assert second.url == "https://partner.example/story"  # external_url
    assert second.guid == "2"  # numeric id coerced
    assert second.content_html == ("<p>Plain text body with &lt;angle&gt; brackets.</p>"
                                   "<p>Second paragraph.</p>")
    assert second.image_url == "https://nashra.example/img/banner.jpg"
    assert second.lang == "en"
    assert second.author == "Guest Writer"
    assert second.published == datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def test_jsonfeed10_author_object(parsed: Parse) -> None:
    entry = parsed("jsonfeed10_en.json").entries[0]
    assert entry.author == "Harbour Master"
    assert entry.url == "https://notes.example/tide-tables"  # id that is a URL
    assert entry.content_html == "High water at dawn all week."


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'{"name": "not a feed", "value": 3}', "not a JSON Feed"),
        (b"[1, 2, 3]", "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "does not parse"),
    ],
)
def test_json_that_is_no_feed(body: bytes, fragment: str) -> None:
    with pytest.raises(FeedError, match=fragment):
        parse_feed(body, "https://a.example/feed.json")


def test_odd_types_do_not_break_the_feed() -> None:
    body = (b'{"version": "https://jsonfeed.org/version/1", "title": 5, "items": ['
            b'{"id": 1, "url": "https://a.example/1", "tags": "solo", "authors": "nobody",'
            b' "content_html": null}, "junk", {"id": "2", "url": 7}]}')
    feed = parse_feed(body, "https://a.example/feed.json")
    assert [e.guid for e in feed.entries] == ["1", "2"]
    assert feed.entries[0].categories == ["solo"]
    assert feed.errors == ["1 item(s) of the JSON Feed were not objects."]
