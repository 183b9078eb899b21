"""Following redirects ourselves, so every hop passes the SSRF guard and robots again.

httpx can follow redirects, but then it would connect to wherever a publisher (or an
attacker who owns one hop) points, unchecked. The client runs with
``follow_redirects=False`` and asks this module where to go next.
"""

from __future__ import annotations

import httpx

from kiosque.fetch.errors import FetchFailure

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def comparable(url: httpx.URL) -> str:
    """A URL without its fragment, the form in which hops are compared for loops."""
    return str(url.copy_with(fragment=None))


class RedirectTrail:
    """The hops of one fetch: resolves Location, spots loops, counts against the limit."""

    def __init__(self, start: httpx.URL, max_redirects: int) -> None:
        self._max = max_redirects
        self._start = start
        # Filled on the first redirect only: most fetches have none, and rendering a
        # URL for comparison costs a parse.
        self._seen: set[str] = set()
        self.hops = 0

    def next_url(self, current: httpx.URL, location: str | None) -> httpx.URL:
        """Where a redirect from ``current`` leads; raises ``FetchFailure`` when it must stop."""
        if not location or not location.strip():
            raise FetchFailure("protocol", f"{current} redirected without a Location header.")
        try:
            target = current.join(location.strip())
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchFailure("bad_url", f"{current} redirected to an unreadable "
                               f"address {location!r}.") from exc
        if target.scheme not in ("http", "https"):
            raise FetchFailure("bad_url", f"{current} redirected to {target}, which is "
                               "not an http or https URL.")
        if not self._seen:
            self._seen.add(comparable(self._start))
        key = comparable(target)
        if key in self._seen:
            raise FetchFailure("redirect_loop", f"{current} redirected back to {target}, "
                               "a URL already visited in this fetch.")
        self.hops += 1
        if self.hops > self._max:
            raise FetchFailure("too_many_redirects", f"Gave up after {self._max} redirects "
                               f"(the next one pointed to {target}).")
        self._seen.add(key)
        return target
