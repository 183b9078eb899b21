"""No payload of the corpus runs in a real Chromium, on any page that shows it.

The corpus went through the real ingest path (see ``conftest.py``); here the app serves
it over a real socket and Chromium loads every page a payload can reach. The browser
context BYPASSES the site's Content-Security-Policy on purpose: the CSP is a second
wall, and this test checks the first one (escaping and sanitizing) on its own.

A payload "ran" when any of these happens: a dialog opens (``alert``), ``window.__xss``
is set, or anything requests the hit path of our local publisher. Payloads that need a
click (``javascript:`` links, ``on*`` handlers) are caught statically instead: after
each load the DOM must hold no event-handler attribute, no script other than our own
``/static`` files, no ``javascript:``/``vbscript:``/``data:text`` URL and no frame,
object, embed, base or meta refresh. ``test_detector_sees_a_vulnerable_page`` proves
the detector itself can fail.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any
from urllib.parse import quote

import pytest
from sec_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HIT_PATH,
    Corpus,
    run_async,
    serve_app,
    walk_routes,
)
from sqlalchemy import select

from kiosque.store.tables import articles, sources, stories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("KIOSQUE_REQUIRE_BROWSER") != "1",
        reason="needs /usr/bin/chromium",
    ),
]

DOM_CHECK = """() => {
  const bad = [];
  const urlAttrs = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href',
                            'poster', 'background', 'srcset', 'ping', 'codebase']);
  for (const el of document.querySelectorAll('*')) {
    for (const at of el.attributes) {
      const name = at.name.toLowerCase();
      if (name.startsWith('on')) bad.push(`${el.tagName} has ${name}`);
      if (name === 'srcdoc') bad.push(`${el.tagName} has srcdoc`);
      if (urlAttrs.has(name)) {
        const v = at.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
        if (/^(javascript|vbscript|data:text|data:image\\/svg)/.test(v))
          bad.push(`${el.tagName} ${name}=${at.value.slice(0, 60)}`);
      }
    }
  }
  for (const s of document.querySelectorAll('script')) {
    const src = s.getAttribute('src') || '';
    if (!src.startsWith('/static/') || s.textContent.trim())
      bad.push('script ' + s.outerHTML.slice(0, 80));
  }
  for (const sel of ['iframe', 'frame', 'object', 'embed', 'base', 'meta[http-equiv]', 'isindex']) {
    if (document.querySelector(sel)) bad.push('element ' + sel);
  }
  if (typeof window.__xss !== 'undefined') bad.push('window.__xss is set');
  return bad;
}"""


WORKERS = 4  # pages loading at once: the app and Chromium share two cores in CI


class Probe:
    """One Chromium tab that records every sign of a payload running."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.events: list[str] = []
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    async def _dialog(self, dialog: Any) -> None:
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        await dialog.dismiss()

    def _request(self, request: Any) -> None:
        if HIT_PATH in request.url:
            self.events.append(f"request to {request.url}")

    async def visit(self, url: str) -> list[str]:
        """Load ``url`` and return what went wrong there (empty when nothing ran)."""
        before = len(self.events)
        response = await self.page.goto(url, wait_until="load")
        found = [f"{f} @ {url}" for f in await self.page.evaluate(DOM_CHECK)]
        status = response.status if response is not None else 0
        if status >= 500:
            found.append(f"HTTP {status} @ {url}")
        # a focus change fires autofocus/onfocus payloads that loading alone does not
        await self.page.keyboard.press("Tab")
        return found + [f"{e} @ {url}" for e in self.events[before:]]


async def probe_urls(urls: list[str], *, bypass_csp: bool = True) -> list[str]:
    """Visit every URL in Chromium (several tabs at once); what went wrong, anywhere."""
    from playwright.async_api import async_playwright

    pending = list(reversed(urls))
    problems: list[str] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(bypass_csp=bypass_csp)

            async def worker() -> None:
                probe = Probe(await context.new_page())
                while pending:
                    problems.extend(await probe.visit(pending.pop()))

            await asyncio.gather(*(worker() for _ in range(WORKERS)))
            await context.close()
        finally:
            await browser.close()
    return problems


def _has_route(corpus: Corpus, suffix: str) -> bool:
    return any(path.endswith(suffix) for path, _ in walk_routes(corpus.app.routes))


