"""The ingester's memory of recent articles, for near-duplicates and story clustering.

``enrich`` holds the pure comparisons; this keeps their inputs between refreshes so
that a signature is computed once per article rather than once per comparison. It is
refilled from the store at the start of each write (``load``), so several processes, or
a restart, see the same recent window.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from kiosque import enrich
from kiosque.models import Article
from kiosque.store.repo import RecentArticle

MAX_MEMBERS = 6  # signatures kept per story: enough to bridge languages, cheap to compare
NEAR_DUP_DISTANCE = 6  # of 64 bits: a one-word edit moves 4-7, unrelated texts 15+


@dataclass(slots=True)
class _Known:
    source_id: int
    story_id: int | None
    simhash: int
    signature: enrich.StorySignature
    published_at: datetime


class StoryIndex:
    """Recent articles with their signatures, grouped by story, with a token index.

    Only stories sharing at least one term or anchor with a new article are compared
    with it, so the cost of clustering grows with the overlap, not with the window.
    """

    def __init__(self, threshold: float = enrich.DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._articles: dict[int, _Known] = {}
        self._by_story: dict[int, list[_Known]] = defaultdict(list)
        self._token_stories: dict[str, set[int]] = defaultdict(set)

    def load(self, recent: Iterable[RecentArticle]) -> None:
        """Take in the articles of the window that we have not seen yet, drop the rest."""
        keep: dict[int, _Known] = {}
        for r in recent:
            known = self._articles.get(r.id)
            if known is None:
                sig = enrich.story_signature(r.title, r.text, r.lang)
                known = _Known(r.source_id, r.story_id, r.simhash, sig, r.published_at)
            else:
                known.story_id = r.story_id
            keep[r.id] = known
        self._articles = keep
        self._by_story = defaultdict(list)
        self._token_stories = defaultdict(set)
        for k in keep.values():
            self._index(k)

    def _index(self, k: _Known) -> None:
        if k.story_id is None:
            return
        self._by_story[k.story_id].append(k)
        for token in k.signature.terms | k.signature.anchors:
            self._token_stories[token].add(k.story_id)

    def add(self, article_id: int, source_id: int, art: Article) -> None:
        sig = enrich.story_signature(art.title, art.text[:600] or art.summary, art.lang)
        when = art.published_at
        assert when is not None
        known = _Known(source_id, art.story_id, art.simhash, sig, when)
        self._articles[article_id] = known
        self._index(known)

    def near_duplicate(self, simhash: int, source_id: int) -> int | None:
        """An earlier article of another source whose text is nearly the same."""
        best: tuple[int, int] | None = None
        if not simhash:
            return None
        for art_id, k in self._articles.items():
            if k.source_id == source_id or not k.simhash:
                continue
            dist = enrich.hamming(simhash, k.simhash)
            if dist <= NEAR_DUP_DISTANCE and (best is None or (dist, art_id) < best):
                best = (dist, art_id)
        return best[1] if best else None

    def story_of(self, article_id: int) -> int | None:
        known = self._articles.get(article_id)
        return known.story_id if known else None

    def best_story(self, art: Article) -> int | None:
        """The recent story this article belongs to, or None for a new event."""
        sig = enrich.story_signature(art.title, art.text[:600] or art.summary, art.lang)
        story_ids: set[int] = set()
        for token in sig.terms | sig.anchors:
            story_ids.update(self._token_stories.get(token, ()))
        candidates = []
        for story_id in story_ids:
            members = sorted(self._by_story[story_id], key=lambda k: k.published_at,
                             reverse=True)[:MAX_MEMBERS]
            candidates.append(enrich.StoryCandidate(
                story_id=story_id,
                title="",
                lang=members[0].signature.lang,
                last_seen=members[0].published_at,
                members=tuple(k.signature for k in members),
            ))
        return enrich.assign_story(sig, candidates, self.threshold)
