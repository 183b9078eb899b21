"""The ingester's memory of recent articles, for near-duplicates and story clustering.

``enrich`` holds the pure comparisons; this keeps their inputs between refreshes so
that a signature is computed once per article rather than once per comparison. It is
refilled from the store at the start of each write (``load``), so several processes, or
a restart, see the same recent window.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection

from kiosque import enrich
from kiosque.enrich.stories import MIN_SHARED_ANCHORS, MIN_SHARED_TERMS, counted_similarity
from kiosque.models import Article
from kiosque.store import repo

MAX_MEMBERS = 6  # signatures kept per story: enough to bridge languages, cheap to compare
PRUNE_AFTER = timedelta(hours=6)  # how far the window may trail before old ones are dropped
NEAR_DUP_DISTANCE = 6  # of 64 bits: a one-word edit moves 4-7, unrelated texts 15+
_MASK = (1 << 64) - 1
# Set bits of each byte value: popcount for a numpy without ``bitwise_count`` (< 2.0).
_BYTE_BITS = np.array([bin(byte).count("1") for byte in range(256)], dtype=np.uint8)


def _popcount(values: NDArray[np.uint64]) -> NDArray[np.integer]:
    """Set bits of each 64-bit value, vectorized."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(values)
    per_byte: NDArray[np.uint8] = _BYTE_BITS[values.view(np.uint8)]
    counts: NDArray[np.uint8] = per_byte.reshape(-1, 8).sum(axis=1, dtype=np.uint8)
    return counts


@dataclass(slots=True, eq=False)  # compared by identity: the token index holds them in sets
class _Known:
    source_id: int
    story_id: int | None
    simhash: int
    signature: enrich.StorySignature
    published_at: datetime
    # Sizes that bound a score from the shared counts alone (see ``best_story``).
    term_size: int = field(init=False)
    title_size: int = field(init=False)
    anchor_size: int = field(init=False)

    def __post_init__(self) -> None:
        self.title_size = len(self.signature.title_terms)
        self.term_size = len(self.signature.terms) + self.title_size
        self.anchor_size = len(self.signature.anchors)


class _Simhashes:
    """The window's non-zero simhashes in flat arrays, for one vectorized scan per article.

    A Python loop over the window costs a quarter of a microsecond per article in it, five
    milliseconds per new article at a national press's 20 000; XOR and popcount over an
    array cost a few nanoseconds each, and only the few hashes within reach go back to
    Python, where ties are broken as the loop broke them.
    """

    def __init__(self) -> None:
        self._size = 0
        self._hashes: NDArray[np.uint64] = np.zeros(256, dtype=np.uint64)  # unsigned 64 bits
        self._sources: NDArray[np.int64] = np.zeros(256, dtype=np.int64)
        self._ids: NDArray[np.int64] = np.zeros(256, dtype=np.int64)

    @classmethod
    def of(cls, articles: dict[int, _Known]) -> _Simhashes:
        table = cls()
        for article_id, known in articles.items():
            table.append(article_id, known.source_id, known.simhash)
        return table

    def append(self, article_id: int, source_id: int, simhash: int) -> None:
        if not simhash:  # a text without words: it is nobody's duplicate
            return
        if self._size == len(self._hashes):  # doubling: appends stay O(1) on average
            grown = 2 * self._size
            self._hashes = np.resize(self._hashes, grown)
            self._sources = np.resize(self._sources, grown)
            self._ids = np.resize(self._ids, grown)
        self._hashes[self._size] = simhash & _MASK
        self._sources[self._size] = source_id
        self._ids[self._size] = article_id
        self._size += 1

    def nearest(self, simhash: int, source_id: int, max_distance: int) -> int | None:
        """Id of the closest hash of another source, ``(distance, id)`` smallest first."""
        size = self._size
        if not simhash or not size:
            return None
        distances = _popcount(self._hashes[:size] ^ np.uint64(simhash & _MASK))
        near = np.flatnonzero(distances <= max_distance)
        best: tuple[int, int] | None = None
        for dist, source, article_id in zip(distances[near].tolist(),
                                            self._sources[near].tolist(),
                                            self._ids[near].tolist(), strict=True):
            if source != source_id and (best is None or (dist, article_id) < best):
                best = (dist, article_id)
        return best[1] if best else None


