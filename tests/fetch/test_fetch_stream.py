"""The connections under our HTTP/1.1 client: readiness, timeouts, errors and TLS.

Why: the fetcher's sockets are plain asyncio ones, so what a library would otherwise
guarantee (timeouts and breaks as our network errors, a clean EOF as ``b""``, TLS with
certificate and hostname checks) is checked here, plus the one thing the pool asks of
an idle connection: "did the server hang up or send something?", answered without a
system call.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from kiosque.fetch import Fetcher
from kiosque.fetch.errors import ConnectFailed, ConnectionBroken, ReadTimedOut
from kiosque.fetch.stream import connect
from kiosque.fetch.transport import Http11Transport
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
    stream = await connect("127.0.0.1", port, timeout=2)
    try:
        await _until(lambda: bool(accepted))
        writer = accepted[0][1]
        assert stream.idle_ok()
        assert stream.get_extra_info("peername")[1] == port
        writer.write(b"unexpected")  # bytes nobody asked for: not reusable as is
        await _until(lambda: not stream.idle_ok())
        assert await stream.read(4, timeout=1) == b"unex"
        stream.unread(b"UN")  # what the HTTP layer read past the headers goes back
        assert await stream.read(100, timeout=1) == b"UN"
        assert await stream.read(100, timeout=1) == b"pected"
        assert stream.idle_ok()
        writer.close()  # the server hangs up on an idle connection: the pool drops it
        await _until(lambda: not stream.idle_ok())
        assert await stream.read(100, timeout=1) == b""
    finally:
        stream.close()


async def test_read_timeout_and_write_after_close_are_network_errors(peer: Peer) -> None:
    port, accepted = peer
    stream = await connect("127.0.0.1", port, timeout=2)
    await _until(lambda: bool(accepted))
    with pytest.raises(ReadTimedOut):
        await stream.read(100, timeout=0.05)
    await stream.write(b"GET / HTTP/1.1\r\n\r\n", timeout=1)
    assert await accepted[0][0].readexactly(18) == b"GET / HTTP/1.1\r\n\r\n"
    stream.close()
    with pytest.raises(ConnectionBroken) as broken:
        await stream.write(b"more", timeout=1)
    assert broken.value.early  # nothing was sent: a retry is safe


async def test_a_large_body_arrives_whole_and_in_order_under_backpressure(peer: Peer) -> None:
    port, accepted = peer
    stream = await connect("127.0.0.1", port, timeout=2)
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
    stream.close()


async def test_refused_connect_is_a_connect_error() -> None:
    with pytest.raises(ConnectFailed):
        await connect("127.0.0.1", 1, timeout=2)


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
    trusting = ssl.create_default_context(cafile=str(certificate[0]))
    transport = Http11Transport(max_idle=4, connect_timeout=2, read_timeout=2,
                                ssl_context=trusting)
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


async def test_https_to_a_pinned_address_checks_the_name_in_the_url(
        tls_server: LocalServer, certificate: tuple[Path, Path]) -> None:
    """The socket dials the address the guard checked; TLS still verifies the URL's
    name: ``localhost`` is in the certificate, ``publisher.example`` is not."""
    tls_server.routes["/feed"] = _record_port([], b"pinned over tls")
    trusting = ssl.create_default_context(cafile=str(certificate[0]))

    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]  # allowed as an address in local_settings

    transport = Http11Transport(max_idle=4, connect_timeout=2, read_timeout=2,
                                ssl_context=trusting)
    async with Fetcher(local_settings(), transport=transport, resolver=resolver) as fetcher:
        named = await fetcher.get(f"https://localhost:{tls_server.port}/feed",
                                  check_robots=False)
        other = await fetcher.get(f"https://publisher.example:{tls_server.port}/feed",
                                  check_robots=False)
    assert named.ok and named.body == b"pinned over tls", named.error_detail
    assert other.error == "connect" and "publisher.example" in other.error_detail, other
