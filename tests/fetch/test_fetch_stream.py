"""The asyncio network streams under httpcore: readiness, timeouts, errors and TLS.

Why: the fetcher's connections no longer go through anyio, so what anyio guaranteed
(timeouts as httpcore exceptions, a clean EOF as ``b""``, TLS with hostname checks) is
checked here, plus the one thing the pool asks of an idle connection: "did the server
hang up or send something?", answered without a system call.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpcore
import httpx
import pytest

from kiosque.fetch import Fetcher
from kiosque.fetch.pinning import pinned_transport
from kiosque.fetch.stream import AsyncioBackend
from tests.fetch.fetch_server import Handler, LocalServer, local_settings


async def _until(check: Callable[[], bool], within_s: float = 2.0) -> None:
    """Let the event loop run until ``check()`` holds (the test fails after ``within_s``)."""
    async with asyncio.timeout(within_s):
        while not check():
            await asyncio.sleep(0.005)


Peer = tuple[int, list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]


@pytest.fixture
async def peer() -> AsyncIterator[Peer]:
    """A TCP server in this loop that only accepts; tests drive the accepted sockets."""
    accepted: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append((reader, writer))

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield port, accepted
    finally:
        for _, writer in accepted:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_readiness_sees_data_and_hangups_without_reading(peer: Peer) -> None:
    port, accepted = peer
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=2)
    try:
        await _until(lambda: bool(accepted))
        writer = accepted[0][1]
        assert stream.get_extra_info("is_readable") is False
        assert stream.get_extra_info("server_addr")[1] == port
        assert stream.get_extra_info("socket") is not None
        writer.write(b"unexpected")
        await _until(lambda: stream.get_extra_info("is_readable"))
        assert await stream.read(4) == b"unex"
        assert await stream.read(100) == b"pected"
        assert stream.get_extra_info("is_readable") is False
        writer.close()  # the server hangs up on an idle connection: the pool drops it
        await _until(lambda: stream.get_extra_info("is_readable"))
        assert await stream.read(100) == b""
    finally:
        await stream.aclose()


async def test_read_timeout_and_write_after_close_are_httpcore_errors(peer: Peer) -> None:
    port, accepted = peer
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=2)
    await _until(lambda: bool(accepted))
    with pytest.raises(httpcore.ReadTimeout):
        await stream.read(100, timeout=0.05)
    await stream.write(b"GET / HTTP/1.1\r\n\r\n", timeout=1)
    assert await accepted[0][0].readexactly(18) == b"GET / HTTP/1.1\r\n\r\n"
    await stream.aclose()
    with pytest.raises(httpcore.WriteError):
        await stream.write(b"more", timeout=1)


async def test_a_large_body_arrives_whole_and_in_order_under_backpressure(peer: Peer) -> None:
    port, accepted = peer
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=2)
    await _until(lambda: bool(accepted))
    payload = bytes(range(256)) * 8192  # 2 MiB, sent while nobody reads
    accepted[0][1].write(payload)
    protocol = stream._protocol  # type: ignore[attr-defined]
    await _until(lambda: protocol.reading_paused)
    assert protocol.buffered < 1024 * 1024  # the rest waits in the kernel, not in memory
    got = bytearray()
    while len(got) < len(payload):
        piece = await stream.read(50_000, timeout=2)  # smaller than the chunks: slices
        assert 0 < len(piece) <= 50_000
        got += piece
    assert got == payload
    await stream.aclose()


async def test_refused_connect_is_an_httpcore_error() -> None:
    with pytest.raises(httpcore.ConnectError):
        await AsyncioBackend().connect_tcp("127.0.0.1", 1, timeout=2)


# --- TLS ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A throwaway self-signed certificate for 127.0.0.1 and localhost."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True)
    yield cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[LocalServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server = LocalServer(tls=context)
    yield server
    server.close()


def _record_port(ports: list[int], body: bytes) -> Callable[[Handler], None]:
    def route(h: Handler) -> None:
        ports.append(h.client_address[1])
        h.send(200, body, {"Content-Type": "text/plain"})
    return route


async def test_https_fetch_checks_the_certificate_and_reuses_the_connection(
        tls_server: LocalServer, certificate: tuple[Path, Path]) -> None:
    ports: list[int] = []
    tls_server.routes["/feed"] = _record_port(ports, b"over tls" * 1000)
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    trusting = ssl.create_default_context(cafile=str(certificate[0]))
    transport, _ = pinned_transport(limits, verify=trusting)
    async with Fetcher(local_settings(), transport=transport) as fetcher:
        results = [await fetcher.get(tls_server.url("/feed"), check_robots=False)
                   for _ in range(3)]
    assert all(r.ok and r.body == b"over tls" * 1000 for r in results), results[0]
    assert len(ports) == 3 and len(set(ports)) == 1, f"new connections: {ports}"
    # the default trust store does not know this certificate: refused, as a connect error
    async with Fetcher(local_settings()) as strict:
        refused = await strict.get(tls_server.url("/feed"), check_robots=False)
    assert refused.error == "connect", refused.error_detail
    assert len(ports) == 3
