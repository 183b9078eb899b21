"""normalize_text, content_hash and simhash: what "the same article" means."""

from __future__ import annotations

import random

from kiosque.enrich import content_hash, hamming, is_near_duplicate, normalize_text, simhash64
from kiosque.enrich.textnorm import content_terms, fold, normalize_arabic

ARTICLE = (
    "La coopérative de Tighmi a expédié ses premiers colis vers Lyon et Montréal. "
    "Les productrices ont appris à photographier l'huile, à répondre aux messages des "
    "clients et à préparer les envois elles-mêmes, trois fois par semaine. Elles espèrent "
    "doubler leurs revenus en deux ans grâce à la vente directe, sans intermédiaire, et "
    "veulent obtenir une certification biologique commune avant la fin de l'année "
    "prochaine. La présidente de l'union estime que la démarche prendra dix-huit mois."
)


def test_normalize_text() -> None:
    decomposed = "e\u0301te\u0301"  # é written as e + combining accent
    assert normalize_text(f"  {decomposed}\u200b  et\u00a0\n\tautomne\ufeff ") == "été et automne"
    assert normalize_text("") == ""
    assert normalize_text("soft\u00adhyphen") == "softhyphen"


def test_fold_and_arabic() -> None:
    assert fold("« L'ÉTÉ », dit-il !") == "l été dit il"
    assert normalize_arabic("أَحْمَد إِلى مدرسةٍ") == "احمد الي مدرسه"
    assert fold("١٢٣ ـــ كتـــاب") == "123 كتاب"
    assert "macron" not in content_terms("le la les de", "fr")
    assert content_terms("Les élèves partent", "fr") == ["élev", "partent"]


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    variant = ARTICLE.upper().replace(". ", ".\n\n").replace(",", " ,")
    assert content_hash(variant) == content_hash(ARTICLE)
    assert content_hash(ARTICLE + "\u200b") == content_hash(ARTICLE)
    assert content_hash(ARTICLE.replace("Lyon", "Lille")) != content_hash(ARTICLE)
    assert len(content_hash(ARTICLE)) == 64


def test_simhash_is_signed_64_bit_and_stable() -> None:
    value = simhash64(ARTICLE, "fr")
    assert -(2**63) <= value < 2**63
    assert value == simhash64(ARTICLE, "fr")
    assert simhash64("") == 0
    assert simhash64("   ...  ") == 0
    assert simhash64("deux mots") != 0


def test_simhash_near_duplicates() -> None:
    base = simhash64(ARTICLE, "fr")
    edited = ARTICLE.replace("trois fois par semaine", "deux fois par semaine")
    appended = ARTICLE + " Mise à jour : précisions."
    retyped = ARTICLE.upper().replace("'", "’")
    assert hamming(base, simhash64(retyped, "fr")) == 0
    assert is_near_duplicate(base, simhash64(edited, "fr"), max_distance=6)
    assert is_near_duplicate(base, simhash64(appended, "fr"), max_distance=6)
    other = (
        "Le conseil municipal de Fès a voté le budget de l'année prochaine après une longue "
        "séance. L'opposition dénonce la hausse des dépenses de fonctionnement et demande "
        "un audit des marchés publics passés depuis trois ans par la commune."
    )
    assert hamming(base, simhash64(other, "fr")) > 12
    assert not is_near_duplicate(base, simhash64(other, "fr"))


def test_simhash_separates_random_texts_and_tolerates_small_edits() -> None:
    rng = random.Random(7)
    vocabulary = [f"mot{i}" for i in range(5000)]
    near, far = [], []
    for _ in range(20):
        words = [rng.choice(vocabulary) for _ in range(400)]
        edited = list(words)
        edited[rng.randrange(400)] = "changé"
        a = simhash64(" ".join(words))
        near.append(hamming(a, simhash64(" ".join(edited))))
        far.append(hamming(a, simhash64(" ".join(rng.choice(vocabulary) for _ in range(400)))))
    assert max(near) <= 8
    assert sum(near) / len(near) <= 4
    assert min(far) >= 15


def test_hamming_handles_signed_values() -> None:
    assert hamming(-1, 0) == 64
    assert hamming(-1, -1) == 0
    assert hamming(0b1011, 0b0001) == 2
    assert not is_near_duplicate(0, 0)  # empty texts are not duplicates of each other
