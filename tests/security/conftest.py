"""The XSS corpus ingested once per session through the real pipeline, and the app over it.

A local publisher on 127.0.0.1 serves an RSS feed whose every item carries one payload
of ``xss_payloads.txt`` in its title, its ``content:encoded`` (as markup and as the alt
text of a picture), its author and its category, with a real lead image. ``Fetcher`` and
``Ingestor`` poll it exactly as they poll a publisher, then the app is built over the
resulting database.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from html import escape as html_escape
from pathlib import Path

# Appended, not prepended: tests/web puts its own "conftest" first on the path for its
# imports, and this directory's helpers have a unique name (sec_support).
sys.path.append(str(Path(__file__).parent))
sys.path.append(str(Path(__file__).resolve().parents[2]))  # the repo, if not installed

import pytest
from sec_support import (
    HIT_PATH,
    Corpus,
    Item,
    LocalServer,
    fresh_store,
    load_payloads,
    make_settings,
    noise_png,
    poll,
    rss,
    sentence,
)

from kiosque.models import Source
from kiosque.web.app import create_app

IMAGES = 6


def payload_items(payloads: list[str], base: str) -> list[Item]:
    rng = random.Random(11)
    items = []
    for n, payload in enumerate(payloads):
        picture = f"{base}/img/{n % IMAGES}.png"
        content = (
            f"<p>{sentence(rng, 60)}</p>"
            f"<p>{payload}</p>"
            f'<p><img src="{picture}" alt="{html_escape(payload)}" width="400" height="225"></p>'
            f"<p>{sentence(rng, 30)} item {n}.</p>"
        )
        items.append(Item(
            guid=f"payload-{n}",
            link=f"{base}/a/{n}",
            title=f"{payload} item {n}",
            content_html=content,
            author=payload,
            category=payload,
            image_url=picture,
        ))
    return items


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    publisher = LocalServer().start()
    base = publisher.base
    payloads = load_payloads(base + HIT_PATH)
    now = datetime.now(UTC).replace(microsecond=0)
    png = {f"/img/{n}.png": noise_png(n) for n in range(IMAGES)}
    publisher.routes.update({
        "/feed.xml": (200, {"Content-Type": "application/rss+xml"},
                      rss(payload_items(payloads, base), base, now)),
        "/named.xml": (200, {"Content-Type": "application/rss+xml"},
                       rss(payload_items(payloads[:2], base + "/named"), base, now)),
        HIT_PATH + "*": (204, {}, b""),
    })
    for path, data in png.items():
        publisher.routes[path] = (200, {"Content-Type": "image/png"}, data)
    settings = make_settings(tmp_path_factory.mktemp("xss"))
    hostile_source = Source(
        slug="named", name='<script>window.__xss=1</script> "Named" <b>pub</b>',
        feed_url=base + "/named.xml", homepage="javascript:window.__xss=1",
        lang="en", description="<img src=x onerror=window.__xss=1>", fetch_full_text=False,
    )
    engine = fresh_store(settings, [
        Source(slug="payloads", name="Generated publisher", feed_url=base + "/feed.xml",
               homepage=base + "/", lang="en", fetch_full_text=False),
        hostile_source,
    ])
    reports = poll(settings, engine, ["payloads", "named"])
    app = create_app(settings, engine)
    try:
        yield Corpus(settings, engine, app, publisher, payloads, dict(reports))
    finally:
        engine.dispose()
        publisher.stop()
