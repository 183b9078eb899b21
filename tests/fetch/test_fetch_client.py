"""The fetcher against a real local server: success, validators, errors, redirects."""

from __future__ import annotations

import asyncio
import socket
import time

from kiosque.fetch import ACCEPT_FEED, Fetcher
from tests.fetch.fetch_server import Handler, LocalServer, local_settings


async def test_plain_get_sends_our_headers_and_returns_the_body(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/feed.xml", 200, b"<rss/>", {"Content-Type": "application/rss+xml"})
    result = await fetcher.get(server.url("/feed.xml"), accept=ACCEPT_FEED)
    assert result.ok, result.error_detail
    assert result.body == b"<rss/>"
    assert result.status == 200
    assert result.final_url == server.url("/feed.xml")
    assert result.headers["content-type"] == "application/rss+xml"
    assert result.elapsed_s > 0
    seen = server.hits("/feed.xml")[0].headers
    assert seen["user-agent"] == local_settings().effective_user_agent
    assert seen["accept"] == ACCEPT_FEED
    assert "gzip" in seen["accept-encoding"] and "br" in seen["accept-encoding"]
    assert "if-none-match" not in seen


async def test_etag_round_trip_gives_304_with_empty_body(
        server: LocalServer, fetcher: Fetcher) -> None:
    def conditional(h: Handler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            h.send(304, b"", {"ETag": '"v1"'})
        else:
            h.send(200, b"fresh",
                   {"ETag": '"v1"', "Last-Modified": "Mon, 02 Jan 2023 10:00:00 GMT"})

    server.routes["/feed"] = conditional
    first = await fetcher.get(server.url("/feed"))
    assert first.ok and first.etag == '"v1"'
    assert first.last_modified == "Mon, 02 Jan 2023 10:00:00 GMT"
    second = await fetcher.get(server.url("/feed"), etag=first.etag,
                               last_modified=first.last_modified)
    assert second.status == 304
    assert second.not_modified and second.error is None and second.body == b""
    sent = server.hits("/feed")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 02 Jan 2023 10:00:00 GMT"


async def test_client_and_server_errors_are_named_and_bodies_kept_small(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/boom", 500, b"x" * 200_000)
    server.route("/gone", 410, b"gone")
    boom = await fetcher.get(server.url("/boom"))
    assert boom.error == "http_500" and boom.status == 500
    assert "500" in boom.error_detail
    assert 0 < len(boom.body) <= 64 * 1024
    gone = await fetcher.get(server.url("/gone"))
    assert gone.error == "http_410" and not gone.ok and gone.body == b"gone"


async def test_429_retry_after_is_returned_and_pauses_the_host(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/busy", 429, b"", {"Retry-After": "1"})
    server.route("/later", 200, b"ok")
    busy = await fetcher.get(server.url("/busy"))
    assert busy.error == "http_429" and busy.retry_after_s == 1.0
    assert fetcher.host_stats()[f"127.0.0.1:{server.port}"].paused_for_s > 0.5
    later = await fetcher.get(server.url("/later"))
    assert later.ok
    gap = server.hits("/later")[0].started - server.hits("/busy")[0].started
    assert gap >= 0.95


async def test_long_retry_after_refuses_fast_without_sending(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/down", 503, b"", {"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"})
    down = await fetcher.get(server.url("/down"))
    assert down.error == "http_503" and down.retry_after_s is not None
    assert down.retry_after_s > 1e9
    began = time.monotonic()
    again = await fetcher.get(server.url("/down"))
    assert time.monotonic() - began < 0.5
    assert again.error == "paused" and again.retry_after_s is not None
    assert len(server.hits("/down")) == 1


async def test_relative_redirect_is_followed_and_final_url_reported(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/old", 301, b"", {"Location": "/new?x=1"})
    server.route("/new", 200, b"moved here")
    result = await fetcher.get(server.url("/old"))
    assert result.ok and result.body == b"moved here"
    assert result.final_url == server.url("/new?x=1")
    assert result.url == server.url("/old")


async def test_redirect_loop_is_detected(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/a", 302, b"", {"Location": "/b"})
    server.route("/b", 307, b"", {"Location": server.url("/a#frag")})
    result = await fetcher.get(server.url("/a"))
    assert result.error == "redirect_loop"
    assert len(server.hits("/a")) == 1


async def test_too_many_redirects(server: LocalServer) -> None:
    for i in range(10):
        server.route(f"/r{i}", 308, b"", {"Location": f"/r{i + 1}"})
    async with Fetcher(local_settings(max_redirects=3)) as fetcher:
        result = await fetcher.get(server.url("/r0"))
    assert result.error == "too_many_redirects"
    assert len(server.hits("/r3")) == 1 and not server.hits("/r4")


async def test_redirect_without_location_is_a_protocol_error(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/nowhere", 302, b"")
    result = await fetcher.get(server.url("/nowhere"))
    assert result.error == "protocol"


async def test_bad_urls_are_refused_without_raising(fetcher: Fetcher) -> None:
    for url in ("not a url", "ftp://example.org/feed", "file:///etc/passwd", "http://"):
        result = await fetcher.get(url)
        assert result.error == "bad_url", (url, result.error, result.error_detail)
        assert result.error_detail


async def test_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        async with Fetcher(local_settings()) as fetcher:
            result = await fetcher.get(f"http://127.0.0.1:{port}/")
    assert result.error == "connect", result.error_detail


async def test_connection_dropped_once_is_retried(server: LocalServer, fetcher: Fetcher) -> None:
    calls: list[int] = []

    def flaky(h: Handler) -> None:
        calls.append(1)
        if len(calls) == 1:
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        h.send(200, b"second time lucky")

    server.routes["/flaky"] = flaky
    result = await fetcher.get(server.url("/flaky"))
    assert result.ok and result.body == b"second time lucky"
    assert len(calls) == 2


async def test_concurrent_gets_share_one_fetcher(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/x", 200, b"x")
    results = await asyncio.gather(*(fetcher.get(server.url("/x")) for _ in range(6)))
    assert all(r.ok for r in results)
