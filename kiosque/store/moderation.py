"""Persistence of reports, blocks and moderators' decisions.

The rules (how reports are counted, when an image is blocked, rate limits) live in
``kiosque.moderation.rules``; this module reads the counts they need and writes what
they decide, with an ``audit_log`` line for every change of an image's fate. Functions
take a ``Connection`` that the caller opened inside a transaction, so a report and the
block it triggers commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import Connection, Subquery, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kiosque.config import Settings
from kiosque.moderation.rules import (
    ARTICLE_REPORT_REASONS,
    Decision,
    RateLimits,
    decide,
    rate_limited,
)
from kiosque.store.images import ALLOWED, BLOCKED
from kiosque.store.tables import article_reports, articles, audit_log, image_reports, images

ReportStatus = Literal["counted", "already", "blocked", "rate_limited"]
NOTE_MAX = 1000


class UnknownTarget(LookupError):
    """The image or article reported does not exist."""


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """What became of one report, for the answer to the reader."""

    status: ReportStatus
    image_id: int
    report_count: int  # effective count: distinct addresses (see moderation.rules)
    threshold: int
    just_blocked: bool = False  # this very report reached the threshold


@dataclass(frozen=True, slots=True)
class ArticleReportOutcome:
    status: Literal["counted", "already", "rate_limited"]
    article_id: int
    report_id: int | None = None


@dataclass(frozen=True, slots=True)
class QueuedImage:
    image_id: int
    source_url: str
    status: str
    report_count: int  # distinct addresses
    readers: int  # distinct readers
    last_report_at: datetime | None
    blocked_at: datetime | None


@dataclass(frozen=True, slots=True)
class QueuedArticle:
    article_id: int
    title: str
    url: str
    open_reports: int
    reasons: dict[str, int]
    notes: list[str]
    report_ids: list[int]
    last_report_at: datetime


@dataclass(frozen=True, slots=True)
class ModerationQueue:
    """What waits for a moderator: reported images and open article reports."""

    images: list[QueuedImage] = field(default_factory=list)
    articles: list[QueuedArticle] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    actor: str
    action: str
    target: str
    detail: str
    created_at: datetime


def write_audit(
    conn: Connection, actor: str, action: str, target: str, detail: str, now: datetime
) -> None:
    """One line of the audit log: who did what to what, and why."""
    conn.execute(
        insert(audit_log).values(
            actor=actor[:100], action=action, target=target, detail=detail, created_at=now
        )
    )


def recent_reports(
    conn: Connection, reader_id: str, ip_hash: str, since: datetime
) -> tuple[int, int]:
    """Reports (images and articles together) since a time, by this reader and address."""
    totals: list[int] = []
    for column_name, value in (("reader_id", reader_id), ("ip_hash", ip_hash)):
        total = 0
        for table in (image_reports, article_reports):
            total += int(
                conn.execute(
                    select(func.count()).where(
                        table.c[column_name] == value, table.c.created_at >= since
                    )
                ).scalar_one()
            )
        totals.append(total)
    return totals[0], totals[1]


def effective_count(conn: Connection, image_id: int) -> int:
    """Distinct addresses among an image's reports: the number the threshold applies to."""
    return int(
        conn.execute(
            select(func.count(func.distinct(image_reports.c.ip_hash))).where(
                image_reports.c.image_id == image_id
            )
        ).scalar_one()
    )


