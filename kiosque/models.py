"""Plain values that travel between pipeline stages.

Every stage speaks in these dataclasses so that no stage has to know how another one
stores or fetches things: the parser produces ``Entry`` objects without knowing HTTP,
the store persists ``Article`` objects without knowing feeds. Only the standard library
is imported here, so any layer may depend on this module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime


class Health(enum.StrEnum):
    """How a source has been answering lately; drives back-off and what operators see."""

    OK = "ok"
    DEGRADED = "degraded"
    FAILING = "failing"
    DEAD = "dead"


class TextPolicy(enum.StrEnum):
    """How much of an article the site shows; publishers differ in what they allow."""

    AUTO = "auto"  # full text when the feed itself carried it, else an excerpt
    FULL = "full"
    EXCERPT = "excerpt"


@dataclass(slots=True)
class Source:
    """A publisher feed that kiosque polls.

    ``slug`` is the stable public identifier used in URLs; ``feed_url`` may be an RSS,
    Atom or JSON feed, or a news sitemap. ``verified`` is False for feed URLs we have
    not been able to confirm (the default real-world list is compiled offline).
    """

    slug: str
    name: str
    feed_url: str
    homepage: str = ""
    lang: str = ""
    country: str = ""
    section: str = ""
    description: str = ""
    verified: bool = True
    enabled: bool = True
    text_policy: TextPolicy = TextPolicy.AUTO
    excerpt_words: int = 60
    fetch_full_text: bool = True  # fetch the article page when the feed has a summary only


@dataclass(slots=True)
class FetchResult:
    """What one HTTP exchange produced, or why it produced nothing.

    ``error`` is a short machine-readable reason ("ssrf", "timeout", "too_large",
    "redirect_loop", "http_500" ...) and ``error_detail`` the human sentence behind it.
    A 304 has ``status == 304`` and an empty body.
    """

    url: str
    final_url: str = ""
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    elapsed_s: float = 0.0
    error: str | None = None
    error_detail: str = ""
    retry_after_s: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def without_body(self) -> FetchResult:
        """The same exchange minus its body: what is kept, or sent between processes,
        once the body has been parsed."""
        return self if not self.body else replace(self, body=b"")


@dataclass(slots=True)
class FeedMeta:
    """Feed-level facts that matter for scheduling and display."""

    title: str = ""
    link: str = ""
    lang: str = ""
    ttl_minutes: int | None = None
    kind: str = ""  # rss, atom, jsonfeed, sitemap, sitemapindex


@dataclass(slots=True)
class Entry:
    """One item of a feed, as the publisher described it.

    HTML fields are *not* sanitized here: sanitizing is the job of ``enrich``, so that
    every path (feed content, extracted page) goes through the same allowlist.
    """

    url: str
    title: str = ""
    guid: str = ""
    summary_html: str = ""
    content_html: str = ""
    author: str = ""
    published: datetime | None = None  # timezone-aware UTC
    updated: datetime | None = None
    image_url: str = ""
    categories: list[str] = field(default_factory=list)
    lang: str = ""


@dataclass(slots=True)
class ParsedFeed:
    """A feed parsed to the common model; ``errors`` lists recoverable problems seen."""

    meta: FeedMeta
    entries: list[Entry]
    errors: list[str] = field(default_factory=list)
    sub_feeds: list[str] = field(default_factory=list)  # sitemap index children


@dataclass(slots=True)
class ExtractedPage:
    """What the extractor found in an article page.

    ``html`` is already sanitized (absolute http(s) URLs only) and ``text`` is its plain
    text: the ingester stores both as they are.
    """

    text: str = ""
    html: str = ""
    title: str = ""
    author: str = ""
    published: datetime | None = None
    image_url: str = ""
    canonical_url: str = ""
    lang: str = ""
    site_name: str = ""
    description: str = ""


@dataclass(slots=True)
class Article:
    """An article ready to store: sanitized, canonical, fingerprinted.

    ``content_html`` is sanitized HTML; ``text`` is its plain-text version used by search
    and by fingerprints. ``full_text`` tells whether we hold the whole article (from the
    feed or the page) or only the publisher's summary.
    """

    source_slug: str
    url: str
    canonical_url: str
    title: str
    guid: str = ""
    summary: str = ""
    content_html: str = ""
    text: str = ""
    author: str = ""
    published_at: datetime | None = None
    lang: str = ""
    section: str = ""
    image_url: str = ""
    full_text: bool = False
    content_hash: str = ""  # exact-duplicate fingerprint of the normalized text
    simhash: int = 0  # near-duplicate fingerprint (64-bit, signed for SQL storage)
    id: int | None = None
    story_id: int | None = None


@dataclass(slots=True)
class Story:
    """Several articles, possibly from several sources and languages, on one event."""

    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    article_count: int = 0


@dataclass(slots=True)
class SourceState:
    """A stored source with what polling has learnt about it (validators, health, timing)."""

    id: int
    source: Source
    etag: str | None = None
    last_modified: str | None = None
    health: Health = Health.OK
    consecutive_failures: int = 0
    last_error: str = ""
    last_error_at: datetime | None = None
    last_success_at: datetime | None = None
    last_checked_at: datetime | None = None
    next_check_at: datetime | None = None
    interval_s: int | None = None
    entries_per_day: float = 0.0
