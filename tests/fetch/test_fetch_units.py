"""The fetch chain's pure pieces: addresses, decoders, headers, redirect trail."""

from __future__ import annotations

import gzip
import ipaddress
from datetime import UTC, datetime

import brotli  # type: ignore[import-untyped]
import httpx
import pytest

from kiosque.fetch import Fetcher
from kiosque.fetch.addresses import forbidden_reason, parse_ip_literal, parse_legacy_ipv4
from kiosque.fetch.decoding import decoders_for
from kiosque.fetch.errors import FetchFailure
from kiosque.fetch.headers import parse_retry_after, request_headers, robots_token
from kiosque.fetch.redirects import RedirectTrail
from kiosque.fetch.ssrf import host_key, is_allowed_host
from tests.fetch.fetch_server import local_settings


@pytest.mark.parametrize(("text", "expected"), [
    ("2130706433", "127.0.0.1"),
    ("0x7f.1", "127.0.0.1"),
    ("0177.0.0.01", "127.0.0.1"),
    ("127.1", "127.0.0.1"),
    ("10.1.258", "10.1.1.2"),
    ("0xA9FEA9FE", "169.254.169.254"),
    ("8.8.8.8.", "8.8.8.8"),
])
def test_legacy_ipv4_spellings(text: str, expected: str) -> None:
    assert parse_legacy_ipv4(text) == ipaddress.IPv4Address(expected)


@pytest.mark.parametrize("text", ["example.com", "1.2.3.4.5", "256.1.1.1", "08.1.1.1",
                                  "4294967296", "1e3", "", "cafe.babe"])
def test_names_are_not_mistaken_for_addresses(text: str) -> None:
    assert parse_legacy_ipv4(text) is None


@pytest.mark.parametrize(("text", "blocked"), [
    ("8.8.8.8", False), ("2606:4700::1111", False), ("::ffff:1.1.1.1", False),
    ("127.0.0.1", True), ("10.2.3.4", True), ("172.31.0.1", True), ("192.168.0.1", True),
    ("100.100.100.200", True), ("169.254.169.254", True), ("0.0.0.0", True),
    ("224.0.0.251", True), ("255.255.255.255", True), ("::1", True), ("::", True),
    ("fe80::1", True), ("fc00::1", True), ("fdff::1", True), ("ff02::1", True),
    ("::ffff:10.0.0.1", True), ("2002:7f00:1::", True), ("64:ff9b::a00:1", True),
    ("192.0.2.1", True),
])
def test_forbidden_addresses(text: str, blocked: bool) -> None:
    address = parse_ip_literal(text)
    assert address is not None
    assert (forbidden_reason(address) is not None) is blocked


def test_bounded_gzip_decoder_stops_at_the_budget() -> None:
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    [decoder] = decoders_for("gzip")
    out = decoder.feed(bomb, 1000)
    assert 1000 < len(out) <= 1000 + 64 * 1024


def test_bounded_brotli_decoder_stops_at_the_budget() -> None:
    bomb = brotli.compress(b"\0" * (20 * 1024 * 1024), quality=1)
    [decoder] = decoders_for("br")
    assert 1000 < len(decoder.feed(bomb, 1000)) <= 1000 + 64 * 1024


def test_stacked_encodings_are_undone_in_reverse_order() -> None:
    data = b"layered " * 100
    packed = brotli.compress(gzip.compress(data))  # gzip applied first, then br
    chain = decoders_for("gzip, br")
    for decoder in chain:
        packed = decoder.feed(packed, 10_000) + decoder.flush(10_000)
    assert packed == data
    with pytest.raises(FetchFailure) as caught:
        decoders_for("zstd")
    assert caught.value.code == "decode"


def test_retry_after_forms() -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Tue, 10 Mar 2026 12:05:00 GMT", now) == 300.0
    assert parse_retry_after("Tue, 10 Mar 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_request_headers_and_robots_token() -> None:
    headers = request_headers("kiosque/0.1 (+https://x.example)", None, '"e"', None)
    assert headers["If-None-Match"] == '"e"' and "If-Modified-Since" not in headers
    assert headers["Accept"] == "*/*"
    broken = request_headers("kiosque", None, '"caf\u00e9"', "Mon\r\nX-Evil: 1")
    assert "If-None-Match" not in broken and "If-Modified-Since" not in broken
    assert robots_token("kiosque/0.1 (+https://x.example)") == "kiosque"
    assert robots_token("MyNews-Bot/2") == "mynews-bot"


def test_redirect_trail() -> None:
    trail = RedirectTrail(httpx.URL("https://a.example/x"), max_redirects=2)
    step = trail.next_url(httpx.URL("https://a.example/x"), "../y?q=1")
    assert str(step) == "https://a.example/y?q=1"
    with pytest.raises(FetchFailure) as loop:
        trail.next_url(step, "/x#top")
    assert loop.value.code == "redirect_loop"
    with pytest.raises(FetchFailure) as scheme:
        trail.next_url(step, "javascript:alert(1)")
    assert scheme.value.code == "bad_url"


def test_host_keys_and_allowed_hosts() -> None:
    assert host_key(httpx.URL("https://News.Example/a")) == "news.example:443"
    assert host_key(httpx.URL("http://[::1]:8080/")) == "[::1]:8080"
    assert is_allowed_host(httpx.URL("http://127.0.0.1:8100/"), ["127.0.0.1"])
    assert is_allowed_host(httpx.URL("http://sim.test:8100/"), ["SIM.test:8100"])
    assert not is_allowed_host(httpx.URL("http://sim.test:8101/"), ["sim.test:8100"])


async def test_in_memory_transport_works_for_callers_tests() -> None:
    """Other packages test with httpx.MockTransport on an allowed name: that must work."""
    body = gzip.compress(b"<rss/>")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=body, headers={"Content-Encoding": "gzip"})

    settings = local_settings(allowed_hosts=["publisher.test"])
    async with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
        result = await fetcher.get("https://publisher.test/feed")
    assert result.ok and result.body == b"<rss/>"


@pytest.mark.parametrize(("error", "code", "tries"), [
    (httpx.ConnectError("refused"), "connect", 2),
    (httpx.ReadError("reset"), "connect", 2),
    (httpx.RemoteProtocolError("garbage"), "protocol", 2),
    (httpx.ConnectTimeout("slow"), "timeout", 1),
    (httpx.ReadTimeout("silent"), "timeout", 1),
    (httpx.LocalProtocolError("ours"), "protocol", 1),
])
async def test_an_httpx_transport_s_errors_keep_their_codes_and_retries(
        error: httpx.HTTPError, code: str, tries: int) -> None:
    """Failures before any response get one more try; every one gets its short code."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        raise error

    settings = local_settings(allowed_hosts=["publisher.test"])
    async with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
        result = await fetcher.get("https://publisher.test/feed", check_robots=False)
    assert result.error == code, result.error_detail
    assert len(seen) == tries
