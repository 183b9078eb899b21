"""Connect to the address the SSRF guard checked, not to whatever DNS says a moment later.

If the guard resolved a name and httpx resolved it again to connect, a DNS server with
a tiny TTL could answer "public" to the first lookup and "private" to the second (DNS
rebinding). Rewriting URLs to IP literals would avoid that but breaks connection pooling
(two HTTPS sites on one CDN address would share a TLS connection made for only one of
them). So the name stays in the URL, for the Host header, SNI, certificate checks and
pooling, and only the socket layer is told which checked address to dial.

httpx does not expose the network backend of its transport, so we install ours on the
transport's connection pool (httpx 0.28 / httpcore 1.x attribute names; a test fails
if they move).
"""

from __future__ import annotations

from collections.abc import Iterable

import httpcore
import httpx

from kiosque.fetch.pool import CheapReadableStream, LinearPool, ReadinessProbe


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that dials the pinned address of a host name when it has one."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner
        self._pins: dict[str, str] = {}
        self.probe = ReadinessProbe()

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
        stream = await self._inner.connect_tcp(address, port, timeout=timeout,
                                               local_address=local_address,
                                               socket_options=socket_options)
        return CheapReadableStream(stream, self.probe)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self._inner.connect_unix_socket(path, timeout=timeout,
                                                     socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pinned_transport(limits: httpx.Limits) -> tuple[httpx.AsyncHTTPTransport, PinnedBackend]:
    """An httpx transport whose connections go through a ``PinnedBackend``."""
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    pool = transport._pool
    if not isinstance(pool, httpcore.AsyncConnectionPool):  # pragma: no cover - httpx moved
        raise RuntimeError("httpx transport layout changed; cannot pin addresses")
    pool.__class__ = LinearPool  # same state, cheaper bookkeeping (see LinearPool)
    backend = PinnedBackend(pool._network_backend)
    pool._network_backend = backend
    return transport, backend
