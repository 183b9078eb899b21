"""Helpers for the moderators' desk tests: generated pictures, a seeded article, logins.

Pictures are drawn here with Pillow (shapes and colours from a seed), never taken
from anywhere; article text is generated too.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy import Engine, insert, update
from starlette.testclient import TestClient

from kiosque.media import process_image
from kiosque.store.admin import create_user
from kiosque.store.images import save_image
from kiosque.store.tables import articles, sources

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
ORIGIN = "http://testserver"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(frozen=True)
class Desk:
    """What the desk tests start from: one source, one article with a reported image,
    one open article report, and a moderator called "mod"."""

    source_id: int
    article_id: int
    image_id: int
    report_id: int
    moderator_id: int


def jpeg(seed: int, size: tuple[int, int] = (480, 320)) -> bytes:
    """A JPEG of random rectangles and ellipses; different seeds look different."""
    rnd = random.Random(seed)
    img = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x0, y0 = rnd.randrange(size[0]), rnd.randrange(size[1])
        box = (x0, y0, x0 + rnd.randrange(20, 200), y0 + rnd.randrange(20, 150))
        colour = tuple(rnd.randrange(256) for _ in range(3))
        (draw.rectangle if rnd.random() < 0.5 else draw.ellipse)(box, fill=colour)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def add_source_row(engine: Engine, slug: str = "gazette", name: str = "Gazette d'essai") -> int:
    with engine.begin() as conn:
        return int(
            conn.execute(
                insert(sources).values(
                    slug=slug, name=name, feed_url=f"https://{slug}.example/feed.xml",
                    homepage=f"https://{slug}.example/", lang="fr", created_at=NOW,
                ).returning(sources.c.id)
            ).scalar_one()
        )


def add_article(
    engine: Engine, source_id: int, ident: str = "a1", title: str = "Titre généré pour l'essai",
    when: datetime = NOW,
) -> int:
    with engine.begin() as conn:
        return int(
            conn.execute(
                insert(articles).values(
                    source_id=source_id, ident=ident, url=f"https://pub.example/{ident}",
                    canonical_url=f"https://pub.example/{ident}", title=title,
                    summary="Un résumé généré, court et neutre.", lang="fr",
                    published_at=when, fetched_at=when,
                ).returning(articles.c.id)
            ).scalar_one()
        )


def add_image(engine: Engine, files_root: Path, seed: int, article_id: int | None = None) -> int:
    """Process and store a generated picture; point the article at it when given."""
    with engine.begin() as conn:
        image_id = save_image(
            conn, files_root, f"https://pub.example/img/{seed}.jpg",
            process_image(jpeg(seed)), NOW,
        )
        if article_id is not None:
            conn.execute(
                update(articles).where(articles.c.id == article_id).values(image_id=image_id)
            )
    return image_id


def add_moderator(engine: Engine, username: str = "mod", password: str = PASSWORD) -> int:
    with engine.begin() as conn:
        return create_user(conn, username, password, NOW)


def csrf_in(html: str) -> str:
    """The first CSRF token of a page (every form of a page carries the same one)."""
    found = _CSRF.search(html)
    assert found, "no csrf field in the page"
    return found.group(1)


def log_in(client: TestClient, username: str = "mod", password: str = PASSWORD) -> str:
    """Log in through the form like a browser; returns the session's CSRF token."""
    form = client.get("/admin/login")
    assert form.status_code == 200
    answer = client.post(
        "/admin/login",
        data={"username": username, "password": password, "csrf": csrf_in(form.text),
              "next": "/admin"},
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/admin"
    page = client.get("/admin")
    assert page.status_code == 200
    return csrf_in(page.text)
