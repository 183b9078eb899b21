"""Feed dates: RFC 822 and ISO 8601 families to aware UTC, junk to None."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosque.parse.dates import parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sat, 07 Sep 2002 00:00:01 GMT", datetime(2002, 9, 7, 0, 0, 1)),
        ("Sat, 07 Sep 2002 00:00:01 UT", datetime(2002, 9, 7, 0, 0, 1)),
        ("Thu, 01 Jan 2004 19:48:21 EST", datetime(2004, 1, 2, 0, 48, 21)),
        ("Thu, 01 Jul 2004 19:48:21 CEST", datetime(2004, 7, 1, 17, 48, 21)),
        ("Thu, 01 Jul 2004 19:48:21 PDT", datetime(2004, 7, 2, 2, 48, 21)),
        ("Tue, 10 Jun 2003 04:00 +0200", datetime(2003, 6, 10, 2, 0)),
        ("Tue, 10 Jun 2003 04:00:00 -03:30", datetime(2003, 6, 10, 7, 30)),
        ("10 Jun 2003 04:00:00 GMT", datetime(2003, 6, 10, 4, 0)),
        ("Mon, 3 Mar 25 10:00:00 +0000", datetime(2025, 3, 3, 10, 0)),
        ("lun., 03 mars 2025 10:00:00 +0100", datetime(2025, 3, 3, 9, 0)),
        ("Lunes, 03 Mar 2025 10:00:00 GMT", datetime(2025, 3, 3, 10, 0)),
        ("الاثنين, 03 Mar 2025 10:00:00 GMT", datetime(2025, 3, 3, 10, 0)),
        ("Thu, 01 Jan 2004 19:48:21 Etc/GMT-2", datetime(2004, 1, 1, 17, 48, 21)),
        ("2003-12-31T10:14:55Z", datetime(2003, 12, 31, 10, 14, 55)),
        ("2003-12-31T10:14:55-08:00", datetime(2003, 12, 31, 18, 14, 55)),
        ("2003-12-31T10:14:55.250+01:00", datetime(2003, 12, 31, 9, 14, 55, 250000)),
        ("2003-12-31T10:14Z", datetime(2003, 12, 31, 10, 14)),
        ("2003-12-31 10:14:55", datetime(2003, 12, 31, 10, 14, 55)),
        ("20031231T101455Z", datetime(2003, 12, 31, 10, 14, 55)),
        ("2003-12-31", datetime(2003, 12, 31)),
        ("2003-12", datetime(2003, 12, 1)),
        ("Sun Jan  4 16:29:06 PST 2004", datetime(2004, 1, 5, 0, 29, 6)),
    ],
)
def test_parses_to_utc(value: str, expected: datetime) -> None:
    parsed = parse_date(value)
    assert parsed == expected.replace(tzinfo=UTC)
    assert parsed is not None and parsed.utcoffset() is not None
    assert parsed.tzinfo == UTC


@pytest.mark.parametrize(
    "value",
    ["", "   ", None, "garbage", "2025-13-45", "Mon, 45 Foo 2025 99:99:99 GMT", "yesterday",
     "Thu, 31 Feb 2004 10:00:00 GMT", "99999-01-01", "0" * 200],
)
def test_unparseable_is_none(value: str | None) -> None:
    assert parse_date(value) is None


def test_far_future_is_kept_as_parsed() -> None:
    assert parse_date("2099-01-01T00:00:00Z") == datetime(2099, 1, 1, tzinfo=UTC)


def test_unknown_zone_name_is_taken_as_utc() -> None:
    assert parse_date("Mon, 03 Mar 2025 10:00:00 XYZT") == datetime(2025, 3, 3, 10, tzinfo=UTC)
