"""Connection reuse: a 304 or a redirect must hand its connection back to the pool.

Why it matters: at scale a poll cycle is mostly 304s; if each one closed its socket,
every poll would pay a new TCP (and TLS) handshake to a host we just talked to.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

from kiosque.fetch import Fetcher
from kiosque.fetch.pool import LinearPool, socket_has_data
from tests.fetch.fetch_server import Handler, LocalServer, Route, local_settings


def _record_port(ports: list[int], status: int, headers: dict[str, str]) -> Route:
    def route(h: Handler) -> None:
        ports.append(h.client_address[1])
        h.send(status, b"", headers)
    return route


async def test_304s_and_redirects_reuse_one_connection(server: LocalServer,
                                                       fetcher: Fetcher) -> None:
    ports: list[int] = []
    server.routes["/robots.txt"] = _record_port(ports, 404, {})
    server.routes["/feed.xml"] = _record_port(ports, 304, {"ETag": '"v1"'})
    server.routes["/old.xml"] = _record_port(ports, 301, {"Location": "/feed.xml"})
    for _ in range(3):
        result = await fetcher.get(server.url("/feed.xml"), etag='"v1"')
        assert result.not_modified, result
    moved = await fetcher.get(server.url("/old.xml"), etag='"v1"')
    assert moved.not_modified and moved.final_url.endswith("/feed.xml")
    assert len(ports) == 6  # robots, three 304s, the redirect and its 304
    assert len(set(ports)) == 1, f"new connections were opened: {ports}"


def test_socket_has_data_sees_bytes_and_hangups() -> None:
    left, right = socket.socketpair()
    try:
        assert not socket_has_data(left)
        right.sendall(b"x")
        assert socket_has_data(left)
        left.recv(1)
        assert not socket_has_data(left)
        right.close()
        assert socket_has_data(left)  # EOF reads at once: the pool drops the connection
    finally:
        left.close()
        right.close()
    assert socket_has_data(left)  # closed socket (fileno -1)
    assert socket_has_data(None)


async def test_a_full_pool_replaces_idle_connections_and_keeps_reusing(
        make_server: Callable[[], LocalServer]) -> None:
    """More hosts than the pool holds: every request still completes, the host polled
    again while its connection is pooled reuses it, and the pool never grows past its
    bound (the LinearPool bookkeeping makes the same decisions httpcore's does)."""
    servers = [make_server() for _ in range(5)]
    ports: dict[int, list[int]] = {}
    for s in servers:
        ports[s.port] = []
        s.routes["/feed.xml"] = _record_port(ports[s.port], 304, {"ETag": '"v"'})
    settings = local_settings(max_concurrency=2, per_host_concurrency=1)
    async with Fetcher(settings) as fetcher:
        pool = fetcher._client._transport._pool  # type: ignore[attr-defined]
        assert isinstance(pool, LinearPool)
        for s in servers * 2:
            result = await fetcher.get(s.url("/feed.xml"), etag='"v"', check_robots=False)
            assert result.not_modified, result
            assert len(pool.connections) <= 2
        # two at once on one host, then the same host again: its connection is reused
        again = await asyncio.gather(*(fetcher.get(servers[0].url("/feed.xml"), etag='"v"',
                                                   check_robots=False) for _ in range(3)))
        assert all(r.not_modified for r in again)
    assert all(len(p) == 2 for port, p in ports.items() if port != servers[0].port)
    assert len(ports[servers[0].port]) == 5
    assert len(set(ports[servers[0].port][2:])) == 1, "back-to-back requests reconnected"
