"""Charset decoding: every claim is verified, wrong claims fall through."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest

from kiosque.models import ParsedFeed
from kiosque.parse import parse_feed
from kiosque.parse.charset import decode_body, header_charset

Parse = Callable[..., ParsedFeed]
ReadBytes = Callable[[str], bytes]

ARABIC = "افتتاح مكتبة جديدة في وسط المدينة"
FRENCH = "Randonnée guidée : « déjà » à l'église, coût 5 €"
RUSSIAN = "Новая библиотека открылась в центре города"


def _rss(title: str, declaration: str = "") -> str:
    decl = f'<?xml version="1.0" encoding="{declaration}"?>\n' if declaration else ""
    return (f"{decl}<rss version=\"2.0\"><channel><title>{title}</title>"
            f"<item><title>{title}</title><link>https://x.example/1</link></item>"
            "</channel></rss>")


def test_header_charset_parsing() -> None:
    assert header_charset('application/rss+xml; charset="Windows-1256"') == "windows-1256"
    assert header_charset("text/xml") is None
    assert header_charset(None) is None


@pytest.mark.parametrize(
    ("codec", "text", "declared"),
    [
        ("windows-1256", ARABIC, "windows-1256"),
        ("iso-8859-1", "Año de cosecha en el valle, según la cooperativa", "ISO-8859-1"),
        ("cp1251", RUSSIAN, "windows-1251"),
        ("windows-1252", FRENCH, "windows-1252"),
        ("iso-8859-6", ARABIC, "iso-8859-6"),
    ],
)
def test_declared_legacy_charsets(codec: str, text: str, declared: str) -> None:
    feed = parse_feed(_rss(text, declared).encode(codec), "https://x.example/feed")
    assert feed.meta.title == text
    assert feed.entries[0].title == text
    assert feed.errors == []


def test_http_header_charset_without_declaration() -> None:
    body = _rss(ARABIC).encode("cp1256")
    feed = parse_feed(body, "https://x.example/", "application/rss+xml; charset=windows-1256")
    assert feed.entries[0].title == ARABIC


def test_undeclared_arabic_is_detected() -> None:
    text = " ".join([ARABIC, "استقبلت المكتبة الجديدة مئات الزوار في يومها الأول"] * 4)
    feed = parse_feed(_rss(text).encode("cp1256"), "https://x.example/")
    assert feed.entries[0].title == text


def test_utf16_with_bom() -> None:
    body = b"\xfe\xff" + _rss(FRENCH, "utf-16").encode("utf-16-be")
    assert parse_feed(body, "https://x.example/").entries[0].title == FRENCH


def test_bom_wins_over_a_wrong_header() -> None:
    body = b"\xff\xfe" + _rss(FRENCH).encode("utf-16-le")
    feed = parse_feed(body, "https://x.example/", "text/xml; charset=iso-8859-1")
    assert feed.entries[0].title == FRENCH


def test_declared_utf8_but_latin1_bytes_recovers() -> None:
    feed = parse_feed(_rss(FRENCH.replace(" €", ""), "utf-8").encode("latin-1"),
                      "https://x.example/")
    assert feed.entries[0].title == FRENCH.replace(" €", "")
    assert any("utf-8" in problem for problem in feed.errors)


def test_header_latin1_over_utf8_bytes_keeps_utf8() -> None:
    feed = parse_feed(_rss(ARABIC).encode("utf-8"), "https://x.example/",
                      "text/xml; charset=ISO-8859-1")
    assert feed.entries[0].title == ARABIC


def test_latin1_label_decodes_windows_1252_quotes() -> None:
    body = _rss("l’été “chaud”", "iso-8859-1").encode("cp1252")
    assert parse_feed(body, "https://x.example/").entries[0].title == "l’été “chaud”"


def test_text_is_nfc_normalized() -> None:
    decomposed = unicodedata.normalize("NFD", "Élodie à Évian")
    decoded = decode_body(decomposed.encode("utf-8"))
    assert decoded.text == "Élodie à Évian"
    assert unicodedata.is_normalized("NFC", decoded.text)


def test_fixture_charsets(parsed: Parse) -> None:
    arabic_1256 = parsed("rss2_ar_windows1256.xml")
    arabic_utf8 = parsed("rss2_ar_utf8.xml")
    assert [e.title for e in arabic_1256.entries] == [e.title for e in arabic_utf8.entries]
    assert arabic_1256.entries[0].title == ARABIC
    spanish = parsed("rss2_es_latin1.xml")
    assert spanish.entries[0].summary_html.startswith("Los agricultores señalan")
    assert parsed("atom10_en_utf16.xml").meta.title == "The Harbour Times"
    wrong = parsed("wrong_charset_fr_latin1.xml")
    assert wrong.meta.title == "Écho des Collines"
    assert wrong.entries[0].title == "Randonnée guidée au lever du soleil"


def test_undeclared_cyrillic_and_latin1_are_detected() -> None:
    russian = parse_feed(_rss(f"{RUSSIAN}, {RUSSIAN.lower()}").encode("cp1251"),
                         "https://x.example/")
    assert russian.entries[0].title == f"{RUSSIAN}, {RUSSIAN.lower()}"
    french = parse_feed(_rss("Départ à l'église, arrivée au belvédère").encode("latin-1"),
                        "https://x.example/")
    assert french.entries[0].title == "Départ à l'église, arrivée au belvédère"
