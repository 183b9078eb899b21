"""Logging in and out of the moderators' desk.

A login needs the form's own CSRF token (there is no session yet to hold one), a
request from our own pages, and an address that has not failed too often lately (see
``ratelimit``). Every outcome that changes something is in the audit log: logins,
refused passwords (without the name typed, which is sometimes a password) and logouts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from kiosque.store.admin import get_moderator, verify_user
from kiosque.store.moderation import write_audit
from kiosque.web.admin.guard import (
    HOME_PATH,
    LOGIN_PATH,
    AdminRoute,
    actor,
    admin_lang,
    admin_page,
    check_post,
    current_moderator,
    refused,
)
from kiosque.web.admin.ratelimit import LoginLimiter
from kiosque.web.admin.session import (
    end_session,
    login_token,
    login_token_ok,
    start_session,
)
from kiosque.web.deps import get_engine, get_settings
from kiosque.web.i18n import gettext_for
from kiosque.web.readers import hash_address, is_same_origin, load_secret

router = APIRouter(prefix="/admin", route_class=AdminRoute)


def limiter_of(request: Request) -> LoginLimiter:
    """The app's login limiter, made on first use (one per app, so tests stay apart)."""
    limiter = getattr(request.app.state, "admin_login_limiter", None)
    if not isinstance(limiter, LoginLimiter):
        limiter = LoginLimiter()
        request.app.state.admin_login_limiter = limiter
    return limiter


def safe_admin_next(target: str | None) -> str:
    """Where to go after logging in: an admin path only, never another site."""
    if not target or not target.startswith("/admin") or "\\" in target or "//" in target:
        return HOME_PATH
    if any(ord(c) < 32 for c in target) or target.startswith(LOGIN_PATH):
        return HOME_PATH
    return target


def _login_form(
    request: Request, next_path: str, error: str = "", status_code: int = 200,
    username: str = "",
) -> Response:
    scratch = Response()
    token = login_token(request, scratch, get_settings(request))
    response = admin_page(
        request, "admin/login.html", None, status_code=status_code,
        login_csrf=token, next_path=next_path, error=error, username=username,
    )
    response.raw_headers.extend(h for h in scratch.raw_headers if h[0] == b"set-cookie")
    return response


@router.get("/login", name="admin_login_form")
def login_form(request: Request, next: str = "") -> Response:
    """The login form; a moderator already logged in goes straight on."""
    if current_moderator(request) is not None:
        return RedirectResponse(safe_admin_next(next), status_code=303)
    return _login_form(request, safe_admin_next(next))


@router.post("/login", name="admin_login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Check the password and open a session, or say no (and count the failure)."""
    settings = get_settings(request)
    if not is_same_origin(request, settings):
        return refused(request, "origin")
    if not login_token_ok(request, settings, csrf):
        return refused(request, "csrf")
    _ = gettext_for(admin_lang(request, settings))
    target = safe_admin_next(next)
    address = hash_address(request.client.host if request.client else "", load_secret(settings))
    limiter = limiter_of(request)
    wait = limiter.blocked_for(address)
    if wait > 0:
        response = _login_form(
            request, target, _("Too many failed attempts. Try again later."), 429, username
        )
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    now = datetime.now(UTC)
    with get_engine(request).begin() as conn:
        user_id = verify_user(conn, username, password)
        moderator = get_moderator(conn, user_id) if user_id is not None else None
        if moderator is None:
            write_audit(conn, "anonymous", "admin.login_failed", "",
                        f"address {address[:12]}", now)
        else:
            write_audit(conn, actor(moderator), "admin.login", f"admin:{moderator.username}",
                        "", now)
    if moderator is None:
        limiter.failed(address)
        return _login_form(
            request, target, _("Wrong user name or password."), 401, username
        )
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, settings, moderator.id, moderator.stamp)
    return response


@router.post("/logout", name="admin_logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    """End the session (the cookie is dropped; its signature dies with the 12 h limit)."""
    checked = check_post(request, csrf)
    if isinstance(checked, Response):
        return checked
    with get_engine(request).begin() as conn:
        write_audit(conn, actor(checked), "admin.logout", f"admin:{checked.username}", "",
                    datetime.now(UTC))
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    end_session(response)
    return response
