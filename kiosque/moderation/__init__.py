"""Crowd moderation: readers report, rules decide, moderators review.

This package holds the pure rules (when a count of reports blocks an image, when a
reader or an address has reported too much) and the reader-facing messages; the
persistence that applies them lives in ``kiosque.store.moderation``.
"""

from kiosque.moderation.messages import REPORT_MESSAGES, report_message
from kiosque.moderation.rules import (
    ARTICLE_REPORT_REASONS,
    Decision,
    RateLimits,
    decide,
    rate_limited,
)

__all__ = [
    "ARTICLE_REPORT_REASONS",
    "REPORT_MESSAGES",
    "Decision",
    "RateLimits",
    "decide",
    "rate_limited",
    "report_message",
]
