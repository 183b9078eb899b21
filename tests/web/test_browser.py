"""The site in a real headless Chromium: ticker, navigation, layout at two widths.

Runs the app with uvicorn on an ephemeral loopback port (a real socket, real HTTP) and
drives Debian's Chromium through the playwright package. Screenshots of home and article
pages in French and Arabic at phone and desktop widths land in ``tests/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import insert

from kiosque.config import Settings
from kiosque.store.tables import articles
from kiosque.web.app import create_app
from tests.web.conftest import make_db

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("KIOSQUE_REQUIRE_BROWSER") != "1",
        reason="needs /usr/bin/chromium",
    ),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object, object]]:
    engine, seed = make_db(tmp_path_factory.mktemp("browser") / "k.db")
    app = create_app(Settings(default_lang="fr", page_size=20), engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{port}", engine, seed
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()
    engine.dispose()


def test_reader_journey(live: tuple[str, object, object]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, engine, seed = live
    SHOTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/fr/")
            ticker = page.locator(".ticker-list .ticker-item")
            expect(ticker.first).to_be_visible()
            assert ticker.count() >= 10

            # a new article reaches the ticker through the JSON endpoint, no reload
            src_id = seed.source_ids["akhbar"]  # type: ignore[attr-defined]
            fresh = "عنوان جديد للاختبار في الشريط"
            with engine.begin() as conn:  # type: ignore[attr-defined]
                when = seed.now + timedelta(minutes=30)  # type: ignore[attr-defined]
                conn.execute(insert(articles).values(
                    source_id=src_id, ident="fresh", url="https://akhbar.example/fresh",
                    canonical_url="https://akhbar.example/fresh", title=fresh,
                    published_at=when, fetched_at=when, lang="ar"))
            assert page.evaluate("window.kiosqueTicker.refresh()") is True
            first = page.locator(".ticker-list .ticker-item a").first
            expect(first).to_have_text(fresh)
            assert first.get_attribute("dir") == "rtl"
            assert first.get_attribute("lang") == "ar"

            page.screenshot(path=str(SHOTS / "home-fr-desktop.png"), full_page=True)

            # click through to a French article from the list
            target_id = seed.by_source["quotidien"][2]  # i = 12  # type: ignore[attr-defined]
            page.locator(f'.article-list a[href="/fr/quotidien/{target_id}"]').click()
            page.wait_for_url(f"**/fr/quotidien/{target_id}")
            expect(page.locator("h1.article-headline")).to_have_text(
                seed.titles[target_id])  # type: ignore[attr-defined]
            byline = page.locator(".byline")
            expect(byline).to_contain_text("Publié dans Le Quotidien d'Exemple le")
            original = page.locator("a.read-original").first
            expect(original).to_have_attribute(
                "href", "https://quotidien.example/12.html")
            page.screenshot(path=str(SHOTS / "article-fr-desktop.png"), full_page=True)

            for lang in ("fr", "ar"):
                for label, width in (("phone", 390), ("desktop", 1280)):
                    view = browser.new_page(viewport={"width": width, "height": 844})
                    view.goto(f"{base}/{lang}/")
                    assert view.locator("html").get_attribute("dir") == (
                        "rtl" if lang == "ar" else "ltr")
                    # nothing may overflow the viewport sideways
                    scroll_w = view.evaluate("document.documentElement.scrollWidth")
                    assert scroll_w <= width, (lang, label, scroll_w)
                    view.screenshot(path=str(SHOTS / f"home-{lang}-{label}.png"),
                                    full_page=label == "phone")
                    arabic_id = seed.by_source["akhbar"][0]  # type: ignore[attr-defined]
                    view.goto(f"{base}/{lang}/akhbar/{arabic_id}")
                    expect(view.locator(".byline time")).to_be_visible()
                    scroll_w = view.evaluate("document.documentElement.scrollWidth")
                    assert scroll_w <= width, (lang, label, scroll_w)
                    view.screenshot(path=str(SHOTS / f"article-{lang}-{label}.png"),
                                    full_page=True)
                    view.close()
        finally:
            browser.close()
    assert not errors, errors
