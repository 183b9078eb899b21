"""Fingerprints that find the same article published twice.

``content_hash`` catches exact copies that differ only in spacing, case or punctuation
(a wire story re-run by two sites); ``simhash64`` catches near copies (a corrected typo,
an added sentence) by hashing overlapping word triples so that a local edit moves only a
few bits. The simhash is returned signed so that it fits a SQL BIGINT.
"""

from __future__ import annotations

import hashlib

import numpy as np

from kiosque.enrich.textnorm import fold, stem_all

SHINGLE = 3
_MASK = (1 << 64) - 1
# An initialized 8-byte BLAKE2b state: copying it is cheaper than building a new one,
# which parses its keyword arguments and fills the parameter block for every shingle.
_BLAKE2B_8 = hashlib.blake2b(digest_size=8)


def content_hash(text: str) -> str:
    """sha256 hex of the folded text: equal for texts that differ only in case/punctuation."""
    return hashlib.sha256(fold(text).encode("utf-8")).hexdigest()


def _to_signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _hash64(shingle: str) -> bytes:
    """The 8-byte BLAKE2b digest of a shingle, read as a big-endian 64-bit value."""
    hasher = _BLAKE2B_8.copy()
    hasher.update(shingle.encode("utf-8"))
    return hasher.digest()


def _folded_words(text: str) -> list[str]:
    """``fold(text).split()``, reusing the fold of the body when the text is title + body.

    Folding is per character once a text is in NFC, and NFC never combines across a
    newline, so a text folds as its parts around its first newline do. The ingester
    hashes ``f"{title}\\n{body}"`` right after ``content_hash(body)``: the body's fold
    comes from :func:`fold`'s cache.
    """
    head, newline, tail = text.partition("\n")
    if not newline:
        return fold(text).split()
    return fold(head).split() + fold(tail).split()


def simhash64(text: str, lang: str = "") -> int:
    """64-bit simhash over word 3-grams of folded (and, for known languages, stemmed) words.

    Returned as a signed 64-bit integer; 0 for a text without words. Arabic words need no
    further normalization here: :func:`fold` already applied ``normalize_arabic``.
    """
    words = _folded_words(text)
    if lang:
        words = stem_all(words, lang)
    if not words:
        return 0
    if len(words) < SHINGLE:  # one shingle: every bit is a majority of one
        return _to_signed(int.from_bytes(_hash64(" ".join(words)), "big"))
    shingles = map(" ".join, zip(words, words[1:], words[2:], strict=False))  # word triples
    digests = b"".join([_hash64(shingle) for shingle in shingles])
    # One row of 64 bits per shingle, most significant first; a bit of the simhash is
    # set when it is set in more than half of the shingles (repeats counted each time).
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(-1, 64)
    majority = 2 * bits.sum(axis=0, dtype=np.int64) > len(words) - SHINGLE + 1
    return _to_signed(int.from_bytes(np.packbits(majority).tobytes(), "big"))


def hamming(a: int, b: int) -> int:
    """Bits that differ between two 64-bit fingerprints (signed or unsigned)."""
    return ((a ^ b) & _MASK).bit_count()


def is_near_duplicate(a: int, b: int, max_distance: int = 3) -> bool:
    """True when two non-empty simhashes differ in at most ``max_distance`` bits."""
    if a == 0 or b == 0:
        return False
    return hamming(a, b) <= max_distance
