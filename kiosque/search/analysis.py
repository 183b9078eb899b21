"""Text analysis for search: the same token stream feeds the index and the query.

Neither SQLite FTS5 nor a portable PostgreSQL setup stems French, Spanish, English and
Arabic the way we want, so text is analyzed here, in Python, and both engines only see
finished tokens. Every token carries its language as a prefix (``fr_gouvern``): a
query analyzed for French can then only meet French articles, and one index holds all
languages without one language's stems colliding with another's.

Latin-script languages: NFKC, lower case, elision (l', d', qu'...), accent folding,
then Snowball. Folding happens *before* stemming so that "securite" and "sécurité"
reach the same stem (Snowball's accent-aware suffix rules would otherwise part them).
Arabic: diacritics and tatweel removed, alef forms unified, alef maqsura and teh
marbuta folded, Arabic-Indic digits turned ASCII, then a light prefix/suffix stemmer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import Stemmer

LANGUAGES: tuple[str, ...] = ("fr", "ar", "es", "en")
"""Languages with a dedicated analyzer."""

GENERIC = "xx"
"""Analyzer tag for articles in any other (or an unknown) language: folding only."""

ALL_TAGS: tuple[str, ...] = (*LANGUAGES, GENERIC)

MAX_TERM_CHARS = 60
"""Longer "words" (URLs, base64, runs of digits) are dropped: nobody searches them and
PostgreSQL refuses lexemes past 2 KB."""

# A word: letters/digits plus the combining marks that NFKC leaves attached (Arabic
# harakat, Latin accents in decomposed input), optionally joined by apostrophes.
MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD = rf"[\w{MARKS}]+"  # "_" is a word character to ``re``: replaced by a space first
WORD_RE = re.compile(rf"{_WORD}(?:['’ʼ]{_WORD})*")
_APOSTROPHES = re.compile(r"['’ʼ]")

_FR_ELISIONS = frozenset(
    {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
)

_AR_DIACRITICS = re.compile(f"[{MARKS}\u0640]")  # harakat, Quranic marks and tatweel
_AR_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Eastern (Persian) digits
    }
)
_AR_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")

_SNOWBALL = {"fr": "french", "es": "spanish", "en": "english"}


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_SNOWBALL[lang], 100_000)


def fold_accents(text: str) -> str:
    """Remove Latin diacritics (é->e, ñ->n, ç->c) and fold case."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_arabic(text: str) -> str:
    """Arabic orthographic normalization, applied identically to index and query."""
    return _AR_DIACRITICS.sub("", text).translate(_AR_FOLD)


def arabic_light_stem(word: str) -> str:
    """Strip one article/conjunction prefix, then each known suffix in turn.

    A light stemmer on purpose: aggressive root extraction merges unrelated words in
    news text, while plural, dual and possessive endings are what readers expect folded.
    Expects normalized input (teh marbuta already folded to heh).
    """
    word = _arabic_prefix_strip(word)
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def _arabic_prefix_strip(word: str) -> str:
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) >= len(prefix) + (3 if prefix == "و" else 2):
            return word[len(prefix):]
    return word


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of a text with their offsets (snippets need the offsets)."""
    return WORD_RE.finditer(unicodedata.normalize("NFKC", text).replace("_", " "))


def split_word(word: str, lang: str) -> list[str]:
    """Elision and apostrophes: one surface word may give zero, one or several terms."""
    if "'" not in word and "’" not in word and "ʼ" not in word:
        return [word]
    parts = _APOSTROPHES.split(word)
    low = [p.casefold() for p in parts]
    if lang == "fr" and low[0] in _FR_ELISIONS:
        parts = parts[1:]
    elif lang == "en" and low[-1] in {"s", "t", "re", "ll", "ve", "d", "m"}:
        parts = parts[:-1] if low[-1] == "s" else parts
    return [p for p in parts if p]


@dataclass(frozen=True, slots=True)
class Analyzer:
    """One language's term pipeline; ``tag`` prefixes every token it emits."""

    tag: str

    def term(self, word: str) -> str:
        """The index form of one word (no apostrophes), without the language prefix."""
        if _ARABIC_LETTER.search(word):  # Arabic words stem alike in any article
            return arabic_light_stem(normalize_arabic(word))
        folded = fold_accents(word)
        if self.tag in _SNOWBALL:
            stem = str(_stemmer(self.tag).stemWord(folded))
            if self.tag == "es" and len(folded) > 4 and folded.endswith("s"):
                # Snowball reads "gobiernos" as infinitive + pronoun ("gobi-er-nos");
                # the singular's stem keeps plural and singular together.
                singular = str(_stemmer("es").stemWord(folded[:-1]))
                if len(singular) > len(stem):
                    return singular
            return stem
        return folded

    def prefix_term(self, word: str) -> str:
        """The index form of a word typed as a prefix (``gouvernem*``).

        Stemming a prefix would cut it wrongly, and not stemming it would miss stems
        shorter than the prefix; the common part of the folded word and its stem matches
        every indexed stem that the full words starting with the prefix would produce.
        """
        if _ARABIC_LETTER.search(word):
            return _arabic_prefix_strip(normalize_arabic(word))
        folded = fold_accents(word)
        stem = self.term(word)
        common = 0
        for a, b in zip(folded, stem, strict=False):
            if a != b:
                break
            common += 1
        # A typed prefix may run past the stem of the words it is meant to find
        # ("gouvernem*" vs the stem "gouvern"): give back up to two letters.
        keep = max(common, 1)
        if keep > 5:
            keep -= min(2, keep - 5)
        return folded[:keep] if folded else ""

    def tokens(self, text: str) -> list[str]:
        """All prefixed tokens of a text, in order (positions matter for phrases)."""
        # Whitespace never occurs inside a word (nor an apostrophe joining two), so the
        # words of a text are those of its whitespace-separated chunks, in order: split
        # (in C) and look the chunks up, and the word regex only runs on chunks not seen
        # before. That regex, per character, was most of indexing an article.
        chunks = unicodedata.normalize("NFKC", text).replace("_", " ").split()
        cache = _CHUNK_CACHES.get(self.tag)
        if cache is None or len(cache) > _CHUNK_CACHE_ENTRIES:
            cache = _CHUNK_CACHES[self.tag] = _ChunkCache(self.tag)
        return list(chain.from_iterable(map(cache.__getitem__, chunks)))


