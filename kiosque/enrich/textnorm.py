"""Text normalization shared by fingerprints, language ID and story clustering.

Two articles that differ only by invisible characters, Unicode composition, Arabic
diacritics or punctuation must look the same to the deduplicator; this module is the one
definition of "the same". Stemming uses Snowball (PyStemmer) for the four languages of
the press we index, with Arabic orthographic normalization before it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from kiosque.enrich.stopwords import RAW_STOPWORDS

# Zero-width and formatting characters that publishers' CMSs leave in text.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad"
                        "\u202a-\u202e\u2066-\u2069]")
# Arabic harakat, Quranic marks and tatweel carry no meaning for matching.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",  # alefs
    "\u0649": "\u064a",  # alef maqsura -> yeh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06cc": "\u064a", "\u06a9": "\u0643",  # Persian yeh/keheh as typed on some keyboards
    "\u0660": "0", "\u0661": "1", "\u0662": "2", "\u0663": "3", "\u0664": "4",
    "\u0665": "5", "\u0666": "6", "\u0667": "7", "\u0668": "8", "\u0669": "9",
    "\u06f0": "0", "\u06f1": "1", "\u06f2": "2", "\u06f3": "3", "\u06f4": "4",
    "\u06f5": "5", "\u06f6": "6", "\u06f7": "7", "\u06f8": "8", "\u06f9": "9",
})
_ARABIC_FOLD_PAIRS = tuple((chr(code), letter) for code, letter in _ARABIC_FOLD.items())
_TRANSLATE_UNDER = 40  # characters; below this ``translate`` beats a loop of ``replace``
# Dropped by :func:`fold` in one pass: the invisible characters and the Arabic marks.
_DROPPED = re.compile(_INVISIBLE.pattern[:-1] + _ARABIC_MARKS.pattern[1:])
# Anything that is not a letter, digit or combining mark: punctuation, symbols, "_".
_NOT_WORD = re.compile(r"[^\w\s\u0300-\u036f\u0900-\u0dff]|_")
_STEMMER_NAMES = {"fr": "french", "es": "spanish", "en": "english", "ar": "arabic"}


def normalize_text(text: str) -> str:
    """NFC, invisible characters removed, every run of whitespace collapsed to one space.

    ``" ".join(text.split())`` is the regex ``\\s+`` -> ``" "`` plus ``strip()``: both use
    the same Unicode whitespace test, and the join is several times faster.
    """
    if not text:
        return ""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", text)).split())


def _fold_arabic_letters(text: str) -> str:
    """``text.translate(_ARABIC_FOLD)``, fast on long texts.

    ``str.translate`` with a dict looks every character up (about 50 ns each); on an
    article one ``replace`` per variant letter, skipped when absent, is 20 times faster.
    The result is the same because no replacement produces a letter that is replaced.
    """
    if len(text) < _TRANSLATE_UNDER:
        return text.translate(_ARABIC_FOLD)
    for variant, letter in _ARABIC_FOLD_PAIRS:
        if variant in text:
            text = text.replace(variant, letter)
    return text


def normalize_arabic(text: str) -> str:
    """Arabic letters folded so that spelling variants of one word compare equal."""
    return _fold_arabic_letters(_ARABIC_MARKS.sub("", text))


def strip_accents(token: str) -> str:
    """Latin diacritics removed (é -> e), used for cross-language name keys."""
    decomposed = unicodedata.normalize("NFD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=16)
def fold(text: str) -> str:
    """Normalized, case-folded, Arabic-folded text with punctuation and symbols as spaces.

    The same result as ``normalize_arabic(normalize_text(text).casefold())`` with
    punctuation turned to spaces, in fewer passes: invisible characters and Arabic marks
    are dropped together (case folding neither makes nor changes them) and whitespace is
    collapsed once at the end. Cached because the ingester folds an article's body for
    its content hash and again, after the title, for its simhash (see
    :func:`kiosque.enrich.fingerprints.simhash64`).
    """
    if not text:
        return ""
    text = _DROPPED.sub("", unicodedata.normalize("NFC", text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", _fold_arabic_letters(text)).split())


def tokens(text: str) -> list[str]:
    """Word tokens of :func:`fold`'s output."""
    return fold(text).split()


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> Stemmer.Stemmer | None:
    name = _STEMMER_NAMES.get(lang)
    return Stemmer.Stemmer(name) if name else None


def stem_all(words: list[str], lang: str) -> list[str]:
    """Snowball stems for a known language; words unchanged for any other."""
    stemmer = _stemmer(lang)
    return list(stemmer.stemWords(words)) if stemmer is not None else list(words)


@lru_cache(maxsize=8)
def stopwords(lang: str) -> frozenset[str]:
    """The folded stopword set of a language (empty for languages we have no list for)."""
    return frozenset(fold(RAW_STOPWORDS.get(lang, "")).split())


def content_terms(text: str, lang: str) -> list[str]:
    """Stemmed tokens without stopwords and one-letter noise: what a text is about."""
    stop = stopwords(lang)
    words = [t for t in tokens(text) if len(t) > 1 and t not in stop]
    return stem_all(words, lang)
