"""The ground-truth generator: deterministic, fast, multilingual, with shared stories."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import timedelta

from kiosque.simulator import generate_corpus
from kiosque.simulator.sites import SPECS
from tests.simulator.simulator_anchor import ANCHOR

DAY = timedelta(days=1)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def test_same_seed_same_news_other_seed_other_news() -> None:
    first = generate_corpus(7, ANCHOR - DAY, ANCHOR)
    again = generate_corpus(7, ANCHOR - DAY, ANCHOR)
    other = generate_corpus(8, ANCHOR - DAY, ANCHOR)
    assert first == again
    naive = generate_corpus(7, (ANCHOR - DAY).replace(tzinfo=None), ANCHOR.replace(tzinfo=None))
    assert naive == first
    assert [a.title for a in first] != [a.title for a in other]


def test_window_is_half_open_and_sorted() -> None:
    corpus = generate_corpus(3, ANCHOR - DAY, ANCHOR)
    assert corpus
    assert all(ANCHOR - DAY <= a.published < ANCHOR for a in corpus)
    assert [a.published for a in corpus] == sorted(a.published for a in corpus)
    # Splitting the window changes nothing: time slices are independent.
    half = ANCHOR - DAY / 2
    assert generate_corpus(3, ANCHOR - DAY, half) + generate_corpus(3, half, ANCHOR) == corpus


def test_every_site_keeps_a_backlog_of_at_least_15_articles() -> None:
    corpus = generate_corpus(42, ANCHOR - timedelta(days=2.5), ANCHOR)
    per_site = Counter(a.site for a in corpus)
    assert set(per_site) == {spec.slug for spec in SPECS}
    assert min(per_site.values()) >= 15
    # cadences differ: the busiest site publishes far more than the quietest
    assert max(per_site.values()) >= 2 * min(per_site.values())


def test_article_fields_are_complete() -> None:
    for article in generate_corpus(42, ANCHOR - DAY, ANCHOR):
        assert article.title and article.author and article.section
        assert 4 <= len(article.paragraphs) <= 11
        assert article.published.tzinfo is not None
        assert article.url.endswith(article.path)
        assert article.path.endswith(f"-{article.n}.html")


def test_stories_are_covered_by_several_sites_and_languages() -> None:
    corpus = generate_corpus(42, ANCHOR - 2 * DAY, ANCHOR)
    by_story: dict[int, list[str]] = defaultdict(list)
    langs: dict[int, set[str]] = defaultdict(set)
    for article in corpus:
        by_story[article.story_id].append(article.site)
        langs[article.story_id].add(article.lang)
    multi = [s for s, sites in by_story.items() if len(set(sites)) >= 2]
    assert len(multi) >= 50
    assert max(len(set(sites)) for sites in by_story.values()) >= 4
    assert sum(1 for s in multi if len(langs[s]) >= 2) >= 10
    # a story told in French and Arabic shares its people and figures
    story = next(s for s in multi if {"fr", "ar"} <= langs[s])
    texts = {a.lang: " ".join(a.paragraphs) for a in corpus if a.story_id == story}
    digits_fr = set(re.findall(r"\d+", texts["fr"].replace("\u202f", "")))
    digits_ar = set(re.findall(r"\d+", texts["ar"].replace(",", "")))
    assert digits_fr & digits_ar or re.search("[٠-٩]", texts["ar"])


def test_agency_dispatches_are_republished_almost_verbatim() -> None:
    corpus = generate_corpus(42, ANCHOR - 2 * DAY, ANCHOR)
    copies: dict[int, list[str]] = defaultdict(list)
    for article in corpus:
        if article.is_agency_copy:
            copies[article.story_id].append(" ".join(article.paragraphs))
    shared = [texts for texts in copies.values() if len(texts) >= 2]
    assert len(shared) >= 5
    for texts in shared:
        a, b = _words(texts[0]), _words(texts[1])
        assert len(a & b) / len(a | b) >= 0.75


def test_some_articles_get_updated_later() -> None:
    corpus = generate_corpus(42, ANCHOR - DAY, ANCHOR)
    updated = [a for a in corpus if a.updated is not None]
    assert updated
    article = updated[0]
    assert article.updated is not None and article.updated > article.published
    assert article.paragraphs_at(article.published) == article.paragraphs
    assert article.paragraphs_at(article.updated)[-1] == article.update_paragraph


def test_vocabulary_is_rich_and_spelled_like_the_language() -> None:
    corpus = generate_corpus(42, ANCHOR - DAY, ANCHOR)
    vocab: dict[str, set[str]] = defaultdict(set)
    text: dict[str, str] = defaultdict(str)
    by_site: dict[str, str] = defaultdict(str)
    for article in corpus:
        body = " ".join((article.title, *article.paragraphs))
        vocab[article.lang] |= _words(body)
        text[article.lang] += body
        if not article.is_agency_copy:
            by_site[article.site] += body
    assert set(vocab) == {"fr", "ar", "es", "en"}
    assert all(len(words) >= 300 for words in vocab.values())
    assert re.search("[éèàçê]", text["fr"]) and re.search("[ñáíó]", text["es"])
    # Arabic spelling habits differ per site
    assert "أ" not in by_site["nabd-daffatayn"] and "أ" in by_site["marsad-raqmi"]
    assert re.search("[٠-٩]", by_site["akhbar-sahil"])
    assert "\u0640" in by_site["marsad-raqmi"]  # tatweel in headlines
    assert re.search("[\u064e-\u0652]", by_site["sada-wahat"])  # diacritics
