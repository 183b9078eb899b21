"""Images we hold: rows in ``images`` and their variants in a content-addressed file store.

Files live under ``<data_dir>/images/<first two hex>/<sha256>/<variant>``: the path is a
function of the bytes, so writing twice is harmless and two articles (or two sources)
using the same picture share one copy. Rows carry the moderation state; a picture that
comes back re-encoded or resized after being blocked is recognised by its perceptual
hash and starts blocked too.

Functions take a ``Connection`` that the caller opened inside a transaction.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    RowMapping,
    Text,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from kiosque.media import VARIANTS, ProcessedImage, phash_distance
from kiosque.media.phash import PHASH_MAX_DISTANCE
from kiosque.store.repo import DriverStatement, in_list
from kiosque.store.tables import articles, audit_log, images

_SHA256 = re.compile(r"[0-9a-f]{64}")

# Image row states. ``allowed`` is a moderator's pin: shown, and never auto-blocked.
PENDING, OK, BROKEN, BLOCKED, ALLOWED = "pending", "ok", "broken", "blocked", "allowed"
VISIBLE_STATUSES = frozenset({OK, ALLOWED})


@dataclass(frozen=True, slots=True)
class ImageRecord:
    """One row of ``images``, typed."""

    id: int
    source_url: str
    sha256: str | None
    phash: str | None
    width: int | None
    height: int | None
    mime: str
    status: str
    error: str
    report_count: int
    blocked_at: datetime | None
    created_at: datetime

    @property
    def visible(self) -> bool:
        """Whether readers may see the picture itself (not the placeholder)."""
        return self.status in VISIBLE_STATUSES and self.sha256 is not None


def _record(row: RowMapping) -> ImageRecord:
    return ImageRecord(
        id=int(row["id"]),
        source_url=row["source_url"],
        sha256=row["sha256"],
        phash=row["phash"],
        width=row["width"],
        height=row["height"],
        mime=row["mime"],
        status=row["status"],
        error=row["error"],
        report_count=int(row["report_count"]),
        blocked_at=row["blocked_at"],
        created_at=row["created_at"],
    )


def images_root(data_dir: str | Path) -> Path:
    """Where the variant files of an instance live."""
    return Path(data_dir) / "images"


def variant_path(files_root: str | Path, sha256: str, variant: str) -> Path:
    """The file of one variant; refuses anything that is not a sha256 and a known variant.

    The check matters because both parts come from URLs and database rows: no input may
    steer the path outside the store.
    """
    if not _SHA256.fullmatch(sha256):
        raise ValueError("not a sha256")
    if variant not in VARIANTS:
        raise ValueError(f"unknown image variant {variant!r}")
    return Path(files_root) / sha256[:2] / sha256 / variant


def write_variants(files_root: str | Path, processed: ProcessedImage) -> None:
    """Write every variant atomically (temp file then rename); existing files are kept."""
    for variant, data in processed.variants.items():
        path = variant_path(files_root, processed.sha256, variant)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def read_variant(files_root: str | Path, sha256: str, variant: str) -> bytes | None:
    """The bytes of a variant, or None when the file is missing."""
    try:
        return variant_path(files_root, sha256, variant).read_bytes()
    except (FileNotFoundError, ValueError):
        return None


def get_image(conn: Connection, image_id: int) -> ImageRecord | None:
    row = conn.execute(select(images).where(images.c.id == image_id)).mappings().first()
    return _record(row) if row else None


def image_for_url(conn: Connection, source_url: str) -> ImageRecord | None:
    """The latest row for a publisher URL (a URL may have served new bytes since)."""
    row = (
        conn.execute(
            select(images).where(images.c.source_url == source_url).order_by(images.c.id.desc())
        )
        .mappings()
        .first()
    )
    return _record(row) if row else None


def image_status(conn: Connection, image_id: int) -> str | None:
    """The status of an image, or None when there is no such image."""
    value = conn.execute(select(images.c.status).where(images.c.id == image_id)).scalar()
    return None if value is None else str(value)


def blocked_lookalike(
    conn: Connection, phash: str, max_distance: int = PHASH_MAX_DISTANCE
) -> int | None:
    """The id of a blocked image whose pHash is within ``max_distance`` bits, if any.

    Blocked images are few (hundreds, not millions), so a scan compared in Python is
    simpler than any index and fast enough at ingest time.
    """
    rows = conn.execute(
        select(images.c.id, images.c.phash).where(
            images.c.status == BLOCKED, images.c.phash.is_not(None)
        )
    )
    best: tuple[int, int] | None = None
    for image_id, other in rows:
        try:
            distance = phash_distance(phash, other)
        except ValueError:
            continue
        if distance <= max_distance and (best is None or distance < best[0]):
            best = (distance, int(image_id))
    return None if best is None else best[1]


def save_image(
    conn: Connection,
    files_root: str | Path,
    source_url: str,
    processed: ProcessedImage,
    now: datetime | None = None,
) -> int:
    """Store a processed image and return its id.

    Same bytes as an image we hold (by sha256): that image's id, nothing new is stored;
    a pending or broken row for this URL is folded into it. New bytes: a new row, or the
    URL's pending/broken row filled in. A new picture that looks like a blocked one
    (pHash within a few bits) starts blocked, and the audit log says why.
    """
    now = now or datetime.now(UTC)
    write_variants(files_root, processed)
    url_row = image_for_url(conn, source_url)
    existing = conn.execute(
        select(images.c.id).where(images.c.sha256 == processed.sha256)
    ).scalar()
    if existing is not None:
        existing_id = int(existing)
        if url_row is not None and url_row.sha256 is None and url_row.id != existing_id:
            _fold_into(conn, url_row.id, existing_id)
        return existing_id

    lookalike = blocked_lookalike(conn, processed.phash)
    values: dict[str, Any] = {
        "sha256": processed.sha256,
        "phash": processed.phash,
        "width": processed.width,
        "height": processed.height,
        "mime": processed.mime,
        "status": BLOCKED if lookalike is not None else OK,
        "error": "",
        "blocked_at": now if lookalike is not None else None,
    }
    if url_row is not None and url_row.sha256 is None:
        if url_row.status in (BLOCKED, ALLOWED):  # a moderator decided before the fetch
            values.update(status=url_row.status, blocked_at=url_row.blocked_at)
            lookalike = None
        conn.execute(update(images).where(images.c.id == url_row.id).values(**values))
        image_id = url_row.id
    else:
        inserted = conn.execute(
            insert(images).values(source_url=source_url, created_at=now, **values)
        ).inserted_primary_key
        assert inserted is not None
        image_id = int(inserted[0])
    if lookalike is not None:
        conn.execute(
            insert(audit_log).values(
                actor="system",
                action="image.block_lookalike",
                target=f"image:{image_id}",
                detail=f"looks like blocked image {lookalike}",
                created_at=now,
            )
        )
    return image_id


def _fold_into(conn: Connection, stale_id: int, kept_id: int) -> None:
    """Point articles at the kept row and drop a URL row that never got bytes."""
    conn.execute(
        update(articles).where(articles.c.image_id == stale_id).values(image_id=kept_id)
    )
    conn.execute(delete(images).where(images.c.id == stale_id))


# Built once: add_pending runs for most new articles, inside the refresh transaction.
_LATEST_FOR_URL = (
    select(images.c.id)
    .where(images.c.source_url == bindparam("source_url"))
    .order_by(images.c.id.desc())
    .limit(1)
)
# on the driver's cursor (see ``DriverStatement``): a refresh inserts one per new picture
_INSERT_PENDING = DriverStatement(insert(images), ("source_url", "status", "created_at"))


def add_pending(conn: Connection, source_url: str, now: datetime | None = None) -> int:
    """A row for a URL not fetched yet, so articles can point at it at once; the
    URL's latest row when it has one."""
    # source_url is not unique (a URL may serve new bytes: several rows), so no ON
    # CONFLICT. An INSERT ... WHERE NOT EXISTS ... RETURNING saved a tenth of a new
    # URL's cost but tripled a known URL's: look first.
    known = conn.execute(_LATEST_FOR_URL, {"source_url": source_url}).scalar()
    if known is not None:
        return int(known)
    return _INSERT_PENDING.insert(
        conn,
        {"source_url": source_url, "status": PENDING, "created_at": now or datetime.now(UTC)},
    )


