"""One TCP (or TLS) connection on plain asyncio: reads, writes, timeouts, readiness.

Why not asyncio's streams or anyio: here a read returns at once what the event loop
already delivered, a timeout is one timer on the loop rather than a cancel scope per
read, and "has the server closed this idle connection?" is answered from what the
protocol has seen, without a system call. A slow reader of a large body stops the
socket being read, so the kernel's flow control holds the rest, not our memory.

Errors are ``kiosque.fetch.errors`` network errors: ``ReadTimedOut`` and
``ConnectionBroken`` on read, ``WriteTimedOut``/``ConnectionBroken`` on write,
``ConnectTimedOut``/``ConnectFailed`` while connecting or during the TLS handshake. A
server that closes cleanly makes ``read`` return ``b""``; the HTTP layer decides whether
that ended the body or broke it.
"""

from __future__ import annotations

import asyncio
import inspect
import ssl
from collections import deque
from typing import Any

from kiosque.fetch.addresses import parse_ip_literal
from kiosque.fetch.errors import (
    ConnectFailed,
    ConnectionBroken,
    ConnectTimedOut,
    ReadTimedOut,
    WriteTimedOut,
)

# Stop reading from the socket while this much is received and not yet consumed (a
# slow consumer of a large body); the kernel then applies TCP flow control.
_HIGH_WATER = 256 * 1024


