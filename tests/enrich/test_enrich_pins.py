"""Exact fingerprint values, computed once with the original implementation.

Simhashes and content hashes are stored with every article and compared with those of
new articles: a change of any value below silently breaks duplicate detection against
everything already stored. Speed-ups must keep these; a deliberate change of algorithm
needs a migration that recomputes the stored values, and new pins.
"""

from __future__ import annotations

import pytest

from kiosque.enrich import content_hash, simhash64, story_signature
from tests.enrich.test_enrich_fingerprints import ARTICLE  # the text the pins were taken on

AR = ("أَعْلَنَتْ وِزَارَةُ الفلاحة إِطلاق برنامج جديد لدعم التعاونيات في جهة سوس ماسة، "
      "بميزانية ١٢٠ مليون درهم.")
ES = ("El Ayuntamiento de Tánger aprobó ayer el nuevo plan de movilidad urbana, que prevé "
      "40 kilómetros de carriles bici.")
EN = ("The port of Tanger Med handled a record 10.2 million containers last year, the "
      "authority said on Monday.")
MIX = "🎉 Fête à Rabat ! Mixed عربي and français 2024 — l'été"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (ARTICLE, "fr", -595816738855581923),
        (f"Coopérative de Tighmi\n{ARTICLE}", "fr", -577802340344002787),  # as ingest calls it
        (AR, "ar", 2323881812835088439),
        (ES, "es", 6051510588643495888),
        (EN, "en", 647604691300391815),
        (MIX, "", 439479929325815053),
        ("deux mots", "", 6486096754174781933),  # fewer words than a shingle
        ("deux mots", "fr", 2922682857728626483),
        ("le chat " * 20, "fr", 37297638086806048),  # one shingle repeated
        ("", "fr", 0),
    ],
)
def test_simhash64_values_are_pinned(text: str, lang: str, expected: int) -> None:
    assert simhash64(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ARTICLE, "a8014ac37e63638a4661dd65c5cdbc10351096962a1bb1d8d1fc86614a9ecf21"),
        (AR, "90512de3ec0b3281a5d795ae2d74755164481c3823fc3f149ebc78c1112c9652"),
        (MIX, "336e0ed245781e48e5bec8d778ad76f73dd477d66ac0ace6e531de9822a1e1b7"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ],
)
def test_content_hash_values_are_pinned(text: str, expected: str) -> None:
    assert content_hash(text) == expected


def test_story_signatures_are_pinned() -> None:
    fr = story_signature("Akhannouch inaugure à Benslimane", ARTICLE, "fr")
    assert fr.title_terms == {"akhannouch", "bensliman", "inaugur"}
    assert fr.terms == fr.title_terms | {
        "colis", "envois", "mêm", "doubl", "montréal", "prépar", "deux", "espèrent", "direct",
        "productric", "grâc", "veulent", "appris", "revenus", "semain", "vent", "biolog",
        "photographi", "obten", "tighm", "expédi", "lyon", "an", "fois", "cooper", "client",
        "huil", "trois", "intermédiair", "répondr", "certif", "commun", "premi", "messag",
    }
    assert fr.anchors == {"bnslmn", "tkm", "kns", "mntrl"}
    assert not fr.arabic_script
    ar = story_signature("أخنوش يدشن مشروعا في بنسليمان", AR, "ar")
    assert ar.title_terms == {"اخنوش", "يدش", "مشروع", "نسليم"}
    assert ar.terms == ar.title_terms | {
        "جهه", "ميز", "اعلن", "درهم", "رنامج", "تعاون", "اطلاق", "فلاحه", "120", "ماس", "سوس",
        "جديد", "مليون", "زار", "لدعم",
    }
    assert ar.anchors == {"brnmk", "bnslmn", "ltm", "bmsn", "kns", "trm", "tsn", "tnt", "msr",
                          "tlk", "#١٢٠", "mln"}
    assert ar.arabic_script
