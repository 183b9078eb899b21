"""What a search returns: plain dataclasses, the same from every backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class SearchHit:
    """One matching article; ``snippet_html`` and ``title_html`` are safe to embed."""

    article_id: int
    title: str
    title_html: str
    url: str
    source_slug: str
    source_name: str
    lang: str
    section: str
    author: str
    published: datetime
    snippet_html: str
    score: float


@dataclass(slots=True)
class FacetValue:
    """A facet bucket; ``label`` is for display (a source's name), ``value`` for links."""

    value: str
    label: str
    count: int


@dataclass(slots=True)
class Facets:
    source: list[FacetValue] = field(default_factory=list)
    lang: list[FacetValue] = field(default_factory=list)
    day: list[FacetValue] = field(default_factory=list)


@dataclass(slots=True)
class SearchResults:
    """A page of hits, the total over all pages, facets over all matches."""

    query: str  # the raw text as typed
    parsed: str  # the canonical reading of it (what was actually searched)
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    sort: str
    facets: Facets = field(default_factory=Facets)
    took_ms: float = 0.0
    ranked_among: int | None = None
    """When set, relevance ordered only the this many most recently added matches."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page)) if self.per_page else 1
