"""Find the feed behind a site: the orchestration behind ``kiosque sources add``.

Like ``ingest``, this combines stages (fetch and parse); the pure parts (reading
``<link rel=alternate>``, robots.txt sitemaps) live in ``kiosque.parse``. The order
of attempts follows what publishers actually do: the URL may already be a feed; a
homepage usually advertises its feeds; failing that, the usual paths; failing that,
the sitemaps robots.txt lists.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.models import ParsedFeed, Source
from kiosque.parse import (
    COMMON_FEED_PATHS,
    FeedError,
    discover_feeds,
    parse_feed,
    sitemaps_from_robots,
)
from kiosque.sources import source_slug

log = logging.getLogger(__name__)


async def _try_feed(fetcher: Fetcher, url: str) -> ParsedFeed | None:
    res = await fetcher.get(url)
    if not res.ok:
        return None
    try:
        parsed = parse_feed(res.body, res.final_url or url, res.headers.get("content-type"))
    except FeedError:
        return None
    return parsed if parsed.entries or parsed.sub_feeds else None


async def discover_source(
    settings: Settings, url: str, *, slug: str | None = None, lang: str = ""
) -> Source | None:
    """The best feed of the site at ``url`` as a new Source, or None when there is none."""
    async with Fetcher(settings) as fetcher:
        candidates: list[str] = []
        first = await fetcher.get(url)
        if not first.ok:
            raise ValueError(f"{url}: {first.error or 'HTTP ' + str(first.status)} "
                             f"{first.error_detail}".strip())
        page_url = first.final_url or url
        try:
            parsed: ParsedFeed | None = parse_feed(first.body, page_url,
                                                   first.headers.get("content-type"))
            feed_url: str | None = page_url
        except FeedError:
            parsed, feed_url = None, None
            candidates.extend(discover_feeds(first.body, page_url,
                                             first.headers.get("content-type")))
            root = f"{urlsplit(page_url).scheme}://{urlsplit(page_url).netloc}"
            candidates.extend(urljoin(root, path) for path in COMMON_FEED_PATHS)
            robots = await fetcher.get(urljoin(root, "/robots.txt"), check_robots=False)
            if robots.ok:
                text = robots.body.decode("utf-8", "replace")
                candidates.extend(sitemaps_from_robots(text, root))
        seen: set[str] = set()
        for cand in candidates:
            if cand in seen:
                continue
            seen.add(cand)
            parsed = await _try_feed(fetcher, cand)
            if parsed is not None:
                feed_url = cand
                break
        if parsed is None or feed_url is None:
            return None
    host = urlsplit(page_url).hostname or "source"
    name = parsed.meta.title.strip() or host
    homepage = parsed.meta.link or (page_url if feed_url != page_url else "")
    return Source(
        slug=slug or source_slug(name, page_url),
        name=name,
        feed_url=feed_url,
        homepage=homepage,
        lang=lang or parsed.meta.lang[:2].lower(),
        verified=True,
    )
