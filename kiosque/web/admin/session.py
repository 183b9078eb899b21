"""Moderators' sessions and CSRF tokens, kept in signed cookies rather than a table.

The session cookie carries the moderator's id, a stamp derived from their password hash
(a password change ends every older session) and the CSRF token of the session; it is
signed and time-stamped with the instance secret, so it cannot be forged or kept alive
past ``SESSION_MAX_AGE``. Before login there is no session, so the login form gets its
own short-lived signed token (double submit: cookie and hidden field must agree).
Cookies are HttpOnly, SameSite=Strict, limited to ``/admin`` and Secure over https.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from kiosque.config import Settings
from kiosque.web.readers import load_secret

SESSION_COOKIE = "kiosque_admin"
LOGIN_COOKIE = "kiosque_admin_login"
LANG_COOKIE = "kiosque_admin_lang"
COOKIE_PATH = "/admin"
SESSION_MAX_AGE = 12 * 3600
LOGIN_TOKEN_MAX_AGE = 3600


@dataclass(frozen=True, slots=True)
class SessionData:
    """What a valid session cookie says: who, which password generation, which token."""

    user_id: int
    stamp: str
    csrf: str


def _serializer(settings: Settings, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(load_secret(settings), salt=salt)


def is_https(request: Request, settings: Settings) -> bool:
    """Whether browsers reach us over https (``base_url`` wins over the request)."""
    if settings.base_url:
        return settings.base_url.startswith("https://")
    return request.url.scheme == "https"


def _set(
    request: Request, response: Response, settings: Settings, name: str, value: str, age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        httponly=True,
        samesite="strict",
        secure=is_https(request, settings),
        path=COOKIE_PATH,
    )


def start_session(
    request: Request, response: Response, settings: Settings, user_id: int, stamp: str
) -> SessionData:
    """Open a session for a moderator who just proved their password."""
    data = SessionData(user_id, stamp, secrets.token_urlsafe(32))
    value = _serializer(settings, "kiosque.admin.session").dumps(
        {"u": data.user_id, "s": data.stamp, "c": data.csrf}
    )
    _set(request, response, settings, SESSION_COOKIE, value, SESSION_MAX_AGE)
    response.delete_cookie(LOGIN_COOKIE, path=COOKIE_PATH)
    return data


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)


def read_session(request: Request, settings: Settings) -> SessionData | None:
    """The session in the request's cookie, or None when absent, forged or expired."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        value = _serializer(settings, "kiosque.admin.session").loads(
            raw, max_age=SESSION_MAX_AGE
        )
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(value, dict):
        return None
    user_id, stamp, csrf = value.get("u"), value.get("s"), value.get("c")
    if not isinstance(user_id, int) or not isinstance(stamp, str) or not isinstance(csrf, str):
        return None
    return SessionData(user_id, stamp, csrf)


def tokens_match(expected: str, given: str) -> bool:
    """Constant-time comparison; an empty expected token never matches."""
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


def login_token(request: Request, response: Response, settings: Settings) -> str:
    """The CSRF token of the login form; issues the matching cookie when needed."""
    current = _login_token_of(request, settings)
    if current:
        return current
    token = secrets.token_urlsafe(32)
    value = _serializer(settings, "kiosque.admin.login").dumps(token)
    _set(request, response, settings, LOGIN_COOKIE, value, LOGIN_TOKEN_MAX_AGE)
    return token


def _login_token_of(request: Request, settings: Settings) -> str:
    raw = request.cookies.get(LOGIN_COOKIE)
    if not raw:
        return ""
    try:
        value = _serializer(settings, "kiosque.admin.login").loads(
            raw, max_age=LOGIN_TOKEN_MAX_AGE
        )
    except BadSignature:
        return ""
    return value if isinstance(value, str) else ""


def login_token_ok(request: Request, settings: Settings, given: str) -> bool:
    """Whether the login form's hidden token matches its signed cookie."""
    return tokens_match(_login_token_of(request, settings), given)


def remember_lang(request: Request, response: Response, settings: Settings, lang: str) -> None:
    """Keep the moderator's chosen interface language for the next admin pages."""
    _set(request, response, settings, LANG_COOKIE, lang, 365 * 24 * 3600)