def _token_cache(tag: str) -> _TokenCache:
    cache = _TOKEN_CACHES.get(tag)
    if cache is None or len(cache) > _TOKEN_CACHE_WORDS:
        cache = _TOKEN_CACHES[tag] = _TokenCache(tag)
    return cache


class _TokenCache(dict[str, tuple[str, ...]]):
    """Surface word -> tokens for one language, filled on first sight.

    Indexing looks up every word of every article: a plain dict hit (in C, keyed by
    the word alone) costs a fraction of an ``lru_cache`` call with its (tag, word) key.
    """

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag

    def __missing__(self, word: str) -> tuple[str, ...]:
        self[word] = found = _word_tokens(self.tag, word)
        return found


class _ChunkCache(dict[str, tuple[str, ...]]):
    """Whitespace-separated chunk ("l'État," "gouvernement.") -> its tokens, for one
    language; chunks longer than ``_CHUNK_CACHE_CHARS`` are analyzed but not kept."""

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag

    def __missing__(self, chunk: str) -> tuple[str, ...]:
        found = tuple(chain.from_iterable(
            map(_token_cache(self.tag).__getitem__, WORD_RE.findall(chunk))
        ))
        if len(chunk) <= _CHUNK_CACHE_CHARS:
            self[chunk] = found
        return found


_TOKEN_CACHES: dict[str, _TokenCache] = {}
_TOKEN_CACHE_WORDS = 200_000
"""Per language; a full cache starts over, which bounds memory on odd inputs."""
_CHUNK_CACHES: dict[str, _ChunkCache] = {}
_CHUNK_CACHE_ENTRIES = 200_000
_CHUNK_CACHE_CHARS = 64


@lru_cache(maxsize=500_000)
def _word_tokens(tag: str, word: str) -> tuple[str, ...]:
    """Tokens of one surface word; cached, since news vocabulary is heavily skewed."""
    analyzer = Analyzer(tag)
    out = []
    for part in split_word(word, tag):
        t = analyzer.term(part)
        if t and len(t) <= MAX_TERM_CHARS:
            out.append(f"{tag}_{t}")
    return tuple(out)


word_tokens = _word_tokens
"""``word_tokens(tag, word)``: the prefixed tokens of one surface word (cached)."""


def analyzer_for(lang: str) -> Analyzer:
    """The analyzer of an article's detected language (``fr-FR`` counts as ``fr``)."""
    base = (lang or "").split("-")[0].split("_")[0].lower()
    return Analyzer(base if base in LANGUAGES else GENERIC)


def tag_for(lang: str) -> str:
    """The token prefix an article of this language is indexed under."""
    return analyzer_for(lang).tag
