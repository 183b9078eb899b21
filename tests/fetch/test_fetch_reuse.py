"""Connection reuse: a 304 or a redirect must hand its connection back to the pool.

Why it matters: at scale a poll cycle is mostly 304s; if each one closed its socket,
every poll would pay a new TCP (and TLS) handshake to a host we just talked to.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from kiosque.fetch import Fetcher
from kiosque.fetch.transport import Http11Transport
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


async def test_a_full_pool_replaces_idle_connections_and_keeps_reusing(
        make_server: Callable[[], LocalServer]) -> None:
    """More hosts than the pool holds: every request still completes, the host polled
    again while its connection is pooled reuses it, and the pool never grows past its
    bound (max_concurrency in use plus as many idle)."""
    servers = [make_server() for _ in range(5)]
    ports: dict[int, list[int]] = {}
    for s in servers:
        ports[s.port] = []
        s.routes["/feed.xml"] = _record_port(ports[s.port], 304, {"ETag": '"v"'})
    settings = local_settings(max_concurrency=2, per_host_concurrency=1)
    async with Fetcher(settings) as fetcher:
        transport = fetcher._transport
        assert isinstance(transport, Http11Transport)
        pool = transport.pool
        for s in servers * 2:
            result = await fetcher.get(s.url("/feed.xml"), etag='"v"', check_robots=False)
            assert result.not_modified, result
            assert pool.idle + pool.in_use <= 4 and pool.in_use == 0
        # two at once on one host, then the same host again: its connection is reused
        again = await asyncio.gather(*(fetcher.get(servers[0].url("/feed.xml"), etag='"v"',
                                                   check_robots=False) for _ in range(3)))
        assert all(r.not_modified for r in again)
    assert all(len(p) == 2 for port, p in ports.items() if port != servers[0].port)
    assert len(ports[servers[0].port]) == 5
    assert len(set(ports[servers[0].port][2:])) == 1, "back-to-back requests reconnected"


async def test_hosts_taking_turns_keep_their_connections(
        make_server: Callable[[], LocalServer]) -> None:
    """More per-host slots than global ones (3 hosts x 2 > 4): hosts take turns for the
    global slots, and each still reuses its own connections instead of closing another
    host's idle one to open its own (which cost a handshake per request before)."""
    servers = [make_server() for _ in range(3)]
    ports: dict[int, list[int]] = {}
    for s in servers:
        ports[s.port] = []
        s.routes["/page"] = _record_port(ports[s.port], 200, {})
    settings = local_settings(max_concurrency=4, per_host_concurrency=2)
    async with Fetcher(settings) as fetcher:
        results = await asyncio.gather(*(fetcher.get(s.url("/page"), check_robots=False)
                                         for _ in range(10) for s in servers))
    assert all(r.ok for r in results)
    for seen in ports.values():
        assert len(seen) == 10
        assert len(set(seen)) <= 2, f"a host opened more connections than its slots: {seen}"
