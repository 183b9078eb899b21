"""Response models of the JSON API: they make the OpenAPI document exact and stable.

Field names are part of the public contract; add fields, never rename them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class SourceRef(BaseModel):
    slug: str
    name: str


class ImageOut(BaseModel):
    url: str = Field(description="Served by this site; a neutral placeholder when blocked.")
    status: Literal["ok", "blocked"]


class ArticleOut(BaseModel):
    id: int
    title: str = Field(description="Plain text; escape it before putting it in HTML.")
    url: str = Field(description="The article on the publisher's site.")
    page_url: str = Field(description="The article on this site (absolute URL).")
    source: SourceRef
    published_at: datetime
    updated_at: datetime | None = None
    author: str = ""
    lang: str = Field("", description="BCP 47 language of the article, may be empty.")
    section: str = ""
    summary: str = ""
    story_id: int | None = None
    full_text: bool = False
    image: ImageOut | None = Field(None, description="The lead image, when there is one.")


class ArticleDetailOut(ArticleOut):
    body_html: str | None = Field(
        None, description="Sanitized HTML when the source allows full text, else null."
    )
    excerpt: str | None = Field(
        None, description="Plain-text excerpt when only an excerpt may be shown, else null."
    )


class ArticlePage(BaseModel):
    items: list[ArticleOut]
    next_cursor: str | None = Field(
        None, description="Pass as ?cursor= to get the next (older) page; null on the last."
    )


class SourceOut(BaseModel):
    slug: str
    name: str
    homepage: str
    feed_url: str
    lang: str
    country: str
    section: str
    description: str
    enabled: bool
    health: str = Field(description="ok, degraded, failing or dead.")
    last_success_at: datetime | None
    last_error: str
    last_error_at: datetime | None
    next_check_at: datetime | None
    article_count: int
    latest_at: datetime | None


class SectionOut(BaseModel):
    name: str
    article_count: int


class TickerItem(BaseModel):
    id: int
    title: str
    lang: str
    dir: str = Field(description='"rtl", "ltr" or "auto" for the title text.')
    source_slug: str
    source_name: str
    published_at: datetime
    path: str = Field(description="Path of the article page in the requested UI language.")
    time_label: str = Field(description="Publication time formatted for the UI language.")


class TickerOut(BaseModel):
    items: list[TickerItem]