class _Protocol(asyncio.Protocol):
    """Collects what the socket delivers and wakes the one reader waiting for it."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.chunks: deque[bytes] = deque()
        self.offset = 0  # bytes of chunks[0] already handed out
        self.buffered = 0
        self.eof = False
        self.lost: BaseException | None = None
        self.reading_paused = False
        self.waiter: asyncio.Future[None] | None = None
        self.write_paused = False
        self.drain_waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered > _HIGH_WATER and not self.reading_paused and self.transport:
            self.transport.pause_reading()
            self.reading_paused = True
        self._wake()

    def eof_received(self) -> bool | None:
        self.eof = True
        self._wake()
        return None  # let the transport close itself: we never write after the server

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self.lost = exc
        self._wake()
        self.write_paused = False
        self._wake_drain()

    def pause_writing(self) -> None:
        self.write_paused = True

    def resume_writing(self) -> None:
        self.write_paused = False
        self._wake_drain()

    def _wake(self) -> None:
        waiter, self.waiter = self.waiter, None
        _resolve(waiter)

    def _wake_drain(self) -> None:
        waiter, self.drain_waiter = self.drain_waiter, None
        _resolve(waiter)

    def take(self, max_bytes: int) -> bytes:
        """Up to ``max_bytes`` of what was received: the next chunk as it came when it
        fits, else a slice of it (the rest stays, without copying it again)."""
        chunk = self.chunks[0]
        start = self.offset
        if start == 0 and len(chunk) <= max_bytes:
            self.chunks.popleft()
        else:
            end = start + max_bytes
            if end >= len(chunk):
                self.chunks.popleft()
                self.offset = 0
            else:
                self.offset = end
            chunk = chunk[start:end]
        self.buffered -= len(chunk)
        if self.reading_paused and self.buffered <= _HIGH_WATER // 4 and self.transport:
            self.reading_paused = False
            self.transport.resume_reading()
        return chunk


def _resolve(waiter: asyncio.Future[None] | None) -> None:
    """Wake whoever waits on ``waiter`` (nobody, if it was already settled)."""
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


def _expire(waiter: asyncio.Future[None], error: type[Exception]) -> None:
    if not waiter.done():
        waiter.set_exception(error("timed out"))


async def _wait(waiter: asyncio.Future[None], timeout: float | None,
                error: type[Exception]) -> None:
    """Wait for ``waiter``; after ``timeout`` seconds it fails with ``error`` instead.

    One timer handle on the loop, cancelled when the wait ends: cheaper than a cancel
    scope (``anyio.fail_after``, ``asyncio.timeout``), which this runs once per read.
    """
    if timeout is None:
        await waiter
        return
    loop = asyncio.get_running_loop()
    timer = loop.call_later(max(0.0, timeout), _expire, waiter, error)
    try:
        await waiter
    finally:
        timer.cancel()


class Stream:
    """One open connection: what HTTP/1.1 needs of a socket, and no more."""

    __slots__ = ("_protocol", "_tls", "_transport")

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol, tls: bool) -> None:
        self._transport = transport
        self._protocol = protocol
        self._tls = tls

    async def read(self, max_bytes: int, timeout: float | None) -> bytes:
        """What arrived, up to ``max_bytes``; ``b""`` once the server closed cleanly."""
        protocol = self._protocol
        if not protocol.chunks and not protocol.eof:
            if protocol.waiter is not None:
                raise ConnectionBroken("another task is already reading this connection")
            waiter = protocol.waiter = asyncio.get_running_loop().create_future()
            try:
                await _wait(waiter, timeout, ReadTimedOut)
            finally:
                if protocol.waiter is waiter:
                    protocol.waiter = None
        if protocol.chunks:
            return protocol.take(max_bytes)
        if protocol.lost is not None:
            raise ConnectionBroken(str(protocol.lost) or type(protocol.lost).__name__)
        return b""

    def unread(self, data: bytes) -> None:
        """Put back bytes read too far (the start of a body read with the headers)."""
        if data:
            protocol = self._protocol
            if protocol.offset:
                protocol.chunks[0] = protocol.chunks[0][protocol.offset:]
                protocol.offset = 0
            protocol.chunks.appendleft(data)
            protocol.buffered += len(data)

    async def write(self, data: bytes, timeout: float | None) -> None:
        protocol = self._protocol
        if protocol.lost is not None or self._transport.is_closing():
            raise ConnectionBroken(str(protocol.lost or "the connection is closed"),
                                   early=True)
        try:
            self._transport.write(data)
        except (OSError, RuntimeError) as exc:
            raise ConnectionBroken(str(exc), early=True) from exc
        if protocol.write_paused:
            waiter = protocol.drain_waiter = asyncio.get_running_loop().create_future()
            await _wait(waiter, timeout, WriteTimedOut)
            if protocol.lost is not None:
                raise ConnectionBroken(str(protocol.lost), early=True)

    def idle_ok(self) -> bool:
        """Whether a pooled connection can carry a request: open, and nothing unasked
        arrived (a server that hung up, or sent bytes nobody asked for)."""
        protocol = self._protocol
        return not (protocol.chunks or protocol.eof or self._transport.is_closing())

    def close(self) -> None:
        if self._tls:
            # No close_notify exchange: waiting for the peer's answer would keep the
            # socket up to 30 s, and nothing more is read from it.
            self._transport.abort()
        else:
            self._transport.close()  # sends what is still buffered, then FIN

    def get_extra_info(self, name: str) -> Any:
        return self._transport.get_extra_info(name)


HAPPY_EYEBALLS_DELAY_S = 0.25  # the delay before trying a name's next address
_EYEBALLS: dict[type[asyncio.AbstractEventLoop], bool] = {}


def _happy_eyeballs(loop_type: type[asyncio.AbstractEventLoop]) -> bool:
    """Whether this kind of loop takes ``happy_eyeballs_delay`` (uvloop does not)."""
    known = _EYEBALLS.get(loop_type)
    if known is None:
        try:
            parameters = inspect.signature(loop_type.create_connection).parameters
            known = "happy_eyeballs_delay" in parameters
        except (TypeError, ValueError):  # pragma: no cover - a loop without a signature
            known = False
        _EYEBALLS[loop_type] = known
    return known


async def connect(host: str, port: int, *, timeout: float | None,
                  ssl_context: ssl.SSLContext | None = None,
                  server_hostname: str | None = None) -> Stream:
    """Open a connection to ``host`` (an address, or a name resolved by the system).

    With ``ssl_context`` the TLS handshake is part of connecting (and of its timeout);
    the certificate is checked against ``server_hostname``, the name in the URL, even
    when ``host`` is the address the SSRF guard pinned.
    """
    loop = asyncio.get_running_loop()
    options: dict[str, Any] = {}
    if _happy_eyeballs(type(loop)) and parse_ip_literal(host) is None:
        # A name (an allowed host, connected to by name) may have IPv6 and IPv4
        # addresses: try them in parallel, so a dead one does not cost the whole
        # connect timeout.
        options["happy_eyeballs_delay"] = HAPPY_EYEBALLS_DELAY_S
    if ssl_context is not None:
        options["ssl"] = ssl_context
        options["server_hostname"] = server_hostname or host
    try:
        async with asyncio.timeout(timeout):
            transport, protocol = await loop.create_connection(_Protocol, host, port,
                                                               **options)
    except TimeoutError as exc:
        raise ConnectTimedOut(f"connecting to {host}:{port} timed out") from exc
    except OSError as exc:  # ssl.SSLError (a bad certificate too) is an OSError
        raise ConnectFailed(str(exc) or type(exc).__name__) from exc
    assert isinstance(transport, asyncio.Transport)
    return Stream(transport, protocol, tls=ssl_context is not None)
