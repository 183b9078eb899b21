"""extract_page on our own boilerplate-heavy fixture pages in four languages and three
charsets, plus inputs that must not make it raise."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from kiosque.extract import extract_page
from kiosque.extract.sanitize import ALLOWED_TAGS
from kiosque.models import ExtractedPage

PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"
CASES: list[dict[str, Any]] = json.loads((PAGES / "expected.json").read_text("utf-8"))


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=CASES, ids=[c["file"] for c in CASES])
def extracted(request: pytest.FixtureRequest) -> tuple[dict[str, Any], ExtractedPage]:
    case: dict[str, Any] = request.param
    data = (PAGES / case["file"]).read_bytes()
    return case, extract_page(data, case["url"], case["content_type"])


def test_main_text_is_kept(extracted: tuple[dict[str, Any], ExtractedPage]) -> None:
    case, page = extracted
    text = _flat(page.text)
    missing = [segment for segment in case["must"] if segment not in text]
    assert not missing


def test_boilerplate_is_dropped(extracted: tuple[dict[str, Any], ExtractedPage]) -> None:
    case, page = extracted
    text = _flat(page.text) + _flat(page.html)
    leaked = [segment for segment in case["must_not"] if segment in text]
    assert not leaked


def test_metadata(extracted: tuple[dict[str, Any], ExtractedPage]) -> None:
    case, page = extracted
    assert page.title == case["title"]
    assert page.author == case["author"]
    assert page.published == datetime.fromisoformat(case["published"])
    assert page.published is not None and page.published.utcoffset() is not None
    assert page.image_url == case["image_url"]
    assert page.canonical_url == case["canonical_url"]
    assert page.lang == case["lang"]
    assert page.site_name == case["site_name"]
    assert page.description.startswith("Description " + case["lang"])


def test_html_is_simple_and_matches_text(
    extracted: tuple[dict[str, Any], ExtractedPage],
) -> None:
    _, page = extracted
    root = lxml_html.fragment_fromstring(page.html, create_parent="div")
    tags = {el.tag for el in root.iter() if isinstance(el.tag, str)} - {"div"}
    assert tags and tags <= ALLOWED_TAGS
    assert len(root.findall(".//p")) >= 5
    # the title is metadata, not repeated as the first block of the body
    assert not _flat(page.text).startswith(page.title)
    assert "\n\n" in page.text


def test_arabic_without_any_charset_declaration_is_detected() -> None:
    case = next(c for c in CASES if c["lang"] == "ar")
    data = (PAGES / case["file"]).read_bytes()
    data = data.replace(
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">', b""
    )
    assert b"charset" not in data
    page = extract_page(data, case["url"])
    assert case["must"][0] in _flat(page.text)
    assert page.title == case["title"]


def test_wrong_header_charset_falls_back() -> None:
    case = next(c for c in CASES if c["lang"] == "es")
    data = (PAGES / case["file"]).read_bytes()
    page = extract_page(data, case["url"], "text/html; charset=utf-8")  # a lie: it is latin-1
    assert case["must"][1] in _flat(page.text)


def test_str_input_and_relative_urls() -> None:
    markup = (
        "<html><head><meta property='og:image' content='//cdn.example.org/a.jpg'>"
        "<link rel='Canonical' href='../story-1?x=1'><title>Un titre</title></head>"
        "<body><article>" + "<p>Un paragraphe suffisamment long pour être retenu par "
        "l'extracteur, avec plusieurs mots et une phrase complète.</p>" * 6
        + "</article></body></html>"
    )
    page = extract_page(markup, "https://example.org/news/today/item")
    assert page.image_url == "https://cdn.example.org/a.jpg"
    assert page.canonical_url == "https://example.org/news/story-1?x=1"
    assert page.title == "Un titre"
    assert "Un paragraphe suffisamment long" in page.text


def test_jsonld_article_body_rescues_a_script_rendered_page() -> None:
    body = "\n".join(f"Paragraphe numéro {i} du corps fourni en JSON-LD." for i in range(12))
    ld = json.dumps({"@type": "NewsArticle", "headline": "H", "articleBody": body})
    markup = (f"<html><head><script type='application/ld+json'>{ld}</script></head>"
              "<body><div id='app'></div></body></html>")
    page = extract_page(markup, "https://example.org/a")
    assert "Paragraphe numéro 11 du corps" in page.text
    assert page.html.count("<p>") == 12


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"   ",
        b"\x00\x01\x02\xff\xfe\xfd" * 50,
        b"<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
        b"<html><head><meta charset='no-such-codec'></head><body>\xe9t\xe9</body></html>",
        "<html>" + "<div>" * 3000 + "deep" + "</div>" * 3000 + "</html>",
        "<html><head><script type='application/ld+json'>[[[{\"@type\": 5}]]]</script>"
        "<meta property='article:published_time' content='not a date at all'>"
        "<meta property='og:image' content='javascript:alert(1)'></head></html>",
        "<<<>>><p <p <a href=''>",
        "\ud800 lone surrogate",
    ],
)
def test_never_raises(garbage: bytes | str) -> None:
    page = extract_page(garbage, "https://example.org/x")
    assert isinstance(page, ExtractedPage)
    assert page.image_url in ("",) or page.image_url.startswith("http")
    assert page.published is None


def test_threads_get_the_same_results() -> None:
    from concurrent.futures import ThreadPoolExecutor

    jobs = [((PAGES / c["file"]).read_bytes(), c["url"]) for c in CASES] * 4
    serial = [extract_page(data, url).text for data, url in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda job: extract_page(job[0], job[1]).text, jobs))
    assert threaded == serial and all(serial)


# --- fast extraction first, trafilatura's fallbacks only when they could change it ---
def test_fast_answer_is_kept_only_when_the_fallbacks_could_not_beat_it() -> None:
    from kiosque.extract.body import fast_body_suffices

    long_text = "mot " * 200
    assert fast_body_suffices("<p>x</p>", long_text, page_paragraph_chars=len(long_text))
    assert fast_body_suffices("<p>x</p>", long_text, page_paragraph_chars=2 * len(long_text))
    # readability could find more than twice as much paragraph text
    assert not fast_body_suffices("<p>x</p>", long_text,
                                  page_paragraph_chars=2 * len(long_text) + 1)
    assert not fast_body_suffices("<p>x</p>", "court", page_paragraph_chars=5)  # jusText's turn
    assert not fast_body_suffices("<h2>x</h2>", long_text, page_paragraph_chars=0)
    assert not fast_body_suffices("<p>x</p><table></table>", long_text, page_paragraph_chars=0)


def _fast_flags(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record each body extraction's mode; the real extraction still runs."""
    from kiosque.extract import page as page_module

    flags: list[bool] = []
    real = page_module.extract_body

    def recording(*args: Any, **kwargs: Any) -> str:
        flags.append(bool(kwargs.get("fast", False)))
        return real(*args, **kwargs)

    monkeypatch.setattr(page_module, "extract_body", recording)
    return flags


