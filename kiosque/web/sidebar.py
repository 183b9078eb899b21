"""The "More from this source" list, read once per source every few seconds, not per page.

Why: every article page shows its source's newest articles beside it, and that list is
the same for all the articles of a source (minus the page's own article), while the
articles themselves are spread over the whole archive and are read and rendered for
each request. Keeping each source's newest rows for ``ttl_s`` seconds (the site's
``page_cache_s``, the staleness readers already accept for whole pages) saves an indexed
query and a dozen row conversions per article page; the page itself is still read and
rendered every time. ``ttl_s <= 0`` turns it off (every page asks the database).

The cache belongs to one app (``app.state``), so apps over different databases never
share it, and ``clear`` is called with the page cache's whenever this process handles a
write (a report, a moderator's decision).
"""

from __future__ import annotations

import time

from fastapi import Request
from sqlalchemy import Connection

from kiosque.store import read

# More sources than any deployment has: beyond it the cache starts again from empty.
MAX_SOURCES = 4096


class LatestBySource:
    """Each source's newest visible articles, kept ``ttl_s`` seconds per process."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._rows: dict[tuple[str, int], tuple[float, list[read.ArticleView]]] = {}

    def clear(self) -> None:
        self._rows.clear()

    def newest(self, conn: Connection, source_slug: str, limit: int) -> list[read.ArticleView]:
        """The ``limit`` newest visible articles of the source, newest first."""
        if self.ttl_s <= 0:
            return self._read(conn, source_slug, limit)
        key = (source_slug, limit)
        now = time.monotonic()
        kept = self._rows.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        rows = self._read(conn, source_slug, limit)
        if len(self._rows) >= MAX_SOURCES:
            self._rows.clear()
        self._rows[key] = (now + self.ttl_s, rows)
        return rows

    @staticmethod
    def _read(conn: Connection, source_slug: str, limit: int) -> list[read.ArticleView]:
        flt = read.ArticleFilter(source_slug=source_slug)
        return read.list_articles(conn, flt, limit=limit).items

    def more_from(self, conn: Connection, source_slug: str, article_id: int,
                  limit: int) -> list[read.ArticleView]:
        """The source's ``limit`` newest articles other than ``article_id``: exactly what
        a query excluding that id returns, taken from one row more of the shared list."""
        rows = self.newest(conn, source_slug, limit + 1)
        return [a for a in rows if a.id != article_id][:limit]


def latest_by_source(request: Request) -> LatestBySource:
    cache = request.app.state.latest_by_source
    assert isinstance(cache, LatestBySource)
    return cache
