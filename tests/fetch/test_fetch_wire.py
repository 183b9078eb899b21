"""The fetcher against servers that write raw bytes: framing, odd answers, reuse.

Why: publishers run every HTTP server ever written. These scripted servers send what
the well-behaved test server never does (interim 1xx answers, bare LF, HTTP/1.0 bodies
that end at close, trailers, lying lengths, bytes after the body, idle connections
dropped at the worst moment) and check that each is read right or refused cleanly, and
that a connection is reused only when it is safe.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from kiosque.fetch import Fetcher
from kiosque.models import FetchResult
from tests.fetch.fetch_server import local_settings

# One scripted answer: raw bytes to write, and whether to hang up after them.
Answer = tuple[bytes, bool]


@dataclass
class RawServer:
    """Answers the n-th request (counted over all connections) with ``script[n]``."""

    script: Callable[[int], Answer]
    port: int = 0
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                self.requests.append(head)
                data, hang_up = self.script(len(self.requests) - 1)
                writer.write(data)
                await writer.drain()
                if hang_up:
                    return
        finally:
            writer.close()

    def url(self, path: str = "/feed") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


async def _serve(raw: RawServer) -> asyncio.Server:
    server = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
    raw.port = server.sockets[0].getsockname()[1]
    return server


async def _fetch_all(script: Callable[[int], Answer], count: int = 1,
                     ) -> tuple[RawServer, list[FetchResult]]:
    """``count`` fetches, one after the other, from a server answering with ``script``."""
    raw = RawServer(script)
    server = await _serve(raw)
    try:
        async with Fetcher(local_settings(read_timeout_s=1.0)) as fetcher:
            results = [await fetcher.get(raw.url(), check_robots=False)
                       for _ in range(count)]
    finally:
        server.close()
    return raw, results


def _ok(body: bytes, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


async def test_interim_answers_are_skipped_and_the_connection_reused() -> None:
    answer = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
    raw, results = await _fetch_all(lambda n: (answer + _ok(b"feed %d" % n), False), 3)
    assert [r.body for r in results] == [b"feed 0", b"feed 1", b"feed 2"]
    assert raw.connections == 1


async def test_bare_lf_heads_are_read() -> None:
    _, [result] = await _fetch_all(
        lambda n: (b"HTTP/1.1 200 OK\nContent-Type: text/xml\nContent-Length: 4\n\n<a/>", False))
    assert result.ok and result.body == b"<a/>" and result.headers["content-type"] == "text/xml"


async def test_an_http_1_0_body_runs_to_the_close_and_is_not_reused() -> None:
    raw, results = await _fetch_all(lambda n: (b"HTTP/1.0 200 OK\r\n\r\nold server %d" % n,
                                               True), 2)
    assert [r.body for r in results] == [b"old server 0", b"old server 1"]
    assert raw.connections == 2


async def test_chunked_with_extensions_and_trailers_keeps_the_connection() -> None:
    body = b"4;ext=1\r\n<rss\r\n3\r\n/>\n\r\n0\r\nX-Checksum: 1\r\n\r\n"
    raw, results = await _fetch_all(
        lambda n: (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body, False), 2)
    assert [r.body for r in results] == [b"<rss/>\n"] * 2
    assert raw.connections == 1


async def test_connection_close_and_bytes_after_the_body_forbid_reuse() -> None:
    def script(n: int) -> Answer:
        if n == 0:
            return _ok(b"one", b"Connection: close\r\n"), False  # says close, keeps it open
        if n == 1:  # more than one response's worth: the surplus must not be read later
            return (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
                    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nforged"), False
        return _ok(b"three"), False
    raw, results = await _fetch_all(script, 3)
    assert [r.body for r in results] == [b"one", b"two", b"three"]
    assert raw.connections == 3


@pytest.mark.parametrize(("answer", "code"), [
    (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "protocol"),
    (b"<html>not http at all</html>\r\n\r\n", "protocol"),
    (b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"x" * 70_000 + b"\r\n\r\n", "protocol"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnope\r\n", "protocol"),
    (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "protocol"),
])
async def test_broken_answers_are_protocol_errors(answer: bytes, code: str) -> None:
    raw, [result] = await _fetch_all(lambda n: (answer, False))
    assert result.error == code, result
    assert "127.0.0.1" in result.error_detail and len(raw.requests) == 1


async def test_a_body_shorter_than_announced_is_an_error_not_a_hang() -> None:
    _, [result] = await _fetch_all(
        lambda n: (b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", True))
    assert result.error == "connect" and "before the end" in result.error_detail, result


async def test_a_server_that_drops_the_idle_connection_costs_one_new_connection() -> None:
    """Keep-alive timeouts race: the pooled connection was closed by the server just
    before our next request. The request is sent again on a fresh connection."""
    raw, results = await _fetch_all(lambda n: (_ok(b"fresh %d" % n), True), 3)
    assert [r.body for r in results] == [b"fresh 0", b"fresh 1", b"fresh 2"]
    assert all(r.ok for r in results) and raw.connections == 3


async def test_a_server_that_hangs_up_without_answering_fails_after_one_retry() -> None:
    raw, [result] = await _fetch_all(lambda n: (b"", True))
    assert result.error == "connect" and "without answering" in result.error_detail, result
    assert len(raw.requests) == 2  # the first try and one retry, no more


async def test_request_head_on_the_wire() -> None:
    raw, [result] = await _fetch_all(lambda n: (_ok(b"x"), False))
    assert result.ok
    lines = raw.requests[0].decode().split("\r\n")
    assert lines[0] == "GET /feed HTTP/1.1"
    assert lines[1] == f"Host: 127.0.0.1:{raw.port}"
    names = [line.split(":")[0].lower() for line in lines[2:] if line]
    assert names == ["user-agent", "accept", "accept-encoding"]