_LATEST_FOR_URLS = DriverStatement(
    select(images.c.source_url, func.max(images.c.id))
    .where(in_list(images.c.source_url, "urls", Text()))
    .group_by(images.c.source_url)
)


def add_pending_many(
    conn: Connection, source_urls: Iterable[str], now: datetime | None = None
) -> dict[str, int]:
    """``add_pending`` for many URLs: url -> image id, with one query for the known ones.

    New rows are inserted in the order the URLs are given (first occurrence), so the
    ids are those that calling ``add_pending`` on each in turn would have given.
    """
    wanted = list(dict.fromkeys(u for u in source_urls if u))
    out: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        rows = _LATEST_FOR_URLS.rows(conn, {"urls": wanted[start:start + 500]})
        out.update((url, int(i)) for url, i in rows)
    created_at = now or datetime.now(UTC)
    for url in wanted:
        if url not in out:
            out[url] = _INSERT_PENDING.insert(
                conn, {"source_url": url, "status": PENDING, "created_at": created_at}
            )
    return out


def mark_broken(
    conn: Connection, source_url: str, reason: str, now: datetime | None = None
) -> int:
    """Remember that a URL gave no usable image, so it is not fetched again and again.

    An image we already hold for that URL stays as it is: a failed refetch does not
    cost readers a picture they could see.
    """
    reason = reason[:500]
    row = image_for_url(conn, source_url)
    if row is not None:
        if row.sha256 is None:
            conn.execute(
                update(images).where(images.c.id == row.id).values(status=BROKEN, error=reason)
            )
        return row.id
    inserted = conn.execute(
        insert(images).values(
            source_url=source_url,
            status=BROKEN,
            error=reason,
            created_at=now or datetime.now(UTC),
        )
    ).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def pending_images(conn: Connection, limit: int = 50) -> list[ImageRecord]:
    """Images that articles point at but that were not fetched yet, oldest first."""
    rows = conn.execute(
        select(images).where(images.c.status == PENDING).order_by(images.c.id).limit(limit)
    ).mappings()
    return [_record(r) for r in rows]


def note_failed_attempt(conn: Connection, image_id: int, reason: str) -> int:
    """Count a transient failure (5xx, timeout); returns the attempts so far."""
    conn.execute(
        update(images)
        .where(images.c.id == image_id)
        .values(attempts=images.c.attempts + 1, error=reason[:500])
    )
    value = conn.execute(select(images.c.attempts).where(images.c.id == image_id)).scalar()
    return int(value or 0)
