"""What the fetcher sends requests through: the interface, and kiosque's HTTP/1.1 one.

The fetcher decides what to ask (URL, headers, which checked address to dial) and what
to make of the answer; a transport only carries one GET and hands back the response
with its body still to be streamed. The default, ``Http11Transport``, keeps idle
connections per origin (see ``connections``) and speaks HTTP/1.1 (see ``http11``).
Tests and special setups may pass an httpx transport instead (see ``httpx_transport``).
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from typing import Protocol

import certifi
import httpx

from kiosque.fetch.connections import Connection, ConnectionPool, Origin
from kiosque.fetch.errors import ConnectionBroken, ProtocolBroken, Unsupported
from kiosque.fetch.http11 import (
    MAX_HEAD_BYTES,
    ChunkedReader,
    Framing,
    Head,
    ProtocolViolation,
    framing,
    head_end,
    parse_head,
    request_bytes,
)
from kiosque.fetch.ssrf import DEFAULT_PORTS

READ_SIZE = 64 * 1024


class Reply(Protocol):
    """A response whose body has not been read yet."""

    status: int
    reason: str
    headers: dict[str, str]  # names in lower case, repeated headers joined with ", "
    decoded: bool  # True when the body was already content-decoded (in-memory replies)

    def raw_chunks(self) -> AsyncIterator[bytes]:
        """The body as it comes, transfer coding undone, content coding not."""
        ...

    async def aclose(self) -> None:
        """Done with the response: its connection is reused if it was read to the end."""
        ...


class Transport(Protocol):
    async def send(self, url: httpx.URL, headers: dict[str, str],
                   address: str | None) -> Reply:
        """Send a GET for ``url`` (to ``address`` when given) and return the response."""
        ...

    async def aclose(self) -> None: ...


def default_tls_context() -> ssl.SSLContext:
    """Certificates checked against certifi's roots, the same trust as before (httpx)."""
    return ssl.create_default_context(cafile=certifi.where())


class Http11Reply:
    """A response on one of our connections; reading it to the end frees the connection."""

    __slots__ = ("_connection", "_framing", "_length", "_pool", "_read_timeout", "_reusable",
                 "decoded", "headers", "reason", "status")

    def __init__(self, head: Head, connection: Connection, pool: ConnectionPool,
                 read_timeout: float | None) -> None:
        self.status = head.status
        self.reason = head.reason
        self.headers = head.headers
        self.decoded = False
        self._connection: Connection | None = connection
        self._pool = pool
        self._read_timeout = read_timeout
        self._framing, self._length = framing(head)
        # reusable once the body is read to its end, unless the server said otherwise
        self._reusable = head.keep_alive and self._framing is not Framing.CLOSE

    async def raw_chunks(self) -> AsyncIterator[bytes]:
        connection = self._connection
        if connection is None:
            return
        stream, timeout = connection.stream, self._read_timeout
        if self._framing is Framing.NONE:
            pass
        elif self._framing is Framing.LENGTH:
            left = self._length
            while left:
                data = await stream.read(min(left, READ_SIZE), timeout)
                if not data:
                    raise ConnectionBroken(f"the server closed the connection {left} bytes "
                                           "before the end of the body it announced")
                left -= len(data)
                yield data
        elif self._framing is Framing.CHUNKED:
            reader = ChunkedReader()
            while not reader.done:
                data = await stream.read(READ_SIZE, timeout)
                if not data:
                    raise ConnectionBroken("the server closed the connection in the "
                                           "middle of a chunked body")
                try:
                    pieces = reader.feed(data)
                except ProtocolViolation as exc:
                    raise ProtocolBroken(str(exc)) from exc
                for piece in pieces:
                    if piece:
                        yield piece
            if reader.rest:  # bytes beyond the response: do not trust the connection
                self._reusable = False
        else:
            while data := await stream.read(READ_SIZE, timeout):
                yield data
        connection.finished = True

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if self._reusable and connection.finished:
            self._pool.release(connection)
        else:
            self._pool.discard(connection)


class Http11Transport:
    """GETs over kiosque's own HTTP/1.1 connections, reused per origin.

    ``max_idle`` bounds the connections kept open between requests (the fetcher's
    pacer bounds those in use). ``ssl_context`` defaults to certifi's roots; tests pass
    one that trusts their own certificate.
    """

    def __init__(self, *, max_idle: int, connect_timeout: float | None,
                 read_timeout: float | None, ssl_context: ssl.SSLContext | None = None,
                 keepalive_s: float = 5.0) -> None:
        self._tls = ssl_context
        self._read_timeout = read_timeout
        self.pool = ConnectionPool(max_idle=max_idle, keepalive_s=keepalive_s,
                                   connect_timeout=connect_timeout)

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = default_tls_context()
        return self._tls

    async def send(self, url: httpx.URL, headers: dict[str, str],
                   address: str | None) -> Http11Reply:
        scheme = url.scheme
        if scheme not in DEFAULT_PORTS:
            raise Unsupported(f"the {scheme!r} scheme is not fetched")
        origin = Origin(scheme, url.host, url.port or DEFAULT_PORTS[scheme])
        wire = request_bytes(url.raw_path, url.netloc, headers)
        tls = self._tls_context() if scheme == "https" else None
        connection = self.pool.take(origin)
        if connection is not None:
            try:
                return await self._exchange(connection, wire)
            except ConnectionBroken as exc:
                if not exc.early:
                    raise
                # The server closed the idle connection as we reused it (keep-alive
                # timeouts race): the request never reached it, so send it again.
        connection = await self.pool.connect(origin, address, tls)
        return await self._exchange(connection, wire)

    async def _exchange(self, connection: Connection, wire: bytes) -> Http11Reply:
        try:
            await connection.stream.write(wire, self._read_timeout)
            head = await self._read_head(connection)
            return Http11Reply(head, connection, self.pool, self._read_timeout)
        except ProtocolViolation as exc:  # the head, or the framing it announces
            self.pool.discard(connection)
            raise ProtocolBroken(str(exc)) from exc
        except BaseException:
            self.pool.discard(connection)
            raise

    async def _read_head(self, connection: Connection) -> Head:
        """The final response's head (interim 1xx ones are skipped); the bytes read past
        it are put back for the body."""
        stream, buffer, timeout = connection.stream, bytearray(), self._read_timeout
        while True:
            found = head_end(buffer)
            if (len(buffer) if found is None else found[0]) > MAX_HEAD_BYTES:
                raise ProtocolBroken(f"the response headers exceed {MAX_HEAD_BYTES} bytes")
            if found is None:
                data = await stream.read(READ_SIZE, timeout)
                if not data:
                    raise ConnectionBroken("the server closed the connection without "
                                           "answering", early=not buffer)
                buffer += data
                continue
            end, body_start = found
            head = parse_head(bytes(buffer[:end]))
            del buffer[:body_start]
            if head.status == 101:
                raise ProtocolBroken("the server switched protocols unasked")
            if head.status < 200:
                continue  # 100 Continue, 103 Early Hints: the real answer follows
            stream.unread(bytes(buffer))
            return head

    async def aclose(self) -> None:
        self.pool.close_all()