def report_image(
    conn: Connection,
    image_id: int,
    reader_id: str,
    ip_hash: str,
    now: datetime,
    settings: Settings,
    limits: RateLimits | None = None,
) -> ReportOutcome:
    """Record a reader's report of an image and block the image at the threshold.

    Order: an image already blocked answers "blocked" and stores nothing; a reader who
    already reported gets "already" (clicking again costs nothing and counts nothing);
    then rate limits; then the report is stored and the rules decide. Raises
    ``UnknownTarget`` for an image that does not exist.
    """
    limits = limits or RateLimits()
    threshold = max(1, settings.report_threshold)
    row = conn.execute(
        select(images.c.status, images.c.report_count).where(images.c.id == image_id)
    ).first()
    if row is None:
        raise UnknownTarget(f"image {image_id}")
    status, stored_count = str(row.status), int(row.report_count)
    if status == BLOCKED:  # nothing left to decide: say so, store nothing
        return ReportOutcome("blocked", image_id, stored_count, threshold)

    already = conn.execute(
        select(image_reports.c.id).where(
            image_reports.c.image_id == image_id, image_reports.c.reader_id == reader_id
        )
    ).first()
    if already is not None:
        return ReportOutcome("already", image_id, stored_count, threshold)

    by_reader, by_address = recent_reports(
        conn, reader_id, ip_hash, now - timedelta(seconds=limits.window_s)
    )
    if rate_limited(by_reader, by_address, limits):
        return ReportOutcome("rate_limited", image_id, stored_count, threshold)

    try:
        with conn.begin_nested():
            conn.execute(
                insert(image_reports).values(
                    image_id=image_id, reader_id=reader_id, ip_hash=ip_hash, created_at=now
                )
            )
    except IntegrityError:  # the same reader, twice at once
        return ReportOutcome("already", image_id, stored_count, threshold)

    count = effective_count(conn, image_id)
    conn.execute(update(images).where(images.c.id == image_id).values(report_count=count))
    decision = decide(count, threshold, status)
    if decision is Decision.BLOCK:
        changed = conn.execute(
            update(images)
            .where(images.c.id == image_id, images.c.status.not_in((BLOCKED, ALLOWED)))
            .values(status=BLOCKED, blocked_at=now)
        ).rowcount
        if changed:
            write_audit(
                conn,
                "readers",
                "image.auto_block",
                f"image:{image_id}",
                f"{count} distinct addresses reported it (threshold {threshold})",
                now,
            )
        return ReportOutcome("blocked", image_id, count, threshold, bool(changed))
    return ReportOutcome("counted", image_id, count, threshold)


def report_article(
    conn: Connection,
    article_id: int,
    reader_id: str,
    ip_hash: str,
    reason: str,
    note: str,
    now: datetime,
    limits: RateLimits | None = None,
) -> ArticleReportOutcome:
    """Record a reader's report of an article for a moderator to review.

    Articles are never hidden automatically: a wrong text is a matter of judgement. One
    open report per reader and article; ``ValueError`` for an unknown reason.
    """
    if reason not in ARTICLE_REPORT_REASONS:
        raise ValueError(f"unknown report reason {reason!r}")
    limits = limits or RateLimits()
    exists = conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first()
    if exists is None:
        raise UnknownTarget(f"article {article_id}")
    already = conn.execute(
        select(article_reports.c.id).where(
            article_reports.c.article_id == article_id,
            article_reports.c.reader_id == reader_id,
            article_reports.c.status == "open",
        )
    ).first()
    if already is not None:
        return ArticleReportOutcome("already", article_id, int(already.id))
    by_reader, by_address = recent_reports(
        conn, reader_id, ip_hash, now - timedelta(seconds=limits.window_s)
    )
    if rate_limited(by_reader, by_address, limits):
        return ArticleReportOutcome("rate_limited", article_id)
    inserted = conn.execute(
        insert(article_reports).values(
            article_id=article_id,
            reader_id=reader_id,
            ip_hash=ip_hash,
            reason=reason,
            note=note.strip()[:NOTE_MAX],
            status="open",
            created_at=now,
        )
    ).inserted_primary_key
    assert inserted is not None
    return ArticleReportOutcome("counted", article_id, int(inserted[0]))


def _set_image_status(
    conn: Connection, image_id: int, status: str, blocked_at: datetime | None
) -> str:
    previous = conn.execute(select(images.c.status).where(images.c.id == image_id)).scalar()
    if previous is None:
        raise UnknownTarget(f"image {image_id}")
    conn.execute(
        update(images).where(images.c.id == image_id).values(status=status, blocked_at=blocked_at)
    )
    return str(previous)


def restore_image(
    conn: Connection, image_id: int, actor: str, now: datetime | None = None
) -> None:
    """A moderator shows the image again and pins it: later reports no longer block it."""
    now = now or datetime.now(UTC)
    previous = _set_image_status(conn, image_id, ALLOWED, None)
    write_audit(conn, actor, "image.restore", f"image:{image_id}", f"was {previous}", now)


def block_image(
    conn: Connection, image_id: int, actor: str, now: datetime | None = None
) -> None:
    """A moderator blocks the image for good, whatever the reports say."""
    now = now or datetime.now(UTC)
    previous = _set_image_status(conn, image_id, BLOCKED, now)
    write_audit(conn, actor, "image.block", f"image:{image_id}", f"was {previous}", now)


