"""Analyzers: the folding and stemming that make spelling variants meet."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kiosque.search.analysis import (
    Analyzer,
    analyzer_for,
    arabic_light_stem,
    fold_accents,
    normalize_arabic,
    tag_for,
)

LUCENE = Path(__file__).resolve().parents[3] / "shared" / "benchdata" / "stemming" / \
    "lucene-arabic-vectors"


def terms(lang: str, text: str) -> list[str]:
    return [t.split("_", 1)[1] for t in analyzer_for(lang).tokens(text)]


@pytest.mark.parametrize(("raw", "expected"), [
    ("الْحُكُومَة", "الحكومه"),  # harakat removed, teh marbuta folded
    ("الحكـــومة", "الحكومه"),  # tatweel
    ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),  # alef forms
    ("مستشفى", "مستشفي"),  # alef maqsura
    ("عام ٢٠٢٥ و۱۴۰۳", "عام 2025 و1403"),  # Arabic-Indic and Eastern digits
    ("شَدَّة", "شده"),  # shadda and fatha
])
def test_arabic_normalization(raw: str, expected: str) -> None:
    assert normalize_arabic(raw) == expected


@pytest.mark.parametrize("variant", [
    "الحكومة", "الحكومات", "الْحُكُومَة", "حكومة", "حكومه", "والحكومة", "للحكومة", "بالحكومة",
])
def test_arabic_variants_share_one_term(variant: str) -> None:
    assert terms("ar", variant) == ["حكوم"]


def test_arabic_light_stem_keeps_short_words() -> None:
    assert arabic_light_stem("الو") == "الو"
    assert arabic_light_stem("وحسن") == "حسن"
    assert arabic_light_stem("زوجها") == "زوج"
    assert terms("ar", "الانتخابات الإنتخابات انتخابات") == ["انتخاب"] * 3


@pytest.mark.skipif(not LUCENE.is_dir(), reason="benchdata not present")
@pytest.mark.parametrize(
    "name", ["arabic_normalization_lucene.tsv", "arabic_light_stem_lucene.tsv"]
)
def test_lucene_arabic_vectors(name: str) -> None:
    with (LUCENE / name).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert rows
    for row in rows:
        got = normalize_arabic(row["input"] or "")
        if "stem" in name:
            got = arabic_light_stem(got)
        assert got == (row["expected"] or ""), row


def test_french_accents_elision_and_stems() -> None:
    assert terms("fr", "sécurité securite SÉCURITÉ") == ["securit"] * 3
    assert terms("fr", "l'économie d’économie qu'économie economie") == ["econom"] * 4
    assert terms("fr", "gouvernement gouvernements") == ["gouvern"] * 2
    assert terms("fr", "élection Élections election") == ["elect"] * 3
    assert terms("fr", "jusqu'au lorsqu'il") == ["au", "il"]


def test_spanish_and_english() -> None:
    assert terms("es", "gobierno gobiernos Gobierno") == ["gobiern"] * 3
    assert terms("es", "elección elecciones eleccion") == ["eleccion"] * 3
    assert terms("es", "economía economia año ano") == ["economi", "economi", "ano", "ano"]
    assert terms("en", "government governments government's") == ["govern"] * 3
    assert terms("en", "floods flooding") == ["flood", "flood"]


def test_tokens_carry_their_language() -> None:
    assert analyzer_for("fr-FR").tokens("Paris") == ["fr_paris"]
    assert tag_for("de") == "xx" and tag_for("") == "xx"
    assert Analyzer("xx").tokens("Über Straße") == ["xx_uber", "xx_strasse"]
    # an Arabic word inside a French article still meets Arabic queries' stems
    assert terms("fr", "الحكومة") == ["حكوم"]
    # giant "words" are dropped, not indexed
    assert Analyzer("en").tokens("a" * 500 + " ok") == ["en_ok"]


def test_prefix_terms() -> None:
    fr = Analyzer("fr")
    assert fr.prefix_term("gouv") == "gouv"
    assert "gouvernement".startswith(fr.prefix_term("gouvernem"))
    assert fr.term("gouvernement").startswith(fr.prefix_term("gouvernem"))
    assert Analyzer("en").prefix_term("happy") == "happ"
    assert Analyzer("ar").prefix_term("الحكو") == "حكو"
    assert fold_accents("Ñandú") == "nandu"
