"""The shape of one language's wording: sentence templates, word lists and page labels.

Facts (people, places, figures) come from ``entities``; a lexicon only decides how a
language says them. Keeping the two apart is what lets one event read naturally in four
languages while staying recognisably the same story.

Template placeholders: ``{pa}``/``{pb}`` people, ``{ra}`` the role of ``pa``, ``{place}``,
``{place2}``, ``{country}``, ``{org}``, ``{topic}``, ``{big}`` (an amount in millions),
``{pct}`` (a percentage), ``{count}`` (a head count), ``{few}`` (a small number),
``{club_a}``/``{club_b}`` and ``{sa}``/``{sb}`` (a score), ``{day}`` (a weekday),
``{quote}``, ``{adj}``/``{adj2}`` and ``{noun}``/``{noun2}`` (filler words of the language).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything a language needs to write articles, comments and page chrome."""

    lang: str
    headlines: dict[str, tuple[str, ...]]
    leads: dict[str, tuple[str, ...]]
    facts: dict[str, tuple[str, ...]]
    context: tuple[str, ...]
    adjectives: tuple[str, ...]
    nouns: tuple[str, ...]
    quotes: tuple[str, ...]
    quote_frames: tuple[str, ...]
    updates: tuple[str, ...]
    agency_added: tuple[str, ...]
    dateline: str
    weekdays: tuple[str, ...]
    comments: tuple[str, ...]
    commenters: tuple[str, ...]
    section_labels: dict[str, str]
    section_slugs: dict[str, str]
    ui: dict[str, str]
    thousands_sep: str
    decimal_sep: str
    pct_suffix: str
    capitalize: bool = True
