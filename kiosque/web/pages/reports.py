"""Readers report an article (wrong source or date, broken text...) for a moderator.

A plain HTML form posts here, so it works without JavaScript: the answer is a 303 back
to the article with a one-shot flash message. Nothing is hidden by a report: articles
are a matter of judgement, so they wait in the moderators' queue. The same defences as
image reports apply: the request must come from our own pages (no other site can make
a reader's browser report for it) and ``report_article`` rate-limits per reader and per
address.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from kiosque.config import Settings
from kiosque.moderation.rules import ARTICLE_REPORT_REASONS
from kiosque.store.moderation import ArticleReportOutcome, UnknownTarget, report_article
from kiosque.web import urls
from kiosque.web.deps import get_engine, get_settings, ui_lang
from kiosque.web.i18n import gettext_for
from kiosque.web.readers import is_same_origin, reader_identity, safe_next, set_flash

router = APIRouter()

MAX_FIELDS = 10


def article_report_message(status: str, lang: str) -> str:
    """The sentence a reader sees after reporting an article, in the page's language."""
    _: Callable[[str], str] = gettext_for(lang)
    messages = {
        "counted": _("Thank you. A moderator will look at this article."),
        "already": _("You have already reported this article. Thank you."),
        "rate_limited": _("You have sent many reports in a short time. Please try again later."),
        "forbidden": _("This report could not be accepted."),
        "invalid": _("Please choose what is wrong with the article."),
        "unknown": _("This article no longer exists."),
    }
    return messages.get(status, messages["forbidden"])


def _store_report(
    engine: Engine, article_id: int, reader_id: str, ip_hash: str, reason: str, note: str
) -> ArticleReportOutcome | None:
    with engine.begin() as conn:
        try:
            return report_article(
                conn, article_id, reader_id, ip_hash, reason, note, datetime.now(UTC)
            )
        except UnknownTarget:
            return None


@router.post("/{lang:uilang}/report/article/{article_id:int}", include_in_schema=False)
async def report_article_route(
    request: Request,
    lang: Annotated[str, Depends(ui_lang)],
    article_id: int,
    settings: Annotated[Settings, Depends(get_settings)],
    engine: Annotated[Engine, Depends(get_engine)],
) -> Response:
    """Store one reader's report of an article and send them back with a message."""
    if not is_same_origin(request, settings):
        return PlainTextResponse(article_report_message("forbidden", lang), status_code=403)
    form: dict[str, str] = {}
    if request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        async with request.form(max_files=0, max_fields=MAX_FIELDS) as data:
            form = {k: v for k, v in data.items() if isinstance(v, str)}
    reason = form.get("reason", "")
    if reason not in ARTICLE_REPORT_REASONS:
        return PlainTextResponse(article_report_message("invalid", lang), status_code=400)
    note = form.get("note", "").replace("\x00", "")  # PostgreSQL text refuses NUL

    scratch = Response()  # collects the reader cookie until the real answer is known
    reader_id, ip_hash = reader_identity(request, scratch, settings)
    outcome = await run_in_threadpool(
        _store_report, engine, article_id, reader_id, ip_hash, reason, note
    )
    if outcome is None:
        answer: Response = PlainTextResponse(
            article_report_message("unknown", lang), status_code=404
        )
    else:
        target = safe_next(form.get("next"), request, settings, default=urls.home(lang))
        answer = RedirectResponse(target, status_code=303)
        set_flash(request, answer, settings, article_report_message(outcome.status, lang),
                  kind=f"article_{outcome.status}")
    answer.raw_headers.extend(h for h in scratch.raw_headers if h[0] == b"set-cookie")
    return answer
