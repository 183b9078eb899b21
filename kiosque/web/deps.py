"""FastAPI dependencies shared by every router: the settings, a connection, the UI language.

Routers added by other parts of the site reach the app's state only through these, so
``create_app`` stays the one place that decides what the state holds.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import HTTPException, Request
from sqlalchemy import Connection, Engine
from starlette.convertors import Convertor, register_url_convertor

from kiosque.config import Settings
from kiosque.web.i18n import UI_LANGS


def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


def get_engine(request: Request) -> Engine:
    engine = request.app.state.engine
    assert isinstance(engine, Engine)
    return engine


def get_conn(request: Request) -> Iterator[Connection]:
    """A read connection for the duration of one request."""
    with get_engine(request).connect() as conn:
        yield conn


def ui_lang(lang: str) -> str:
    """The ``{lang}`` path segment, validated: an unknown language is a plain 404."""
    if lang not in UI_LANGS:
        raise HTTPException(status_code=404)
    return lang


class UILangConvertor(Convertor[str]):
    """Path convertor ``{lang:uilang}``: matches only UI languages, so ``/admin/x`` or
    ``/search`` never land in a page route by accident, whatever order routers have."""

    regex = "|".join(UI_LANGS)

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("uilang", UILangConvertor())


# First path segments under ``/{lang}/`` that belong to other pages. A source slug can
# never be one of them, so the article route can be tried before those pages.
RESERVED_SEGMENTS: tuple[str, ...] = (
    "about", "archive", "author", "report", "search", "section", "source", "sources",
    "story",
)


class SourceSlugConvertor(Convertor[str]):
    """Path convertor ``{source_slug:sourceslug}``: any segment but a reserved word.

    Why: the article page is the most requested route; matching it first saves walking
    every other router on each article request, and excluding the reserved words keeps
    ``/fr/story/12`` or ``/fr/source/2024`` for the pages they have always reached.
    """

    regex = "(?!(?:" + "|".join(RESERVED_SEGMENTS) + ")(?:/|$))[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("sourceslug", SourceSlugConvertor())