class StoryIndex:
    """Recent articles with their signatures, grouped by story, with a token index.

    Only stories sharing at least one term or anchor with a new article are compared
    with it, so the cost of clustering grows with the overlap, not with the window.
    The window is kept between writes and topped up with what was stored since, so a
    refresh does not re-read and re-sign thousands of articles.

    The token index lists the members a story is compared through (its ``MAX_MEMBERS``
    latest), terms per language: a new article's shared terms and anchors with each
    member are counted there. Only a member with two shared terms in its language or two
    shared anchors scores above zero, and bounds from the counts rule out most of those;
    the few left are scored from the counts, and the rest of the window is never looked
    at. The cost still grows with the window, through the postings of common tokens.
    """

    def __init__(self, threshold: float = enrich.DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._articles: dict[int, _Known] = {}
        self._simhashes = _Simhashes()
        self._by_story: dict[int, list[_Known]] = {}  # every member, in arrival order
        self._latest: dict[int, list[_Known]] = {}  # the MAX_MEMBERS latest, newest first
        self._term_members: dict[str, defaultdict[str, set[_Known]]] = {}  # lang, term
        self._anchor_members: defaultdict[str, set[_Known]] = defaultdict(set)
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
        self._simhashes = _Simhashes()
        self._by_story = {}
        self._latest = {}
        self._term_members = {}
        self._anchor_members = defaultdict(set)
        self.max_id = 0

    def _prune(self, since: datetime) -> None:
        keep = {i: k for i, k in self._articles.items() if k.published_at >= since}
        self._reset()
        self._window_start = since
        for art_id, known in keep.items():
            self._remember(art_id, known)

    def _remember(self, article_id: int, known: _Known) -> None:
        if article_id in self._articles:  # the same article again (never in practice)
            self._articles[article_id] = known
            self._simhashes = _Simhashes.of(self._articles)
        else:
            self._articles[article_id] = known
            self._simhashes.append(article_id, known.source_id, known.simhash)
        self.max_id = max(self.max_id, article_id)
        if known.story_id is None:
            return
        self._by_story.setdefault(known.story_id, []).append(known)
        # Newest first, equal times in arrival order: ``sorted(..., reverse=True)`` of all
        # members, kept as it grows. A member pushed out never comes back (members are
        # only added; a prune rebuilds), so the index forgets it.
        latest = self._latest.setdefault(known.story_id, [])
        at = next((i for i, k in enumerate(latest) if k.published_at < known.published_at),
                  len(latest))
        if at >= MAX_MEMBERS:
            return
        latest.insert(at, known)
        self._index(known)
        if len(latest) > MAX_MEMBERS:
            self._unindex(latest.pop())

    def _index(self, known: _Known) -> None:
        sig = known.signature
        if sig.lang:  # terms are compared within one language only
            postings = self._term_members.setdefault(sig.lang, defaultdict(set))
            for term in sig.terms:
                postings[term].add(known)
        for anchor in sig.anchors:
            self._anchor_members[anchor].add(known)

    def _unindex(self, known: _Known) -> None:
        sig = known.signature
        if sig.lang:
            postings = self._term_members[sig.lang]
            for term in sig.terms:
                postings[term].discard(known)
                if not postings[term]:
                    del postings[term]
        for anchor in sig.anchors:
            self._anchor_members[anchor].discard(known)
            if not self._anchor_members[anchor]:
                del self._anchor_members[anchor]

    @staticmethod
    def signature(art: Article) -> enrich.StorySignature:
        """An article's signature, the very one it gets when reloaded from the store."""
        return enrich.story_signature(art.title, art.text[:repo.LEAD_CHARS] or art.summary,
                                      art.lang)

    def add(self, article_id: int, source_id: int, art: Article,
            sig: enrich.StorySignature) -> None:
        when = art.published_at
        assert when is not None
        self._remember(article_id, _Known(source_id, art.story_id, art.simhash, sig, when))

    def near_duplicate(self, simhash: int, source_id: int) -> int | None:
        """An earlier article of another source whose text is nearly the same."""
        return self._simhashes.nearest(simhash, source_id, NEAR_DUP_DISTANCE)

    def story_of(self, article_id: int) -> int | None:
        known = self._articles.get(article_id)
        return known.story_id if known else None

    def best_story(self, sig: enrich.StorySignature) -> int | None:
        """The recent story an article with this signature belongs to, or None.

        The answer of ``assign_story`` over every story in the window, ties included
        (the highest ``(score, last_seen)``, then the lowest story id): a story it skips
        would have scored zero, below any positive threshold.
        """
        if not self.threshold > 0:  # a zero score would qualify: compare more widely
            return self._best_story_sharing_tokens(sig)
        postings = self._term_members.get(sig.lang) if sig.lang else None
        shared_terms: Counter[_Known] = Counter()
        if postings:
            shared_terms.update(chain.from_iterable(
                [members for term in sig.terms if (members := postings.get(term))]))
        shared_anchors: Counter[_Known] = Counter(chain.from_iterable(
            [members for anchor in sig.anchors
             if (members := self._anchor_members.get(anchor))]))
        # Two shared terms or anchors are common (everyday stems recur all over the
        # window, and an Arabic article's anchors are all its longer words); a score
        # reaching the threshold is not. Bounds from the counts, in the same float
        # division as the score, rule most members out before any set operation:
        # (shared + shared headline terms) / size, and headline terms shared are at most
        # the smaller headline; shared anchors / base, and the base is at least the
        # smaller anchor set. A member scores the larger of its two parts.
        threshold = self.threshold
        titles = len(sig.title_terms)
        size = len(sig.terms) + titles
        anchors = len(sig.anchors)
        # (Conditionals, not min(): this runs for hundreds of members per article at a
        # window of 20 000, and a builtin call costs more than the comparison.)
        comparable = [
            k for k, n in shared_terms.items() if n >= MIN_SHARED_TERMS
            and (n + (titles if titles < k.title_size else k.title_size))
            / (size if size < k.term_size else k.term_size) >= threshold
        ]
        comparable += [
            k for k, n in shared_anchors.items() if n >= MIN_SHARED_ANCHORS
            and n / (anchors if anchors < k.anchor_size else k.anchor_size) >= threshold
        ]
        scores: dict[int, float] = {}
        for known in comparable:
            score = counted_similarity(sig, known.signature, shared_terms[known],
                                       shared_anchors[known])
            story_id = known.story_id
            assert story_id is not None
            if score > scores.get(story_id, 0.0):
                scores[story_id] = score
        best_id: int | None = None
        best_key: tuple[float, datetime] | None = None
        for story_id, score in scores.items():
            if score < self.threshold:
                continue
            key = (score, self._latest[story_id][0].published_at)
            if best_key is None or key > best_key or (
                    key == best_key and best_id is not None and story_id < best_id):
                best_id, best_key = story_id, key
        return best_id

    def _best_story_sharing_tokens(self, sig: enrich.StorySignature) -> int | None:
        """``assign_story`` over the stories sharing two tokens with any of their members:
        with a threshold of zero, the prefilter itself decides who may win."""
        tokens = sig.terms | sig.anchors
        candidates = [
            self.candidate(story_id) for story_id, members in sorted(self._by_story.items())
            if len(tokens & frozenset().union(*[k.signature.terms | k.signature.anchors
                                                for k in members])) >= enrich.MIN_SHARED_TOKENS
        ]
        return enrich.assign_story(sig, candidates, self.threshold)

    def candidate(self, story_id: int) -> enrich.StoryCandidate:
        """A story as ``assign_story`` compares it: its latest members' signatures."""
        members = self._latest[story_id]
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
