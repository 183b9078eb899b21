"""Security headers on every response, including a strict Content-Security-Policy.

The site runs no inline script and loads nothing from other origins (no CDN, no web
fonts), so the policy can say exactly that; a publisher's HTML that slipped a script
past the sanitizer would still not run. Images are limited to our own origin (the image
proxy), so merely reading an article never tells a third party who is reading.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Encoded once: the middleware runs on every response, so it works on raw ASGI pairs.
_RAW_HEADERS = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]


class SecurityHeadersMiddleware:
    """Adds ``HEADERS`` to every HTTP response unless a route set its own value."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = message["headers"] = list(message.get("headers", ()))
                present = {bytes(name).lower() for name, _ in raw}
                raw.extend(pair for pair in _RAW_HEADERS if pair[0] not in present)
            await send(message)

        await self.app(scope, receive, wrapped)
