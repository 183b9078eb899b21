"""An httpx transport behind the fetcher's ``Transport`` interface.

Why keep one: tests of the layers above the wire (the SSRF guard, robots, the ingester)
and other packages' tests answer requests in memory with ``httpx.MockTransport``, or
forward some of them to a real server; the fetcher accepts any httpx transport for
that. It trusts such a transport to connect where it likes once the guard has checked
the address, so ``address`` is not used here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from kiosque.fetch.errors import (
    ConnectFailed,
    ConnectionBroken,
    ConnectTimedOut,
    NetworkError,
    ProtocolBroken,
    ReadTimedOut,
    Unsupported,
    WriteTimedOut,
)


def _network_error(exc: httpx.HTTPError) -> NetworkError:
    """The same failure in the fetcher's terms."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return ConnectTimedOut(message)
    if isinstance(exc, httpx.WriteTimeout):
        return WriteTimedOut(message)
    if isinstance(exc, httpx.TimeoutException):
        return ReadTimedOut(message)
    if isinstance(exc, httpx.ConnectError):
        return ConnectFailed(message)
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return ConnectionBroken(message, early=True)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return Unsupported(message)
    # httpx does not say whether a protocol error came before the response began; a
    # second try was always allowed for it, as for the read errors above.
    return ProtocolBroken(message, early=isinstance(exc, httpx.RemoteProtocolError))


class HttpxReply:
    __slots__ = ("_response", "decoded", "headers", "reason", "status")

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status = response.status_code
        self.reason = response.reason_phrase
        self.headers = dict(response.headers.items())  # httpx gives the names in lower case
        # A response built in memory (httpx.MockTransport) was already read and decoded.
        self.decoded = response.is_stream_consumed

    async def raw_chunks(self) -> AsyncIterator[bytes]:
        if self.decoded:
            yield self._response.content
            return
        try:
            async for chunk in self._response.aiter_raw():
                yield chunk
        except httpx.HTTPError as exc:
            raise _network_error(exc) from exc

    async def aclose(self) -> None:
        await self._response.aclose()


class HttpxTransport:
    """Sends through ``inner``, an ``httpx.AsyncBaseTransport``."""

    def __init__(self, inner: httpx.AsyncBaseTransport, timeouts: dict[str, float | None]
                 ) -> None:
        self._inner = inner
        self._timeouts = timeouts

    async def send(self, url: httpx.URL, headers: dict[str, str],
                   address: str | None) -> HttpxReply:
        request = httpx.Request("GET", url, headers=headers,
                                extensions={"timeout": self._timeouts})
        try:
            response = await self._inner.handle_async_request(request)
        except httpx.HTTPError as exc:
            raise _network_error(exc) from exc
        response.request = request
        return HttpxReply(response)

    async def aclose(self) -> None:
        await self._inner.aclose()
