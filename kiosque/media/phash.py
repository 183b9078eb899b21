"""Comparing perceptual hashes, so a blocked picture stays blocked when it comes back.

A publisher (or another one) may serve the same picture re-encoded, resized or slightly
recompressed: its bytes and sha256 change, its 64-bit pHash moves by a few bits only.
Unrelated photos sit around 32 bits apart, so a small radius is safe.
"""

from __future__ import annotations

# Re-encoding and resizing moved our test pictures by 0-4 bits; unrelated ones by 20+.
PHASH_MAX_DISTANCE = 6


def phash_distance(a: str, b: str) -> int:
    """Hamming distance between two hex pHashes of the same length."""
    if len(a) != len(b):
        raise ValueError("perceptual hashes of different sizes")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def phash_near(a: str, b: str, max_distance: int = PHASH_MAX_DISTANCE) -> bool:
    """True when two hashes are close enough to be the same picture."""
    try:
        return phash_distance(a, b) <= max_distance
    except ValueError:
        return False
