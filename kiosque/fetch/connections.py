"""Open connections kept between requests, per origin, with a bound on idle ones.

At scale a poll cycle is mostly 304s to hosts polled minutes ago, and an article page
follows its feed on the same host: reusing the connection saves a TCP (and TLS)
handshake each time. No queue lives here: the fetcher's pacer already bounds requests
in flight, globally and per host, so a request needing a connection just opens one.
What stays open is bounded: at most ``max_idle`` idle connections (the least recently
used is closed first), each for at most ``keepalive_s`` (servers drop idle connections
after a few seconds, and a request on one they just dropped is lost).
"""

from __future__ import annotations

import ssl
import time
from collections import OrderedDict
from typing import NamedTuple

from kiosque.fetch.stream import Stream, connect


class Origin(NamedTuple):
    scheme: str
    host: str
    port: int


class Connection:
    """One connection and what the pool needs to know about it."""

    __slots__ = ("finished", "idle_since", "origin", "stream")

    def __init__(self, origin: Origin, stream: Stream) -> None:
        self.origin = origin
        self.stream = stream
        self.finished = False  # the current response was read to its end
        self.idle_since = 0.0


class ConnectionPool:
    """Idle connections by origin; counts the ones in use too (tests check the bound)."""

    def __init__(self, *, max_idle: int, keepalive_s: float,
                 connect_timeout: float | None) -> None:
        self._max_idle = max(0, max_idle)
        self._keepalive_s = keepalive_s
        self._connect_timeout = connect_timeout
        # idle connections, least recently released first; the key is the connection
        self._idle: OrderedDict[Connection, None] = OrderedDict()
        self._by_origin: dict[Origin, list[Connection]] = {}
        self.in_use = 0

    @property
    def idle(self) -> int:
        return len(self._idle)

    def take(self, origin: Origin) -> Connection | None:
        """An idle connection to ``origin`` still fit to carry a request, or None."""
        now = time.monotonic()
        stack = self._by_origin.get(origin)
        while stack:
            connection = stack.pop()  # the most recently used: the least likely dropped
            if not stack:
                del self._by_origin[origin]
            del self._idle[connection]
            if connection.stream.idle_ok() and now - connection.idle_since < self._keepalive_s:
                connection.finished = False
                self.in_use += 1
                return connection
            connection.stream.close()
        return None

    async def connect(self, origin: Origin, address: str | None,
                      tls: ssl.SSLContext | None) -> Connection:
        """A new connection to ``address`` (the checked one) or, without one, the host."""
        stream = await connect(address or origin.host, origin.port,
                               timeout=self._connect_timeout, ssl_context=tls,
                               server_hostname=origin.host)
        self.in_use += 1
        return Connection(origin, stream)

    def release(self, connection: Connection) -> None:
        """A connection whose response was read to the end: kept for the next request."""
        self.in_use -= 1
        if self._max_idle == 0 or not connection.stream.idle_ok():
            connection.stream.close()
            return
        connection.idle_since = time.monotonic()
        self._idle[connection] = None
        self._by_origin.setdefault(connection.origin, []).append(connection)
        while len(self._idle) > self._max_idle:
            oldest, _ = self._idle.popitem(last=False)
            stack = self._by_origin[oldest.origin]
            stack.remove(oldest)
            if not stack:
                del self._by_origin[oldest.origin]
            oldest.stream.close()

    def discard(self, connection: Connection) -> None:
        """A connection that cannot be reused (broken, or its response not read)."""
        self.in_use -= 1
        connection.stream.close()

    def close_all(self) -> None:
        for connection in self._idle:
            connection.stream.close()
        self._idle.clear()
        self._by_origin.clear()
