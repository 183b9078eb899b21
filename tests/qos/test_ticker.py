"""The Arabic edition's ticker updates by itself, without a reload, in a real Chromium.

``tests/web/test_browser.py`` already calls ``kiosqueTicker.refresh()`` by hand on the
French home. Here the page's own timer does the work: Chromium's clock is driven past
the refresh interval, the script fetches the new headlines and swaps the list in place.
The right-to-left page must then show a French headline marked left-to-right, and the
page must be the same document (a marker set before is still there: no reload).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from kiosque.config import Settings
from kiosque.store.tables import articles
from tests.qos.qosseed import QosSeed, live_server, make_db

pytestmark = pytest.mark.browser

REFRESH_MS = 30_000  # the interval in kiosque/web/static/ticker.js


@pytest.fixture(scope="module")
def ticker_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine, QosSeed]]:
    """A site of its own: this test writes an article, which the other tests must not see."""
    engine, seed = make_db(tmp_path_factory.mktemp("ticker") / "k.db", count=40)
    with live_server(engine, Settings(default_lang="ar")) as url:
        yield url, engine, seed
    engine.dispose()


def test_arabic_ticker_updates_without_reload(
    browser: Any, ticker_site: tuple[str, Engine, QosSeed], shots_dir: Path
) -> None:
    from playwright.sync_api import expect

    base, engine, seed = ticker_site
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.clock.install()
        page.goto(base + "/ar/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "ar"
        items = page.locator(".ticker-list .ticker-item")
        assert items.count() >= 10
        before = items.first.locator("a").inner_text()
        page.evaluate("window.__sameDocument = true")

        fresh = "Le conseil de quartier ouvre une nouvelle bibliothèque (essai du bandeau)"
        when = seed.now + timedelta(minutes=25)
        with engine.begin() as conn:
            conn.execute(insert(articles).values(
                source_id=seed.source_ids["le-matin-exemple"], ident="ticker-fresh",
                url="https://le-matin-exemple.test/fresh", title=fresh,
                canonical_url="https://le-matin-exemple.test/fresh", published_at=when,
                fetched_at=when, lang="fr", full_text=True))
        # nothing happens before the interval elapses...
        page.clock.run_for(REFRESH_MS // 2)
        assert items.first.locator("a").inner_text() == before
        # ...then the page's own timer fetches and swaps the list in place
        page.clock.run_for(REFRESH_MS)
        first = page.locator(".ticker-list .ticker-item a").first
        expect(first).to_have_text(fresh)
        assert first.get_attribute("dir") == "ltr"
        assert first.get_attribute("lang") == "fr"
        assert first.get_attribute("href", timeout=1000).startswith("/ar/le-matin-exemple/")
        assert page.evaluate("window.__sameDocument") is True
        assert page.locator("section[data-refreshed]").count() == 1
        ticker_dir = page.evaluate(
            "getComputedStyle(document.querySelector('.ticker-list')).direction")
        assert ticker_dir == "rtl"
        page.screenshot(path=str(shots_dir / "ticker-ar-phone.png"))
    finally:
        context.close()
    assert not errors, errors

