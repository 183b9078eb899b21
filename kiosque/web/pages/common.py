"""Pieces shared by the list pages and their feeds: what a list is and how it pages."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Connection

from kiosque.store import read
from kiosque.web import urls

# The largest id a SQL integer column holds. Python ints from URLs are unbounded, and the
# database driver raises on a bigger one instead of finding nothing.
MAX_ROW_ID = 2**63 - 1


def valid_row_id(value: int) -> bool:
    """Whether an id taken from a URL can name a row at all (else: a plain 404)."""
    return 0 < value <= MAX_ROW_ID


@dataclass(frozen=True, slots=True)
class ListSpec:
    """A named list of articles: its heading, its filter, and where it lives."""

    kind: str  # all, source, section, author, story
    key: str
    heading: str
    flt: read.ArticleFilter
    html_path: str
    feed_base: str  # "/fr/source/x/feed" -> + ".rss" | ".atom" | ".json"
    content_lang: str = ""


def resolve_list(
    conn: Connection, lang: str, kind: str, key: str, site_name: str
) -> ListSpec | None:
    """Turn a URL's (kind, key) into a list, or None when the thing does not exist."""
    if kind == "all":
        return ListSpec(kind, "", site_name, read.ArticleFilter(), urls.home(lang),
                        f"/{lang}/feed")
    if kind == "source":
        src = read.get_source(conn, key)
        if src is None:
            return None
        path = urls.source(lang, src.slug)
        return ListSpec(kind, key, src.name, read.ArticleFilter(source_slug=src.slug), path,
                        path + "/feed", src.lang)
    if kind == "section":
        if not key or not read.has_articles(conn, read.ArticleFilter(section=key)):
            return None
        path = urls.section(lang, key)
        return ListSpec(kind, key, key, read.ArticleFilter(section=key), path, path + "/feed")
    if kind == "author":
        flt = read.ArticleFilter(author=key)
        if not key or not read.has_articles(conn, flt):
            return None
        path = urls.author(lang, key)
        return ListSpec(kind, key, key, flt, path, path + "/feed")
    if kind == "story":
        try:
            story_id = int(key)
        except ValueError:
            return None
        story = read.get_story(conn, story_id) if valid_row_id(story_id) else None
        if story is None:
            return None
        path = urls.story(lang, story.id)
        return ListSpec(kind, key, story.title, read.ArticleFilter(story_id=story.id), path,
                        path + "/feed", story.lang)
    return None


def cursor_from(before: str | None) -> read.Cursor | None:
    return read.Cursor.decode(before) if before else None


def edition_only(request: Request) -> bool:
    """``?only=1``: the edition's own language only (every language is the default)."""
    return request.query_params.get("only") == "1"
