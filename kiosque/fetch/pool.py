"""The connection pool's bookkeeping, made cheap for a poller with many hosts.

httpcore asks every pooled connection "are you closed, expired, idle?" (a socket check
for idle ones) each time it assigns a request or a response is closed, and counts its
connections in a way that grows with the square of their number. A poll cycle keeps
connections to many hosts, where that bookkeeping cost more than the requests
themselves. Here a pool subclass finds a connection for a request by its origin and
looks at the whole pool only now and then. (The "has the server closed this idle
connection?" check itself costs no system call with our streams, see ``stream``.)
"""

from __future__ import annotations

import math
import time

import httpcore

OriginKey = tuple[bytes, bytes, int]


class LinearPool(httpcore.AsyncConnectionPool):
    """httpcore's connection pool, with its per-request bookkeeping independent of its size.

    Why: httpcore 1.0.x, on every request it assigns and every response it closes,
    asks each pooled connection whether it is closed, expired or idle (a socket check
    for idle ones), then scans them all for one to the request's origin, and counts
    them in a way that is quadratic in the pool size. A poller keeps connections to
    many hosts, and there that bookkeeping cost more than the request itself.

    Here connections are indexed by origin, so a request only looks at the connections
    of its own origin, and the one it takes is checked (closed, expired, server hung up)
    right then. The whole pool is swept (drop closed ones, close expired ones and idle
    ones beyond ``max_keepalive_connections``) at most every ``SWEEP_EVERY_S``, and
    whenever the pool is full and a request needs room. Idle connections are counted
    as idle (httpcore 1.0.9 counts all connections there, a bug). When room is needed,
    the idle connection used least recently goes first; a request takes the most
    recently used free connection of its origin, so surplus ones age out.

    httpx builds its pool itself, so ``adopt`` turns that instance into this class.
    """

    SWEEP_EVERY_S = 0.1

    _by_origin: dict[OriginKey, list[httpcore.AsyncConnectionInterface]]
    _origin_of: dict[httpcore.AsyncConnectionInterface, OriginKey]
    _next_sweep: float

    @classmethod
    def adopt(cls, pool: httpcore.AsyncConnectionPool) -> LinearPool:
        """Make httpx's freshly built pool a ``LinearPool`` (same state and settings)."""
        if pool.connections:  # pragma: no cover - only called on a new transport
            raise RuntimeError("a pool can only be adopted before its first request")
        pool.__class__ = cls
        assert isinstance(pool, cls)
        pool._by_origin = {}
        pool._origin_of = {}
        pool._next_sweep = -math.inf
        return pool

    def _add(self, connection: httpcore.AsyncConnectionInterface, key: OriginKey) -> None:
        self._connections.append(connection)
        self._by_origin.setdefault(key, []).append(connection)
        self._origin_of[connection] = key

    def _forget(self, connection: httpcore.AsyncConnectionInterface) -> None:
        """Take a connection out of the index (the caller handles ``_connections``)."""
        key = self._origin_of.pop(connection, None)
        if key is None:
            return
        bucket = self._by_origin[key]
        bucket.remove(connection)
        if not bucket:
            del self._by_origin[key]

    def _sweep(self, closing: list[httpcore.AsyncConnectionInterface]) -> None:
        """Drop closed connections; close expired ones and the idle beyond the keep-alive
        bound, least recently used first."""
        kept: list[httpcore.AsyncConnectionInterface] = []
        idle = 0
        for connection in self._connections:
            if connection.is_closed():
                self._forget(connection)
            elif connection.has_expired():
                self._forget(connection)
                closing.append(connection)
            else:
                kept.append(connection)
                idle += connection.is_idle()
        surplus = idle - self._max_keepalive_connections
        if surplus > 0:
            for connection in list(kept):  # least recently used first
                if surplus <= 0:
                    break
                if connection.is_idle():
                    kept.remove(connection)
                    self._forget(connection)
                    closing.append(connection)
                    surplus -= 1
        self._connections = kept
        self._next_sweep = time.monotonic() + self.SWEEP_EVERY_S

    def _reusable(self, key: OriginKey, closing: list[httpcore.AsyncConnectionInterface],
                  ) -> httpcore.AsyncConnectionInterface | None:
        """The most recently used free connection to ``key`` that is still good."""
        bucket = self._by_origin.get(key)
        while bucket:
            chosen = next((c for c in reversed(bucket) if c.is_available()), None)
            if chosen is None:
                return None
            if not chosen.has_expired():
                # most recently used goes last, in the pool and in its origin's list
                bucket.remove(chosen)
                bucket.append(chosen)
                self._connections.remove(chosen)
                self._connections.append(chosen)
                return chosen
            self._connections.remove(chosen)
            self._forget(chosen)
            closing.append(chosen)
            bucket = self._by_origin.get(key)
        return None

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        if time.monotonic() >= self._next_sweep:
            self._sweep(closing)
        for pool_request in self._requests:
            if not pool_request.is_queued():
                continue
            origin = pool_request.request.url.origin
            key = (origin.scheme, origin.host, origin.port)
            chosen = self._reusable(key, closing)
            if chosen is None:
                if len(self._connections) >= self._max_connections:
                    self._sweep(closing)
                if len(self._connections) >= self._max_connections:
                    idle = next((c for c in self._connections if c.is_idle()), None)
                    if idle is None:
                        continue  # stays queued until a connection frees up
                    self._connections.remove(idle)
                    self._forget(idle)
                    closing.append(idle)
                chosen = self.create_connection(origin)
                self._add(chosen, key)
            pool_request.assign_to_connection(chosen)
        return closing

    async def aclose(self) -> None:
        self._by_origin.clear()
        self._origin_of.clear()
        await super().aclose()
