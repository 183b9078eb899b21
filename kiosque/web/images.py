"""Serving our copies of publishers' images, and taking readers' reports about them.

Readers' browsers only ever load images from here, never from a publisher: no tracking
by third parties, and a blocked image disappears everywhere at once because every page
points at the same URL. A blocked, broken or unknown image answers with a neutral
placeholder (status 200, so pages keep their layout) and a short cache life, so a
moderator's restore shows up soon.

The app sets ``app.state.engine`` and ``app.state.settings``; ``app.state.images_root``
may override where variant files live (default ``<data_dir>/images``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from kiosque.config import Settings
from kiosque.media import VARIANTS, variant_mime
from kiosque.moderation.messages import LANGS, report_message
from kiosque.store.images import get_image, images_root, read_variant
from kiosque.store.moderation import ReportOutcome, UnknownTarget, report_image
from kiosque.web.readers import is_same_origin, reader_identity, safe_next, set_flash

# ids beyond a SQL BIGINT are refused before they reach the database
RowId = Annotated[int, PathParam(ge=1, le=2**63 - 1)]

router = APIRouter()

# A day: long enough that lists of articles load from cache, short enough that a block
# reaches browsers that cached the picture before it. Revalidation is cheap (ETag).
IMAGE_CACHE = "public, max-age=86400"
PLACEHOLDER_CACHE = "public, max-age=300"
# Nothing we serve as an image should ever run anything, even if opened as a document.
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

PLACEHOLDER_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360" width="640" '
    b'height="360" role="img" aria-label="">'
    b'<rect width="640" height="360" fill="#e7e7e3"/>'
    b'<g fill="none" stroke="#b9b9b3" stroke-width="10" stroke-linejoin="round">'
    b'<rect x="250" y="120" width="140" height="110" rx="10"/>'
    b'<path d="M262 218l38-44 28 30 18-18 32 32"/></g>'
    b'<circle cx="355" cy="152" r="12" fill="#b9b9b3"/></svg>'
)


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _files_root(request: Request) -> Path:
    override = getattr(request.app.state, "images_root", None)
    return Path(override) if override else images_root(_settings(request).data_dir)


def placeholder_response(state: str) -> Response:
    """The neutral picture shown in place of an image readers may not see."""
    return Response(
        PLACEHOLDER_SVG,
        media_type="image/svg+xml",
        headers={
            "Cache-Control": PLACEHOLDER_CACHE,
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": IMAGE_CSP,
            "X-Kiosque-Image": state,
        },
    )


def _lookup(engine: Engine, files_root: Path, image_id: int, variant: str) -> tuple[str, Any]:
    with engine.connect() as conn:
        record = get_image(conn, image_id)
    if record is None:
        return "unknown", None
    if not record.visible or record.sha256 is None:
        return record.status, None
    data = read_variant(files_root, record.sha256, variant)
    if data is None:
        return "missing", None
    return "ok", (record.sha256, data)


@router.get("/images/{image_id}/{variant}", name="image_variant", include_in_schema=False)
async def image_variant(request: Request, image_id: RowId, variant: str) -> Response:
    """One variant of a stored image, or the placeholder."""
    if variant not in VARIANTS:
        return placeholder_response("unknown")
    state, found = await run_in_threadpool(
        _lookup, _engine(request), _files_root(request), image_id, variant
    )
    if found is None:
        return placeholder_response(state)
    sha256, data = found
    etag = f'"{sha256}-{variant}"'
    headers = {
        "Cache-Control": IMAGE_CACHE,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": IMAGE_CSP,
        "X-Kiosque-Image": "ok",
    }
    wanted = request.headers.get("if-none-match", "")
    if wanted.strip() == "*" or etag in (t.strip().removeprefix("W/") for t in wanted.split(",")):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=variant_mime(variant), headers=headers)


def choose_lang(request: Request, settings: Settings, asked: str | None = None) -> str:
    """Interface language for a message: asked, then the app's choice, then the browser."""
    for candidate in (asked, getattr(request.state, "lang", None)):
        if isinstance(candidate, str) and candidate in LANGS:
            return candidate
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return settings.default_lang if settings.default_lang in LANGS else "en"


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    content_type = request.headers.get("content-type", "")
    return "application/json" in accept or content_type.startswith("application/json")


def _report(
    engine: Engine, image_id: int, reader_id: str, ip_hash: str, settings: Settings
) -> ReportOutcome | None:
    with engine.begin() as conn:
        try:
            return report_image(
                conn, image_id, reader_id, ip_hash, datetime.now(UTC), settings
            )
        except UnknownTarget:
            return None


_JSON_CODES = {
    "counted": 200, "already": 200, "blocked": 200, "rate_limited": 429, "unknown": 404,
}


@router.post("/images/{image_id}/report", name="report_image", include_in_schema=False)
async def report_image_route(request: Request, image_id: RowId) -> Response:
    """A reader reports an image: count it, maybe block it, and tell the reader."""
    settings = _settings(request)
    form: dict[str, str] = {}
    if request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        async with request.form(max_files=0, max_fields=20) as data:
            form = {k: v for k, v in data.items() if isinstance(v, str)}
    lang = choose_lang(request, settings, form.get("lang") or request.query_params.get("lang"))
    as_json = _wants_json(request)

    if not is_same_origin(request, settings):
        message = report_message("forbidden", lang)
        if as_json:
            return JSONResponse({"status": "forbidden", "message": message}, status_code=403)
        return PlainTextResponse(message, status_code=403)

    target = safe_next(
        form.get("next") or request.query_params.get("next") or request.headers.get("referer"),
        request,
        settings,
    )
    scratch = Response()  # collects the reader cookie until the real answer is known
    reader_id, ip_hash = reader_identity(request, scratch, settings)
    outcome = await run_in_threadpool(
        _report, _engine(request), image_id, reader_id, ip_hash, settings
    )
    status = outcome.status if outcome else "unknown"
    message = report_message(status, lang)
    response: Response
    if as_json:
        response = JSONResponse(
            {"status": status, "message": message}, status_code=_JSON_CODES[status]
        )
        if status == "rate_limited":
            response.headers["Retry-After"] = "3600"
    elif outcome is None:
        response = PlainTextResponse(message, status_code=404)
    else:
        response = RedirectResponse(target, status_code=303)
        set_flash(request, response, settings, message, kind=status)
    response.raw_headers.extend(h for h in scratch.raw_headers if h[0] == b"set-cookie")
    return response
