"""The rules of crowd moderation, as pure functions of counts and states.

How reports are counted (the part that resists one person with many cookies): each
reader counts once per image (a unique constraint), and each client address counts
once per image as well. The number compared with the threshold is the number of
DISTINCT ADDRESS HASHES among an image's reports. So K readers are needed, and they
must come from K different addresses: one machine clearing its cookies, or one
script minting fresh ones, never reaches K alone. The price is that readers behind one
shared address (a household, an office NAT) count as one; other readers elsewhere still
complete the count, which is the point of asking several. Per-reader and per-address
hourly limits bound how much one actor can report at all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

ARTICLE_REPORT_REASONS: tuple[str, ...] = (
    "offensive",  # shocking or hateful content
    "wrong",  # wrong text, title or picture for the article
    "duplicate",
    "broken",  # does not display, link dead
    "spam",
    "other",
)


class Decision(enum.StrEnum):
    """What a new count of reports means for an image."""

    KEEP = "keep"  # below the threshold: shown, report counted
    BLOCK = "block"  # the threshold is reached now: block it
    ALREADY_BLOCKED = "already_blocked"
    PINNED = "pinned"  # a moderator allowed it: reports are kept, never auto-blocked


def decide(report_count: int, threshold: int, status: str) -> Decision:
    """Decide on an image from its effective report count and its status.

    ``report_count`` is the effective count (distinct addresses, see module docs).
    A threshold below 1 is treated as 1: zero would block pictures nobody reported.
    """
    if status == "blocked":
        return Decision.ALREADY_BLOCKED
    if status == "allowed":
        return Decision.PINNED
    if report_count >= max(1, threshold):
        return Decision.BLOCK
    return Decision.KEEP


@dataclass(frozen=True, slots=True)
class RateLimits:
    """How many reports (images and articles together) one actor may file per window."""

    per_reader: int = 20
    per_address: int = 30
    window_s: int = 3600


def rate_limited(reader_recent: int, address_recent: int, limits: RateLimits) -> bool:
    """True when one more report would exceed a limit, given counts within the window."""
    return reader_recent >= limits.per_reader or address_recent >= limits.per_address
