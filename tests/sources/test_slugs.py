"""Slugs: ASCII for every script, without guessing a transliteration."""

from __future__ import annotations

import pytest

from kiosque.sources import host_slug, slugify, source_slug
from kiosque.sources.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French: accents, apostrophes, punctuation
        ("Médias Été", "medias-ete"),
        ("L'Économiste", "leconomiste"),
        ("Aujourd’hui le Maroc", "aujourdhui-le-maroc"),
        ("Libération (Maroc)", "liberation-maroc"),
        ("Cœur & Âme — Édition du soir", "coeur-ame-edition-du-soir"),
        # Spanish
        ("La Mañana de Tánger", "la-manana-de-tanger"),
        ("¿Qué pasó? Año 2024", "que-paso-ano-2024"),
        # Arabic: letters are dropped, not transliterated; Arabic-Indic digits kept
        ("هسبريس", ""),
        ("اليوم ٢٤", "24"),
        ("Hespress (هسبريس)", "hespress"),
        # edges
        ("  --Déjà  vu--  ", "deja-vu"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_slugify(text: str, expected: str) -> None:
    assert slugify(text) == expected


def test_slugify_output_is_always_a_valid_slug() -> None:
    for text in ("Le Matin du Sahara!", "El País", "Journal n°1", "x" * 300, "mot " * 80):
        slug = slugify(text)
        assert SLUG_PATTERN.match(slug), slug
        assert len(slug) <= MAX_SLUG_LENGTH


def test_long_slug_is_cut_at_a_word_boundary() -> None:
    slug = slugify("mot " * 80)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug.endswith("mot")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.akhbar-alsahil.example/feed", "akhbar-alsahil"),
        ("https://ar.journal.example/rss", "ar-journal"),
        ("http://127.0.0.1:8100/feed.xml", "127-0-0-1"),
        ("https://localhost/feed", "localhost"),
        ("not a url", ""),
    ],
)
def test_host_slug(url: str, expected: str) -> None:
    assert host_slug(url) == expected


def test_source_slug_falls_back_to_the_host_for_arabic_names() -> None:
    assert source_slug("هسبريس", "https://www.alyawm.example/feed") == "alyawm"
    # mostly Arabic with a number: the bare number is not a useful name
    assert source_slug("اليوم 24", "https://www.alyawm24.example/") == "alyawm24"
    assert source_slug("Le Courrier (البريد)", "https://x.example") == "le-courrier"
    assert source_slug("", "") == "source"
