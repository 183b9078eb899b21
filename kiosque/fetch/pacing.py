"""Politeness: how many requests run at once, and how far apart they start, per host.

A host is ``host:port``. Each host has a concurrency bound and a delay between the
starts of two requests. The delay adapts to the host's latency the way Scrapy's
AutoThrottle does (aim for ``latency / concurrency``), but it only ever follows the
latency DOWN after a clean answer: errors, 5xx, 429 and timeouts push it up and never
let it shrink, so a struggling publisher is not hit harder because it answers errors
fast. ``Crawl-delay`` raises a host's floor; ``Retry-After`` pauses the host.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from kiosque.fetch.errors import FetchFailure

MAX_DELAY_S = 60.0
_EWMA_ALPHA = 0.3
_TROUBLE_FACTOR = 1.5


class Outcome(enum.Enum):
    """How an exchange should move the host's delay."""

    CLEAN = "clean"  # 2xx/3xx: the delay may follow latency down or up
    NEUTRAL = "neutral"  # 4xx (not 429): not the host's fault, but no speed-up either
    TROUBLE = "trouble"  # 5xx, 429, timeout, connection or protocol error: slow down


@dataclass(frozen=True, slots=True)
class HostStats:
    """A snapshot of one host's pacing state, for logs and the operator page."""

    delay_s: float
    min_delay_s: float
    inflight: int
    requests: int
    errors: int
    latency_ewma_s: float | None
    paused_for_s: float


def next_delay(current: float, latency_s: float, concurrency: int, outcome: Outcome,
               min_delay: float, max_delay: float = MAX_DELAY_S) -> float:
    """The host delay after one exchange; never lower than ``current`` unless CLEAN."""
    target = latency_s / max(1, concurrency)
    if outcome is Outcome.CLEAN:
        new = (current + target) / 2
    elif outcome is Outcome.NEUTRAL:
        new = max(current, (current + target) / 2)
    else:
        new = max(current * _TROUBLE_FACTOR, target)
    return min(max_delay, max(min_delay, new))


@dataclass(slots=True)
class _Host:
    slots: asyncio.Semaphore
    delay: float
    min_delay: float
    next_start: float = 0.0
    paused_until: float = 0.0
    inflight: int = 0
    requests: int = 0
    errors: int = 0
    latency_ewma: float | None = None


class HostPacer:
    """Grants request slots: global bound, per-host bound, per-host spacing and pauses."""

    def __init__(self, *, max_concurrency: int, per_host_concurrency: int,
                 min_delay_s: float, max_wait_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._global = asyncio.Semaphore(max(1, max_concurrency))
        self._per_host = max(1, per_host_concurrency)
        self._min_delay = max(0.0, min_delay_s)
        self._max_wait = max_wait_s
        self._clock = clock
        self._hosts: dict[str, _Host] = {}

    def _host(self, key: str) -> _Host:
        state = self._hosts.get(key)
        if state is None:
            state = _Host(slots=asyncio.Semaphore(self._per_host), delay=self._min_delay,
                          min_delay=self._min_delay)
            self._hosts[key] = state
        return state

    def _refuse_if_paused(self, key: str, state: _Host) -> None:
        remaining = state.paused_until - self._clock()
        if remaining > self._max_wait:
            raise FetchFailure("paused", f"{key} asked us to come back in {remaining:.0f} s "
                               "(Retry-After); not sending anything before that.",
                               retry_after_s=remaining)

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        """Wait for this host's turn, then hold one of its slots for the exchange.

        A host paused for longer than ``max_wait_s`` fails fast with code ``paused`` so a
        caller is not stuck for an hour behind a Retry-After.
        """
        state = self._host(key)
        self._refuse_if_paused(key, state)
        async with state.slots:
            self._refuse_if_paused(key, state)
            now = self._clock()
            start = max(now, state.next_start, state.paused_until)
            state.next_start = start + state.delay
            if start > now:
                await asyncio.sleep(start - now)
            async with self._global:
                state.inflight += 1
                state.requests += 1
                try:
                    yield
                finally:
                    state.inflight -= 1

    def record(self, key: str, latency_s: float, outcome: Outcome) -> None:
        """Feed one exchange's latency and outcome back into the host's delay."""
        state = self._host(key)
        if outcome is Outcome.TROUBLE:
            state.errors += 1
        if state.latency_ewma is None:
            state.latency_ewma = latency_s
        else:
            state.latency_ewma += _EWMA_ALPHA * (latency_s - state.latency_ewma)
        state.delay = next_delay(state.delay, latency_s, self._per_host, outcome,
                                 state.min_delay)
        if outcome is Outcome.TROUBLE:
            # The next request waits a full (raised) delay counted from this failure.
            state.next_start = max(state.next_start, self._clock() + state.delay)

    def raise_min_delay(self, key: str, delay_s: float) -> None:
        """Honour a Crawl-delay: the host's floor (and current delay) go up to it."""
        state = self._host(key)
        floor = min(MAX_DELAY_S, max(self._min_delay, delay_s))
        if floor > state.min_delay:
            state.min_delay = floor
        state.delay = max(state.delay, state.min_delay)

    def pause(self, key: str, seconds: float) -> None:
        """Send nothing to this host for ``seconds`` (Retry-After on 429/503)."""
        state = self._host(key)
        state.paused_until = max(state.paused_until, self._clock() + max(0.0, seconds))

    def stats(self) -> dict[str, HostStats]:
        now = self._clock()
        return {
            key: HostStats(delay_s=s.delay, min_delay_s=s.min_delay, inflight=s.inflight,
                           requests=s.requests, errors=s.errors,
                           latency_ewma_s=s.latency_ewma,
                           paused_for_s=max(0.0, s.paused_until - now))
            for key, s in self._hosts.items()
        }
