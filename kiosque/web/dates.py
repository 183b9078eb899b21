"""Dates and times as each UI language writes them (Babel/CLDR), in one place.

Stored times are UTC; the site has no per-reader time zone yet, so it shows UTC and says
so, which is honest for a multi-country press and keeps pages cacheable for everyone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date, format_time, get_day_names


def long_date(when: datetime | date, lang: str) -> str:
    """"26 novembre 2026" / "٢٦ نوفمبر ٢٠٢٦" style date."""
    return format_date(when, format="long", locale=lang)


def date_time(when: datetime, lang: str) -> str:
    """Date and time for article lines, e.g. "26 nov. 2026, 03:55 UTC"."""
    when = when.astimezone(UTC)
    return f"{format_date(when, 'medium', locale=lang)} {short_time(when, lang)}"


def short_time(when: datetime, lang: str) -> str:
    return format_time(when.astimezone(UTC), format="short", tzinfo=UTC, locale=lang) + " UTC"


def month_title(year: int, month: int, lang: str) -> str:
    return format_date(date(year, month, 1), format="LLLL y", locale=lang)


def weekday_names(lang: str) -> list[str]:
    """Short weekday names ("lu", "إثنين") Monday first, for the archive calendar header."""
    names = get_day_names("short", locale=lang)
    return [names[i] for i in range(7)]


def iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")
