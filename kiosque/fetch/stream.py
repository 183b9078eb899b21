"""httpcore's network streams on plain asyncio, without anyio in between.

Why: after connection reuse was fixed, a page fetch was mostly httpcore machinery, and
a good part of it was the anyio stream under it: every read and write opened a cancel
scope (``fail_after``) and yielded to the event loop once more than needed, and anyio
stops reading an idle socket, so telling whether the server hung up on a pooled
connection took a ``poll`` system call. Here a read returns at once what the event loop
already delivered, a timeout is one timer on the loop, and "has the server closed this
idle connection?" is answered from what the protocol has seen, without a system call.

The contract is httpcore's ``AsyncNetworkStream`` (read, write, aclose, start_tls,
get_extra_info) with its exceptions: ``ReadTimeout``/``ReadError`` on read,
``WriteTimeout``/``WriteError`` on write, ``ConnectTimeout``/``ConnectError`` while
connecting or during the TLS handshake. A server that closes cleanly makes ``read``
return ``b""``, which h11 turns into the right protocol error when it comes mid-response.
"""

from __future__ import annotations

import asyncio
import inspect
import ssl
from collections import deque
from collections.abc import Iterable
from typing import Any

import httpcore

from kiosque.fetch.addresses import parse_ip_literal

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
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _wake_drain(self) -> None:
        waiter = self.drain_waiter
        if waiter is not None:
            self.drain_waiter = None
            if not waiter.done():
                waiter.set_result(None)

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


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One TCP (or TLS) connection as httpcore wants it."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol,
                 tls: bool = False) -> None:
        self._transport = transport
        self._protocol = protocol
        self._tls = tls

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        if not protocol.chunks and not protocol.eof:
            if protocol.waiter is not None:
                raise httpcore.ReadError("another task is already reading this connection")
            waiter = protocol.waiter = asyncio.get_running_loop().create_future()
            try:
                await _wait(waiter, timeout, httpcore.ReadTimeout)
            finally:
                if protocol.waiter is waiter:
                    protocol.waiter = None
        if protocol.chunks:
            return protocol.take(max_bytes)
        if protocol.lost is not None:
            raise httpcore.ReadError(str(protocol.lost) or type(protocol.lost).__name__)
        return b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if protocol.lost is not None or self._transport.is_closing():
            raise httpcore.WriteError(str(protocol.lost or "the connection is closed"))
        try:
            self._transport.write(buffer)
        except (OSError, RuntimeError) as exc:
            raise httpcore.WriteError(str(exc)) from exc
        if protocol.write_paused:
            waiter = protocol.drain_waiter = asyncio.get_running_loop().create_future()
            await _wait(waiter, timeout, httpcore.WriteTimeout)
            if protocol.lost is not None:
                raise httpcore.WriteError(str(protocol.lost))

    async def aclose(self) -> None:
        if self._tls:
            # No close_notify exchange (anyio's default for httpcore did none either):
            # waiting for the peer's answer would keep the socket up to 30 s.
            self._transport.abort()
        else:
            self._transport.close()  # sends what is still buffered, then FIN

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                tls = await loop.start_tls(self._transport, self._protocol, ssl_context,
                                           server_hostname=server_hostname)
        except TimeoutError as exc:
            self._transport.abort()
            raise httpcore.ConnectTimeout("timed out during the TLS handshake") from exc
        except OSError as exc:  # ssl.SSLError (a bad certificate too) is an OSError
            self._transport.abort()
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        if tls is None:  # pragma: no cover - only for a transport closed meanwhile
            raise httpcore.ConnectError("the connection closed during the TLS handshake")
        assert isinstance(tls, asyncio.Transport)
        self._protocol.transport = tls
        return AsyncioStream(tls, self._protocol, tls=True)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # Whether a read would return at once: data, EOF or a lost connection. The
            # transport reads all the time, so the protocol already knows.
            protocol = self._protocol
            return bool(protocol.chunks) or protocol.eof
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        return None


HAPPY_EYEBALLS_DELAY_S = 0.25  # anyio's delay before trying the next address
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


def _stream(transport: asyncio.BaseTransport, protocol: _Protocol,
            socket_options: Iterable[httpcore.SOCKET_OPTION] | None) -> AsyncioStream:
    assert isinstance(transport, asyncio.Transport)
    sock = transport.get_extra_info("socket")
    for option in socket_options or ():
        sock.setsockopt(*option)
    return AsyncioStream(transport, protocol)


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens ``AsyncioStream`` connections."""

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        options: dict[str, Any] = {}
        if _happy_eyeballs(type(loop)) and parse_ip_literal(host) is None:
            # A name (an allowed host, connected to by name) may have IPv6 and IPv4
            # addresses: try them in parallel as anyio did, so a dead one does not
            # cost the whole connect timeout.
            options["happy_eyeballs_delay"] = HAPPY_EYEBALLS_DELAY_S
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(
                    _Protocol, host, port,
                    local_addr=(local_address, 0) if local_address else None, **options)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"connecting to {host}:{port} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return _stream(transport, protocol, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_unix_connection(_Protocol, path)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"connecting to {path} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return _stream(transport, protocol, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

