"""Sources as moderators manage them: health at a glance, add, disable, enable, policy.

A new source goes through the same validation as the source list file
(``kiosque.sources.validate.build_source``), so a source added here is valid by the
same rules. The health table shows what the scheduler knows: last success, last error,
next check, and two rates (the feed's own, as estimated for scheduling, and what we
actually stored over the last week).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from kiosque.models import TextPolicy
from kiosque.sources.errors import SourceListError
from kiosque.sources.slugs import source_slug
from kiosque.sources.validate import build_source
from kiosque.store.admin import (
    EXCERPT_WORDS_RANGE,
    AdminError,
    add_source,
    set_source_enabled,
    source_health,
    update_source_policy,
)
from kiosque.web.admin.guard import (
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
from kiosque.web.readers import set_flash

router = APIRouter(prefix="/admin", route_class=AdminRoute)

SOURCES_PATH = "/admin/sources"
Field = Annotated[str, Form(max_length=2000)]


@router.get("/sources", name="admin_sources")
def sources_page(request: Request) -> Response:
    """Every source with its health, and the forms that change them."""
    moderator = current_moderator(request)
    if moderator is None:
        return to_login(request)
    with get_engine(request).connect() as conn:
        rows = source_health(conn, datetime.now(UTC))
    return admin_page(
        request, "admin/sources.html", moderator, sources=rows,
        policies=[p.value for p in TextPolicy], words_range=EXCERPT_WORDS_RANGE,
    )


def _flash_back(request: Request, message: str, kind: str) -> Response:
    response = back_to(SOURCES_PATH)
    set_flash(request, response, get_settings(request), message, kind)
    return response


@router.post("/sources/add", name="admin_add_source")
def add(
    request: Request,
    name: Field = "",
    feed_url: Field = "",
    slug: Field = "",
    homepage: Field = "",
    lang: Field = "",
    section: Field = "",
    csrf: Field = "",
) -> Response:
    """Add a source; it is polled at the scheduler's next tick."""
    checked = check_post(request, csrf)
    if isinstance(checked, Response):
        return checked
    _ = gettext_for(admin_lang(request, get_settings(request)))
    entry: dict[str, Any] = {
        "slug": slug.strip() or source_slug(name.strip(), feed_url.strip()),
        "name": name.strip(),
        "feed_url": feed_url.strip(),
    }
    for key, value in (("homepage", homepage), ("lang", lang), ("section", section)):
        if value.strip():
            entry[key] = value.strip()
    try:
        source = build_source(entry, lambda key: ("new source", None))
        with get_engine(request).begin() as conn:
            add_source(conn, source, datetime.now(UTC), actor(checked))
    except (SourceListError, AdminError) as exc:
        return _flash_back(request, _("The source was not added:") + " " + str(exc), "error")
    return _flash_back(request, _("The source was added."), "ok")


@router.post("/sources/{slug}/policy", name="admin_source_policy")
def policy(
    request: Request,
    slug: str,
    text_policy: Field = "",
    excerpt_words: Field = "",
    csrf: Field = "",
) -> Response:
    """Change how much of the source's articles the site shows."""
    checked = check_post(request, csrf)
    if isinstance(checked, Response):
        return checked
    _ = gettext_for(admin_lang(request, get_settings(request)))
    try:
        words = int(excerpt_words.strip())
        with get_engine(request).begin() as conn:
            found = update_source_policy(
                conn, slug, text_policy, words, actor(checked), datetime.now(UTC)
            )
    except (ValueError, AdminError):
        low, high = EXCERPT_WORDS_RANGE
        message = _("The excerpt must be %(low)s to %(high)s words long.") % {
            "low": low, "high": high}
        return _flash_back(request, message, "error")
    if not found:
        return _flash_back(request, _("There is no such source."), "error")
    return _flash_back(request, _("The display policy was saved."), "ok")


@router.post("/sources/{slug}/{state}", name="admin_source_state")
def enable_or_disable(
    request: Request,
    slug: str,
    state: Literal["enable", "disable"],
    csrf: Field = "",
) -> Response:
    """Stop or resume polling a source; its articles stay."""
    checked = check_post(request, csrf)
    if isinstance(checked, Response):
        return checked
    _ = gettext_for(admin_lang(request, get_settings(request)))
    with get_engine(request).begin() as conn:
        found = set_source_enabled(
            conn, slug, state == "enable", actor(checked), datetime.now(UTC)
        )
    if not found:
        return _flash_back(request, _("There is no such source."), "error")
    if state == "enable":
        return _flash_back(request, _("The source is polled again."), "ok")
    return _flash_back(request, _("The source is no longer polled."), "ok")
