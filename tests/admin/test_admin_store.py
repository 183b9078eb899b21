"""Accounts and the desk's writes in the store, on real databases."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, insert, select

from kiosque.models import Source, TextPolicy
from kiosque.store import admin as admin_store
from kiosque.store.admin import (
    DuplicateSource,
    DuplicateUser,
    InvalidValue,
    PasswordTooShort,
    UnknownUser,
    add_source,
    create_user,
    dismiss_image_reports,
    get_moderator,
    image_review,
    set_password,
    set_source_enabled,
    source_health,
    update_source_policy,
    verify_user,
)
from kiosque.store.images import get_image
from kiosque.store.moderation import UnknownTarget, block_image, recent_audit, restore_image
from kiosque.store.tables import admin_users, image_reports, images, sources
from tests.admin.admin_helpers import NOW, PASSWORD, add_article, add_image, add_source_row


def test_real_parameters_are_argon2id(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admin_store, "_hasher", PasswordHasher)  # the library's defaults
    with engine.begin() as conn:
        user_id = create_user(conn, "amina", PASSWORD, NOW)
        stored = conn.execute(select(admin_users.c.password_hash)).scalar_one()
        assert verify_user(conn, "amina", PASSWORD) == user_id
    assert stored.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(stored)
    assert PASSWORD not in stored


def test_create_and_verify(engine: Engine) -> None:
    with engine.begin() as conn:
        user_id = create_user(conn, "amina", PASSWORD, NOW)
        assert verify_user(conn, "amina", PASSWORD) == user_id
        assert verify_user(conn, "amina", PASSWORD + "x") is None
        assert verify_user(conn, "nobody", PASSWORD) is None
        assert verify_user(conn, "amina", "") is None
        actions = [e.action for e in recent_audit(conn)]
    assert actions == ["admin.create_user"]


def test_refuses_short_passwords_duplicates_and_bad_names(engine: Engine) -> None:
    with engine.begin() as conn:
        with pytest.raises(PasswordTooShort, match="at least 10"):
            create_user(conn, "amina", "123456789", NOW)
        create_user(conn, "amina", "0123456789", NOW)  # ten characters is enough
        with pytest.raises(DuplicateUser, match="already exists"):
            create_user(conn, "amina", PASSWORD, NOW)
        with pytest.raises(DuplicateUser):
            create_user(conn, "AMINA", PASSWORD, NOW)
        for bad in ("", "   ", "two words", "x" * 101, "<script>"):
            with pytest.raises(InvalidValue):
                create_user(conn, bad, PASSWORD, NOW)
        assert conn.execute(select(admin_users.c.username)).scalars().all() == ["amina"]


def test_rehash_when_parameters_change(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admin_store, "_hasher", PasswordHasher)  # the real defaults
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with engine.begin() as conn:
        user_id = conn.execute(
            insert(admin_users).values(username="old", password_hash=weak, created_at=NOW)
            .returning(admin_users.c.id)
        ).scalar_one()
        assert verify_user(conn, "old", "wrong password!") is None
        assert conn.execute(select(admin_users.c.password_hash)).scalar_one() == weak
        assert verify_user(conn, "old", PASSWORD) == user_id
        upgraded = conn.execute(select(admin_users.c.password_hash)).scalar_one()
    assert upgraded != weak
    assert not PasswordHasher().check_needs_rehash(upgraded)
    with engine.connect() as conn:
        assert verify_user(conn, "old", PASSWORD) == user_id


def test_set_password_changes_the_session_stamp(engine: Engine) -> None:
    with engine.begin() as conn:
        user_id = create_user(conn, "amina", PASSWORD, NOW)
        before = get_moderator(conn, user_id)
        set_password(conn, "amina", "another long password", NOW, actor="cli")
        after = get_moderator(conn, user_id)
        assert verify_user(conn, "amina", PASSWORD) is None
        assert verify_user(conn, "amina", "another long password") == user_id
        with pytest.raises(PasswordTooShort):
            set_password(conn, "amina", "short", NOW)
        with pytest.raises(UnknownUser):
            set_password(conn, "ghost", "another long password", NOW)
    assert before is not None and after is not None
    assert before.stamp != after.stamp
    assert before.username == after.username == "amina"


def test_dismiss_clears_reports_and_unblocks_without_pinning(
    engine: Engine, files_root: Path
) -> None:
    image_id = add_image(engine, files_root, seed=1)
    with engine.begin() as conn:
        for n in range(3):
            conn.execute(insert(image_reports).values(
                image_id=image_id, reader_id=f"reader{n:012d}", ip_hash=f"{n:064d}",
                created_at=NOW))
        conn.execute(images.update().values(status="blocked", blocked_at=NOW, report_count=3))
        assert dismiss_image_reports(conn, image_id, "moderator:mod", NOW) == 3
        record = get_image(conn, image_id)
        with pytest.raises(UnknownTarget):
            dismiss_image_reports(conn, image_id + 100, "moderator:mod", NOW)
        audit = recent_audit(conn)
    assert record is not None
    assert (record.status, record.report_count, record.blocked_at) == ("ok", 0, None)
    assert audit[0].action == "image.dismiss"
    assert audit[0].target == f"image:{image_id}"
    assert "3 report(s)" in audit[0].detail


def test_source_writes_are_audited(engine: Engine) -> None:
    add_source_row(engine, "gazette")
    new = Source(slug="le-phare", name="Le Phare", feed_url="https://phare.example/rss")
    with engine.begin() as conn:
        add_source(conn, new, NOW, "moderator:mod")
        with pytest.raises(DuplicateSource):
            add_source(conn, new, NOW, "moderator:mod")
        assert set_source_enabled(conn, "le-phare", False, "moderator:mod", NOW)
        assert not set_source_enabled(conn, "ghost", False, "moderator:mod", NOW)
        assert update_source_policy(conn, "gazette", "excerpt", 40, "moderator:mod", NOW)
        assert not update_source_policy(conn, "ghost", "full", 40, "moderator:mod", NOW)
        with pytest.raises(InvalidValue):
            update_source_policy(conn, "gazette", "everything", 40, "moderator:mod", NOW)
        with pytest.raises(InvalidValue):
            update_source_policy(conn, "gazette", "full", 5, "moderator:mod", NOW)
        row = conn.execute(
            select(sources.c.text_policy, sources.c.excerpt_words).where(
                sources.c.slug == "gazette")
        ).one()
        enabled = conn.execute(
            select(sources.c.enabled).where(sources.c.slug == "le-phare")).scalar_one()
        audit = [(e.actor, e.action, e.target) for e in reversed(recent_audit(conn))]
    assert tuple(row) == (TextPolicy.EXCERPT.value, 40)
    assert enabled is False
    assert audit == [
        ("moderator:mod", "source.add", "source:le-phare"),
        ("moderator:mod", "source.disable", "source:le-phare"),
        ("moderator:mod", "source.policy", "source:gazette"),
    ]


def test_source_health_counts_last_week(engine: Engine) -> None:
    source_id = add_source_row(engine, "gazette")
    add_source_row(engine, "calme", name="Calme")
    for n in range(14):
        add_article(engine, source_id, ident=f"a{n}", when=NOW - timedelta(days=n))
    with engine.connect() as conn:
        rows = {h.slug: h for h in source_health(conn, NOW)}
    # fetched within the last 7 days: days 0..6 (day 7 is exactly on the edge, included)
    assert rows["gazette"].stored_per_day == round(8 / 7, 1)
    assert rows["calme"].stored_per_day == 0.0
    assert rows["gazette"].last_success_at is None
    assert rows["gazette"].enabled is True


def test_image_review_separates_waiting_from_decided(engine: Engine, files_root: Path) -> None:
    reported = add_image(engine, files_root, seed=21)
    lookalike = add_image(engine, files_root, seed=22)
    decided = add_image(engine, files_root, seed=23)
    pinned = add_image(engine, files_root, seed=24)
    quiet = add_image(engine, files_root, seed=25)
    with engine.begin() as conn:
        for image_id in (reported, decided, pinned):
            conn.execute(insert(image_reports).values(
                image_id=image_id, reader_id="r" * 32, ip_hash="a" * 64, created_at=NOW))
        # blocked without reports, as save_image does for a lookalike of a blocked picture
        conn.execute(images.update().where(images.c.id == lookalike)
                     .values(status="blocked", blocked_at=NOW))
        block_image(conn, decided, "moderator:mod", NOW + timedelta(minutes=1))
        restore_image(conn, pinned, "moderator:mod", NOW)
        review = image_review(conn)
    waiting = [i.image_id for i in review.waiting]
    assert waiting == [lookalike, reported]  # blocked ones first
    assert [i.image_id for i in review.blocked_for_good] == [decided]
    assert quiet not in waiting and pinned not in waiting
    assert review.waiting[1].readers == 1
    assert review.waiting[1].last_report_at == NOW
    assert review.waiting[0].readers == 0
