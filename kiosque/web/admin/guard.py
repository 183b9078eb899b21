"""What every page of the moderators' desk shares: no caching, who is logged in, which
language, the checks in front of every POST, and how a page is rendered.

Admin answers are about one person and may show reported pictures, so none may be kept
by a browser or a proxy: ``AdminRoute`` stamps ``Cache-Control: private, no-store`` on
every response its routes produce, errors included. A POST is accepted only from a
logged-in moderator, from our own pages (``is_same_origin``) and with the session's
CSRF token in the form; the two checks cover each other's gaps (old browsers without
Origin headers, a token leaked in a screenshot).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from kiosque.config import Settings
from kiosque.store.admin import Moderator, get_moderator
from kiosque.web.admin.session import LANG_COOKIE, read_session, remember_lang, tokens_match
from kiosque.web.deps import get_engine, get_settings
from kiosque.web.i18n import UI_LANGS, gettext_for, negotiate
from kiosque.web.readers import is_same_origin, pop_flash
from kiosque.web.render import render

NO_STORE = "private, no-store"
LOGIN_PATH = "/admin/login"
HOME_PATH = "/admin"


class AdminRoute(APIRoute):
    """A route whose every answer, error or not, says ``private, no-store``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def no_store_handler(request: Request) -> Response:
            response: Response
            try:
                response = await handler(request)
            except HTTPException as exc:
                response = PlainTextResponse(
                    str(exc.detail), status_code=exc.status_code, headers=exc.headers
                )
            except RequestValidationError:
                response = PlainTextResponse("Invalid form", status_code=422)
            response.headers["Cache-Control"] = NO_STORE
            response.headers["Pragma"] = "no-cache"
            return response

        return no_store_handler


def admin_lang(request: Request, settings: Settings) -> str:
    """``?lang=`` first (remembered in a cookie), then the cookie, then the browser."""
    asked = request.query_params.get("lang", "")
    if asked in UI_LANGS:
        return asked
    kept = request.cookies.get(LANG_COOKIE, "")
    if kept in UI_LANGS:
        return kept
    return negotiate(request.headers.get("accept-language"), settings.default_lang)


def current_moderator(request: Request) -> Moderator | None:
    """The logged-in moderator, or None: no cookie, a bad one, or a changed password."""
    cached = getattr(request.state, "kiosque_moderator", False)
    if cached is not False:
        return cached if isinstance(cached, Moderator) else None
    moderator: Moderator | None = None
    session = read_session(request, get_settings(request))
    if session is not None:
        with get_engine(request).connect() as conn:
            found = get_moderator(conn, session.user_id)
        if found is not None and tokens_match(found.stamp, session.stamp):
            moderator = found
    request.state.kiosque_moderator = moderator
    return moderator


def session_csrf(request: Request) -> str:
    """The CSRF token of the current session ("" without one)."""
    session = read_session(request, get_settings(request))
    return session.csrf if session else ""


def actor(moderator: Moderator) -> str:
    """How a moderator is named in the audit log."""
    return f"moderator:{moderator.username}"


def to_login(request: Request) -> RedirectResponse:
    """Send a visitor without a session to the login form, coming back here after."""
    target = request.url.path
    if request.method == "GET" and request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(f"{LOGIN_PATH}?next={quote(target, safe='/')}", status_code=303)


def refused(request: Request, reason: str) -> Response:
    """403 for a POST that failed the origin or CSRF check; nothing was changed."""
    lang = admin_lang(request, get_settings(request))
    _ = gettext_for(lang)
    messages = {
        "origin": _("This form was not sent from this site. Nothing was changed."),
        "csrf": _("This form has expired. Go back, reload the page and try again."),
    }
    return PlainTextResponse(messages[reason], status_code=403)


def check_post(request: Request, csrf: str) -> Moderator | Response:
    """The moderator behind a POST, or the response refusing it."""
    moderator = current_moderator(request)
    if moderator is None:
        return to_login(request)
    if not is_same_origin(request, get_settings(request)):
        return refused(request, "origin")
    if not tokens_match(session_csrf(request), csrf):
        return refused(request, "csrf")
    return moderator


def admin_page(
    request: Request,
    template: str,
    moderator: Moderator | None,
    *,
    status_code: int = 200,
    **ctx: Any,
) -> HTMLResponse:
    """Render an admin template with the moderator, their CSRF token and any flash."""
    settings = get_settings(request)
    lang = admin_lang(request, settings)
    scratch = Response()
    flash = pop_flash(request, scratch, settings)
    response = render(
        request,
        template,
        lang,
        status_code=status_code,
        moderator=moderator,
        csrf=session_csrf(request) if moderator else "",
        flash=flash,
        admin_path=request.url.path,
        lang_link=lambda other: lang_link(request, other),
        **ctx,
    )
    response.raw_headers.extend(h for h in scratch.raw_headers if h[0] == b"set-cookie")
    if request.query_params.get("lang", "") in UI_LANGS:
        remember_lang(request, response, settings, lang)
    return response


def lang_link(request: Request, other: str) -> str:
    """This admin page in another language, keeping its other query parameters."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + "?" + urlencode([*params, ("lang", other)])


def back_to(path: str) -> RedirectResponse:
    """After an action: back to the page it was made from (POST/redirect/GET)."""
    return RedirectResponse(path, status_code=303)
