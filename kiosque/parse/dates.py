"""Feed dates to timezone-aware UTC datetimes, never raising.

Feeds carry RFC 822 dates with every zone abbreviation ever invented, ISO 8601 in its
many shapes, and plain junk. The two common grammars are matched with regular
expressions (fast, and strict about what they accept); anything else goes to
dateutil as a last resort. A date we cannot read becomes None: a missing date is a
problem the orchestrator can handle, a wrong one silently reorders the front page.
"""

from __future__ import annotations

import functools
import re
import warnings
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

# Hours east of UTC. Ambiguous names take their most common meaning in news feeds.
ZONES: dict[str, float] = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "IST": 5.5,
    "CET": 1, "CEST": 2, "MET": 1, "MEST": 2, "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "MSD": 4, "SAST": 2, "CAT": 2, "EAT": 3, "WAT": 1,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5, "AKST": -9, "AKDT": -8, "HST": -10,
    "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AWST": 8, "ACST": 9.5, "AEST": 10, "AEDT": 11,
    "NZST": 12, "NZDT": 13, "PKT": 5, "BRT": -3, "ART": -3,
    "AT": -4, "ET": -5, "CT": -6, "MT": -7, "PT": -8,  # North American, season-less
}

MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # French and Spanish abbreviations seen in hand-made feeds of the region.
    "janv": 1, "fev": 2, "fév": 2, "févr": 2, "mars": 3, "avr": 4, "mai": 5, "juin": 6,
    "juil": 7, "aoû": 8, "aou": 8, "déc": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
}

_RFC822 = re.compile(
    r"""^\s*(?:[^\d\s,]+\.?,?\s*)?            # day name, any language: ignored
    (?P<day>\d{1,2})[\s-]+(?P<mon>[^\W\d_]{3,10})\.?[\s-]+(?P<year>\d{2,4})
    (?:[\sT]+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?
    \s*(?P<tz>[+-]\d{1,2}:?\d{2}|(?:Etc/)?(?:GMT|UTC|UT)?[+-]\d{1,2}(?::?\d{2})?|Etc/[A-Za-z]+
      |[A-Za-z]{1,5})?
    \s*(?:\([^)]*\))?\s*$""",
    re.VERBOSE,
)

_ISO8601 = re.compile(
    r"""^\s*(?P<year>\d{4})(?:-?(?P<mon>\d{2})(?:-?(?P<day>\d{2}))?)?
    (?:[T\s]+(?P<h>\d{1,2})(?::?(?P<m>\d{2})(?::?(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?)?
    \s*(?P<tz>Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?\s*$""",
    re.VERBOSE,
)


# The shape nine feeds in ten use, matched without the optional-group backtracking.
_RFC822_COMMON = re.compile(
    r"[A-Za-z]{3}, (\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}|[A-Z]{2,4})$"
)


def _rfc822_common(value: str) -> datetime | None:
    match = _RFC822_COMMON.match(value)
    if not match:
        return None
    day, mon_name, year, hour, minute, second, tz = match.groups()
    mon = MONTHS.get(mon_name.lower())
    if mon is None:
        return None
    return _build(int(year), mon, int(day), int(hour), int(minute), int(second), _offset(tz))


@functools.lru_cache(maxsize=512)
def _offset(tz: str | None) -> timezone | None:
    """A fixed offset for a zone name or a numeric offset; None when unknown."""
    if not tz:
        return UTC
    name = tz.upper()
    if name.startswith("ETC/"):
        name = name[4:]
    if name in ZONES:
        return timezone(timedelta(hours=ZONES[name]))
    numeric = re.fullmatch(r"(?:GMT|UTC|UT)?([+-])(\d{1,2}):?(\d{2})?", name)
    if numeric:
        sign = -1 if numeric.group(1) == "-" else 1
        hours, minutes = int(numeric.group(2)), int(numeric.group(3) or 0)
        if hours > 14 or minutes > 59:
            return None
        if tz.upper().startswith("ETC/GMT"):
            sign = -sign  # POSIX-style Etc/GMT+2 means two hours *behind* UTC
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if name.isalpha() and len(name) <= 5:
        # Unknown names and RFC 822's military letters (RFC 1123: treat as unknown):
        # a date a few hours off is more useful than no date.
        return UTC
    return None


def _build(year: int, mon: int, day: int, h: int, m: int, s: int, tz: timezone | None,
           micro: int = 0) -> datetime | None:
    if tz is None:
        return None
    if s == 60:
        s = 59  # leap second: a second early beats no date
    try:
        return datetime(year, mon, day, h, m, s, micro, tzinfo=tz).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _rfc822(value: str) -> datetime | None:
    match = _RFC822.match(value)
    if not match:
        return None
    month_name = match["mon"].lower()
    mon = MONTHS.get(month_name) or MONTHS.get(month_name[:3])  # "January", "septembre"
    if mon is None:
        return None
    year = int(match["year"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    elif year < 1000:
        return None
    return _build(year, mon, int(match["day"]), int(match["h"] or 0), int(match["m"] or 0),
                  int(match["s"] or 0), _offset(match["tz"]))


def _iso8601(value: str) -> datetime | None:
    match = _ISO8601.match(value)
    if not match:
        return None
    frac = match["frac"]
    micro = int((frac + "000000")[:6]) if frac else 0
    return _build(int(match["year"]), int(match["mon"] or 1), int(match["day"] or 1),
                  int(match["h"] or 0), int(match["m"] or 0), int(match["s"] or 0),
                  _offset(match["tz"]), micro)


_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
_DATEUTIL_ZONES = {name: int(hours * 3600) for name, hours in ZONES.items()}


def _fallback(value: str) -> datetime | None:
    """dateutil for the odd shapes (asctime, US month-first...); slow but rare."""
    if len(value) > 64 or not _FOUR_DIGITS.search(value):
        return None  # without a four-digit year, dateutil guesses more than it reads
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: we fall back to UTC
            parsed = dateutil_parser.parse(value, tzinfos=_DATEUTIL_ZONES)
    except (ValueError, OverflowError, TypeError, LookupError, AttributeError):
        return None
    if parsed.year < 1900:
        return None  # a misread fragment, not a news date
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def parse_date(value: str | None) -> datetime | None:
    """A timezone-aware UTC datetime for a feed date string, or None; never raises.

    Dates without a zone are taken as UTC (the least surprising guess for a feed);
    far-future dates are returned as parsed: deciding what to do with them is the
    orchestrator's job, not the parser's.
    """
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        if value[0].isdigit() and len(value) >= 4 and value[:4].isdigit():
            return _iso8601(value) or _rfc822(value) or _fallback(value)
        return _rfc822_common(value) or _rfc822(value) or _iso8601(value) or _fallback(value)
    except Exception:  # a date must never sink a feed
        return None
