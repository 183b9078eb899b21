"""Every public path of the site, built in one place so templates, feeds and sitemaps agree."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from fastapi import Request

from kiosque.config import Settings
from kiosque.web.i18n import UI_LANGS


@lru_cache(maxsize=8192)
def _segment(value: str) -> str:
    """One percent-encoded path segment. Pages print the same few slugs, sections and
    authors dozens of times, and ``quote`` is slow enough to show in a page's profile."""
    return quote(value, safe="")


def home(lang: str) -> str:
    return f"/{lang}/"


def article(lang: str, source_slug: str, article_id: int) -> str:
    return f"/{lang}{article_tail(source_slug, article_id)}"


def article_tail(source_slug: str, article_id: int) -> str:
    """An article's path after its language: the same in every UI language, so a page
    that links to all four copies (hreflang) builds it once."""
    return f"/{_segment(source_slug)}/{article_id}"


def source(lang: str, slug: str) -> str:
    return f"/{lang}/source/{_segment(slug)}"


def sources(lang: str) -> str:
    return f"/{lang}/sources"


def section(lang: str, name: str) -> str:
    return f"/{lang}/section/{_segment(name)}"


def author(lang: str, name: str) -> str:
    return f"/{lang}/author/{_segment(name)}"


def story(lang: str, story_id: int) -> str:
    return f"/{lang}/story/{story_id}"


def archive_day(lang: str, year: int, month: int, day: int) -> str:
    return f"/{lang}/archive/{year:04d}/{month:02d}/{day:02d}"


def canonical_lang(content_lang: str, default: str) -> str:
    """The UI language whose copy of a page is canonical: the article's own, if we have it."""
    primary = content_lang.split("-")[0].lower()
    return primary if primary in UI_LANGS else default


def base_url(request: Request, settings: Settings) -> str:
    """Public origin without trailing slash: the configured one, else the request's."""
    if settings.base_url:
        return settings.base_url.rstrip("/")
    return str(request.base_url).rstrip("/")


def absolute(request: Request, settings: Settings, path: str) -> str:
    return base_url(request, settings) + path


VISIBLE_IMAGE = ("ok", "allowed")


def lead_image(image_id: int | None, status: str | None, variant: str = "640.jpg"
               ) -> tuple[str, str] | None:
    """(path, state) of an article's lead image as kiosque serves it, or None.

    A blocked image keeps its path: the image route answers it with the neutral
    placeholder, so feeds and API clients never receive the blocked picture, and a
    moderator's restore shows it again without any cached URL changing.
    """
    if image_id is None or status not in (*VISIBLE_IMAGE, "blocked"):
        return None
    return f"/images/{image_id}/{variant}", "blocked" if status == "blocked" else "ok"
