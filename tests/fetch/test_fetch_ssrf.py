"""The SSRF guard: private destinations are refused before any byte is sent.

Name resolution is faked (a resolver is part of the Fetcher's API) so that public-looking
names can point at private addresses; nothing here ever connects to a non-loopback
address. A transport that records requests proves that refused fetches send nothing.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest

from kiosque.fetch import Fetcher
from kiosque.fetch.ssrf import SsrfGuard
from tests.fetch.fetch_server import LocalServer, local_settings


class FakeDns:
    """A resolver with fixed answers that remembers what it was asked."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.answers[host]


def recording_transport(sent: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(599)

    return httpx.MockTransport(handler)


async def test_public_name_resolving_to_private_address_is_refused() -> None:
    dns = FakeDns({"news.example": ["10.0.0.1"]})
    sent: list[httpx.Request] = []
    async with Fetcher(local_settings(), recording_transport(sent), dns) as fetcher:
        result = await fetcher.get("http://news.example/feed.xml")
    assert result.error == "ssrf", result.error_detail
    assert "10.0.0.1" in result.error_detail and "private" in result.error_detail
    assert "news.example" in dns.asked
    assert sent == []


async def test_any_private_answer_among_several_is_refused() -> None:
    dns = FakeDns({"mixed.example": ["93.184.215.14", "192.168.1.20"]})
    sent: list[httpx.Request] = []
    async with Fetcher(local_settings(), recording_transport(sent), dns) as fetcher:
        result = await fetcher.get("https://mixed.example/", check_robots=False)
    assert result.error == "ssrf" and sent == []


@pytest.mark.parametrize("url", [
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://0x7f000001/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://172.16.5.4:8080/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
])
async def test_ip_literals_in_every_spelling_are_refused(url: str) -> None:
    dns = FakeDns({})
    sent: list[httpx.Request] = []
    async with Fetcher(local_settings(allowed_hosts=[]), recording_transport(sent),
                       dns) as fetcher:
        result = await fetcher.get(url)
    # httpx itself rejects a dotted quad with leading zeros: refused as well, as bad_url.
    expected = "bad_url" if url == "http://0177.0.0.1/" else "ssrf"
    assert result.error == expected, (url, result.error, result.error_detail)
    assert sent == [] and dns.asked == []


async def test_localhost_through_the_real_resolver_is_refused(server: LocalServer) -> None:
    server.route("/", 200, b"secret")
    async with Fetcher(local_settings(allowed_hosts=[])) as fetcher:
        result = await fetcher.get(f"http://localhost:{server.port}/")
    assert result.error == "ssrf", result.error_detail
    assert server.log == []


async def test_redirect_from_allowed_host_to_private_one_is_refused(server: LocalServer) -> None:
    dns = FakeDns({"intranet.example": ["192.168.1.10"]})
    server.route("/go", 302, b"", {"Location": "http://intranet.example/admin"})
    server.route("/go2", 301, b"", {"Location": f"http://0x7f.2:{server.port}/secret"})
    server.route("/secret", 200, b"secret")
    async with Fetcher(local_settings(), resolver=dns) as fetcher:
        first = await fetcher.get(server.url("/go"))
        second = await fetcher.get(server.url("/go2"))
    assert first.error == "ssrf" and first.final_url == "http://intranet.example/admin"
    assert second.error == "ssrf", second.error_detail
    assert server.hits("/secret") == []


async def test_allowed_hosts_may_name_a_port(
        make_server: Callable[[], LocalServer]) -> None:
    allowed, other = make_server(), make_server()
    allowed.route("/", 200, b"yes")
    other.route("/", 200, b"no")
    async with Fetcher(local_settings(allowed_hosts=[f"127.0.0.1:{allowed.port}"])) as fetcher:
        ok = await fetcher.get(allowed.url("/"))
        refused = await fetcher.get(other.url("/"))
    assert ok.ok and ok.body == b"yes"
    assert refused.error == "ssrf" and other.log == []


async def test_unresolvable_name_is_a_connect_error() -> None:
    async with Fetcher(local_settings(), resolver=FakeDns({})) as fetcher:
        result = await fetcher.get("https://no-such-name.example/")
    assert result.error == "connect" and "resolve" in result.error_detail


async def test_connection_goes_to_the_checked_address(server: LocalServer) -> None:
    """The name is resolved once, by the guard; the socket dials what was checked.

    ``publisher.example`` cannot be resolved by the system, so the fetch only succeeds if
    the connection used the guard's answer (127.0.0.1, allowed as an address here). The
    second lookup of this rebinding DNS says 10.0.0.1: the next fetch is refused.
    """
    server.route("/feed", 200, b"pinned")
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    async with Fetcher(local_settings(), resolver=rebinding) as fetcher:
        first = await fetcher.get(f"http://publisher.example:{server.port}/feed",
                                  check_robots=False)
        second = await fetcher.get(f"http://publisher.example:{server.port}/feed",
                                   check_robots=False)
    assert first.ok and first.body == b"pinned", first.error_detail
    assert server.hits("/feed")[0].headers["host"] == f"publisher.example:{server.port}"
    assert second.error == "ssrf" and len(server.hits("/feed")) == 1


async def test_guard_returns_the_checked_addresses() -> None:
    dns = FakeDns({"news.example": ["93.184.215.14", "2606:4700::6810:1"]})
    guard = SsrfGuard([], dns)
    assert await guard.check(httpx.URL("https://news.example/")) == [
        "93.184.215.14", "2606:4700::6810:1"]
    assert await SsrfGuard(["news.example"], dns).check(httpx.URL("http://news.example/")) == []
    assert dns.asked == ["news.example"]  # an allowed name is not even resolved
