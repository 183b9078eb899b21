"""Lead images and report controls on the reader's pages, and the flash that follows a report.

One article per image state (visible, blocked, pending, broken, none) shows what each
page prints: the picture with its report form, the neutral placeholder, or nothing.
The forms are posted as a browser without JavaScript would post them (urlencoded, with
an Origin header, following the 303), and the landing page must show the message once
and keep it out of shared caches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sec_support import Site, build_site
from sqlalchemy import select
from starlette.testclient import TestClient

from kiosque.moderation.rules import ARTICLE_REPORT_REASONS
from kiosque.store.moderation import moderation_queue
from kiosque.store.tables import article_reports, images

BASE = "http://127.0.0.1"
FORM_HEADERS = {"Origin": BASE}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    built = build_site(tmp_path, report_threshold=2)
    yield built
    built.engine.dispose()


@pytest.fixture
def reader(site: Site) -> Iterator[TestClient]:
    with TestClient(site.app, base_url=BASE, follow_redirects=False) as c:
        yield c


def figure_of(html: str, image_id: int) -> str:
    """The <figure> that holds one image."""
    match = re.search(rf'<figure[^>]*>(?:(?!</figure>).)*/images/{image_id}/.*?</figure>',
                      html, re.S)
    assert match, f"no figure for image {image_id}"
    return match.group(0)


def test_article_page_shows_the_lead_image_with_its_report_form(
    site: Site, reader: TestClient
) -> None:
    image_id = site.image["ok"]
    html = reader.get(f"/fr/gazette/{site.article['ok']}").text
    figure = figure_of(html, image_id)
    assert 'class="lead-image"' in figure
    assert 'type="image/webp"' in figure
    assert (f"/images/{image_id}/320.webp 320w, /images/{image_id}/640.webp 640w, "
            f"/images/{image_id}/1024.webp 1024w") in figure
    assert f'src="/images/{image_id}/640.jpg"' in figure
    assert 'width="640" height="360"' in figure  # 800x450 original, scaled to 640
    assert 'loading="lazy"' not in figure  # the lead image loads at once
    assert 'alt="Titre généré ok' in figure
    assert f'<form class="report-image" method="post" action="/images/{image_id}/report">' \
        in figure
    assert f'name="next" value="/fr/gazette/{site.article["ok"]}?done=1"' in figure
    assert "Signaler cette image" in figure
    assert f'<meta property="og:image" content="{BASE}/images/{image_id}/640.jpg">' in html
    for lang, label in (("ar", "الإبلاغ عن هذه الصورة"), ("es", "Denunciar esta imagen"),
                        ("en", "Report this image")):
        assert label in reader.get(f"/{lang}/gazette/{site.article['ok']}").text


def test_lists_show_lazy_thumbnails_and_nothing_for_missing_pictures(
    site: Site, reader: TestClient
) -> None:
    for path in ("/fr/", "/fr/source/gazette", "/fr/section/ville", "/fr/author/Rédaction"):
        html = reader.get(path).text
        figure = figure_of(html, site.image["ok"])
        assert 'class="thumb"' in figure and 'loading="lazy"' in figure, path
        assert 'action="/images/' in figure, path
        blocked = figure_of(html, site.image["blocked"])
        assert "image-blocked" in blocked and "report" not in blocked, path
        for state in ("pending", "broken"):
            assert f"/images/{site.image[state]}/" not in html, (path, state)
        assert html.count("<figure") == 2, path


def test_blocked_image_shows_the_placeholder_the_image_route_serves(
    site: Site, reader: TestClient
) -> None:
    image_id = site.image["blocked"]
    html = reader.get(f"/fr/gazette/{site.article['blocked']}").text
    assert f'<img src="/images/{image_id}/640.webp" width="640" height="360"' in html
    assert f"/images/{image_id}/report" not in html
    assert 'property="og:image"' not in html
    served = reader.get(f"/images/{image_id}/640.webp")
    assert served.headers["content-type"].startswith("image/svg+xml")
    assert served.headers["x-kiosque-image"] == "blocked"
    for state in ("pending", "broken", "none"):
        page = reader.get(f"/fr/gazette/{site.article[state]}").text
        assert "<figure" not in page and "<picture" not in page, state


def test_image_report_form_flashes_thanks_then_blocked(site: Site, reader: TestClient) -> None:
    image_id = site.image["ok"]
    article_path = f"/fr/gazette/{site.article['ok']}"
    first = reader.post(f"/images/{image_id}/report", headers=FORM_HEADERS,
                        data={"next": article_path + "?done=1", "lang": "fr"})
    assert first.status_code == 303 and first.headers["location"] == article_path + "?done=1"
    landing = reader.get(first.headers["location"])
    assert "Merci. L&#39;image sera bloquée lorsque plusieurs lecteurs" in landing.text
    assert landing.headers["cache-control"] == "private, no-store"
    assert 'role="status"' in landing.text
    again = reader.get(article_path)  # shown once only, and cacheable again
    assert "Merci." not in again.text
    assert again.headers["cache-control"] != "private, no-store"

    # a second reader (another address as far as the app knows: the threshold is 2)
    with TestClient(site.app, base_url=BASE, follow_redirects=False,
                    client=("127.0.0.9", 50000)) as other:
        second = other.post(f"/images/{image_id}/report", headers=FORM_HEADERS,
                            data={"next": "/es/?done=1", "lang": "es"})
        assert second.status_code == 303
        landing = other.get(second.headers["location"])
    assert "Gracias. La imagen ya está bloqueada." in landing.text
    assert landing.headers["cache-control"] == "private, no-store"
    with site.engine.connect() as conn:
        status = conn.execute(select(images.c.status).where(images.c.id == image_id))
        assert status.scalar_one() == "blocked"


def test_flash_cookie_is_signed(site: Site, reader: TestClient) -> None:
    reader.cookies.set("kiosque_flash", "forged-value")
    page = reader.get("/fr/")
    assert page.status_code == 200 and 'role="status"' not in page.text
    assert page.headers["cache-control"] == "private, no-store"


def test_article_page_offers_every_report_reason(site: Site, reader: TestClient) -> None:
    html = reader.get(f"/fr/gazette/{site.article['none']}").text
    assert f'action="/fr/report/article/{site.article["none"]}"' in html
    offered = set(re.findall(r'name="reason" value="(\w+)"', html))
    assert offered == set(ARTICLE_REPORT_REASONS)


def test_article_report_goes_to_the_queue_and_hides_nothing(
    site: Site, reader: TestClient
) -> None:
    article_id = site.article["ok"]
    path = f"/fr/gazette/{article_id}"
    answer = reader.post(f"/fr/report/article/{article_id}", headers=FORM_HEADERS,
                         data={"reason": "wrong", "note": "La date est fausse.",
                               "next": path + "?done=1"})
    assert answer.status_code == 303 and answer.headers["location"] == path + "?done=1"
    landing = reader.get(answer.headers["location"])
    assert "Merci. Un modérateur examinera cet article." in landing.text
    assert landing.headers["cache-control"] == "private, no-store"
    again = reader.post(f"/fr/report/article/{article_id}", headers=FORM_HEADERS,
                        data={"reason": "broken", "next": path})
    assert "Vous avez déjà signalé cet article." in reader.get(again.headers["location"]).text
    assert reader.get(path).status_code == 200  # nothing hidden
    with site.engine.connect() as conn:
        queue = moderation_queue(conn)
        stored = conn.execute(select(article_reports.c.reason, article_reports.c.note)).all()
    assert [q.article_id for q in queue.articles] == [article_id]
    assert [tuple(r) for r in stored] == [("wrong", "La date est fausse.")]


def test_article_report_refusals(site: Site, reader: TestClient) -> None:
    article_id = site.article["ok"]
    assert reader.post(f"/fr/report/article/{article_id}",
                       data={"reason": "wrong"}).status_code == 403  # no Origin/Referer
    assert reader.post(f"/fr/report/article/{article_id}", headers={"Origin": "http://x.test"},
                       data={"reason": "wrong"}).status_code == 403
    invalid = reader.post(f"/es/report/article/{article_id}", headers=FORM_HEADERS,
                          data={"reason": "nonsense"})
    assert invalid.status_code == 400 and "Indique qué falla" in invalid.text
    assert reader.post("/fr/report/article/99999", headers=FORM_HEADERS,
                       data={"reason": "wrong"}).status_code == 404
    escaped = reader.post(f"/fr/report/article/{article_id}", headers=FORM_HEADERS,
                          data={"reason": "spam", "next": "https://evil.example/"})
    assert escaped.headers["location"] == "/fr/"
    with site.engine.connect() as conn:
        assert len(conn.execute(select(article_reports.c.id)).all()) == 1
