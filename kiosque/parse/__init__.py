"""Feed parsing and discovery: bytes in, ``kiosque.models.ParsedFeed`` out.

Pure by design (no network, no database): the fetch layer hands us bodies and the
ingest orchestrator decides what to do with the entries. One reader per format fills
its own structures (``rss``, ``atom``, ``jsonfeed``, ``sitemap``) and ``adapter``
turns them into the shared model.
"""

from kiosque.parse.discovery import COMMON_FEED_PATHS, discover_feeds, sitemaps_from_robots
from kiosque.parse.errors import FeedError
from kiosque.parse.feed import parse_feed

__all__ = [
    "COMMON_FEED_PATHS",
    "FeedError",
    "discover_feeds",
    "parse_feed",
    "sitemaps_from_robots",
]
