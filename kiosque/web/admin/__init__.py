"""The moderators' desk under ``/admin``: login, the moderation queue, sources, audit log.

One router for the app factory to include; each part lives in its own module. Shared
rules (no caching, sessions, CSRF and origin checks on every POST) are in ``guard`` and
``session``.
"""

from __future__ import annotations

from fastapi import APIRouter

from kiosque.web.admin import audit, login, queue, sources

router = APIRouter(include_in_schema=False)
router.include_router(login.router)
router.include_router(queue.router)
router.include_router(sources.router)
router.include_router(audit.router)

__all__ = ["router"]
