"""The pure rules and the reader-facing messages."""

from __future__ import annotations

import pytest

from kiosque.moderation import (
    REPORT_MESSAGES,
    Decision,
    RateLimits,
    decide,
    rate_limited,
    report_message,
)


@pytest.mark.parametrize(
    "count,threshold,status,expected",
    [
        (0, 3, "ok", Decision.KEEP),
        (2, 3, "ok", Decision.KEEP),
        (3, 3, "ok", Decision.BLOCK),
        (7, 3, "pending", Decision.BLOCK),
        (1, 0, "ok", Decision.BLOCK),  # a zero threshold acts as one
        (0, 0, "ok", Decision.KEEP),
        (9, 3, "blocked", Decision.ALREADY_BLOCKED),
        (9, 3, "allowed", Decision.PINNED),
    ],
)
def test_decide(count: int, threshold: int, status: str, expected: Decision) -> None:
    assert decide(count, threshold, status) is expected


def test_rate_limits() -> None:
    limits = RateLimits(per_reader=2, per_address=3)
    assert not rate_limited(1, 2, limits)
    assert rate_limited(2, 0, limits)
    assert rate_limited(0, 3, limits)


def test_every_language_has_every_message() -> None:
    keys = set(REPORT_MESSAGES["en"])
    assert set(REPORT_MESSAGES) == {"en", "fr", "es", "ar"}
    for lang, table in REPORT_MESSAGES.items():
        assert set(table) == keys, lang
    assert "bloquée" in report_message("blocked", "fr")
    assert report_message("counted", "de") == REPORT_MESSAGES["en"]["counted"]
    assert report_message("counted", "de", default_lang="es") == REPORT_MESSAGES["es"]["counted"]
    assert report_message("counted", "ar") != report_message("blocked", "ar")
