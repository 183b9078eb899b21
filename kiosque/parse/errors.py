"""The one exception the parse layer lets out.

Callers (the ingest orchestrator, the CLI) must tell "this URL does not hold a feed"
apart from bugs; every other failure inside the parsers is either recovered and noted
in ``ParsedFeed.errors`` or turned into this exception with a readable sentence.
"""

from __future__ import annotations


class FeedError(ValueError):
    """Not a feed at all (HTML page, empty body, JSON that is no feed, ...).

    The message is a full sentence meant for operators reading a source's health page.
    """
