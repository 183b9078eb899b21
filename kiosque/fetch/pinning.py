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

import select
import ssl
from collections.abc import Iterable
from typing import Any, Protocol

import httpcore
import httpx


class HasFileno(Protocol):
    """A socket, or asyncio's ``TransportSocket`` view of one."""

    def fileno(self) -> int: ...


def socket_has_data(sock: HasFileno | None) -> bool:
    """Whether a read on ``sock`` would return at once (data, EOF or a gone socket).

    httpcore asks this of every idle pooled connection each time it assigns a request,
    to drop connections the server closed. Going through anyio it costs a dictionary of
    socket attributes and a ``getpeername`` call per ask; this is one ``poll``.
    """
    fd = sock.fileno() if sock is not None else -1
    if fd < 0:
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class _CheapReadableStream(httpcore.AsyncNetworkStream):
    """A network stream that answers the pool's "is_readable" question cheaply."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        raw = inner.get_extra_info("socket")
        self._socket: HasFileno | None = raw if hasattr(raw, "fileno") else None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        tls = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        return _CheapReadableStream(tls)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return socket_has_data(self._socket)
        return self._inner.get_extra_info(info)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that dials the pinned address of a host name when it has one."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner
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
        stream = await self._inner.connect_tcp(address, port, timeout=timeout,
                                               local_address=local_address,
                                               socket_options=socket_options)
        return _CheapReadableStream(stream)

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
    backend = PinnedBackend(pool._network_backend)
    pool._network_backend = backend
    return transport, backend
