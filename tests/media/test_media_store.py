"""kiosque.store.images on a real, migrated SQLite database and a real file store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import insert, select

from kiosque.media import VARIANTS, process_image
from kiosque.store.images import (
    add_pending,
    get_image,
    image_for_url,
    image_status,
    images_root,
    mark_broken,
    read_variant,
    save_image,
    variant_path,
)
from kiosque.store.tables import articles, audit_log, images, sources

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return images_root(tmp_path / "data")


@pytest.fixture
def jpeg(picture: Callable[..., Image.Image], to_bytes: Callable[..., bytes]) -> bytes:
    return to_bytes(picture(800, 500, seed=2), "JPEG", quality=90)


def test_save_writes_files_and_row(engine: Any, root: Path, jpeg: bytes) -> None:
    processed = process_image(jpeg)
    with engine.begin() as conn:
        image_id = save_image(conn, root, "https://pub.example/a.jpg", processed, NOW)
        record = get_image(conn, image_id)
    assert record is not None
    assert (record.status, record.sha256, record.width, record.mime) == (
        "ok", processed.sha256, 800, "image/jpeg",
    )
    assert record.visible
    for variant in VARIANTS:
        path = variant_path(root, processed.sha256, variant)
        assert path == root / processed.sha256[:2] / processed.sha256 / variant
        assert path.read_bytes() == processed.variants[variant]
    assert read_variant(root, processed.sha256, "640.webp") == processed.variants["640.webp"]
    assert not list(root.rglob(".tmp-*"))


def test_same_bytes_from_another_url_are_stored_once(
    engine: Any, root: Path, jpeg: bytes
) -> None:
    processed = process_image(jpeg)
    with engine.begin() as conn:
        first = save_image(conn, root, "https://a.example/x.jpg", processed, NOW)
        second = save_image(conn, root, "https://b.example/y.jpg", processed, NOW)
        assert first == second
        assert conn.execute(select(images.c.id)).all() == [(first,)]
        assert image_for_url(conn, "https://a.example/x.jpg") is not None


def test_pending_row_is_filled_in(engine: Any, root: Path, jpeg: bytes) -> None:
    url = "https://pub.example/pending.jpg"
    with engine.begin() as conn:
        pending = add_pending(conn, url, NOW)
        assert add_pending(conn, url, NOW) == pending
        assert image_status(conn, pending) == "pending"
        assert save_image(conn, root, url, process_image(jpeg), NOW) == pending
        assert image_status(conn, pending) == "ok"


def test_moderator_decision_on_pending_row_survives_the_fetch(
    engine: Any, root: Path, jpeg: bytes
) -> None:
    with engine.begin() as conn:
        pending = add_pending(conn, "https://pub.example/early.jpg", NOW)
        conn.execute(images.update().where(images.c.id == pending).values(status="blocked"))
        fetched = save_image(conn, root, "https://pub.example/early.jpg", process_image(jpeg), NOW)
        assert fetched == pending
        assert image_status(conn, pending) == "blocked"


def test_pending_row_of_known_bytes_is_folded(engine: Any, root: Path, jpeg: bytes) -> None:
    processed = process_image(jpeg)
    with engine.begin() as conn:
        kept = save_image(conn, root, "https://a.example/first.jpg", processed, NOW)
        stale = add_pending(conn, "https://b.example/again.jpg", NOW)
        source_id = conn.execute(
            insert(sources).values(slug="s", name="S", feed_url="https://b.example/f",
                                   created_at=NOW)
        ).inserted_primary_key[0]
        article_id = conn.execute(
            insert(articles).values(
                source_id=source_id, ident="1", url="https://b.example/1",
                canonical_url="https://b.example/1", title="t", published_at=NOW,
                fetched_at=NOW, image_id=stale,
            )
        ).inserted_primary_key[0]
        assert save_image(conn, root, "https://b.example/again.jpg", processed, NOW) == kept
        assert get_image(conn, stale) is None
        moved = conn.execute(select(articles.c.image_id).where(articles.c.id == article_id))
        assert moved.scalar() == kept


def test_mark_broken(engine: Any, root: Path, jpeg: bytes) -> None:
    with engine.begin() as conn:
        broken = mark_broken(conn, "https://pub.example/gone.jpg", "http_404", NOW)
        record = get_image(conn, broken)
        assert record is not None
        assert (record.status, record.error, record.visible) == ("broken", "http_404", False)
        assert mark_broken(conn, "https://pub.example/gone.jpg", "timeout", NOW) == broken
        assert image_status(conn, broken) == "broken"
        # a URL that now serves a good picture gets it; a later failure keeps the picture
        good = save_image(conn, root, "https://pub.example/gone.jpg", process_image(jpeg), NOW)
        assert good == broken
        assert mark_broken(conn, "https://pub.example/gone.jpg", "timeout", NOW) == good
        assert image_status(conn, good) == "ok"
        assert image_status(conn, 99_999) is None
        assert image_for_url(conn, "https://never.example/") is None


def test_lookalike_of_blocked_image_starts_blocked(
    engine: Any,
    root: Path,
    picture: Callable[..., Image.Image],
    to_bytes: Callable[..., bytes],
) -> None:
    original = picture(1000, 700, seed=4)
    other = picture(1000, 700, seed=5)
    with engine.begin() as conn:
        blocked = save_image(
            conn, root, "https://a.example/o.jpg", process_image(to_bytes(original, "JPEG")), NOW
        )
        conn.execute(images.update().where(images.c.id == blocked).values(status="blocked"))
        copy = process_image(to_bytes(original.resize((500, 350)), "WEBP", quality=50))
        copy_id = save_image(conn, root, "https://b.example/copy.webp", copy, NOW)
        unrelated_id = save_image(
            conn, root, "https://b.example/other.png", process_image(to_bytes(other, "PNG")), NOW
        )
        assert image_status(conn, copy_id) == "blocked"
        assert image_status(conn, unrelated_id) == "ok"
        log = conn.execute(select(audit_log.c.action, audit_log.c.target)).all()
        assert log == [("image.block_lookalike", f"image:{copy_id}")]


@pytest.mark.parametrize(
    "sha,variant",
    [
        ("../../etc/passwd", "320.jpg"),
        ("a" * 64, "../../secret.key"),
        ("A" * 64, "320.jpg"),
        ("a" * 64, "320.png"),
    ],
)
def test_variant_path_refuses_escapes(tmp_path: Path, sha: str, variant: str) -> None:
    with pytest.raises(ValueError):
        variant_path(tmp_path, sha, variant)
    assert read_variant(tmp_path, sha, variant) is None
