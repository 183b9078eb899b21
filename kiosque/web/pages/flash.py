"""Pages that may carry a one-shot message left by a reader's report.

After a report the reader is sent back (303) to the page they came from, with a flash
cookie. That page must show the message once, clear the cookie, and never let a shared
cache keep the personalised copy: ``render_page`` does all three and is otherwise the
plain ``render``. The landing URL also carries a ``done`` marker (see ``landing_path``)
because a browser may answer a redirect from its own cache for a page it saw a minute
ago, which would swallow the message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from kiosque.web.deps import get_settings
from kiosque.web.readers import FLASH_COOKIE, pop_flash
from kiosque.web.render import render

PRIVATE_CACHE = "private, no-store"
DONE_PARAM = "done"


def landing_path(request: Request) -> str:
    """This page's path and query, marked so the reader's browser fetches it afresh."""
    if not request.url.query:  # most pages: nothing to parse and re-encode
        return f"{request.url.path}?{DONE_PARAM}=1"
    query = [(k, v) for k, v in parse_qsl(request.url.query) if k != DONE_PARAM]
    query.append((DONE_PARAM, "1"))
    return f"{request.url.path}?{urlencode(query)}"


def render_page(request: Request, template: str, lang: str, **ctx: Any) -> HTMLResponse:
    """``render`` plus the flash message, when the reader's browser holds one."""
    if not request.cookies.get(FLASH_COOKIE):  # nearly every request: the plain page
        return render(request, template, lang, flash=None, report_next=landing_path(request),
                      **ctx)
    scratch = Response()
    flash = pop_flash(request, scratch, get_settings(request))
    response = render(
        request, template, lang, flash=flash, report_next=landing_path(request), **ctx
    )
    response.raw_headers.extend(h for h in scratch.raw_headers if h[0] == b"set-cookie")
    response.headers["Cache-Control"] = PRIVATE_CACHE
    if "last-modified" in response.headers:
        del response.headers["last-modified"]
    return response
