"""Fingerprints that find the same article published twice.

``content_hash`` catches exact copies that differ only in spacing, case or punctuation
(a wire story re-run by two sites); ``simhash64`` catches near copies (a corrected typo,
an added sentence) by hashing overlapping word triples so that a local edit moves only a
few bits. The simhash is returned signed so that it fits a SQL BIGINT.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from kiosque.enrich.textnorm import fold, normalize_arabic, stem_all

SHINGLE = 3
_MASK = (1 << 64) - 1


def content_hash(text: str) -> str:
    """sha256 hex of the folded text: equal for texts that differ only in case/punctuation."""
    return hashlib.sha256(fold(text).encode("utf-8")).hexdigest()


def _to_signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _hash64(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(),
                          "big")


def _add_bits(planes: list[int], bits: int) -> None:
    """Add one to the 64 counters whose bit is set in ``bits`` (ripple carry, in place).

    Sixty-four counters updated with a handful of big-integer operations instead of a
    Python loop over the bits: the average carry chain is about two planes long.
    """
    carry = bits
    for j, plane in enumerate(planes):
        if not carry:
            return
        planes[j] = plane ^ carry
        carry &= plane
    if carry:
        planes.append(carry)


def simhash64(text: str, lang: str = "") -> int:
    """64-bit simhash over word 3-grams of folded (and, for known languages, stemmed) words.

    Returned as a signed 64-bit integer; 0 for a text without words.
    """
    words = fold(text).split()
    if lang == "ar":
        words = [normalize_arabic(w) for w in words]
    words = stem_all(words, lang) if lang else words
    if not words:
        return 0
    if len(words) < SHINGLE:
        shingles = Counter([" ".join(words)])
    else:
        shingles = Counter(" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    total = 0
    planes: list[int] = []  # bit-sliced counters: plane j holds bit j of all 64 counts
    for shingle, count in shingles.items():
        digest = _hash64(shingle)
        total += count
        for _ in range(count):
            _add_bits(planes, digest)
    value = 0
    for position in range(64):
        ones = sum(((plane >> position) & 1) << j for j, plane in enumerate(planes))
        if 2 * ones > total:
            value |= 1 << position
    return _to_signed(value & _MASK)


def hamming(a: int, b: int) -> int:
    """Bits that differ between two 64-bit fingerprints (signed or unsigned)."""
    return ((a ^ b) & _MASK).bit_count()


def is_near_duplicate(a: int, b: int, max_distance: int = 3) -> bool:
    """True when two non-empty simhashes differ in at most ``max_distance`` bits."""
    if a == 0 or b == 0:
        return False
    return hamming(a, b) <= max_distance