def affected_paths(corpus: Corpus) -> list[str]:
    """Every page where a payload can show up, in two UI languages (one RTL)."""
    with corpus.engine.connect() as conn:
        rows = conn.execute(
            select(articles.c.id, sources.c.slug)
            .join(sources, sources.c.id == articles.c.source_id)
        ).all()
        authors = [a for (a,) in conn.execute(select(articles.c.author).distinct()) if a]
        sections = [s for (s,) in conn.execute(select(articles.c.section).distinct()) if s]
        story_ids = [i for (i,) in conn.execute(select(stories.c.id))]
        slugs = [s for (s,) in conn.execute(select(sources.c.slug))]
    paths = ["/fr/", "/ar/", "/en/sources", "/fr/feed.rss", "/fr/feed.atom", "/fr/feed.json",
             "/api/v1/articles?limit=100", "/sources.opml"]
    paths += [f"/fr/source/{slug}" for slug in slugs]
    paths += [f"/ar/source/{slug}" for slug in slugs]
    paths += [f"/fr/{slug}/{ident}" for ident, slug in rows]
    paths += [f"/ar/{slug}/{ident}" for ident, slug in rows[:10]]
    paths += [f"/en/author/{quote(a, safe='')}" for a in authors]
    paths += [f"/en/section/{quote(s, safe='')}" for s in sections]
    paths += [f"/fr/story/{i}" for i in story_ids[:20]]
    return paths


def search_page(corpus: Corpus) -> str | None:
    """The HTML search page, once the search part of the site provides one."""
    for template in ("/{lang:uilang}/search", "/search"):
        if _has_route(corpus, template):
            return template.replace("{lang:uilang}", "fr")
    return None


def run_probe(corpus: Corpus, paths: list[str]) -> tuple[list[str], float]:
    """Serve the app and visit every path with the CSP bypassed; (problems, seconds)."""
    started = time.monotonic()
    with serve_app(corpus.app) as base:
        problems = run_async(lambda: probe_urls([base + p for p in paths]))
    return problems, time.monotonic() - started


def test_no_payload_runs_in_chromium(corpus: Corpus) -> None:
    paths = affected_paths(corpus)
    assert len(corpus.payloads) >= 60
    assert len(paths) >= 150, "the corpus did not produce the pages it should"
    problems, elapsed = run_probe(corpus, paths)
    print(f"{len(paths)} pages in {elapsed:.1f} s")
    assert not problems, "\n".join(problems[:40])
    assert not corpus.publisher.hits(HIT_PATH), corpus.publisher.hits(HIT_PATH)
    assert elapsed < 120, f"{len(paths)} pages took {elapsed:.0f} s"


def test_no_payload_runs_in_search_results(corpus: Corpus) -> None:
    page = search_page(corpus)
    if page is None:
        pytest.skip("the site has no HTML search page yet")
    paths = [f"{page}?q={quote(p, safe='')}" for p in corpus.payloads]
    problems, _ = run_probe(corpus, paths)
    assert not problems, "\n".join(problems[:40])
    assert not corpus.publisher.hits(HIT_PATH), corpus.publisher.hits(HIT_PATH)


def test_detector_sees_a_vulnerable_page(corpus: Corpus) -> None:
    """The same probe on a page that does run payloads must report them."""
    hit = corpus.publisher.base + HIT_PATH + "/canary"
    corpus.publisher.routes["/vulnerable.html"] = (
        200, {"Content-Type": "text/html"},
        (f"<!doctype html><title>x</title><script>window.__xss=1;alert(1)</script>"
         f"<img src=x onerror=\"fetch('{hit}')\"><a href=\"javascript:void(0)\">t</a>"
         ).encode(),
    )
    found = run_async(lambda: probe_urls([corpus.publisher.base + "/vulnerable.html"]))
    deadline = time.monotonic() + 5
    while not corpus.publisher.hits(HIT_PATH + "/canary") and time.monotonic() < deadline:
        time.sleep(0.05)
    text = "\n".join(found)
    assert "window.__xss is set" in text and "dialog alert" in text
    assert "IMG has onerror" in text and "A href=javascript:" in text
    assert corpus.publisher.hits(HIT_PATH + "/canary")
    corpus.publisher.requests[:] = [
        r for r in corpus.publisher.requests if not r.startswith(HIT_PATH + "/canary")
    ]