def test_fixture_pages_need_only_the_fast_pass_and_match_the_full_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosque.extract import body

    for case in CASES:
        data = (PAGES / case["file"]).read_bytes()
        flags = _fast_flags(monkeypatch)
        fast = extract_page(data, case["url"], case["content_type"])
        monkeypatch.undo()
        monkeypatch.setattr(body, "FAST_MIN_CHARS", 10**9)  # force the fallbacks
        full = extract_page(data, case["url"], case["content_type"])
        monkeypatch.undo()
        assert _flat(fast.text) == _flat(full.text), case["file"]
        if len(fast.text) >= body.FAST_MIN_CHARS:
            assert flags == [True], case["file"]


def test_a_fast_answer_missing_most_paragraphs_gets_the_full_extraction(
        monkeypatch: pytest.MonkeyPatch) -> None:
    article = "".join(f"<p>Phrase {i} du court article sur le port de Tanger, avec assez "
                      f"de mots pour compter comme un vrai paragraphe de presse.</p>"
                      for i in range(5))
    elsewhere = "".join(f"<p>Paragraphe {i} d'un long dossier que la page garde ailleurs, "
                        f"hors de l'article, dans un bloc sans balise sémantique.</p>"
                        for i in range(60))
    page = (f"<html><body><article><h1>Titre</h1>{article}</article>"
            f"<div class='x'>{elsewhere}</div></body></html>")
    flags = _fast_flags(monkeypatch)
    result = extract_page(page, "https://example.org/a")
    assert flags == [True, False]
    assert "Paragraphe 59" in result.text  # the fallbacks' answer, which fast mode missed


@pytest.mark.parametrize("fast", [True, False])
def test_the_cascade_shortcut_matches_trafilaturas_public_function(
        fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """extract_body calls trafilatura's internal cascade; the public call must agree."""
    from kiosque.extract import body
    from kiosque.extract.decode import decode_html
    from kiosque.extract.page import parse_html

    assert body._SEQUENCE is not None  # the shortcut is what runs with this release
    for case in CASES:
        markup = decode_html((PAGES / case["file"]).read_bytes(), case["content_type"])
        shortcut = body.extract_body(parse_html(markup), case["url"], fast=fast)
        with monkeypatch.context() as patched:
            patched.setattr(body, "_SEQUENCE", None)
            public = body.extract_body(parse_html(markup), case["url"], fast=fast)
        assert shortcut == public and shortcut, case["file"]
