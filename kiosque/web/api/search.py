"""``GET /api/v1/search``: the search engine as JSON, for scripts and the site's own JS.

Thin on purpose: parsing, ranking, snippets and facets live in ``kiosque.search`` so
that the page and the API cannot disagree. Whatever a caller types in ``q`` gives a
200 with (possibly zero) results; only out-of-range numbers are a 422.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from kiosque.search import SearchResults, backend_for
from kiosque.search.base import MAX_PAGE, MAX_PER_PAGE
from kiosque.search.query import MAX_QUERY_CHARS

router = APIRouter(prefix="/api/v1", tags=["search"])


class SearchSourceOut(BaseModel):
    slug: str
    name: str


class SearchHitOut(BaseModel):
    id: int
    title: str = Field(description="Plain text; escape it before putting it in HTML.")
    title_html: str = Field(description="The title, HTML-escaped, matches in <mark>.")
    url: str = Field(description="The article on the publisher's site.")
    source: SearchSourceOut
    lang: str
    section: str
    author: str
    published_at: datetime
    snippet_html: str = Field(description="An HTML-escaped excerpt, matches in <mark>.")
    score: float


class FacetOut(BaseModel):
    value: str = Field(description="What to put in a filter (source:slug, lang:fr, a day).")
    label: str
    count: int


class FacetsOut(BaseModel):
    source: list[FacetOut]
    lang: list[FacetOut]
    day: list[FacetOut]


class SearchOut(BaseModel):
    query: str = Field(description="The query as sent.")
    parsed: str = Field(description="How it was understood, in canonical query syntax.")
    total: int = Field(description="Matching articles, all pages together.")
    page: int
    per_page: int
    pages: int
    sort: Literal["relevance", "date"]
    took_ms: float
    hits: list[SearchHitOut]
    facets: FacetsOut
    ranked_among: int | None = Field(description=(
        "When set, relevance ordered only this many most recently added matches (very "
        "broad queries); null when every match was ranked."))


def _conn(request: Request) -> Iterator[Connection]:
    engine = request.app.state.engine
    assert isinstance(engine, Engine)
    with engine.connect() as conn:
        yield conn


def to_out(results: SearchResults) -> SearchOut:
    """The response model of a result set (the page route reuses the same shape)."""
    facets = results.facets
    return SearchOut(
        query=results.query,
        parsed=results.parsed,
        total=results.total,
        page=results.page,
        per_page=results.per_page,
        pages=results.pages,
        sort="date" if results.sort == "date" else "relevance",
        took_ms=round(results.took_ms, 2),
        hits=[
            SearchHitOut(
                id=h.article_id, title=h.title, title_html=h.title_html, url=h.url,
                source=SearchSourceOut(slug=h.source_slug, name=h.source_name),
                lang=h.lang, section=h.section, author=h.author, published_at=h.published,
                snippet_html=h.snippet_html, score=h.score,
            )
            for h in results.hits
        ],
        facets=FacetsOut(
            source=[FacetOut(value=f.value, label=f.label, count=f.count) for f in facets.source],
            lang=[FacetOut(value=f.value, label=f.label, count=f.count) for f in facets.lang],
            day=[FacetOut(value=f.value, label=f.label, count=f.count) for f in facets.day],
        ),
        ranked_among=results.ranked_among,
    )


@router.get("/search", response_model=SearchOut, summary="Full-text search")
def search(
    conn: Annotated[Connection, Depends(_conn)],
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description=(
        'Words (all must match), "phrases", -exclusions, a OR b, prefix*, and filters '
        "source:, lang:, section:, author:, after:YYYY-MM-DD, before:YYYY-MM-DD."
    ))] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
    sort: Literal["relevance", "date"] = "relevance",
    lang: Annotated[list[str] | None, Query(description=(
        "Languages to search (repeat or comma-separate); all when absent."
    ))] = None,
) -> SearchOut:
    langs = [x.strip() for item in lang or [] for x in item.split(",") if x.strip()] or None
    backend = backend_for(conn.dialect.name)
    return to_out(backend.search(conn, q, page=page, per_page=per_page, sort=sort, langs=langs))