_CLOSE_ACTIONS = {"dismissed": "article_report.dismiss", "resolved": "article_report.resolve"}


def close_article_reports(
    conn: Connection,
    report_ids: Sequence[int],
    actor: str,
    status: Literal["dismissed", "resolved"] = "dismissed",
    now: datetime | None = None,
) -> int:
    """Close open article reports (dismissed: nothing wrong; resolved: acted upon)."""
    now = now or datetime.now(UTC)
    ids = list(report_ids)
    if not ids:
        return 0
    closed = conn.execute(
        update(article_reports)
        .where(article_reports.c.id.in_(ids), article_reports.c.status == "open")
        .values(status=status)
    ).rowcount
    if closed:
        write_audit(
            conn,
            actor,
            _CLOSE_ACTIONS[status],
            "article_reports:" + ",".join(str(i) for i in sorted(ids)),
            f"{closed} report(s) {status}",
            now,
        )
    return int(closed)


def dismiss_article_report(
    conn: Connection, report_id: int, actor: str, now: datetime | None = None
) -> bool:
    """A moderator found nothing wrong; True when the report was open."""
    return close_article_reports(conn, [report_id], actor, "dismissed", now) == 1


def report_counts() -> Subquery:
    """Per image: how many readers reported it and when the last one did."""
    return (
        select(
            image_reports.c.image_id,
            func.count().label("readers"),
            func.max(image_reports.c.created_at).label("last_at"),
        )
        .group_by(image_reports.c.image_id)
        .subquery()
    )


def moderation_queue(conn: Connection, limit: int = 100) -> ModerationQueue:
    """Reported images (blocked first, newest reports first) and open article reports.

    Pinned images are left out: a moderator already looked at them.
    """
    last_report = report_counts()
    image_rows = conn.execute(
        select(
            images.c.id,
            images.c.source_url,
            images.c.status,
            images.c.report_count,
            images.c.blocked_at,
            last_report.c.readers,
            last_report.c.last_at,
        )
        .join(last_report, last_report.c.image_id == images.c.id)
        .where(images.c.status != ALLOWED)
        .order_by((images.c.status == BLOCKED).desc(), last_report.c.last_at.desc())
        .limit(limit)
    )
    queued_images = [
        QueuedImage(
            image_id=int(r.id),
            source_url=r.source_url,
            status=r.status,
            report_count=int(r.report_count),
            readers=int(r.readers),
            last_report_at=_aware(r.last_at),
            blocked_at=r.blocked_at,
        )
        for r in image_rows
    ]

    report_rows = conn.execute(
        select(
            article_reports.c.id,
            article_reports.c.article_id,
            article_reports.c.reason,
            article_reports.c.note,
            article_reports.c.created_at,
            articles.c.title,
            articles.c.url,
        )
        .join(articles, and_(articles.c.id == article_reports.c.article_id))
        .where(article_reports.c.status == "open")
        .order_by(article_reports.c.created_at.desc())
    )
    grouped: dict[int, QueuedArticle] = {}
    for r in report_rows:
        item = grouped.get(int(r.article_id))
        if item is None:
            if len(grouped) >= limit:
                continue
            item = QueuedArticle(int(r.article_id), r.title, r.url, 0, {}, [], [], r.created_at)
            grouped[int(r.article_id)] = item
        item.reasons[r.reason] = item.reasons.get(r.reason, 0) + 1
        item.report_ids.append(int(r.id))
        if r.note:
            item.notes.append(r.note)
    queued_articles = [
        QueuedArticle(
            a.article_id, a.title, a.url, len(a.report_ids), a.reasons, a.notes,
            a.report_ids, a.last_report_at,
        )
        for a in grouped.values()
    ]
    queued_articles.sort(key=lambda a: (-a.open_reports, -a.last_report_at.timestamp()))
    return ModerationQueue(images=queued_images, articles=queued_articles)


def recent_audit(conn: Connection, limit: int = 50) -> list[AuditEntry]:
    """The latest audit lines, newest first."""
    rows = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))
    return [
        AuditEntry(int(r.id), r.actor, r.action, r.target, r.detail, r.created_at) for r in rows
    ]


def _aware(value: object) -> datetime | None:
    """Aggregates bypass the column type on SQLite: restore an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    return value if value.tzinfo else value.replace(tzinfo=UTC)
