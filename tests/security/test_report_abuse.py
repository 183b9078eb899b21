"""Abuse of image reports, over real HTTP: one person cannot block a picture alone.

The app runs under uvicorn on 127.0.0.1; clients are plain httpx clients. Loopback
answers on all of 127.0.0.0/8, so binding the client to 127.0.0.2 or 127.0.0.3 makes
genuinely different client addresses: that is how the control test shows that K
different readers at K different addresses DO block the image, so the two abuse tests
are not passing merely because nothing ever gets blocked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sec_support import Site, build_site, serve_app
from sqlalchemy import func, select

from kiosque.store.tables import image_reports, images

THRESHOLD = 3


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    site = build_site(tmp_path, report_threshold=THRESHOLD)
    with serve_app(site.app) as base:
        yield site, base
    site.engine.dispose()


def client(base: str, address: str = "127.0.0.1") -> httpx.Client:
    """A fresh reader: an empty cookie jar, connecting from ``address``."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base, transport=transport, follow_redirects=False,
                        headers={"Origin": base, "Accept": "application/json"})


def image_state(site: Site, image_id: int) -> tuple[str, int, int]:
    """(status, effective report count, stored report rows) of an image."""
    with site.engine.connect() as conn:
        status, count = conn.execute(
            select(images.c.status, images.c.report_count).where(images.c.id == image_id)
        ).one()
        rows = conn.execute(select(func.count()).select_from(image_reports).where(
            image_reports.c.image_id == image_id)).scalar_one()
    return str(status), int(count), int(rows)


def served_as(base: str, image_id: int) -> str:
    with httpx.Client(base_url=base) as c:
        return c.get(f"/images/{image_id}/640.webp").headers["x-kiosque-image"]


def test_one_reader_reporting_100_times_counts_once(live: tuple[Site, str]) -> None:
    site, base = live
    image_id = site.image["ok"]
    with client(base) as reader:
        answers = [reader.post(f"/images/{image_id}/report").json()["status"]
                   for _ in range(100)]
    assert answers[0] == "counted"
    assert Counter(answers) == {"counted": 1, "already": 99}
    assert image_state(site, image_id) == ("ok", 1, 1)
    assert served_as(base, image_id) == "ok"


def test_100_fresh_cookies_from_one_address_do_not_block(live: tuple[Site, str]) -> None:
    site, base = live
    image_id = site.image["ok"]
    answers: list[str] = []
    with client(base) as reader:
        for _ in range(100):
            reader.cookies.clear()  # no cookie: a brand-new reader every time
            response = reader.post(f"/images/{image_id}/report")
            answers.append(response.json()["status"])
            assert "kiosque_reader" in response.cookies
    counts = Counter(answers)
    assert "blocked" not in counts
    assert counts["rate_limited"] > 0, counts  # the address limit kicked in
    status, effective, _rows = image_state(site, image_id)
    assert (status, effective) == ("ok", 1)  # one address counts once, however many readers
    assert served_as(base, image_id) == "ok"
    page = httpx.get(f"{base}/fr/gazette/{site.article['ok']}").text
    assert f"/images/{image_id}/640.webp 640w" in page


def test_distinct_readers_at_distinct_addresses_do_block(live: tuple[Site, str]) -> None:
    """The control: the threshold is reachable, by the people it is meant for."""
    site, base = live
    image_id = site.image["ok"]
    answers = []
    for n in range(1, THRESHOLD + 1):
        with client(base, f"127.0.0.{n}") as reader:
            answers.append(reader.post(f"/images/{image_id}/report").json()["status"])
    assert answers == ["counted"] * (THRESHOLD - 1) + ["blocked"]
    assert image_state(site, image_id)[0] == "blocked"
    assert served_as(base, image_id) == "blocked"
    page = httpx.get(f"{base}/fr/gazette/{site.article['ok']}").text
    assert f'<img src="/images/{image_id}/640.webp" width="640" height="360"' in page
    assert f'action="/images/{image_id}/report"' not in page


def test_reports_from_other_sites_are_refused(live: tuple[Site, str]) -> None:
    site, base = live
    image_id = site.image["ok"]
    with httpx.Client(base_url=base, headers={"Origin": "http://evil.example"}) as other:
        for _ in range(5):
            assert other.post(f"/images/{image_id}/report",
                              data={"next": "/fr/"}).status_code == 403
            assert other.post(f"/fr/report/article/{site.article['ok']}",
                              data={"reason": "spam", "next": "/fr/"}).status_code == 403
    assert image_state(site, image_id) == ("ok", 0, 0)
