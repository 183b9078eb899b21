"""Everything computed about an article after extraction, with no I/O.

URL canonicalization, language identification, text normalization, duplicate
fingerprints and story clustering: the ingester calls these in that order and stores
the results. All functions are pure and never raise on odd input.
"""

from kiosque.enrich.fingerprints import content_hash, hamming, is_near_duplicate, simhash64
from kiosque.enrich.language import detect_language
from kiosque.enrich.stories import (
    DEFAULT_THRESHOLD,
    MIN_SHARED_TOKENS,
    StoryCandidate,
    StorySignature,
    assign_story,
    similarity,
    story_signature,
)
from kiosque.enrich.textnorm import normalize_text
from kiosque.enrich.urls import canonicalize_url

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_SHARED_TOKENS",
    "StoryCandidate",
    "StorySignature",
    "assign_story",
    "canonicalize_url",
    "content_hash",
    "detect_language",
    "hamming",
    "is_near_duplicate",
    "normalize_text",
    "simhash64",
    "similarity",
    "story_signature",
]
