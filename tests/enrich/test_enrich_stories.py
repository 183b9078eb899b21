"""Story clustering: pair precision and recall on invented events in four languages,
and the rules assign_story follows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import combinations

from kiosque.enrich import (
    DEFAULT_THRESHOLD,
    StoryCandidate,
    assign_story,
    similarity,
    story_signature,
)
from kiosque.enrich.stories import arabic_skeleton, counted_similarity, latin_skeleton
from tests.enrich.enrich_story_events import ARTICLES

NOW = datetime(2026, 3, 14, 12, tzinfo=UTC)


def _cluster(
    order: list[int], threshold: float = DEFAULT_THRESHOLD, with_lead: bool = True
) -> dict[int, int]:
    """Feed articles one by one as the ingester would; returns article -> story id."""
    candidates: list[StoryCandidate] = []
    assigned: dict[int, int] = {}
    for n, index in enumerate(order):
        _, lang, title, lead = ARTICLES[index]
        sig = story_signature(title, lead if with_lead else "", lang)
        story = assign_story(sig, candidates, threshold)
        seen = NOW + timedelta(minutes=n)
        if story is None:
            story = len(candidates) + 1
            candidates.append(StoryCandidate(story, title, lang, seen, (sig,)))
        else:
            candidate = candidates[story - 1]
            candidate.members = (*candidate.members, sig)
            candidate.last_seen = seen
        assigned[index] = story
    return assigned


def _pair_scores(assigned: dict[int, int]) -> tuple[float, float]:
    tp = fp = fn = 0
    for i, j in combinations(range(len(ARTICLES)), 2):
        same_event = ARTICLES[i][0] == ARTICLES[j][0]
        same_story = assigned[i] == assigned[j]
        tp += same_event and same_story
        fp += (not same_event) and same_story
        fn += same_event and not same_story
    return tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn)


def test_fixture_shape() -> None:
    assert len(ARTICLES) >= 30
    assert len({event for event, *_ in ARTICLES}) == 8
    assert {lang for _, lang, *_ in ARTICLES} == {"fr", "ar", "es", "en"}


def test_pair_precision_and_recall_in_feed_order() -> None:
    precision, recall = _pair_scores(_cluster(list(range(len(ARTICLES)))))
    assert precision >= 0.8 and recall >= 0.8, (precision, recall)


def test_pair_precision_and_recall_in_other_orders() -> None:
    backwards = list(reversed(range(len(ARTICLES))))
    by_language = sorted(range(len(ARTICLES)), key=lambda i: (ARTICLES[i][1], i))
    for order in (backwards, by_language):
        precision, recall = _pair_scores(_cluster(order))
        assert precision >= 0.8 and recall >= 0.8, (precision, recall)


def test_headlines_alone_stay_precise() -> None:
    # feeds without a summary: fewer anchors, so fewer cross-language links, but no
    # wrong merges
    precision, recall = _pair_scores(_cluster(list(range(len(ARTICLES))), with_lead=False))
    assert precision >= 0.95 and recall >= 0.5, (precision, recall)


def test_one_shared_word_is_not_a_story() -> None:
    a = story_signature("Le Maroc gagne contre le Pérou", "", "fr")
    b = story_signature("Le Maroc signe un accord agricole", "", "fr")
    assert similarity(a, b) == 0.0
    c = story_signature("Le Maroc bat le Pérou en amical", "", "fr")
    assert similarity(a, c) >= DEFAULT_THRESHOLD


def test_margin_between_same_and_different_events() -> None:
    sigs = [story_signature(title, lead, lang) for _, lang, title, lead in ARTICLES]
    different = [
        similarity(sigs[i], sigs[j])
        for i, j in combinations(range(len(sigs)), 2)
        if ARTICLES[i][0] != ARTICLES[j][0]
    ]
    assert max(different) < DEFAULT_THRESHOLD


def test_skeletons_survive_transliteration() -> None:
    assert latin_skeleton("Benslimane") == arabic_skeleton("بنسليمان") == "bnslmn"
    assert latin_skeleton("Akhannouch") == arabic_skeleton("أخنوش")
    assert latin_skeleton("Marrakech") == arabic_skeleton("مراكش")
    assert latin_skeleton("Rabat") == arabic_skeleton("الرباط")


def test_one_shared_name_is_not_a_story() -> None:
    a = story_signature("Benslimane visite une école à Fès", "Le ministre a vu des élèves.", "fr")
    b = story_signature("Benslimane à Oujda pour un forum", "Le ministre parle d'emploi.", "es")
    assert similarity(a, b) == 0.0


def test_assign_story_picks_best_and_breaks_ties_by_recency() -> None:
    sig = story_signature(ARTICLES[0][2], ARTICLES[0][3], ARTICLES[0][1])
    twin = story_signature(ARTICLES[2][2], ARTICLES[2][3], ARTICLES[2][1])
    unrelated = story_signature(ARTICLES[13][2], ARTICLES[13][3], ARTICLES[13][1])
    old = StoryCandidate(1, "old", "es", NOW - timedelta(hours=5), (twin,))
    new = StoryCandidate(2, "new", "es", NOW, (twin,))
    other = StoryCandidate(3, "other", "fr", NOW, (unrelated,))
    assert assign_story(sig, [old, other, new]) == 2
    assert assign_story(sig, [other]) is None
    assert assign_story(sig, []) is None
    assert assign_story(sig, [StoryCandidate(4, "empty", "fr", NOW)]) is None
    assert assign_story(sig, [old], threshold=1.01) is None
    assert new.terms == twin.terms


def test_signatures_of_empty_text() -> None:
    empty = story_signature("", "", "")
    assert not empty.terms and not empty.anchors
    assert similarity(empty, empty) == 0.0


def test_counted_similarity_is_similarity_from_the_overlap_sizes() -> None:
    """Why: the story index counts shared tokens in its postings and scores from the
    counts; the float must be the very one :func:`similarity` gives, or ties move."""
    sigs = [story_signature(title, lead, lang) for _, lang, title, lead in ARTICLES]
    sigs += [story_signature(title, "", lang) for _, lang, title, _ in ARTICLES]
    sigs.append(story_signature("", "", ""))
    for a in sigs:
        for b in sigs:
            shared_terms, shared_anchors = len(a.terms & b.terms), len(a.anchors & b.anchors)
            assert counted_similarity(a, b, shared_terms, shared_anchors) == similarity(a, b)
