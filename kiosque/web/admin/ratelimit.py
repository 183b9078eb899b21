"""Failed logins per client address, counted in memory over a sliding window.

Guessing a moderator's password online must be slow: after ``max_failures`` wrong
passwords from one address within ``window_s``, every login attempt from it is refused
until the oldest failure leaves the window, right password or not (otherwise the
limiter would still answer the guess). Addresses are keyed by their HMAC (IPv6 by /64,
see ``kiosque.web.readers.hash_address``). The counts live in the process: a restart
forgets them, which only shortens one window; several processes each keep their own.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_FAILURES = 10
WINDOW_S = 15 * 60
MAX_TRACKED = 100_000  # addresses remembered at once; the oldest go first


class LoginLimiter:
    """Counts failures per key; thread-safe, since sync routes run in a thread pool."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def blocked_for(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 when it may try now."""
        with self._lock:
            now = self._clock()
            times = self._recent(key, now)
            if len(times) < self.max_failures:
                return 0.0
            return max(0.0, times[-self.max_failures] + self.window_s - now)

    def failed(self, key: str) -> None:
        """Record one wrong password from ``key``."""
        with self._lock:
            now = self._clock()
            times = self._recent(key, now)
            if key not in self._failures:
                if len(self._failures) >= MAX_TRACKED:
                    self._failures.pop(next(iter(self._failures)))
                self._failures[key] = times
            times.append(now)
