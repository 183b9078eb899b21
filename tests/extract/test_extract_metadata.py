"""Metadata rules: JSON-LD shapes, date parsing, language codes, boilerplate pruning."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from kiosque.extract.body import prune_boilerplate
from kiosque.extract.metadata import PageMetadata, extract_metadata, normalize_lang, parse_date


def _meta(markup: str, url: str = "https://example.ma/a/b") -> PageMetadata:
    return extract_metadata(lxml_html.document_fromstring(markup), url)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-14T10:00:00+01:00", datetime(2026, 3, 14, 9, tzinfo=UTC)),
        ("2026-03-14T10:00:00Z", datetime(2026, 3, 14, 10, tzinfo=UTC)),
        ("2026-03-14", datetime(2026, 3, 14, tzinfo=UTC)),
        ("Sat, 14 Mar 2026 10:00:00 CET", datetime(2026, 3, 14, 9, tzinfo=UTC)),
        ("Sat, 14 Mar 2026 10:00:00 GMT", datetime(2026, 3, 14, 10, tzinfo=UTC)),
        ("not a date", None),
        ("", None),
        ("1850-01-01", None),
        ("9" * 80, None),
    ],
)
def test_parse_date(value: str, expected: datetime | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("fr_FR", "fr"), ("ar-MA", "ar"), ("EN", "en"), ("es-419", "es"), ("fr, en", "fr"),
     ("", ""), ("12", ""), ("français", "")],
)
def test_normalize_lang(value: str, expected: str) -> None:
    assert normalize_lang(value) == expected


def test_jsonld_shapes_and_precedence() -> None:
    ld = [
        {"@type": "BreadcrumbList", "name": "crumbs"},
        {"@type": ["NewsArticle", "Thing"], "headline": "  Titre   JSON-LD ",
         "author": {"@type": "Person", "name": "Nadia B."},
         "datePublished": "2026-03-14T08:00:00+00:00",
         "image": ["https://cdn.example.ma/1.jpg", "https://cdn.example.ma/2.jpg"],
         "publisher": {"name": "Le Journal"}, "inLanguage": "fr-MA"},
    ]
    markup = (
        f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script>"
        "<meta property='og:title' content='Titre OG'>"
        "<meta property='article:author' content='https://example.ma/auteurs/x'>"
        "<meta property='og:url' content='https://example.ma/og-url'>"
        "</head><body><h1>Titre H1</h1></body></html>"
    )
    meta = _meta(markup)
    assert meta.title == "Titre JSON-LD"
    assert meta.author == "Nadia B."
    assert meta.published == datetime(2026, 3, 14, 8, tzinfo=UTC)
    assert meta.image_url == "https://cdn.example.ma/1.jpg"
    assert meta.site_name == "Le Journal"
    assert meta.lang == "fr"
    assert meta.canonical_url == "https://example.ma/og-url"


def test_fallbacks_when_only_html_is_there() -> None:
    markup = (
        "<html lang='es-ES'><head><title>Título de la pestaña</title></head><body>"
        "<p>Por <a rel='author' href='/autor'>Ana Ruiz</a></p>"
        "<time datetime='2026-03-14T12:00:00+01:00' itemprop='datePublished'>hoy</time>"
        "<img src='/icon.png' width='32' height='32'>"
        "<img src='/foto.jpg' width='800' height='450'></body></html>"
    )
    meta = _meta(markup)
    assert meta.title == "Título de la pestaña"
    assert meta.author == "Ana Ruiz"
    assert meta.published == datetime(2026, 3, 14, 11, tzinfo=UTC)
    assert meta.image_url == "https://example.ma/foto.jpg"
    assert meta.lang == "es"
    assert meta.canonical_url == ""


def test_pruning_spares_wordpress_body_classes() -> None:
    root = lxml_html.document_fromstring(
        "<html><body class='post comments-open comments'><article class='related'>"
        "<p>Texte de l'article.</p><div class='ad-slot'>Pub</div>tail kept</article>"
        "<div id='comments'><p>Un commentaire</p></div>"
        "<div class='cookie-banner x'>Cookies</div><nav><a href='/'>Menu</a> | "
        "<a href='/s'>Sport</a></nav><div role='dialog'>Abonnez-vous</div>"
        "<header role='banner'><nav>Un site met ici son chapeau, sans aucun lien.</nav>"
        "</header></body></html>"
    )
    prune_boilerplate(root)
    text = " ".join(root.text_content().split())
    assert text == "Texte de l'article.tail keptUn site met ici son chapeau, sans aucun lien."
