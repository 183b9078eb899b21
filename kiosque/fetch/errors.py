"""The one exception the fetch chain uses internally to stop early.

Every concern (guard, robots, pacing, size limits) raises ``FetchFailure`` with a short
code and a readable sentence; ``Fetcher.get`` turns it into a ``FetchResult`` so callers
never see an exception for a network or publisher problem.
"""

from __future__ import annotations


class FetchFailure(Exception):
    """A fetch that cannot succeed, with the code and sentence reported to the caller."""

    def __init__(self, code: str, detail: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.retry_after_s = retry_after_s
