"""When to poll a source next, and how healthy it looks: pure functions, no I/O.

The cadence aims at about one poll per new entry the source is expected to publish
(a wire service every few minutes, a weekly column every few hours), clamped to the
configured bounds. The publisher's own hints win over our estimate: we never come back
sooner than a TTL, Cache-Control max-age, Expires or Retry-After asks (capped at
``max_interval_s`` so a typo in a header cannot silence a source for a year). Failures
back off exponentially. A +/-10% jitter keeps sources that were added together from
being polled in lockstep forever.
"""

from __future__ import annotations

import email.utils
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosque.config import Settings
from kiosque.models import Health

RATE_WINDOW = timedelta(days=7)
_MIN_SPAN = timedelta(hours=1)
_JITTER = 0.10
_FAILING_AFTER = 3
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:,|$)", re.IGNORECASE)


@dataclass(frozen=True)
class PollOutcome:
    """What one poll of a source taught us, in the terms the policy needs.

    ``gone`` is set by the caller for a 410, or for a 404 seen repeatedly.
    """

    ok: bool
    not_modified: bool = False
    new_entries: int = 0
    entries_per_day: float = 0.0
    ttl_s: float | None = None
    retry_after_s: float | None = None
    gone: bool = False


def _http_date(value: str) -> datetime | None:
    """An HTTP date as aware UTC (kept here: the policy must not depend on the fetcher)."""
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _publisher_floor(outcome: PollOutcome, settings: Settings) -> float:
    """The soonest the publisher lets us come back, capped at the longest interval."""
    asks = [v for v in (outcome.ttl_s, outcome.retry_after_s) if v is not None and v > 0]
    return min(float(settings.max_interval_s), max(asks, default=0.0))


def next_interval(outcome: PollOutcome, consecutive_failures: int, settings: Settings,
                  rng: random.Random) -> float:
    """Seconds until the next check of a source after ``outcome``.

    ``consecutive_failures`` counts failures in a row including this poll when it
    failed (0 after a success).
    """
    low, high = float(settings.min_interval_s), float(settings.max_interval_s)
    if outcome.gone:
        base = high
    elif not outcome.ok:
        exponent = min(max(0, consecutive_failures), 32)
        base = settings.default_interval_s * 2.0**exponent
    elif outcome.entries_per_day > 0:
        base = 86400.0 / outcome.entries_per_day
    else:
        base = high  # a source that published nothing lately needs no haste
    base = min(high, max(low, base))
    jittered = base * rng.uniform(1 - _JITTER, 1 + _JITTER)
    floor = max(low, _publisher_floor(outcome, settings))
    return min(high, max(floor, jittered))


def health_after(outcome: PollOutcome, consecutive_failures: int, settings: Settings) -> Health:
    """ok; degraded after 1-2 failures; failing from 3; dead when gone or failing too long."""
    if outcome.gone:
        return Health.DEAD
    if outcome.ok:
        return Health.OK
    if consecutive_failures >= settings.dead_after_failures:
        return Health.DEAD
    if consecutive_failures >= _FAILING_AFTER:
        return Health.FAILING
    return Health.DEGRADED


def cache_ttl_from_headers(headers: Mapping[str, str]) -> float | None:
    """How long the response says it stays fresh: Cache-Control max-age, else Expires.

    Header names are matched case-insensitively. Expires is measured against the
    response's own Date header when there is one (clocks differ), else against now.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    control = lower.get("cache-control", "")
    match = _MAX_AGE.search(control)
    if match:
        return float(match.group(1))
    expires = lower.get("expires")
    if not expires:
        return None
    when = _http_date(expires)
    if when is None:
        return None  # "Expires: 0" and other junk mean "already stale"
    date = _http_date(lower.get("date", "")) or datetime.now(UTC)
    seconds = (when - date).total_seconds()
    return seconds if seconds > 0 else None


def entries_per_day(published: Sequence[datetime], now: datetime) -> float:
    """Recent publishing rate from entry dates.

    Counts entries of the last week over the time they cover: the whole week when the
    feed reaches further back, else the span from the oldest entry to ``now`` (at least
    an hour). Measuring up to ``now`` rather than to the newest entry lets the rate fall
    on its own when a source goes quiet. Future dates count as ``now``.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    start = now - RATE_WINDOW
    dates = [min(d if d.tzinfo else d.replace(tzinfo=UTC), now) for d in published]
    recent = [d for d in dates if d >= start]
    if not recent:
        return 0.0
    reaches_back = any(d < start for d in dates)
    span = RATE_WINDOW if reaches_back else max(now - min(recent), _MIN_SPAN)
    return len(recent) / (span.total_seconds() / 86400.0)
