"""Connect to the address the SSRF guard checked, not to whatever DNS says a moment later.

If the guard resolved a name and httpx resolved it again to connect, a DNS server with
a tiny TTL could answer "public" to the first lookup and "private" to the second (DNS
rebinding). Rewriting URLs to IP literals would avoid that but breaks connection pooling
(two HTTPS sites on one CDN address would share a TLS connection made for only one of
them). So the name stays in the URL, for the Host header, SNI, certificate checks and
pooling, and only the socket layer is told which checked address to dial.

httpx does not expose the network backend of its transport, so we install ours on the
transport's connection pool (httpx 0.28 / httpcore 1.x attribute names; a test fails
if they move). The streams themselves are plain asyncio ones (see ``stream``).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable

import httpcore
import httpx

from kiosque.fetch.pool import LinearPool
from kiosque.fetch.stream import AsyncioBackend


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that dials the pinned address of a host name when it has one."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or AsyncioBackend()
        self._pins: dict[str, str] = {}

    def pin(self, host: str, address: str) -> None:
        """From now on, new connections to ``host`` go to ``address`` (already checked)."""
        self._pins[host.lower().rstrip(".")] = address

    def pinned(self, host: str) -> str | None:
        return self._pins.get(host.lower().rstrip("."))

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = self.pinned(host) or host
        return await self._inner.connect_tcp(address, port, timeout=timeout,
                                             local_address=local_address,
                                             socket_options=socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self._inner.connect_unix_socket(path, timeout=timeout,
                                                     socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pinned_transport(limits: httpx.Limits, verify: ssl.SSLContext | bool = True,
                     ) -> tuple[httpx.AsyncHTTPTransport, PinnedBackend]:
    """An httpx transport whose connections go through a ``PinnedBackend``.

    ``verify`` is httpx's: True checks certificates against certifi's roots (tests
    pass an ``SSLContext`` that trusts their own certificate).
    """
    transport = httpx.AsyncHTTPTransport(verify=verify, limits=limits, trust_env=False)
    pool = transport._pool
    if not isinstance(pool, httpcore.AsyncConnectionPool):  # pragma: no cover - httpx moved
        raise RuntimeError("httpx transport layout changed; cannot pin addresses")
    LinearPool.adopt(pool)  # same state, cheaper bookkeeping (see LinearPool)
    backend = PinnedBackend(AsyncioBackend())
    pool._network_backend = backend
    return transport, backend
