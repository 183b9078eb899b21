"""The connection pool's bookkeeping, made cheap for a poller with many hosts.

httpcore asks every idle pooled connection "has the server closed you?" each time it
assigns a request, and counts its connections in a way that grows with the square of
their number. A poll cycle keeps connections to hundreds of hosts, where that
bookkeeping cost more than the requests themselves. Here: one ``poll`` sweep answers
the question for every socket, and a pool subclass counts once.
"""

from __future__ import annotations

import contextlib
import math
import select
import ssl
import time
from typing import Any, Protocol

import httpcore


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


class ReadinessProbe:
    """Answers "would a read return at once?" for every pooled socket with one ``poll``.

    Why: httpcore asks it of each idle connection every time it assigns a request, so
    with connections to many hosts in one pool a poll cycle paid one syscall per
    connection per request. One sweep answers them all, and is reused for
    ``max_age_s``: an answer a couple of milliseconds old is as good as a fresh one,
    since a server may close a connection right after any check anyway. A socket read
    since the sweep is not taken as readable (what the sweep saw was that response).
    """

    def __init__(self, max_age_s: float = 0.002) -> None:
        self.max_age_s = max_age_s
        self._poller = select.poll()
        self._fds: set[int] = set()
        self._ready: set[int] = set()
        self._swept_at = -math.inf

    def watch(self, fd: int) -> None:
        if fd >= 0 and fd not in self._fds:
            self._poller.register(fd, select.POLLIN)
            self._fds.add(fd)

    def forget(self, fd: int) -> None:
        if fd in self._fds:
            self._fds.discard(fd)
            self._ready.discard(fd)
            with contextlib.suppress(KeyError, ValueError):
                self._poller.unregister(fd)

    def was_read(self, fd: int) -> None:
        self._ready.discard(fd)

    def readable(self, sock: HasFileno) -> bool:
        fd = sock.fileno()
        if fd not in self._fds:
            return socket_has_data(sock)
        now = time.monotonic()
        if now - self._swept_at > self.max_age_s:
            self._ready = {ready_fd for ready_fd, _ in self._poller.poll(0)}
            self._swept_at = now
        return fd in self._ready


class CheapReadableStream(httpcore.AsyncNetworkStream):
    """A network stream that answers the pool's "is_readable" question cheaply."""

    def __init__(self, inner: httpcore.AsyncNetworkStream, probe: ReadinessProbe) -> None:
        self._inner = inner
        self._probe = probe
        raw = inner.get_extra_info("socket")
        self._socket: HasFileno | None = raw if hasattr(raw, "fileno") else None
        self._fd = self._socket.fileno() if self._socket is not None else -1
        probe.watch(self._fd)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return await self._inner.read(max_bytes, timeout)
        finally:
            self._probe.was_read(self._fd)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        self._probe.forget(self._fd)
        await self._inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        tls = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        return CheapReadableStream(tls, self._probe)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return self._probe.readable(self._socket)
        return self._inner.get_extra_info(info)


class LinearPool(httpcore.AsyncConnectionPool):
    """httpcore's connection pool, with its bookkeeping linear in the number of connections.

    Why: httpcore 1.0.x, on every request it assigns, counts the pool's connections by
    building a list of them once per idle connection: quadratic in the pool size. A poller
    keeps connections to many hosts, and there that bookkeeping cost more than the request
    itself. The decisions are the same (close closed, expired and surplus idle connections;
    reuse one for the origin, else open one, else replace an idle one); only the counting
    changed.
    """

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        for connection in list(self._connections):
            if connection.is_closed():
                self._connections.remove(connection)
            elif connection.has_expired() or (
                    connection.is_idle()
                    and len(self._connections) > self._max_keepalive_connections):
                self._connections.remove(connection)
                closing.append(connection)
        for pool_request in [r for r in self._requests if r.is_queued()]:
            origin = pool_request.request.url.origin
            chosen = next((c for c in self._connections
                           if c.can_handle_request(origin) and c.is_available()), None)
            if chosen is None:
                if len(self._connections) >= self._max_connections:
                    idle = next((c for c in self._connections if c.is_idle()), None)
                    if idle is None:
                        continue  # stays queued until a connection frees up
                    self._connections.remove(idle)
                    closing.append(idle)
                chosen = self.create_connection(origin)
                self._connections.append(chosen)
            pool_request.assign_to_connection(chosen)
        return closing
