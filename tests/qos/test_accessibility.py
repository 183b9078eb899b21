"""Accessibility of every page type in French and Arabic, checked in a real Chromium.

axe-core (from npm) runs on each page at a phone width and may find nothing serious or
critical. The keyboard tests walk the page with Tab as a keyboard
user does: the first stop is a visible skip link that lands in the main content, and the
header's links, the language switch and the first article are all reachable. Each page
is photographed at 390 px and 1280 px into ``tests/screenshots/`` for a human to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.qos.browserkit import blocking, run_axe
from tests.qos.qosseed import QosSeed, page_paths

pytestmark = pytest.mark.browser

PAGE_TYPES = ("home", "article", "source", "sources", "section", "author", "story",
              "archive", "about", "search", "404")
OPTIONAL = ("about", "search")  # tested once the site has them
WIDTHS = (("phone", 390, 844), ("desktop", 1280, 900))


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_has_no_serious_violation(
    browser: Any, base_url: str, qos_seed: QosSeed, axe_script: Path, shots_dir: Path,
    kind: str, lang: str,
) -> None:
    path = page_paths(qos_seed, lang)[kind]
    status = httpx.get(base_url + path).status_code
    if kind in OPTIONAL and status == 404:
        pytest.skip(f"no {kind} page yet ({path} is a 404)")
    assert status == (404 if kind == "404" else 200), path
    context = browser.new_context(bypass_csp=True, locale=lang)
    try:
        page = context.new_page()
        problems: list[str] = []
        for label, width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(base_url + path)
            expected_dir = "rtl" if lang == "ar" else "ltr"
            assert page.locator("html").get_attribute("dir") == expected_dir
            assert page.locator("html").get_attribute("lang") == lang
            # nothing may overflow sideways, the usual way a phone layout breaks
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, (path, label, scroll_width)
            # the phone shot is the whole page; the desktop one is what the first screen shows
            page.screenshot(path=str(shots_dir / f"{kind}-{lang}-{label}.png"),
                            full_page=label == "phone")
            if label == "phone":  # axe once per page: the narrow layout is the harder one
                problems += [f"[{label}] {line}" for line in blocking(run_axe(page, axe_script))]
        assert not problems, f"{path}:\n" + "\n".join(problems)
    finally:
        context.close()


def _focused(page: Any) -> dict[str, Any]:
    """What has the keyboard focus: its link target, classes, place, and focus ring."""
    info: dict[str, Any] = page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(), href: el.getAttribute('href') || '',
            cls: el.className || '', inMain: !!el.closest('main'),
            visible: box.width > 0 && box.height > 0 && box.bottom > 0 &&
                     box.top < innerHeight,
            ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                  || style.boxShadow !== 'none',
          };
        }"""
    )
    return info


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_keyboard_skip_link_and_main_links(browser: Any, base_url: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{lang}/")

        # the first Tab stop is the skip link, shown when focused, with a focus ring
        page.keyboard.press("Tab")
        first = _focused(page)
        assert "skip-link" in first["cls"] and first["href"] == "#main", first
        assert first["visible"] and first["ring"], first

        # following it, the next Tab lands inside the main content, past header and ticker
        page.keyboard.press("Enter")
        page.wait_for_function("location.hash === '#main'", timeout=5000)
        page.keyboard.press("Tab")
        after_skip = _focused(page)
        assert after_skip["inMain"] and after_skip["tag"] == "a", after_skip

        # from the top, Tab reaches the header, the language switch and the articles
        page.goto(f"{base_url}/{lang}/")
        reached: list[dict[str, Any]] = []
        for _ in range(60):
            page.keyboard.press("Tab")
            reached.append(_focused(page))
        hrefs = [r["href"] for r in reached]
        for wanted in (f"/{lang}/", f"/{lang}/sources", f"/{lang}/archive/", "/ar/", "/fr/"):
            assert wanted in hrefs, (wanted, hrefs[:20])
        main_links = [r["href"] for r in reached if r["inMain"]]
        assert any(h.startswith(f"/{lang}/") and h.count("/") == 3 and h.split("/")[-1].isdigit()
                   for h in main_links), f"no article of the list reached by Tab: {main_links}"
        assert all(r["ring"] for r in reached if r["tag"] == "a"), [
            r for r in reached if r["tag"] == "a" and not r["ring"]][:3]
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_images_have_alt_and_landmarks_are_named(
    browser: Any, base_url: str, qos_seed: QosSeed, lang: str
) -> None:
    """Every page type: one main, one h1, a banner and a contentinfo; no image without alt."""
    context = browser.new_context()
    try:
        page = context.new_page()
        for kind, path in page_paths(qos_seed, lang).items():
            response = page.goto(base_url + path)
            assert response is not None
            if kind in OPTIONAL and response.status == 404:
                continue
            counts = page.evaluate(
                """() => ({
                  main: document.querySelectorAll('main').length,
                  h1: document.querySelectorAll('h1').length,
                  banner: document.querySelectorAll('body > header').length,
                  footer: document.querySelectorAll('body > footer').length,
                  navUnnamed: [...document.querySelectorAll('nav')]
                     .filter(n => !n.getAttribute('aria-label')
                                  && !n.getAttribute('aria-labelledby')).length,
                  imgNoAlt: document.querySelectorAll('img:not([alt])').length,
                })"""
            )
            assert counts == {"main": 1, "h1": 1, "banner": 1, "footer": 1, "navUnnamed": 0,
                              "imgNoAlt": 0}, (path, counts)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_dark_scheme_has_no_serious_violation(
    browser: Any, base_url: str, qos_seed: QosSeed, axe_script: Path, lang: str
) -> None:
    """The stylesheet has a dark palette too; its contrast is checked on the busiest pages."""
    context = browser.new_context(bypass_csp=True, color_scheme="dark",
                                  viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        problems: list[str] = []
        paths = page_paths(qos_seed, lang)
        for kind in ("home", "article", "archive", "sources"):
            page.goto(base_url + paths[kind])
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
            problems += [f"[{kind}] {line}" for line in blocking(run_axe(page, axe_script))]
        assert not problems, "\n".join(problems)
    finally:
        context.close()
