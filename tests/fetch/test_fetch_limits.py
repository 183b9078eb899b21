"""Content encodings, size limits and time limits, against a real local server."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from collections.abc import Iterable, Iterator

import brotli  # type: ignore[import-untyped]

from kiosque.fetch import Fetcher
from tests.fetch.fetch_server import Handler, LocalServer, local_settings

TEXT = ("Le conseil municipal a voté le budget. " * 400).encode()


def _chunked(h: Handler, pieces: Iterable[bytes],
             headers: dict[str, str] | None = None) -> None:
    """Send ``pieces`` (an iterable of bytes) with chunked transfer encoding."""
    h.send_response(200)
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    for piece in pieces:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        h.wfile.flush()
    h.wfile.write(b"0\r\n\r\n")


async def test_gzip_deflate_and_brotli_are_decoded(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/gz", 200, gzip.compress(TEXT), {"Content-Encoding": "gzip"})
    server.route("/zl", 200, zlib.compress(TEXT), {"Content-Encoding": "deflate"})
    raw = zlib.compressobj(wbits=-15)
    server.route("/raw", 200, raw.compress(TEXT) + raw.flush(), {"Content-Encoding": "deflate"})
    server.route("/br", 200, brotli.compress(TEXT), {"Content-Encoding": "br"})
    for path in ("/gz", "/zl", "/raw", "/br"):
        result = await fetcher.get(server.url(path))
        assert result.ok, (path, result.error_detail)
        assert result.body == TEXT, path


async def test_gzip_stream_in_small_chunks(server: LocalServer, fetcher: Fetcher) -> None:
    packed = gzip.compress(TEXT)
    pieces = [packed[i:i + 97] for i in range(0, len(packed), 97)]
    server.routes["/gz"] = lambda h: _chunked(h, pieces, {"Content-Encoding": "gzip"})
    result = await fetcher.get(server.url("/gz"))
    assert result.ok and result.body == TEXT


async def test_corrupt_gzip_and_unknown_encoding_are_decode_errors(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/bad", 200, b"\x1f\x8b\x08\x00garbage-not-deflate", {"Content-Encoding": "gzip"})
    server.route("/lzw", 200, b"whatever", {"Content-Encoding": "compress"})
    for path in ("/bad", "/lzw"):
        result = await fetcher.get(server.url(path))
        assert result.error == "decode", (path, result.error, result.error_detail)


async def test_gzip_bomb_is_cut_without_inflating_it(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=6)  # ~64 KB on the wire
    server.route("/bomb", 200, bomb, {"Content-Encoding": "gzip"})
    async with Fetcher(local_settings(max_body_bytes=1_000_000)) as fetcher:
        tracemalloc.start()
        try:
            result = await fetcher.get(server.url("/bomb"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.error == "too_large", result.error_detail
    assert len(result.body) <= 1_000_000
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes while reading a gzip bomb"


async def test_brotli_bomb_is_cut(server: LocalServer) -> None:
    bomb = brotli.compress(b"\0" * (64 * 1024 * 1024), quality=1)
    server.route("/bomb", 200, bomb, {"Content-Encoding": "br"})
    async with Fetcher(local_settings(max_body_bytes=500_000)) as fetcher:
        result = await fetcher.get(server.url("/bomb"))
    assert result.error == "too_large"


async def test_declared_huge_body_is_refused_unread(server: LocalServer, fetcher: Fetcher) -> None:
    def huge(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(50 * 1024 * 1024))
        h.end_headers()
        h.wfile.write(b"a" * 65536)  # then hang up: we must not wait for the rest

    server.routes["/huge"] = huge
    result = await fetcher.get(server.url("/huge"), max_bytes=10_000)
    assert result.error == "too_large"
    assert "10000" in result.error_detail


async def test_endless_chunked_body_is_cut_at_the_limit(
        server: LocalServer, fetcher: Fetcher) -> None:
    def forever() -> Iterator[bytes]:
        while True:
            yield b"z" * 8192

    server.routes["/endless"] = lambda h: _chunked(h, forever())
    began = time.monotonic()
    result = await fetcher.get(server.url("/endless"), max_bytes=300_000)
    assert result.error == "too_large"
    assert len(result.body) == 300_000 and set(result.body) == {ord("z")}
    assert time.monotonic() - began < 3


async def test_trickling_server_hits_the_total_deadline(server: LocalServer) -> None:
    def trickle(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        for _ in range(1000):
            h.wfile.write(b".")
            h.wfile.flush()
            time.sleep(0.1)  # each read is quick: only the total deadline can stop it

    server.routes["/slow"] = trickle
    settings = local_settings(read_timeout_s=1.0, total_timeout_s=1.2)
    async with Fetcher(settings) as fetcher:
        began = time.monotonic()
        result = await fetcher.get(server.url("/slow"))
        took = time.monotonic() - began
    assert result.error == "timeout", result.error_detail
    assert took < 2.0


async def test_silent_server_hits_the_read_timeout(server: LocalServer) -> None:
    server.routes["/silent"] = lambda h: time.sleep(1.5)
    settings = local_settings(read_timeout_s=0.3, total_timeout_s=5.0)
    async with Fetcher(settings) as fetcher:
        began = time.monotonic()
        result = await fetcher.get(server.url("/silent"))
        took = time.monotonic() - began
    assert result.error == "timeout"
    assert took < 1.2
