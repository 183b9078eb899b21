"""Dates and times as each UI language writes them (Babel/CLDR), in one place.

Stored times are UTC; the site has no per-reader time zone yet, so it shows UTC and says
so, which is honest for a multi-country press and keeps pages cacheable for everyone.

Formatting through Babel is slow next to the rest of a page (it parses the locale and
walks the CLDR pattern on each call, and a list page prints dozens of dates), while the
same few timestamps recur on many pages (a source's latest articles appear beside each
of its articles). So the Locale object is parsed once per language, and formatted
strings are kept in small bounded caches keyed by the exact UTC value and language:
the output is a pure function of those two, so a cached answer is always the right one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date, format_time, get_day_names

# Enough for every date on a few thousand distinct pages; each entry is a short string.
_CACHE_SIZE = 8192


@cache
def _locale(lang: str) -> Locale:
    """The parsed Babel locale of a language (parsing it costs more than formatting)."""
    return Locale.parse(lang)


def long_date(when: datetime | date, lang: str) -> str:
    """"26 novembre 2026" / "٢٦ نوفمبر ٢٠٢٦" style date."""
    # Babel formats only the calendar day of a datetime, so the day is the whole key.
    day = when.date() if isinstance(when, datetime) else when
    return _long_date(day, lang)


@lru_cache(maxsize=_CACHE_SIZE)
def _long_date(day: date, lang: str) -> str:
    return format_date(day, format="long", locale=_locale(lang))


def date_time(when: datetime, lang: str) -> str:
    """Date and time for article lines, e.g. "26 nov. 2026, 03:55 UTC"."""
    utc = when.astimezone(UTC)
    return f"{_medium_date(utc.date(), lang)} {_short_time(utc.hour, utc.minute, lang)}"


@lru_cache(maxsize=_CACHE_SIZE)
def _medium_date(day: date, lang: str) -> str:
    return format_date(day, "medium", locale=_locale(lang))


def short_time(when: datetime, lang: str) -> str:
    utc = when.astimezone(UTC)
    return _short_time(utc.hour, utc.minute, lang)


@lru_cache(maxsize=_CACHE_SIZE)
def _short_time(hour: int, minute: int, lang: str) -> str:
    """Keyed by the UTC minute: CLDR short times print hours and minutes only, so every
    instant of that minute prints the same, and a day holds just 1,440 of them (keying
    by the whole timestamp missed on almost every article of a large archive)."""
    when = datetime(2000, 1, 1, hour, minute, tzinfo=UTC)
    return format_time(when, format="short", tzinfo=UTC, locale=_locale(lang)) + " UTC"


def month_title(year: int, month: int, lang: str) -> str:
    return format_date(date(year, month, 1), format="LLLL y", locale=_locale(lang))


@cache
def _weekday_names(lang: str) -> tuple[str, ...]:
    names = get_day_names("short", locale=_locale(lang))
    return tuple(names[i] for i in range(7))


def weekday_names(lang: str) -> list[str]:
    """Short weekday names ("lu", "إثنين") Monday first, for the archive calendar header."""
    return list(_weekday_names(lang))


def iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")
