"""The ingester's memory of recent articles, for near-duplicates and story clustering.

``enrich`` holds the pure comparisons; this keeps their inputs between refreshes so
that a signature is computed once per article rather than once per comparison. It is
refilled from the store at the start of each write (``load``), so several processes, or
a restart, see the same recent window.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from kiosque import enrich
from kiosque.models import Article
from kiosque.store import repo

MAX_MEMBERS = 6  # signatures kept per story: enough to bridge languages, cheap to compare
PRUNE_AFTER = timedelta(hours=6)  # how far the window may trail before old ones are dropped
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
    The window is kept between writes and topped up with what was stored since, so a
    refresh does not re-read and re-sign thousands of articles.
    """

    def __init__(self, threshold: float = enrich.DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._articles: dict[int, _Known] = {}
        self._by_story: dict[int, list[_Known]] = defaultdict(list)
        self._token_stories: dict[str, set[int]] = defaultdict(set)
        self._window_start: datetime | None = None
        self.max_id = 0

    def refresh(self, conn: Connection, since: datetime) -> None:
        """Bring the window to [since, now]: top it up with what was stored since the last
        refresh, and when it must grow back, load only the stretch it grows over."""
        if self._window_start is None:
            self._window_start = since
            self._load(conn, since)
        else:
            self._load(conn, min(since, self._window_start), after_id=self.max_id)
            if since < self._window_start:
                self._load(conn, since, before=self._window_start)
                self._window_start = since
        if since - self._window_start > PRUNE_AFTER:
            self._prune(since)

    def for_batch(self, conn: Connection, since: datetime, until: datetime) -> StoryIndex:
        """The index to cluster a batch with: articles published in [since, until].

        A backfill entirely older than this window (a new source's archive, a sitemap of
        last year) gets a temporary index of just its own stretch, rather than dragging
        this window back and forth over days of articles between batches.
        """
        if self._window_start is not None and until < self._window_start:
            stretch = StoryIndex(self.threshold)
            stretch._window_start = since
            stretch._load(conn, since, before=until)
            return stretch
        self.refresh(conn, since)
        return self

    def _load(self, conn: Connection, since: datetime, *, after_id: int = 0,
              before: datetime | None = None) -> None:
        for r in repo.recent_articles(conn, since, after_id=after_id, before=before):
            if r.id not in self._articles:
                sig = enrich.story_signature(r.title, r.text, r.lang)
                self._remember(r.id, _Known(r.source_id, r.story_id, r.simhash, sig,
                                            r.published_at))

    def _reset(self) -> None:
        self._articles = {}
        self._by_story = defaultdict(list)
        self._token_stories = defaultdict(set)
        self.max_id = 0

    def _prune(self, since: datetime) -> None:
        keep = {i: k for i, k in self._articles.items() if k.published_at >= since}
        self._reset()
        self._window_start = since
        for art_id, known in keep.items():
            self._remember(art_id, known)

    def _remember(self, article_id: int, known: _Known) -> None:
        self._articles[article_id] = known
        self.max_id = max(self.max_id, article_id)
        if known.story_id is None:
            return
        self._by_story[known.story_id].append(known)
        for token in known.signature.terms | known.signature.anchors:
            self._token_stories[token].add(known.story_id)

    @staticmethod
    def signature(art: Article) -> enrich.StorySignature:
        return enrich.story_signature(art.title, art.text[:600] or art.summary, art.lang)

    def add(self, article_id: int, source_id: int, art: Article,
            sig: enrich.StorySignature) -> None:
        when = art.published_at
        assert when is not None
        self._remember(article_id, _Known(source_id, art.story_id, art.simhash, sig, when))

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

    def best_story(self, sig: enrich.StorySignature) -> int | None:
        """The recent story an article with this signature belongs to, or None."""
        # A story scores above zero only through two shared terms or two shared anchors
        # with one of its members: stories met through fewer tokens are not compared.
        hits: Counter[int] = Counter()
        for token in sig.terms | sig.anchors:
            hits.update(self._token_stories.get(token, ()))
        candidates = [self.candidate(story_id) for story_id in
                      sorted(s for s, n in hits.items() if n >= enrich.MIN_SHARED_TOKENS)]
        return enrich.assign_story(sig, candidates, self.threshold)

    def candidate(self, story_id: int) -> enrich.StoryCandidate:
        """A story as ``assign_story`` compares it: its latest members' signatures."""
        members = sorted(self._by_story[story_id], key=lambda k: k.published_at,
                         reverse=True)[:MAX_MEMBERS]
        return enrich.StoryCandidate(
            story_id=story_id,
            title="",
            lang=members[0].signature.lang,
            last_seen=members[0].published_at,
            members=tuple(k.signature for k in members),
        )

    def story_ids(self) -> list[int]:
        """Every story with an article in the window."""
        return sorted(self._by_story)
