"""kiosque.store.moderation on real SQLite: counting, blocking, rate limits, review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from kiosque.config import Settings
from kiosque.moderation import RateLimits
from kiosque.store.images import get_image, image_status
from kiosque.store.moderation import (
    UnknownTarget,
    block_image,
    close_article_reports,
    dismiss_article_report,
    moderation_queue,
    recent_audit,
    report_article,
    report_image,
    restore_image,
)
from kiosque.store.tables import article_reports, image_reports

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_three_addresses_block_and_audit(
    engine: Engine, settings: Settings, add_image: Callable[..., int]
) -> None:
    image_id = add_image(1)
    with engine.begin() as conn:
        first = report_image(conn, image_id, "reader-a" * 2, "ip-1", NOW, settings)
        second = report_image(conn, image_id, "reader-b" * 2, "ip-2", NOW, settings)
        third = report_image(conn, image_id, "reader-c" * 2, "ip-3", NOW, settings)
        late = report_image(conn, image_id, "reader-d" * 2, "ip-4", NOW, settings)
        record = get_image(conn, image_id)
        audit = recent_audit(conn)
    assert [first.status, second.status, third.status, late.status] == [
        "counted", "counted", "blocked", "blocked",
    ]
    assert (first.report_count, second.report_count, third.report_count) == (1, 2, 3)
    assert third.just_blocked and not late.just_blocked
    assert record is not None and record.status == "blocked" and record.blocked_at == NOW
    assert record.report_count == 3 and late.report_count == 3  # nothing stored once blocked
    assert [(a.actor, a.action, a.target) for a in audit] == [
        ("readers", "image.auto_block", f"image:{image_id}")
    ]


def test_same_reader_counts_once(
    engine: Engine, settings: Settings, add_image: Callable[..., int]
) -> None:
    image_id = add_image(1)
    with engine.begin() as conn:
        outcomes = [
            report_image(conn, image_id, "same-reader-0001", f"ip-{i}", NOW, settings).status
            for i in range(10)
        ]
        stored = conn.execute(select(image_reports.c.id)).all()
    assert outcomes == ["counted"] + ["already"] * 9
    assert len(stored) == 1
    assert image_status_of(engine, image_id) == "ok"


def image_status_of(engine: Engine, image_id: int) -> str | None:
    with engine.connect() as conn:
        return image_status(conn, image_id)


def test_many_readers_behind_one_address_count_once(
    engine: Engine, settings: Settings, add_image: Callable[..., int]
) -> None:
    image_id = add_image(1)
    with engine.begin() as conn:
        outcomes = [
            report_image(conn, image_id, f"fresh-cookie-{i:04d}", "one-ip", NOW, settings)
            for i in range(10)
        ]
    assert {o.status for o in outcomes} == {"counted"}
    assert outcomes[-1].report_count == 1
    assert image_status_of(engine, image_id) == "ok"


def test_rate_limits_per_reader_and_per_address(
    engine: Engine, settings: Settings, add_image: Callable[..., int]
) -> None:
    ids = [add_image(seed) for seed in range(4)]
    limits = RateLimits(per_reader=2, per_address=3, window_s=3600)
    with engine.begin() as conn:
        by_reader = [
            report_image(conn, i, "busy-reader-0001", f"ip-{n}", NOW, settings, limits).status
            for n, i in enumerate(ids)
        ]
        # an hour later the reader may report again
        later = report_image(
            conn, ids[3], "busy-reader-0001", "ip-x", NOW + timedelta(seconds=3601), settings,
            limits,
        )
        by_address = [
            report_image(conn, i, f"other-reader-{n:04d}", "shared-ip", NOW, settings, limits)
            .status
            for n, i in enumerate(ids)
        ]
    assert by_reader == ["counted", "counted", "rate_limited", "rate_limited"]
    assert later.status == "counted"
    assert by_address == ["counted", "counted", "counted", "rate_limited"]


def test_unknown_image(engine: Engine, settings: Settings) -> None:
    with engine.begin() as conn, pytest.raises(UnknownTarget):
        report_image(conn, 12345, "reader-0000000001", "ip", NOW, settings)


def test_restore_pins_and_block_is_for_good(
    engine: Engine, settings: Settings, add_image: Callable[..., int]
) -> None:
    image_id = add_image(2)
    one = Settings(report_threshold=1)
    with engine.begin() as conn:
        assert report_image(conn, image_id, "reader-0000000001", "ip-1", NOW, one).just_blocked
        restore_image(conn, image_id, "moderator-ana", NOW)
        assert image_status(conn, image_id) == "allowed"
        assert get_image(conn, image_id).blocked_at is None  # type: ignore[union-attr]
        pinned = report_image(conn, image_id, "reader-0000000002", "ip-2", NOW, one)
        assert pinned.status == "counted"
        assert image_status(conn, image_id) == "allowed"
        block_image(conn, image_id, "moderator-ana", NOW)
        assert image_status(conn, image_id) == "blocked"
        actions = [(a.actor, a.action, a.detail) for a in recent_audit(conn)]
        with pytest.raises(UnknownTarget):
            restore_image(conn, 999, "moderator-ana", NOW)
    assert actions == [
        ("moderator-ana", "image.block", "was allowed"),
        ("moderator-ana", "image.restore", "was blocked"),
        ("readers", "image.auto_block", "1 distinct addresses reported it (threshold 1)"),
    ]


def test_article_reports_and_queue(
    engine: Engine,
    settings: Settings,
    add_image: Callable[..., int],
    add_article: Callable[..., int],
) -> None:
    article_id = add_article("Generated headline one")
    quiet_id = add_article("Generated headline two")
    blocked_id, reported_id, _unreported = add_image(1), add_image(2), add_image(3)
    with engine.begin() as conn:
        first = report_article(conn, article_id, "reader-0000000001", "ip-1", "wrong",
                               "  the picture is of another event  ", NOW)
        again = report_article(conn, article_id, "reader-0000000001", "ip-1", "spam", "", NOW)
        second = report_article(conn, article_id, "reader-0000000002", "ip-2", "offensive",
                                "", NOW + timedelta(minutes=1))
        other = report_article(conn, quiet_id, "reader-0000000003", "ip-3", "duplicate", "", NOW)
        with pytest.raises(ValueError):
            report_article(conn, article_id, "reader-0000000004", "ip-4", "nonsense", "", NOW)
        with pytest.raises(UnknownTarget):
            report_article(conn, 9999, "reader-0000000004", "ip-4", "other", "", NOW)
        for n in range(3):
            report_image(conn, blocked_id, f"reader-00000001{n}", f"ip-{n}", NOW, settings)
        report_image(conn, reported_id, "reader-0000000009", "ip-9", NOW, settings)
        queue = moderation_queue(conn)
    assert (first.status, again.status, second.status) == ("counted", "already", "counted")
    assert again.report_id == first.report_id
    assert [(q.image_id, q.status, q.report_count, q.readers) for q in queue.images] == [
        (blocked_id, "blocked", 3, 3),
        (reported_id, "ok", 1, 1),
    ]
    assert queue.images[0].last_report_at == NOW
    top = queue.articles[0]
    assert (top.article_id, top.open_reports) == (article_id, 2)
    assert top.reasons == {"wrong": 1, "offensive": 1}
    assert top.notes == ["the picture is of another event"]
    assert queue.articles[1].article_id == quiet_id

    with engine.begin() as conn:
        assert other.report_id is not None and first.report_id is not None
        assert dismiss_article_report(conn, other.report_id, "moderator-ana", NOW)
        assert not dismiss_article_report(conn, other.report_id, "moderator-ana", NOW)
        assert close_article_reports(conn, top.report_ids, "moderator-ana", "resolved", NOW) == 2
        assert close_article_reports(conn, [], "moderator-ana") == 0
        restore_image(conn, blocked_id, "moderator-ana", NOW)
        queue = moderation_queue(conn)
        rows = conn.execute(select(article_reports.c.id, article_reports.c.status))
        statuses = {row.id: row.status for row in rows}
        actions = [a.action for a in recent_audit(conn, limit=3)]
    assert queue.articles == []
    assert [q.image_id for q in queue.images] == [reported_id]
    assert statuses[other.report_id] == "dismissed"
    assert statuses[first.report_id] == "resolved"
    assert actions == ["image.restore", "article_report.resolve", "article_report.dismiss"]


def test_article_reports_share_the_rate_limit(
    engine: Engine, settings: Settings, add_image: Callable[..., int],
    add_article: Callable[..., int],
) -> None:
    limits = RateLimits(per_reader=2, per_address=10)
    image_id = add_image(1)
    articles_ = [add_article(f"Generated headline {n}") for n in range(2)]
    with engine.begin() as conn:
        report_image(conn, image_id, "reader-0000000001", "ip-1", NOW, settings, limits)
        ok = report_article(conn, articles_[0], "reader-0000000001", "ip-1", "other", "", NOW,
                            limits)
        limited = report_article(conn, articles_[1], "reader-0000000001", "ip-1", "other", "",
                                 NOW, limits)
    assert (ok.status, limited.status) == ("counted", "rate_limited")
