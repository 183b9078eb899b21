"""The audit log as moderators read it, and the desk's own stylesheet.

The log is append-only from the site's point of view: nothing here edits or deletes a
line, so it stays a trustworthy account of who did what.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, Request
from starlette.responses import Response

from kiosque.store.moderation import recent_audit
from kiosque.web.admin.guard import AdminRoute, admin_page, current_moderator, to_login
from kiosque.web.deps import get_engine
from kiosque.web.render import TEMPLATES_DIR

router = APIRouter(prefix="/admin", route_class=AdminRoute)

AUDIT_PAGE_SIZE = 200


@router.get("/audit", name="admin_audit")
def audit_page(request: Request) -> Response:
    """The latest actions, newest first."""
    moderator = current_moderator(request)
    if moderator is None:
        return to_login(request)
    with get_engine(request).connect() as conn:
        entries = recent_audit(conn, AUDIT_PAGE_SIZE)
    return admin_page(request, "admin/audit.html", moderator, entries=entries)


@cache
def _stylesheet() -> bytes:
    return (TEMPLATES_DIR / "admin" / "admin.css").read_bytes()


@router.get("/admin.css", name="admin_css")
def stylesheet() -> Response:
    """Styles of the desk only (the login page needs them before any session)."""
    return Response(_stylesheet(), media_type="text/css")
