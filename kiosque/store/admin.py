"""Moderators' accounts and the writes of the moderators' desk, each one audited.

Passwords are stored as argon2id hashes only. Checking a password for a name that does
not exist still runs one argon2 verification (against a fixed dummy hash), so the time
an answer takes does not tell an attacker which user names exist. Hashes made with
older parameters are upgraded at the next successful login.

Every change a moderator makes to the sources (add, enable, disable, display policy)
writes an ``audit_log`` line in the same transaction as the change. Functions take a
``Connection`` that the caller opened inside a transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from kiosque.models import Source, TextPolicy
from kiosque.store import repo
from kiosque.store.images import ALLOWED, BLOCKED, OK
from kiosque.store.moderation import QueuedImage, UnknownTarget, report_counts, write_audit
from kiosque.store.tables import (
    admin_users,
    articles,
    audit_log,
    image_reports,
    images,
    sources,
)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 would hash a megabyte happily; nobody types one
MAX_USERNAME_LENGTH = 100
EXCERPT_WORDS_RANGE = (10, 2000)
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")


class AdminError(ValueError):
    """A moderator-facing refusal; the message is meant to be shown as it is."""


class PasswordTooShort(AdminError):
    pass


class DuplicateUser(AdminError):
    pass


class UnknownUser(AdminError):
    pass


class DuplicateSource(AdminError):
    pass


class InvalidValue(AdminError):
    pass


@cache
def _hasher() -> PasswordHasher:
    """argon2id with the library's current recommended parameters."""
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash no password matches, verified for unknown users to even out timing."""
    return _hasher().hash("kiosque: no such moderator, this hash matches nothing")


def check_username(username: str) -> str:
    """The user name, stripped, or ``InvalidValue`` saying what is wrong with it."""
    name = username.strip()
    if not name:
        raise InvalidValue("the user name is empty")
    if len(name) > MAX_USERNAME_LENGTH:
        raise InvalidValue(f"the user name is longer than {MAX_USERNAME_LENGTH} characters")
    if not _USERNAME.match(name):
        raise InvalidValue(
            "the user name may hold letters, digits and . _ @ - only (no spaces)"
        )
    return name


def check_password(password: str) -> str:
    """The password as given, or ``PasswordTooShort`` / ``InvalidValue``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(
            f"the password must be at least {MIN_PASSWORD_LENGTH} characters long"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidValue(f"the password is longer than {MAX_PASSWORD_LENGTH} characters")
    return password


def create_user(
    conn: Connection, username: str, password: str, now: datetime, actor: str = "cli"
) -> int:
    """Create a moderator account and return its id.

    Refuses user names already taken (``DuplicateUser``) and passwords shorter than
    ``MIN_PASSWORD_LENGTH`` (``PasswordTooShort``), with messages fit for a terminal.
    """
    name = check_username(username)
    check_password(password)
    taken = conn.execute(
        select(admin_users.c.id).where(func.lower(admin_users.c.username) == name.lower())
    ).first()
    if taken is not None:
        raise DuplicateUser(f"a moderator called {name!r} already exists")
    password_hash = _hasher().hash(password)
    try:
        with conn.begin_nested():
            inserted = conn.execute(
                insert(admin_users).values(
                    username=name, password_hash=password_hash, created_at=now
                )
            ).inserted_primary_key
    except IntegrityError as exc:  # created by someone else in the meantime
        raise DuplicateUser(f"a moderator called {name!r} already exists") from exc
    assert inserted is not None
    user_id = int(inserted[0])
    write_audit(conn, actor, "admin.create_user", f"admin:{name}", "", now)
    return user_id


def verify_user(conn: Connection, username: str, password: str) -> int | None:
    """The id of the moderator when the password is right, else None.

    Unknown names cost one argon2 verification too. A right password whose hash was
    made with older parameters is rehashed in place.
    """
    row = conn.execute(
        select(admin_users.c.id, admin_users.c.password_hash).where(
            admin_users.c.username == username.strip()
        )
    ).first()
    hasher = _hasher()
    if row is None or len(password) > MAX_PASSWORD_LENGTH:
        with contextlib.suppress(VerificationError):
            hasher.verify(_dummy_hash(), password[:MAX_PASSWORD_LENGTH])
        return None
    stored = str(row.password_hash)
    try:
        hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(stored):
        conn.execute(
            update(admin_users)
            .where(admin_users.c.id == row.id)
            .values(password_hash=hasher.hash(password))
        )
    return int(row.id)


def set_password(
    conn: Connection, username: str, password: str, now: datetime, actor: str = "cli"
) -> None:
    """Give a moderator a new password; their open sessions end (see ``session_stamp``)."""
    check_password(password)
    changed = conn.execute(
        update(admin_users)
        .where(admin_users.c.username == username.strip())
        .values(password_hash=_hasher().hash(password))
    ).rowcount
    if not changed:
        raise UnknownUser(f"no moderator called {username.strip()!r}")
    write_audit(conn, actor, "admin.set_password", f"admin:{username.strip()}", "", now)


@dataclass(frozen=True, slots=True)
class Moderator:
    """A logged-in moderator as a session sees them."""

    id: int
    username: str
    stamp: str


def _stamp(password_hash: str) -> str:
    """A short digest of the password hash: changing the password changes it."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def get_moderator(conn: Connection, user_id: int) -> Moderator | None:
    """The moderator with this id and the session stamp their cookie must carry.

    Sessions store the stamp; a password change makes every older session invalid
    without a table of sessions.
    """
    row = conn.execute(
        select(admin_users.c.username, admin_users.c.password_hash).where(
            admin_users.c.id == user_id
        )
    ).first()
    if row is None:
        return None
    return Moderator(user_id, str(row.username), _stamp(str(row.password_hash)))


def list_usernames(conn: Connection) -> list[str]:
    return [str(n) for n in conn.execute(select(admin_users.c.username).order_by("username"))]


# --- images ---------------------------------------------------------------------------


def dismiss_image_reports(conn: Connection, image_id: int, actor: str, now: datetime) -> int:
    """The reports about an image were unfounded: clear them, show the image, don't pin.

    Unlike a restore, the image can be reported (and blocked) again later. Returns the
    number of reports cleared; ``UnknownTarget`` for an unknown image.
    """
    status = conn.execute(select(images.c.status).where(images.c.id == image_id)).scalar()
    if status is None:
        raise UnknownTarget(f"image {image_id}")
    cleared = conn.execute(
        delete(image_reports).where(image_reports.c.image_id == image_id)
    ).rowcount
    values: dict[str, object] = {"report_count": 0}
    if status == BLOCKED:
        values.update(status=OK, blocked_at=None)
    conn.execute(update(images).where(images.c.id == image_id).values(**values))
    new_status = values.get("status", status)
    write_audit(
        conn, actor, "image.dismiss", f"image:{image_id}",
        f"{cleared} report(s) cleared; was {status}, now {new_status}", now,
    )
    return int(cleared)


@dataclass(frozen=True, slots=True)
class ImageReview:
    """Images for the queue: those waiting for a decision, and those blocked for good.

    Waiting: reported and not decided yet, or blocked without a moderator's word (by
    readers' reports, or as the lookalike of a blocked picture). Blocked for good: a
    moderator's last word was "block"; listed apart so the queue empties, yet the
    decision can still be undone.
    """

    waiting: list[QueuedImage]
    blocked_for_good: list[QueuedImage]


def image_review(conn: Connection, limit: int = 100) -> ImageReview:
    """The images of the queue (pinned ones are left out: a moderator restored them)."""
    reports = report_counts()
    rows = conn.execute(
        select(
            images.c.id, images.c.source_url, images.c.status, images.c.report_count,
            images.c.blocked_at, reports.c.readers, reports.c.last_at,
        )
        .select_from(images.outerjoin(reports, reports.c.image_id == images.c.id))
        .where(
            or_(
                images.c.status == BLOCKED,
                and_(reports.c.image_id.is_not(None), images.c.status != ALLOWED),
            )
        )
        .order_by(images.c.id.desc())
        .limit(limit * 4)
    ).all()
    targets = [f"image:{r.id}" for r in rows]
    last_action: dict[str, str] = {}
    if targets:
        for target, action in conn.execute(
            select(audit_log.c.target, audit_log.c.action)
            .where(audit_log.c.target.in_(targets))
            .order_by(audit_log.c.id)
        ):
            last_action[str(target)] = str(action)
    waiting: list[QueuedImage] = []
    decided: list[QueuedImage] = []
    for r in rows:
        item = QueuedImage(
            image_id=int(r.id), source_url=r.source_url, status=r.status,
            report_count=int(r.report_count), readers=int(r.readers or 0),
            last_report_at=_aware(r.last_at), blocked_at=r.blocked_at,
        )
        if r.status == BLOCKED and last_action.get(f"image:{r.id}") == "image.block":
            decided.append(item)
        else:
            waiting.append(item)
    epoch = datetime.min.replace(tzinfo=UTC)
    waiting.sort(key=lambda i: (i.status != BLOCKED, -(i.last_report_at or i.blocked_at
                                                        or epoch).timestamp()))
    decided.sort(key=lambda i: -(i.blocked_at or epoch).timestamp())
    return ImageReview(waiting[:limit], decided[:limit])


def _aware(value: object) -> datetime | None:
    """Aggregates bypass the column type on SQLite: make them aware UTC datetimes."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --- sources --------------------------------------------------------------------------


def add_source(conn: Connection, source: Source, now: datetime, actor: str = "cli") -> int:
    """Add a new source (validated by the caller) and return its id.

    Refuses a slug that exists already: editing a known source goes through the other
    functions, so an add can never silently overwrite one.
    """
    known = conn.execute(select(sources.c.id).where(sources.c.slug == source.slug)).first()
    if known is not None:
        raise DuplicateSource(f"a source called {source.slug!r} already exists")
    source_id = repo.sync_sources(conn, [source], now)[source.slug]
    write_audit(conn, actor, "source.add", f"source:{source.slug}", source.feed_url, now)
    return source_id


def set_source_enabled(
    conn: Connection, slug: str, enabled: bool, actor: str, now: datetime
) -> bool:
    """Resume or stop polling a source; False when there is no such source."""
    if not repo.set_source_enabled(conn, slug, enabled):
        return False
    action = "source.enable" if enabled else "source.disable"
    write_audit(conn, actor, action, f"source:{slug}", "", now)
    return True


def update_source_policy(
    conn: Connection,
    slug: str,
    text_policy: str,
    excerpt_words: int,
    actor: str = "cli",
    now: datetime | None = None,
) -> bool:
    """Change how much of a source's articles the site shows; False for an unknown slug.

    ``InvalidValue`` when the policy is not one of ``TextPolicy`` or the excerpt length
    is outside ``EXCERPT_WORDS_RANGE``.
    """
    allowed = [p.value for p in TextPolicy]
    if text_policy not in allowed:
        raise InvalidValue(f"the text policy must be one of {', '.join(allowed)}")
    low, high = EXCERPT_WORDS_RANGE
    if not low <= excerpt_words <= high:
        raise InvalidValue(f"the excerpt length must be between {low} and {high} words")
    row = conn.execute(
        select(sources.c.text_policy, sources.c.excerpt_words).where(sources.c.slug == slug)
    ).first()
    if row is None:
        return False
    conn.execute(
        update(sources)
        .where(sources.c.slug == slug)
        .values(text_policy=text_policy, excerpt_words=excerpt_words)
    )
    write_audit(
        conn, actor, "source.policy", f"source:{slug}",
        f"{row.text_policy}/{row.excerpt_words} -> {text_policy}/{excerpt_words}",
        now or datetime.now(UTC),
    )
    return True


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """One line of the sources table moderators see."""

    slug: str
    name: str
    feed_url: str
    enabled: bool
    text_policy: str
    excerpt_words: int
    health: str
    consecutive_failures: int
    last_success_at: datetime | None
    last_error: str
    last_error_at: datetime | None
    next_check_at: datetime | None
    entries_per_day: float  # the feed's publishing rate, as the scheduler estimates it
    stored_per_day: float  # articles we stored over the last week, per day


STORED_WINDOW_DAYS = 7


def source_health(conn: Connection, now: datetime) -> list[SourceHealth]:
    """Every source with its polling health and its rate of new articles."""
    since = now - timedelta(days=STORED_WINDOW_DAYS)
    recent = (
        select(articles.c.source_id, func.count(articles.c.id).label("n"))
        .where(articles.c.fetched_at >= since)
        .group_by(articles.c.source_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            sources.c.slug, sources.c.name, sources.c.feed_url, sources.c.enabled,
            sources.c.text_policy, sources.c.excerpt_words, sources.c.health,
            sources.c.consecutive_failures, sources.c.last_success_at, sources.c.last_error,
            sources.c.last_error_at, sources.c.next_check_at, sources.c.entries_per_day,
            func.coalesce(recent.c.n, 0).label("recent"),
        )
        .select_from(sources.outerjoin(recent, recent.c.source_id == sources.c.id))
        .order_by(func.lower(sources.c.name), sources.c.slug)
    )
    return [
        SourceHealth(
            slug=r.slug, name=r.name, feed_url=r.feed_url, enabled=bool(r.enabled),
            text_policy=r.text_policy, excerpt_words=int(r.excerpt_words), health=r.health,
            consecutive_failures=int(r.consecutive_failures),
            last_success_at=r.last_success_at, last_error=r.last_error,
            last_error_at=r.last_error_at, next_check_at=r.next_check_at,
            entries_per_day=float(r.entries_per_day or 0.0),
            stored_per_day=round(int(r.recent) / STORED_WINDOW_DAYS, 1),
        )
        for r in rows
    ]
