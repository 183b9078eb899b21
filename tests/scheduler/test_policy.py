"""The polling policy: cadence, publisher hints, back-off, jitter and health (pure)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from kiosque.config import Settings
from kiosque.models import Health
from kiosque.scheduler.policy import (
    PollOutcome,
    cache_ttl_from_headers,
    entries_per_day,
    health_after,
    next_interval,
)

S = Settings(min_interval_s=300, max_interval_s=6 * 3600, default_interval_s=900,
             dead_after_failures=20)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def intervals(outcome: PollOutcome, failures: int = 0, n: int = 300) -> list[float]:
    rng = random.Random(1234)
    return [next_interval(outcome, failures, S, rng) for _ in range(n)]


def test_one_poll_per_expected_entry_with_ten_percent_jitter() -> None:
    got = intervals(PollOutcome(ok=True, entries_per_day=24.0))  # one an hour
    assert min(got) >= 3600 * 0.9 and max(got) <= 3600 * 1.1
    assert max(got) - min(got) > 3600 * 0.1  # the jitter really spreads them


@pytest.mark.parametrize(("per_day", "low", "high"), [
    (10_000.0, 300, 330),  # a firehose is clamped to min_interval (jitter only upward)
    (0.1, 6 * 3600 * 0.9, 6 * 3600),  # a quiet source is clamped to max_interval
    (0.0, 6 * 3600 * 0.9, 6 * 3600),  # nothing published lately
])
def test_interval_is_clamped(per_day: float, low: float, high: float) -> None:
    got = intervals(PollOutcome(ok=True, entries_per_day=per_day))
    assert all(low <= v <= high for v in got), (min(got), max(got))


def test_publisher_ttl_and_retry_after_are_floors() -> None:
    busy = PollOutcome(ok=True, entries_per_day=1000.0, ttl_s=3000.0)
    assert min(intervals(busy)) >= 3000.0
    asked = PollOutcome(ok=False, retry_after_s=5000.0)
    assert min(intervals(asked, failures=1)) >= 5000.0
    absurd = PollOutcome(ok=True, entries_per_day=1000.0, ttl_s=365 * 86400.0)
    assert max(intervals(absurd)) <= S.max_interval_s  # capped: a typo cannot silence it


def test_failures_back_off_exponentially_up_to_max() -> None:
    failed = PollOutcome(ok=False)
    medians = [sorted(intervals(failed, failures=f, n=101))[50] for f in range(6)]
    assert medians[0] == pytest.approx(900, rel=0.1)
    assert medians[1] == pytest.approx(1800, rel=0.1)
    assert medians[3] == pytest.approx(7200, rel=0.1)
    assert medians[5] <= S.max_interval_s
    assert max(intervals(failed, failures=500)) <= S.max_interval_s  # no overflow


def test_gone_source_waits_longest() -> None:
    assert min(intervals(PollOutcome(ok=False, gone=True), failures=1)) >= 6 * 3600 * 0.9


def test_same_seed_same_schedule() -> None:
    outcome = PollOutcome(ok=True, entries_per_day=50.0)
    assert intervals(outcome) == intervals(outcome)


def test_health_levels() -> None:
    ok, failed = PollOutcome(ok=True), PollOutcome(ok=False)
    assert health_after(ok, 0, S) is Health.OK
    assert health_after(PollOutcome(ok=True, not_modified=True), 0, S) is Health.OK
    assert health_after(failed, 1, S) is Health.DEGRADED
    assert health_after(failed, 2, S) is Health.DEGRADED
    assert health_after(failed, 3, S) is Health.FAILING
    assert health_after(failed, 19, S) is Health.FAILING
    assert health_after(failed, 20, S) is Health.DEAD
    assert health_after(PollOutcome(ok=False, gone=True), 1, S) is Health.DEAD


def test_cache_ttl_from_cache_control_and_expires() -> None:
    assert cache_ttl_from_headers({"Cache-Control": "public, max-age=600"}) == 600.0
    assert cache_ttl_from_headers({"cache-control": "s-maxage=50, max-age=\"90\""}) == 90.0
    assert cache_ttl_from_headers({"Cache-Control": "no-cache"}) is None
    dated = {"Date": "Tue, 10 Mar 2026 12:00:00 GMT",
             "Expires": "Tue, 10 Mar 2026 12:30:00 GMT"}
    assert cache_ttl_from_headers(dated) == 1800.0
    both = {**dated, "Cache-Control": "max-age=60"}
    assert cache_ttl_from_headers(both) == 60.0  # max-age wins over Expires
    assert cache_ttl_from_headers({"Expires": "0"}) is None
    past = {"Date": "Tue, 10 Mar 2026 12:00:00 GMT", "Expires": "Mon, 09 Mar 2026 12:00:00 GMT"}
    assert cache_ttl_from_headers(past) is None
    assert cache_ttl_from_headers({}) is None


def test_entries_per_day_from_a_busy_feed() -> None:
    every_ten_minutes = [NOW - timedelta(minutes=10 * i) for i in range(1, 31)]
    assert entries_per_day(every_ten_minutes, NOW) == pytest.approx(144.0, rel=0.01)


def test_entries_per_day_over_a_week_when_the_feed_reaches_further() -> None:
    daily = [NOW - timedelta(days=i, hours=3) for i in range(30)]
    assert entries_per_day(daily, NOW) == pytest.approx(7 / 7.0)


def test_entries_per_day_falls_when_a_source_goes_quiet() -> None:
    burst = [NOW - timedelta(days=5, minutes=i) for i in range(10)]
    assert entries_per_day(burst, NOW) == pytest.approx(10 / 5.0, rel=0.01)
    assert entries_per_day([NOW - timedelta(days=40)], NOW) == 0.0
    assert entries_per_day([], NOW) == 0.0


def test_entries_per_day_tolerates_future_and_naive_dates() -> None:
    odd = [NOW + timedelta(days=2), (NOW - timedelta(hours=2)).replace(tzinfo=None)]
    assert entries_per_day(odd, NOW) == pytest.approx(2 / (2 / 24))
