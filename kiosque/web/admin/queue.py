"""The queue: reported and blocked images, reported articles, and what a moderator does.

Images: restore (shown again and pinned, so readers' reports no longer block it),
block for good, or dismiss (the reports were unfounded: they are cleared, the image is
shown, not pinned). Articles: the open reports are dismissed (nothing wrong) or
resolved (acted upon). Every action is written to the audit log by the store, in the
same transaction as the change.

Moderators must see what readers reported, so thumbnails come from an admin-only route
that serves the real picture whatever its status; the public route keeps serving the
placeholder for blocked images.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from kiosque.media import VARIANTS, variant_mime
from kiosque.store.admin import dismiss_image_reports, image_review
from kiosque.store.images import get_image, images_root, read_variant
from kiosque.store.moderation import (
    UnknownTarget,
    block_image,
    close_article_reports,
    moderation_queue,
    restore_image,
)
from kiosque.web.admin.guard import (
    HOME_PATH,
    AdminRoute,
    actor,
    admin_lang,
    admin_page,
    back_to,
    check_post,
    current_moderator,
    to_login,
)
from kiosque.web.deps import get_engine, get_settings
from kiosque.web.i18n import gettext_for
from kiosque.web.images import IMAGE_CSP, placeholder_response
from kiosque.web.readers import set_flash

router = APIRouter(prefix="/admin", route_class=AdminRoute)

ImageAction = Literal["restore", "block", "dismiss"]
MAX_REPORT_IDS = 500


@router.get("", name="admin_queue")
@router.get("/", include_in_schema=False)
def queue_page(request: Request) -> Response:
    """Everything that waits for a moderator, blocked images first."""
    moderator = current_moderator(request)
    if moderator is None:
        return to_login(request)
    with get_engine(request).connect() as conn:
        queue = moderation_queue(conn)
        review = image_review(conn)
    return admin_page(
        request, "admin/queue.html", moderator, queue=queue,
        waiting=review.waiting, blocked_for_good=review.blocked_for_good,
    )


@router.post("/images/{image_id}/{action}", name="admin_image_action")
def image_action(
    request: Request,
    image_id: int,
    action: ImageAction,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Restore, block for good, or dismiss the reports of one image."""
    checked = check_post(request, csrf)
    if isinstance(checked, Response):
        return checked
    settings = get_settings(request)
    _ = gettext_for(admin_lang(request, settings))
    who, now = actor(checked), datetime.now(UTC)
    try:
        with get_engine(request).begin() as conn:
            if action == "restore":
                restore_image(conn, image_id, who, now)
                message = _("The image is shown again and pinned.")
            elif action == "block":
                block_image(conn, image_id, who, now)
                message = _("The image is blocked for good.")
            else:
                dismiss_image_reports(conn, image_id, who, now)
                message = _("The reports were dismissed; the image is shown.")
    except UnknownTarget:
        message, kind = _("There is no such image."), "error"
    else:
        kind = "ok"
    response = back_to(HOME_PATH)
    set_flash(request, response, settings, message, kind)
    return response


def _report_ids(raw: str) -> list[int]:
    ids: list[int] = []
    for part in raw.split(",")[:MAX_REPORT_IDS]:
        part = part.strip()
        if part.isdigit():
            ids.append(int(part))
    return ids


@router.post("/article-reports/{outcome}", name="admin_close_reports")
def close_reports(
    request: Request,
    outcome: Literal["dismissed", "resolved"],
    report_ids: Annotated[str, Form(max_length=10_000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Close the open reports of an article: dismissed (nothing wrong) or resolved."""
    checked = check_post(request, csrf)
    if isinstance(checked, Response):
        return checked
    settings = get_settings(request)
    _ = gettext_for(admin_lang(request, settings))
    with get_engine(request).begin() as conn:
        closed = close_article_reports(
            conn, _report_ids(report_ids), actor(checked), outcome, datetime.now(UTC)
        )
    if not closed:
        message, kind = _("Those reports were already closed."), "error"
    elif outcome == "dismissed":
        message, kind = _("The reports were dismissed."), "ok"
    else:
        message, kind = _("The reports were marked as resolved."), "ok"
    response = back_to(HOME_PATH)
    set_flash(request, response, settings, message, kind)
    return response


def _files_root(request: Request) -> Path:
    override = getattr(request.app.state, "images_root", None)
    return Path(override) if override else images_root(get_settings(request).data_dir)


@router.get("/images/{image_id}/{variant}", name="admin_image")
def admin_image(request: Request, image_id: int, variant: str) -> Response:
    """The real picture, whatever its status, for moderators only (never cached)."""
    if current_moderator(request) is None:
        return to_login(request)
    if variant not in VARIANTS:
        return placeholder_response("unknown")
    with get_engine(request).connect() as conn:
        record = get_image(conn, image_id)
    if record is None or record.sha256 is None:
        return placeholder_response(record.status if record else "unknown")
    data = read_variant(_files_root(request), record.sha256, variant)
    if data is None:
        return placeholder_response("missing")
    return Response(
        data,
        media_type=variant_mime(variant),
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": IMAGE_CSP,
            "X-Kiosque-Image": record.status,
        },
    )
