"""Anonymous readers: who is reporting, without accounts and without keeping addresses.

A reader is a random id in a signed cookie; forging one needs the secret, and clearing
cookies only makes a new, empty reader. The client address is kept only as a keyed hash
(HMAC with the secret): enough to tell "same address" apart for moderation counts and
rate limits, useless to anyone who reads the database without the key. IPv6 addresses
are hashed by their /64, since one host usually holds a whole /64 and could otherwise
rotate addresses at will.

Also here, because every route that accepts a reader's POST needs them: the same-origin
check that stops other sites from posting on a reader's behalf, the "where to go back"
check for redirects, and a one-shot flash message cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import threading
from pathlib import Path
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from kiosque.config import Settings

READER_COOKIE = "kiosque_reader"
FLASH_COOKIE = "kiosque_flash"
READER_MAX_AGE = 365 * 24 * 3600
FLASH_MAX_AGE = 120
SECRET_FILE = "secret.key"

_secret_lock = threading.Lock()
_secret_cache: dict[str, str] = {}


def load_secret(settings: Settings) -> str:
    """The signing key: ``secret_key`` when set, else one kept in ``<data_dir>/secret.key``.

    Generated on first use (readable by the owner only) so a fresh instance is safe
    without configuration, and stable across restarts so cookies stay valid.
    """
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / SECRET_FILE
    key = str(path.resolve())
    with _secret_lock:
        cached = _secret_cache.get(key)
        if cached:
            return cached
        if path.is_file() and path.read_text("utf-8").strip():
            secret = path.read_text("utf-8").strip()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            secret = secrets.token_urlsafe(48)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(secret + "\n")
        _secret_cache[key] = secret
        return secret


def hash_address(address: str, secret: str) -> str:
    """Keyed hash of a client address (IPv6 by /64); 64 hex characters."""
    text = address.strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        pass
    else:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if isinstance(ip, ipaddress.IPv6Address):
            text = str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
        else:
            text = str(ip)
    return hmac.new(secret.encode(), b"addr:" + text.encode(), hashlib.sha256).hexdigest()


def _reader_serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="kiosque.reader")


def _reader_from_cookie(raw: str, secret: str) -> str:
    """The reader id in a cookie value, or "" when absent, forged or malformed."""
    if not raw:
        return ""
    try:
        value = _reader_serializer(secret).loads(raw)
    except BadSignature:
        return ""
    if isinstance(value, str) and 16 <= len(value) <= 64 and value.isalnum():
        return value
    return ""


def _is_https(request: Request, settings: Settings) -> bool:
    if settings.base_url:
        return settings.base_url.startswith("https://")
    return request.url.scheme == "https"


def reader_identity(request: Request, response: Response, settings: Settings) -> tuple[str, str]:
    """(reader id, address hash) of the client; sets the cookie on ``response`` when new.

    Call it with the response the route will actually return (a redirect or JSON
    response made by the route, not an injected one), so the cookie reaches the reader.
    Several calls in one request give the same identity.
    """
    secret = load_secret(settings)
    cached = getattr(request.state, "kiosque_reader", None)
    if isinstance(cached, tuple):
        reader_id, ip_hash, is_new = cached
    else:
        reader_id = _reader_from_cookie(request.cookies.get(READER_COOKIE, ""), secret)
        is_new = not reader_id
        reader_id = reader_id or secrets.token_hex(16)
        ip_hash = hash_address(request.client.host if request.client else "", secret)
        request.state.kiosque_reader = (reader_id, ip_hash, is_new)
    if is_new:
        response.set_cookie(
            READER_COOKIE,
            _reader_serializer(secret).dumps(reader_id),
            max_age=READER_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=_is_https(request, settings),
            path="/",
        )
    return reader_id, ip_hash


def site_netlocs(request: Request, settings: Settings) -> set[str]:
    """Host[:port] values this site answers as: the request's Host and ``base_url``."""
    out = {request.url.netloc.lower()}
    host = request.headers.get("host")
    if host:
        out.add(host.lower())
    if settings.base_url:
        out.add(urlsplit(settings.base_url).netloc.lower())
    out.discard("")
    return out


def is_same_origin(request: Request, settings: Settings) -> bool:
    """Whether a state-changing request comes from our own pages.

    ``Sec-Fetch-Site`` first (modern browsers), then ``Origin``, then ``Referer``; a
    request with none of them is refused, since browsers send at least one on POST.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site.lower() not in ("same-origin", "none"):
        return False
    ours = site_netlocs(request, settings)
    origin = request.headers.get("origin")
    if origin is not None and origin.lower() != "null":
        return urlsplit(origin).netloc.lower() in ours
    referer = request.headers.get("referer")
    if referer:
        return urlsplit(referer).netloc.lower() in ours
    return fetch_site is not None and fetch_site.lower() == "same-origin"


def safe_next(target: str | None, request: Request, settings: Settings, default: str = "/") -> str:
    """A redirect target on this site only (a path, or a URL on our own host)."""
    if not target:
        return default
    target = target.strip()
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc:
        if target.startswith("/") and not target.startswith("//"):
            return target
        return default
    if parts.scheme in ("http", "https") and parts.netloc.lower() in site_netlocs(
        request, settings
    ):
        path = parts.path or "/"
        return path + (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else ""
        )
    return default


def _flash_serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="kiosque.flash")


def set_flash(
    request: Request, response: Response, settings: Settings, message: str, kind: str = "info"
) -> None:
    """Leave a one-shot message for the next page the reader sees."""
    value = _flash_serializer(load_secret(settings)).dumps({"m": message[:500], "k": kind})
    response.set_cookie(
        FLASH_COOKIE,
        value,
        max_age=FLASH_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=_is_https(request, settings),
        path="/",
    )


def pop_flash(
    request: Request, response: Response, settings: Settings
) -> tuple[str, str] | None:
    """(message, kind) left by ``set_flash``, cleared from the reader's browser."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    response.delete_cookie(FLASH_COOKIE, path="/")
    try:
        value = _flash_serializer(load_secret(settings)).loads(raw, max_age=FLASH_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    message, kind = value.get("m"), value.get("k")
    if not isinstance(message, str) or not isinstance(kind, str):
        return None
    return message, kind
