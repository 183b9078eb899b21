"""The image routes, in-process, with only the image router on real SQLite and files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from kiosque.media import process_image
from kiosque.store.images import get_image, image_status, variant_path
from kiosque.store.moderation import recent_audit, restore_image
from kiosque.store.tables import image_reports
from kiosque.web.readers import FLASH_COOKIE, READER_COOKIE
from tests.moderation.moderation_pictures import draw, to_bytes

Client = Callable[..., TestClient]
JSON = {"Accept": "application/json"}


def report(
    client: TestClient,
    image_id: int,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str]]:
    response = client.post(
        f"/images/{image_id}/report", params=params, headers={**JSON, **(headers or {})}
    )
    return response.status_code, response.json()


def is_placeholder(client: TestClient, image_id: int, variant: str = "640.webp") -> bool:
    response = client.get(f"/images/{image_id}/{variant}")
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    return bool(response.headers["content-type"].startswith("image/svg+xml"))


def test_serves_variant_with_caching_headers(
    client_for: Client, add_image: Callable[..., int], files_root: Path, engine: Engine
) -> None:
    image_id = add_image(1)
    with engine.connect() as conn:
        record = get_image(conn, image_id)
    assert record is not None and record.sha256 is not None
    client = client_for()
    response = client.get(f"/images/{image_id}/640.webp")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["etag"] == f'"{record.sha256}-640.webp"'
    assert "max-age=86400" in response.headers["cache-control"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == variant_path(files_root, record.sha256, "640.webp").read_bytes()
    jpeg = client.get(f"/images/{image_id}/320.jpg")
    assert jpeg.headers["content-type"] == "image/jpeg"
    again = client.get(f"/images/{image_id}/640.webp",
                       headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_unknown_image_or_variant_gets_placeholder(
    client_for: Client, add_image: Callable[..., int]
) -> None:
    image_id = add_image(1)
    client = client_for()
    assert is_placeholder(client, 4242)
    assert is_placeholder(client, image_id, "640.png")
    sneaky = client.get(f"/images/{image_id}/..%2F..%2Fsecret.key")
    assert sneaky.status_code == 404 or sneaky.headers["content-type"].startswith("image/svg")
    assert not is_placeholder(client, image_id)


def test_three_distinct_readers_block_an_image(
    client_for: Client, add_image: Callable[..., int], engine: Engine
) -> None:
    image_id = add_image(2)
    answers = [
        report(client_for(address), image_id, params={"lang": "en"})
        for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3")
    ]
    assert [a[1]["status"] for a in answers] == ["counted", "counted", "blocked"]
    assert "once several readers" in answers[0][1]["message"]
    assert answers[2][1]["message"] == "Thank you. The image is now blocked."
    with engine.connect() as conn:
        assert image_status(conn, image_id) == "blocked"
    assert is_placeholder(client_for(), image_id)


def test_one_reader_clicking_ten_times_does_not_block(
    client_for: Client, add_image: Callable[..., int], engine: Engine
) -> None:
    image_id = add_image(3)
    client = client_for("198.51.100.9")
    statuses = [report(client, image_id)[1]["status"] for _ in range(10)]
    assert statuses == ["counted"] + ["already"] * 9
    with engine.connect() as conn:
        assert image_status(conn, image_id) == "ok"
        assert len(conn.execute(select(image_reports.c.id)).all()) == 1
    assert not is_placeholder(client, image_id)


def test_hundred_fresh_cookies_from_one_address_do_not_block(
    client_for: Client, add_image: Callable[..., int], engine: Engine
) -> None:
    image_id = add_image(4)
    client = client_for("192.0.2.50")
    statuses = []
    for _ in range(100):
        client.cookies.clear()  # a new anonymous reader each time
        statuses.append(report(client, image_id)[1]["status"])
    assert statuses.count("counted") == 30  # then the address is rate limited
    assert statuses.count("rate_limited") == 70
    with engine.connect() as conn:
        assert image_status(conn, image_id) == "ok"
    code, body = report(client, image_id)
    assert code == 429 and body["status"] == "rate_limited"


def test_lookalike_of_blocked_image_is_blocked_too(
    client_for: Client, add_image: Callable[..., int]
) -> None:
    original = draw(5, (1200, 800))
    image_id = add_image(url="https://a.example/o.jpg", data=to_bytes(original))
    for address in ("198.51.100.11", "198.51.100.12", "198.51.100.13"):
        report(client_for(address), image_id)
    copy = to_bytes(original.resize((600, 400), Image.Resampling.BICUBIC), "WEBP", quality=45)
    copy_id = add_image(url="https://b.example/reused.webp", data=copy)
    assert copy_id != image_id
    assert process_image(copy).sha256 != process_image(to_bytes(original)).sha256
    assert is_placeholder(client_for(), copy_id)


def test_restore_shows_the_image_again_and_is_audited(
    client_for: Client, add_image: Callable[..., int], engine: Engine
) -> None:
    image_id = add_image(6)
    for address in ("198.51.100.21", "198.51.100.22", "198.51.100.23"):
        report(client_for(address), image_id)
    assert is_placeholder(client_for(), image_id)
    with engine.begin() as conn:
        restore_image(conn, image_id, "moderator-ana")
    assert not is_placeholder(client_for(), image_id)
    _, body = report(client_for("198.51.100.24"), image_id)
    assert body["status"] == "counted"  # pinned: more reports no longer block it
    assert not is_placeholder(client_for(), image_id)
    with engine.connect() as conn:
        log = [(a.actor, a.action) for a in recent_audit(conn)]
    assert log[:2] == [("moderator-ana", "image.restore"), ("readers", "image.auto_block")]


def test_form_post_redirects_back_with_flash(
    client_for: Client, add_image: Callable[..., int]
) -> None:
    image_id = add_image(7)
    client = client_for("198.51.100.31")
    response = client.post(
        f"/images/{image_id}/report",
        data={"next": "/articles/12?x=1", "lang": "fr"},
        headers={"Referer": "http://testserver/somewhere"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/articles/12?x=1"
    assert READER_COOKIE in response.cookies and FLASH_COOKIE in response.cookies
    # without next: back to the referring page of this site
    other = client_for("198.51.100.32").post(
        f"/images/{image_id}/report", headers={"Referer": "http://testserver/a?p=2"}
    )
    assert other.headers["location"] == "/a?p=2"
    # an outside target is never followed
    evil = client_for("198.51.100.33").post(
        f"/images/{image_id}/report", data={"next": "https://evil.example/"}
    )
    assert evil.status_code == 303 and evil.headers["location"] == "/"
    sneaky = client_for("198.51.100.34").post(
        f"/images/{image_id}/report", data={"next": "//evil.example/x"}
    )
    assert sneaky.headers["location"] == "/"


def test_messages_follow_the_language(
    client_for: Client, add_image: Callable[..., int]
) -> None:
    image_id = add_image(8)
    _, french = report(client_for("198.51.100.41"), image_id, params={"lang": "fr"})
    assert french["message"].startswith("Merci.")
    _, arabic = report(client_for("198.51.100.42"), image_id,
                       headers={"Accept-Language": "ar-MA,ar;q=0.9"})
    assert arabic["message"].startswith("شكرًا")
    _, spanish = report(client_for("198.51.100.43"), image_id, params={"lang": "es"})
    assert spanish["status"] == "blocked" and "bloqueada" in spanish["message"]


def test_cross_site_posts_are_refused(
    client_for: Client, add_image: Callable[..., int], engine: Engine
) -> None:
    image_id = add_image(9)
    attempts = [
        client_for("198.51.100.51", origin="https://evil.example"),
        client_for("198.51.100.52", origin=None),  # no Origin, no Referer
    ]
    for client in attempts:
        assert client.post(f"/images/{image_id}/report", headers=JSON).status_code == 403
    fetch_site = client_for("198.51.100.53").post(
        f"/images/{image_id}/report", headers={**JSON, "Sec-Fetch-Site": "cross-site"}
    )
    assert fetch_site.status_code == 403
    referer_only = client_for("198.51.100.54", origin=None).post(
        f"/images/{image_id}/report", headers={**JSON, "Referer": "http://testserver/page"}
    )
    assert referer_only.status_code == 200
    with engine.connect() as conn:
        assert len(conn.execute(select(image_reports.c.id)).all()) == 1


def test_unknown_image_report(client_for: Client) -> None:
    code, body = report(client_for(), 777)
    assert code == 404 and body["status"] == "unknown"
