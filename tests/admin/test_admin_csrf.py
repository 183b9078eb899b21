"""Every POST of the desk refuses a missing or wrong CSRF token, another site's origin,
and visitors without a session, and changes nothing when it refuses."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from kiosque.store.moderation import recent_audit
from kiosque.store.tables import article_reports, images, sources
from tests.admin.admin_helpers import Desk, log_in

# (path template, extra form fields)
POSTS: list[tuple[str, dict[str, str]]] = [
    ("/admin/images/{image}/restore", {}),
    ("/admin/images/{image}/block", {}),
    ("/admin/images/{image}/dismiss", {}),
    ("/admin/article-reports/dismissed", {"report_ids": "{report}"}),
    ("/admin/article-reports/resolved", {"report_ids": "{report}"}),
    ("/admin/sources/add", {"name": "Le Phare", "feed_url": "https://phare.example/rss"}),
    ("/admin/sources/gazette/disable", {}),
    ("/admin/sources/gazette/enable", {}),
    ("/admin/sources/gazette/policy", {"text_policy": "excerpt", "excerpt_words": "30"}),
    ("/admin/logout", {}),
]
IDS = [p for p, _ in POSTS]


def _fill(desk: Desk, path: str, fields: dict[str, str]) -> tuple[str, dict[str, str]]:
    def fmt(value: str) -> str:
        return value.format(image=desk.image_id, report=desk.report_id)

    return fmt(path), {k: fmt(v) for k, v in fields.items()}


def _state(engine: Engine) -> tuple[object, ...]:
    with engine.connect() as conn:
        return (
            tuple(conn.execute(select(images.c.status, images.c.report_count)).all()),
            tuple(conn.execute(select(article_reports.c.status)).scalars().all()),
            tuple(conn.execute(
                select(sources.c.slug, sources.c.enabled, sources.c.text_policy)).all()),
            tuple(e.action for e in recent_audit(conn)),
        )


@pytest.mark.parametrize(("path", "fields"), POSTS, ids=IDS)
def test_post_refused_without_the_right_token_or_origin(
    engine: Engine, desk: Desk, client_for: Callable[..., TestClient],
    path: str, fields: dict[str, str],
) -> None:
    url, data = _fill(desk, path, fields)
    client = client_for()
    csrf = log_in(client)
    before = _state(engine)
    for token in (None, "", "wrong-token", csrf[:-1]):
        form = dict(data) if token is None else {**data, "csrf": token}
        answer = client.post(url, data=form)
        assert answer.status_code == 403, token
        assert answer.headers["cache-control"] == "private, no-store"
    # the right token from another site, and with no origin information at all
    for headers in ({"Origin": "https://evil.example"},
                    {"Origin": "null", "Referer": "https://evil.example/page"},
                    {"Sec-Fetch-Site": "cross-site"}):
        assert client.post(url, data={**data, "csrf": csrf},
                           headers=headers).status_code == 403
    bare = TestClient(client.app, follow_redirects=False, cookies=dict(client.cookies))
    assert bare.post(url, data={**data, "csrf": csrf}).status_code == 403
    # without a session: sent to the login form
    visitor = client_for()
    answer = visitor.post(url, data={**data, "csrf": csrf})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/admin/login?next=")
    assert _state(engine) == before
    # and the same request, done right, goes through (so the refusals above mean something)
    answer = client.post(url, data={**data, "csrf": csrf})
    assert answer.status_code == 303
    assert _state(engine) != before
