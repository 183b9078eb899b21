"""The whole moderation loop in a real Chromium, against the real app over real HTTP.

Three readers at three addresses report a lead image and a fourth reader sees the
placeholder; one reader clicking ten times (and clearing cookies on the same address)
does not block another image; a moderator logs in, restores the first image, a reader
sees it again, and the audit log lists the block and the restore.

Readers need distinct client addresses, since the report count is over distinct
address hashes. The server listens on 127.0.0.1 only and, for this test alone, trusts
``X-Forwarded-For`` from 127.0.0.1 (uvicorn's ``forwarded_allow_ips``), as it would
behind a reverse proxy; each browser context sends its own address in that header.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine, select

from kiosque.config import Settings
from kiosque.store.engine import make_engine, migrate
from kiosque.store.images import images_root
from kiosque.store.tables import images
from kiosque.web.app import create_app
from tests.admin.admin_helpers import (
    PASSWORD,
    add_article,
    add_image,
    add_moderator,
    add_source_row,
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("KIOSQUE_REQUIRE_BROWSER") != "1",
        reason="needs /usr/bin/chromium",
    ),
]


@dataclass(frozen=True)
class Live:
    base: str
    engine: Engine
    reported: tuple[int, int]  # (article id, image id) reported by three readers
    clicked: tuple[int, int]  # reported ten times by one reader


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    data = tmp_path / "data"
    data.mkdir()
    settings = Settings(database_url=f"sqlite:///{data / 'kiosque.db'}", data_dir=str(data),
                        default_lang="fr", report_threshold=3)
    engine = make_engine(settings.database_url)
    migrate(engine)
    source_id = add_source_row(engine, "gazette")
    first = add_article(engine, source_id, "one", "Premier titre généré pour l'essai")
    second = add_article(engine, source_id, "two", "Second titre généré pour l'essai")
    files = images_root(settings.data_dir)
    first_image = add_image(engine, files, seed=11, article_id=first)
    second_image = add_image(engine, files, seed=12, article_id=second)
    add_moderator(engine)

    app = create_app(settings, engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", proxy_headers=True,
                            forwarded_allow_ips="127.0.0.1")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    try:
        yield Live(f"http://127.0.0.1:{port}", engine, (first, first_image),
                   (second, second_image))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        engine.dispose()


def _status(engine: Engine, image_id: int) -> tuple[str, int]:
    with engine.connect() as conn:
        row = conn.execute(select(images.c.status, images.c.report_count)
                           .where(images.c.id == image_id)).one()
    return str(row.status), int(row.report_count)


def test_readers_block_and_a_moderator_restores(live: Live) -> None:
    from playwright.sync_api import expect, sync_playwright

    article_id, image_id = live.reported
    other_article, other_image = live.clicked
    article_url = f"{live.base}/fr/gazette/{article_id}"
    errors: list[str] = []

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)

        def reader(address: str) -> Any:
            context = browser.new_context(locale="fr-FR",
                                          extra_http_headers={"X-Forwarded-For": address})
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            return page

        def served_state(page: Any, article: int, image: int) -> str | None:
            """What the image route told this reader: "ok" or why not."""
            with page.expect_response(
                lambda r: f"/images/{image}/" in r.url and r.request.resource_type == "image"
            ) as answer:
                page.goto(f"{live.base}/fr/gazette/{article}")
            header: str | None = answer.value.headers.get("x-kiosque-image")
            return header

        def report(page: Any, article: int) -> None:
            if f"/gazette/{article}" not in page.url:
                page.goto(f"{live.base}/fr/gazette/{article}")
            button = page.locator("form.report-image button")
            with page.expect_navigation():
                button.click()

        # -- one reader clicking ten times, then clearing cookies on the same address --
        stubborn = reader("192.0.2.10")
        for _ in range(10):
            report(stubborn, other_article)
        for _ in range(3):
            same_address = reader("192.0.2.10")
            report(same_address, other_article)
            same_address.context.close()
        assert _status(live.engine, other_image) == ("ok", 1)
        bystander = reader("192.0.2.11")
        assert served_state(bystander, other_article, other_image) == "ok"
        expect(bystander.locator("figure.lead-image picture img")).to_be_visible()

        # -- three readers at three addresses report the first image --
        for n, address in enumerate(("198.51.100.1", "198.51.100.2", "198.51.100.3")):
            page = reader(address)
            page.goto(article_url)
            expect(page.locator("figure.lead-image picture img")).to_be_visible()
            report(page, article_id)
            expect(page.locator("body")).to_be_visible()
            assert _status(live.engine, image_id)[1] == n + 1
            page.context.close()
        assert _status(live.engine, image_id) == ("blocked", 3)

        fourth = reader("198.51.100.4")
        assert served_state(fourth, article_id, image_id) == "blocked"
        expect(fourth.locator("figure.image-blocked img")).to_be_visible()
        expect(fourth.locator("form.report-image")).to_have_count(0)
        fourth.context.close()

        # -- a moderator logs in and restores it --
        moderator = reader("203.0.113.9")
        moderator.goto(f"{live.base}/admin")
        moderator.wait_for_url("**/admin/login?next=/admin")
        moderator.fill("#username", "mod")
        moderator.fill("#password", PASSWORD)
        with moderator.expect_navigation():
            moderator.click("form.stacked button[type=submit]")
        item = moderator.locator(f"#image-{image_id}")
        expect(item).to_have_attribute("data-status", "blocked")
        thumb = item.locator("img.thumb")
        expect(thumb).to_be_visible()
        assert moderator.evaluate(
            "img => img.complete && img.naturalWidth > 0", thumb.element_handle())
        with moderator.expect_navigation():
            item.locator("button.restore").click()
        expect(moderator.locator(".flash")).to_contain_text("épinglée")
        expect(moderator.locator(f"#image-{image_id}")).to_have_count(0)
        assert _status(live.engine, image_id)[0] == "allowed"

        # -- a reader sees it again --
        again = reader("198.51.100.5")
        assert served_state(again, article_id, image_id) == "ok"
        picture = again.locator("figure.lead-image picture img")
        expect(picture).to_be_visible()
        assert again.evaluate("img => img.naturalWidth > 0", picture.element_handle())
        again.context.close()

        # -- the audit log tells the story --
        moderator.goto(f"{live.base}/admin/audit")
        rows = moderator.locator("table.audit-table tbody tr")
        expect(rows.first).to_have_attribute("data-action", "image.restore")
        block_row = moderator.locator('tr[data-action="image.auto_block"]')
        expect(block_row).to_have_count(1)
        expect(block_row).to_contain_text(f"image:{image_id}")
        expect(moderator.locator('tr[data-action="image.restore"]')).to_contain_text(
            "moderator:mod")
        expect(moderator.locator('tr[data-action="admin.login"]')).to_have_count(1)
        browser.close()
    assert not errors, errors
