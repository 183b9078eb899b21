"""Group articles that report the same event, within and across languages.

Pure and cheap by design: the caller passes the recent stories (last 48 h) with the
signatures of a few of their articles, and :func:`assign_story` returns the best match
above a threshold or None. Two signals are combined:

* within a language, overlap of stemmed content words of title and lead, title words
  counted twice (publishers' headlines for one event share their key nouns);
* across languages, *anchors*: numbers and names reduced to a consonant skeleton that
  survives transliteration ("Benslimane" and "بنسليمان" both give ``bnslmn``). Latin
  capitalized words are names; in Arabic, which has no capitals, every longer word is a
  possible name and the overlap is measured on the Latin side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import groupby

from kiosque.enrich.textnorm import (
    content_terms,
    normalize_arabic,
    normalize_text,
    stopwords,
    strip_accents,
)

LEAD_WORDS = 60  # words of the body that count as the lead
DEFAULT_THRESHOLD = 0.3
MIN_SKELETON = 3  # shorter name keys collide too often
MIN_SHARED_ANCHORS = 2  # one shared name is not an event (a minister is in many stories)
MIN_SHARED_TERMS = 2  # nor is one shared word ("Maroc") between two headlines
# Fewer shared tokens (terms or anchors) than this and the similarity is zero.
MIN_SHARED_TOKENS = min(MIN_SHARED_ANCHORS, MIN_SHARED_TERMS)
TITLE_START_NAME_LEN = 5  # a headline's capitalized first word this long may be a name

_WORD_SPLIT = re.compile(r"([^\W_]+)")  # hyphens and elisions split: d'Agadir
_SENTENCE_END = frozenset(".!?:«\"")  # one of these just after a word ends a sentence
# 1 200 / 1.200 / 1,200 are one number; thin and no-break spaces group thousands too.
# (The leading look-ahead changes no match; it lets the engine skip to the next digit.)
_NUMBER = re.compile(r"(?=\d)(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)*)")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_NOT_ARABIC = re.compile(r"[^\u0600-\u06ff]+")  # deleting runs: fewer matches than counting
_NOT_DIGIT = re.compile(r"\D")
_NOT_ASCII_LETTER = re.compile(r"[^A-Za-z]")  # ``c.isascii() and c.isalpha()``, negated
_WORD_KEYS_CACHED = 16384  # words; a day of articles repeats most of its vocabulary
_LATIN_DIGRAPHS = (("sch", "s"), ("ch", "s"), ("sh", "s"), ("kh", "k"), ("gh", "k"),
                   ("ph", "f"), ("th", "t"), ("dh", "t"), ("ck", "k"), ("qu", "k"),
                   ("ou", "w"))
# Consonant classes shared by both scripts; vowels and weak letters vanish.
_LATIN_CLASS = str.maketrans({
    "b": "b", "p": "b", "c": "k", "k": "k", "q": "k", "g": "k", "j": "k", "x": "k",
    "d": "t", "t": "t", "s": "s", "z": "s", "f": "f", "v": "f", "l": "l", "m": "m",
    "n": "n", "r": "r",
    "a": None, "e": None, "i": None, "o": None, "u": None, "y": None, "w": None, "h": None,
})
_ARABIC_CLASS = str.maketrans({
    "ب": "b", "پ": "b", "ك": "k", "ق": "k", "ج": "k", "غ": "k", "خ": "k", "ڭ": "k",
    "گ": "k", "د": "t", "ت": "t", "ط": "t", "ض": "t", "ث": "t", "ذ": "t", "ظ": "t",
    "س": "s", "ص": "s", "ز": "s", "ش": "s", "ف": "f", "ڤ": "f", "ل": "l", "م": "m",
    "ن": "n", "ر": "r",
    "ا": None, "أ": None, "إ": None, "آ": None, "ى": None, "ي": None, "و": None,
    "ه": None, "ة": None, "ح": None, "ع": None, "ء": None, "ئ": None, "ؤ": None,
})
_ARABIC_PREFIXES = ("وال", "بال", "لل", "فال", "كال", "ال")


@dataclass(frozen=True, slots=True)
class StorySignature:
    """What is compared between two articles; cheap to rebuild from title and text."""

    lang: str
    terms: frozenset[str]
    title_terms: frozenset[str]
    anchors: frozenset[str]  # language-independent keys: numbers and name skeletons
    arabic_script: bool = False


@dataclass(slots=True)
class StoryCandidate:
    """A recent story as the caller knows it, with signatures of some of its articles.

    Several members let an Arabic article join a story that began in French through the
    Arabic article already attached to it.
    """

    story_id: int
    title: str
    lang: str
    last_seen: datetime
    members: tuple[StorySignature, ...] = field(default_factory=tuple)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset().union(*(m.terms for m in self.members))


def latin_skeleton(word: str) -> str:
    """Consonant skeleton of a Latin-script name: ``Akhannouch`` -> ``kns``."""
    word = strip_accents(word.casefold())
    for digraph, sound in _LATIN_DIGRAPHS:
        word = word.replace(digraph, sound)
    return _squeeze(word.translate(_LATIN_CLASS))


def arabic_skeleton(word: str) -> str:
    """Consonant skeleton of an Arabic word, article and clitics removed."""
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    return _squeeze(word.translate(_ARABIC_CLASS))


def _squeeze(skeleton: str) -> str:
    """Runs of one letter reduced to one, then everything but ASCII letters dropped."""
    return _NOT_ASCII_LETTER.sub("", "".join([char for char, _ in groupby(skeleton)]))


@lru_cache(maxsize=_WORD_KEYS_CACHED)
def _arabic_key(word: str) -> tuple[str, str]:
    """An Arabic word normalized, and its skeleton: cached, the same words recur all day."""
    word = normalize_arabic(word)
    return word, arabic_skeleton(word)


@lru_cache(maxsize=_WORD_KEYS_CACHED)
def _latin_key(word: str) -> str:
    """:func:`latin_skeleton`, cached: names recur across the articles of a story."""
    return latin_skeleton(word)


def _numbers(text: str) -> set[str]:
    found = set()
    for match in _NUMBER.findall(text):
        digits = _NOT_DIGIT.sub("", match)
        if len(digits) >= 2 and digits.strip("0"):
            found.add("#" + digits.lstrip("0"))
    return found


def _anchors(text: str, lang: str) -> tuple[frozenset[str], bool]:
    text = normalize_text(text)
    anchors = _numbers(text)
    arabic_letters = len(_NOT_ARABIC.sub("", text))
    arabic = arabic_letters > len(text) / 4
    stop = stopwords(lang)
    words = _words_with_position(text)
    if words and len(words[0][1]) >= TITLE_START_NAME_LEN:
        # A capital after a full stop is grammar, not a name, except that headlines so
        # often open on one ("Atlasol inaugure ...") that a long first word is kept.
        words[0] = (False, words[0][1])
    last = len(words) - 1
    for index, (sentence_start, word) in enumerate(words):
        if arabic_letters and _ARABIC.search(word):
            word, key = _arabic_key(word)
            if len(word) >= 4 and word not in stop and len(key) >= MIN_SKELETON:
                anchors.add(key)
            continue
        if sentence_start or not word[:1].isupper() or word.casefold() in stop:
            continue  # not a name (:func:`_is_name`, the word is known not to be Arabic)
        # In a run of capitalized words ("Karim Benslimane") only the last one counts:
        # first names are shared by many people and would make two anchors of one person.
        if index < last and _is_name(words[index + 1][1], words[index + 1][0], stop):
            continue
        key = _latin_key(word)
        if len(key) >= MIN_SKELETON:
            anchors.add(key)
    return frozenset(anchors), arabic


def _is_name(word: str, sentence_start: bool, stop: frozenset[str]) -> bool:
    if sentence_start or not word[:1].isupper() or word.casefold() in stop:
        return False
    return not _ARABIC.search(word)


def _words_with_position(text: str) -> list[tuple[bool, str]]:
    """Words, each with whether it opens a sentence (one of ``.!?:«"`` just before it).

    Splitting keeps the text between words: the two characters after a word are the
    start of that separator (a separator is never a word character, so none of the
    sentence marks lies beyond it).
    """
    parts = _WORD_SPLIT.split(text)  # separator, word, separator, ..., word, separator
    starts = [True]
    starts += [not _SENTENCE_END.isdisjoint(after[:2]) for after in parts[2:-1:2]]
    return list(zip(starts, parts[1::2], strict=False))  # no words: one start, left over


def story_signature(title: str, text: str, lang: str) -> StorySignature:
    """The signature of an article from its title, body (the lead is used) and language."""
    lead = " ".join(text.split()[:LEAD_WORDS])
    title_terms = frozenset(content_terms(title, lang))
    terms = title_terms | frozenset(content_terms(lead, lang))
    # A headline's first word is capitalized by grammar; the body confirms names.
    anchors, arabic = _anchors(f"{title}. {lead}", lang)
    return StorySignature(lang=lang, terms=terms, title_terms=title_terms, anchors=anchors,
                          arabic_script=arabic)


def _term_similarity(a: StorySignature, b: StorySignature, shared: int) -> float:
    """Term overlap score, given ``shared = len(a.terms & b.terms)``: an index that counts
    shared terms hands that over and saves the intersection."""
    if shared < MIN_SHARED_TERMS or not a.terms or not b.terms:
        return 0.0  # one common word ("Maroc") is not an event
    weight = shared + len(a.title_terms & b.title_terms)
    size = min(len(a.terms) + len(a.title_terms), len(b.terms) + len(b.title_terms))
    return weight / size if size else 0.0


def _anchor_similarity(a: StorySignature, b: StorySignature, shared: int) -> float:
    """Anchor overlap score, given ``shared = len(a.anchors & b.anchors)``."""
    if shared < MIN_SHARED_ANCHORS:
        return 0.0
    if a.arabic_script != b.arabic_script:
        latin = b if a.arabic_script else a
        base = len(latin.anchors)  # Arabic side lists every word; measure on the names
    else:
        base = min(len(a.anchors), len(b.anchors))
    return shared / base if base else 0.0


def similarity(a: StorySignature, b: StorySignature) -> float:
    """0..1: how likely two articles report the same event."""
    anchor = _anchor_similarity(a, b, len(a.anchors & b.anchors))
    if a.lang and a.lang == b.lang:
        return max(_term_similarity(a, b, len(a.terms & b.terms)), 0.8 * anchor)
    return anchor


def counted_similarity(
    a: StorySignature, b: StorySignature, shared_terms: int, shared_anchors: int
) -> float:
    """:func:`similarity` from the sizes of the two overlaps, counted by the caller.

    An inverted index meets every shared token anyway (``kiosque.story_index``): counting
    them there and scoring here gives the same float as :func:`similarity`, by the same
    arithmetic, without intersecting sets. ``shared_terms`` only matters when both are in
    one language.
    """
    anchor = _anchor_similarity(a, b, shared_anchors)
    if a.lang and a.lang == b.lang:
        return max(_term_similarity(a, b, shared_terms), 0.8 * anchor)
    return anchor


def assign_story(
    sig: StorySignature,
    candidates: Sequence[StoryCandidate],
    threshold: float = DEFAULT_THRESHOLD,
) -> int | None:
    """Id of the candidate story most similar to ``sig`` at or above ``threshold``.

    Ties go to the most recently active story. None tells the caller to open a new one.
    """
    best_id: int | None = None
    best_key: tuple[float, datetime] | None = None
    for candidate in candidates:
        score = max((similarity(sig, member) for member in candidate.members), default=0.0)
        if score < threshold:
            continue
        key = (score, candidate.last_seen)
        if best_key is None or key > best_key:
            best_id, best_key = candidate.story_id, key
    return best_id
