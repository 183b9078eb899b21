"""Logging in: passwords, the login form's token, rate limiting, sessions that expire,
are tampered with, or outlive a password change; and who is sent to the login page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import Engine
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.store.admin import get_moderator, set_password
from kiosque.store.moderation import recent_audit
from kiosque.web.admin.ratelimit import LoginLimiter
from kiosque.web.admin.session import SESSION_COOKIE, SESSION_MAX_AGE
from kiosque.web.readers import load_secret
from tests.admin.admin_helpers import NOW, PASSWORD, add_moderator, csrf_in, log_in

ADMIN_PAGES = ["/admin", "/admin/", "/admin/sources", "/admin/audit",
               "/admin/images/1/320.webp"]


def _attempt(client: TestClient, password: str, username: str = "mod") -> int:
    form = client.get("/admin/login")
    answer = client.post("/admin/login", data={
        "username": username, "password": password, "csrf": csrf_in(form.text)})
    return answer.status_code


def test_login_ok_opens_a_session_with_strict_cookie(
    engine: Engine, client: TestClient
) -> None:
    add_moderator(engine)
    form = client.get("/admin/login")
    answer = client.post("/admin/login", data={
        "username": "mod", "password": PASSWORD, "csrf": csrf_in(form.text),
        "next": "/admin/sources"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/sources"
    cookie = next(c for c in answer.headers.get_list("set-cookie")
                  if c.startswith(SESSION_COOKIE + "="))
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=strict" in lowered and "path=/admin" in lowered
    assert f"max-age={SESSION_MAX_AGE}" in lowered
    assert "secure" not in lowered  # plain http here; see the https test below
    page = client.get("/admin/sources")
    assert page.status_code == 200
    assert "mod" in page.text
    with engine.connect() as conn:
        assert recent_audit(conn)[0].action == "admin.login"


def test_cookie_is_secure_over_https(app: object, engine: Engine) -> None:
    add_moderator(engine)
    with TestClient(app, base_url="https://testserver",  # type: ignore[arg-type]
                    headers={"Origin": "https://testserver"}, follow_redirects=False) as c:
        form = c.get("/admin/login")
        login_cookie = form.headers["set-cookie"].lower()
        assert "secure" in login_cookie and "samesite=strict" in login_cookie
        answer = c.post("/admin/login", data={
            "username": "mod", "password": PASSWORD, "csrf": csrf_in(form.text)})
        session_cookie = next(x for x in answer.headers.get_list("set-cookie")
                              if x.startswith(SESSION_COOKIE)).lower()
        assert "secure" in session_cookie


def test_wrong_password_and_unknown_user_are_refused_alike(
    engine: Engine, client: TestClient
) -> None:
    add_moderator(engine)
    for username, password in (("mod", "wrong password"), ("ghost", PASSWORD),
                               ("mod", ""), ("", "")):
        form = client.get("/admin/login")
        answer = client.post("/admin/login", data={
            "username": username, "password": password, "csrf": csrf_in(form.text)})
        assert answer.status_code == 401
        assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
        assert "ou mot de passe incorrect." in answer.text
        assert client.get("/admin").status_code == 303
    with engine.connect() as conn:
        failures = [e for e in recent_audit(conn) if e.action == "admin.login_failed"]
    assert len(failures) == 4
    assert all("ghost" not in e.target + e.detail for e in failures)


def test_login_form_needs_its_token_and_our_origin(
    engine: Engine, client_for: Callable[..., TestClient]
) -> None:
    add_moderator(engine)
    client = client_for()
    client.get("/admin/login")
    data = {"username": "mod", "password": PASSWORD}
    assert client.post("/admin/login", data=data).status_code == 403
    assert client.post("/admin/login", data={**data, "csrf": "forged"}).status_code == 403
    # a token from another browser does not match this browser's cookie
    other = client_for(address="198.51.100.99")
    stolen = csrf_in(other.get("/admin/login").text)
    assert client.post("/admin/login", data={**data, "csrf": stolen}).status_code == 403
    # the right token, but posted from another site
    evil = client_for(origin="https://evil.example")
    token = csrf_in(evil.get("/admin/login").text)
    assert evil.post("/admin/login", data={**data, "csrf": token}).status_code == 403
    assert evil.get("/admin").status_code == 303


def test_rate_limit_after_ten_failures_per_address(
    engine: Engine, client_for: Callable[..., TestClient]
) -> None:
    add_moderator(engine)
    attacker = client_for(address="203.0.113.50")
    for _ in range(10):
        assert _attempt(attacker, "guess number n") == 401
    # the eleventh attempt is refused even with the right password
    form = attacker.get("/admin/login")
    answer = attacker.post("/admin/login", data={
        "username": "mod", "password": PASSWORD, "csrf": csrf_in(form.text)})
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) > 0
    assert "Réessayez plus tard." in answer.text
    assert attacker.get("/admin").status_code == 303
    # another address is not affected
    assert _attempt(client_for(address="203.0.113.51"), PASSWORD) == 303


def test_limiter_window_slides() -> None:
    now = [1000.0]
    limiter = LoginLimiter(max_failures=3, window_s=60, clock=lambda: now[0])
    for step in range(3):
        assert limiter.blocked_for("a") == 0
        limiter.failed("a")
        now[0] += 10 * (step + 1)  # failures at 1000, 1010, 1030
    assert limiter.blocked_for("a") == pytest.approx(1000 + 60 - 1060)  # == 0: first expired
    limiter.failed("a")  # 1060: three within the window again (1010, 1030, 1060)
    assert limiter.blocked_for("a") == pytest.approx(1010 + 60 - 1060)
    assert limiter.blocked_for("b") == 0
    now[0] = 1071
    assert limiter.blocked_for("a") == 0


def test_every_admin_page_redirects_visitors_to_login(client: TestClient) -> None:
    for path in ADMIN_PAGES:
        answer = client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == f"/admin/login?next={path}"
        assert answer.headers["cache-control"] == "private, no-store"


def test_next_never_leaves_the_desk(engine: Engine, client: TestClient) -> None:
    add_moderator(engine)
    for target in ("https://evil.example/", "//evil.example/admin", "/fr/", "/admin\\x",
                   "/admin/login"):
        form = client.get("/admin/login")
        answer = client.post("/admin/login", data={
            "username": "mod", "password": PASSWORD, "csrf": csrf_in(form.text),
            "next": target})
        assert answer.headers["location"] == "/admin", target
        client.cookies.clear()


def _session_cookie(settings: Settings, payload: dict[str, object], age_s: int = 0,
                    secret: str | None = None) -> str:
    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return super().get_timestamp() - age_s

    serializer = URLSafeTimedSerializer(secret or load_secret(settings),
                                        salt="kiosque.admin.session", signer=Signer)
    return str(serializer.dumps(payload))


def test_session_expires_after_twelve_hours(
    engine: Engine, settings: Settings, client_for: Callable[..., TestClient]
) -> None:
    user_id = add_moderator(engine)
    with engine.connect() as conn:
        moderator = get_moderator(conn, user_id)
    assert moderator is not None
    payload = {"u": user_id, "s": moderator.stamp, "c": "token"}
    fresh = client_for()
    fresh.cookies.set(SESSION_COOKIE, _session_cookie(settings, payload, 11 * 3600))
    assert fresh.get("/admin").status_code == 200  # a well-made cookie works
    stale = client_for()
    stale.cookies.set(SESSION_COOKIE, _session_cookie(settings, payload, 12 * 3600 + 60))
    assert stale.get("/admin").status_code == 303


def test_tampered_or_foreign_sessions_are_ignored(
    engine: Engine, settings: Settings, client_for: Callable[..., TestClient]
) -> None:
    user_id = add_moderator(engine)
    other_id = add_moderator(engine, "other")
    client = client_for()
    log_in(client)
    good = client.cookies[SESSION_COOKIE]
    with engine.connect() as conn:
        other = get_moderator(conn, other_id)
    assert other is not None
    forged = [
        good[:-2] + ("AA" if good[-2:] != "AA" else "BB"),  # bad signature
        _session_cookie(settings, {"u": user_id, "s": other.stamp, "c": "x"}),  # wrong stamp
        _session_cookie(settings, {"u": 999, "s": other.stamp, "c": "x"}),  # no such user
        _session_cookie(settings, {"u": other_id, "s": other.stamp, "c": "x"},
                        secret="another instance's secret"),
        _session_cookie(settings, ["not", "a", "dict"]),  # type: ignore[arg-type]
        "garbage",
    ]
    for value in forged:
        visitor = client_for()
        visitor.cookies.set(SESSION_COOKIE, value)
        assert visitor.get("/admin").status_code == 303, value


def test_password_change_ends_open_sessions(engine: Engine, client: TestClient) -> None:
    add_moderator(engine)
    log_in(client)
    assert client.get("/admin").status_code == 200
    with engine.begin() as conn:
        set_password(conn, "mod", "a brand new password", NOW)
    assert client.get("/admin").status_code == 303


def test_logout(engine: Engine, client: TestClient) -> None:
    add_moderator(engine)
    csrf = log_in(client)
    assert client.post("/admin/logout", data={"csrf": "wrong"}).status_code == 403
    assert client.get("/admin").status_code == 200
    answer = client.post("/admin/logout", data={"csrf": csrf})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/login"
    assert client.get("/admin").status_code == 303
    with engine.connect() as conn:
        assert recent_audit(conn)[0].action == "admin.logout"


def test_language_links_keep_the_way_back(client: TestClient) -> None:
    page = client.get("/admin/login?next=/admin/sources")
    assert 'href="/admin/login?next=%2Fadmin%2Fsources&amp;lang=en"' in page.text
    english = client.get("/admin/login?next=/admin/sources&lang=en")
    assert 'name="next" value="/admin/sources"' in english.text
    assert "User name" in english.text
