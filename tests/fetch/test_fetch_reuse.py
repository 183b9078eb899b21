"""Connection reuse: a 304 or a redirect must hand its connection back to the pool.

Why it matters: at scale a poll cycle is mostly 304s; if each one closed its socket,
every poll would pay a new TCP (and TLS) handshake to a host we just talked to.
"""

from __future__ import annotations

import socket

from kiosque.fetch import Fetcher
from kiosque.fetch.pinning import socket_has_data
from tests.fetch.fetch_server import Handler, LocalServer, Route


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
