"""SSRF: feed and image URLs aimed at private addresses, directly or by redirect, are refused.

Two kinds of targets, so that no test ever sends a packet off this machine:

- loopback in every spelling (``0x7f000001``, ``2130706433``, ``127.1``, ``0177.0.0.1``,
  ``[::1]``, ``[::ffff:127.0.0.1]``, ``localhost``): the REAL network stack is used and a
  listening trap on that port must see no connection at all;
- private, link-local and metadata addresses (10/8, 192.168/16, 169.254/16, fc00::/7)
  and names a fake resolver maps to them: the fetcher gets a transport that forwards
  only to our local publisher and records anything else, and must record nothing.

Only the local publisher's ``127.0.0.1:<port>`` is in ``allowed_hosts``: the operator's
trust in one host and port must not extend to the rest of the machine.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sec_support import (
    Item,
    LocalServer,
    Trap,
    fresh_store,
    make_settings,
    noise_png,
    poll,
    rss,
    run_async,
)
from sqlalchemy import select

from kiosque.config import Settings
from kiosque.fetch import Fetcher
from kiosque.models import Source
from kiosque.store.tables import images, sources

FAKE_DNS = {
    "intranet.test": ["10.20.30.40"],
    "metadata.test": ["169.254.169.254"],
    "router.test": ["192.168.1.1"],
    "mixed.test": ["93.184.216.34", "192.168.0.10"],
    "rebind.test": ["::1"],
    "wrapped.test": ["::ffff:10.0.0.1"],
    "ula.test": ["fd00::1"],
    "localhost": ["127.0.0.1", "::1"],
    "public.test": ["93.184.216.34"],  # the control: allowed by the guard
}
PRIVATE_URLS = [
    "http://10.0.0.1/feed.xml",
    "http://10.255.255.254:8080/feed.xml",
    "http://192.168.1.1/feed.xml",
    "http://169.254.169.254/latest/meta-data/",
    "http://172.16.0.1/feed.xml",
    "http://100.64.0.1/feed.xml",
    "http://[fd12::1]/feed.xml",
    "http://[fe80::1]/feed.xml",
    "http://0.0.0.0/feed.xml",
    "http://0xa9fea9fe/latest/meta-data/",  # 169.254.169.254 in hex
    "http://012.0.0.1/feed.xml",  # 10.0.0.1 in octal
    "https://intranet.test/feed.xml",
    "http://metadata.test/latest/meta-data/",
    "http://router.test/",
    "http://mixed.test/feed.xml",
    "http://rebind.test/feed.xml",
    "http://wrapped.test/feed.xml",
    "http://ula.test/feed.xml",
]


# "ssrf": the guard refused the address; "bad_url": httpx refused to even parse a
# spelling such as 012.0.0.1 (leading zeros); in a redirect's Location that same refusal
# comes back as "protocol" ("Invalid URL in location header"). All are refusals.
REFUSED = {"ssrf", "bad_url", "protocol"}


def assert_refused(url: str, error: str, detail: str) -> None:
    assert error in REFUSED, (url, error, detail)
    if error == "protocol":
        assert "Invalid URL" in detail, (url, detail)


async def fake_resolver(host: str, port: int) -> list[str]:
    try:
        return FAKE_DNS[host]
    except KeyError:
        raise OSError(f"fake DNS knows no {host}") from None


class OnlyPublisher(httpx.AsyncBaseTransport):
    """Forwards requests for the local publisher to the real network; records the rest.

    Anything recorded got past the SSRF guard. ``public.test`` (the control) gets a
    canned answer so the test can show that a public address is let through.
    """

    def __init__(self, publisher_port: int) -> None:
        self.port = publisher_port
        self.real = httpx.AsyncHTTPTransport()
        self.recorded: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "127.0.0.1" and request.url.port == self.port:
            return await self.real.handle_async_request(request)
        self.recorded.append(str(request.url))
        if request.url.host == "public.test":
            return httpx.Response(200, text="public", request=request)
        raise httpx.ConnectError("refused by the test transport", request=request)

    async def aclose(self) -> None:
        await self.real.aclose()


@pytest.fixture
def publisher() -> Iterator[LocalServer]:
    server = LocalServer().start()
    yield server
    server.stop()


@pytest.fixture
def traps() -> Iterator[tuple[Trap, Trap | None]]:
    v4 = Trap()
    v6: Trap | None
    try:
        v6 = Trap(socket.AF_INET6, "::1", v4.port)
    except OSError:  # no IPv6 loopback in this sandbox
        v6 = None
    yield v4, v6
    v4.close()
    if v6 is not None:
        v6.close()


def guarded_settings(tmp_path: Path, publisher: LocalServer) -> Settings:
    return make_settings(tmp_path, allowed_hosts=[f"127.0.0.1:{publisher.port}"],
                         max_redirects=3)


def fetch_all(settings: Settings, urls: list[str],
              transport: httpx.AsyncBaseTransport | None = None) -> dict[str, tuple[str, str]]:
    async def run() -> dict[str, tuple[str, str]]:
        async with Fetcher(settings, transport=transport, resolver=fake_resolver) as fetcher:
            results = [await fetcher.get(u) for u in urls]
        return {r.url: (r.error or "", r.error_detail) for r in results}

    return run_async(run)


def loopback_spellings(port: int) -> list[str]:
    return [
        f"http://0x7f000001:{port}/feed.xml",
        f"http://2130706433:{port}/feed.xml",
        f"http://127.1:{port}/feed.xml",
        f"http://0177.0.0.1:{port}/feed.xml",
        f"http://0x7f.0.0.1:{port}/feed.xml",
        f"http://127.0.0.1:{port}/feed.xml",
        f"http://[::1]:{port}/feed.xml",
        f"http://[::ffff:127.0.0.1]:{port}/feed.xml",
        f"http://[0:0:0:0:0:ffff:7f00:1]:{port}/feed.xml",
        f"http://localhost:{port}/feed.xml",
        f"http://rebind.test:{port}/feed.xml",
    ]


def test_loopback_in_any_spelling_is_refused_and_never_contacted(
    tmp_path: Path, publisher: LocalServer, traps: tuple[Trap, Trap | None]
) -> None:
    v4, v6 = traps
    settings = guarded_settings(tmp_path, publisher)
    results = fetch_all(settings, loopback_spellings(v4.port))
    for url, (error, detail) in results.items():
        assert_refused(url, error, detail)
        assert "address" in detail or "not a valid URL" in detail, detail
    assert v4.connections == 0
    assert v6 is None or v6.connections == 0
    # the control: once the operator allows that port, the very same trap is reached
    opened = guarded_settings(tmp_path, publisher).with_overrides(
        allowed_hosts=[f"127.0.0.1:{publisher.port}", f"127.0.0.1:{v4.port}"])
    fetch_all(opened, [f"http://127.0.0.1:{v4.port}/feed.xml"])
    assert v4.connections >= 1


def test_redirects_to_loopback_are_refused_at_the_hop(
    tmp_path: Path, publisher: LocalServer, traps: tuple[Trap, Trap | None]
) -> None:
    v4, v6 = traps
    targets = loopback_spellings(v4.port)
    for n, target in enumerate(targets):
        publisher.routes[f"/go/{n}"] = (302, {"Location": target}, b"")
    settings = guarded_settings(tmp_path, publisher)
    results = fetch_all(settings, [f"{publisher.base}/go/{n}" for n in range(len(targets))])
    for url, (error, detail) in results.items():
        assert_refused(url, error, detail)
    assert set(publisher.hits("/go/")) == {f"/go/{n}" for n in range(len(targets))}
    assert v4.connections == 0
    assert v6 is None or v6.connections == 0


def test_private_and_metadata_addresses_are_refused(
    tmp_path: Path, publisher: LocalServer
) -> None:
    settings = guarded_settings(tmp_path, publisher)
    transport = OnlyPublisher(publisher.port)
    for n, target in enumerate(PRIVATE_URLS):
        publisher.routes[f"/hop/{n}"] = (307, {"Location": target}, b"")
    redirects = [f"{publisher.base}/hop/{n}" for n in range(len(PRIVATE_URLS))]
    results = fetch_all(settings, PRIVATE_URLS + redirects + ["http://public.test/"],
                        transport)
    for url in PRIVATE_URLS + redirects:
        error, detail = results[url]
        assert_refused(url, error, detail)
        if error == "ssrf":
            assert "allowed_hosts" in detail, detail  # a sentence that says what to do
    # the control: a public address passes the guard and reaches the transport
    assert results["http://public.test/"] == ("", "")
    assert transport.recorded == ["http://public.test/"]


def test_ingest_refuses_private_feeds_and_images(
    tmp_path: Path, publisher: LocalServer
) -> None:
    """Through the real pipeline: the source is marked failing, the image broken."""
    settings = guarded_settings(tmp_path, publisher)
    base = publisher.base
    publisher.routes["/pic.png"] = (200, {"Content-Type": "image/png"}, noise_png(3))
    publisher.routes["/to-metadata"] = (
        302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    publisher.routes["/to-private-pic"] = (302, {"Location": "http://10.1.1.1/p.png"}, b"")
    words = " ".join(["meadow"] * 90)
    items = [
        Item("ok", f"{base}/a/ok", "Allowed picture", f"<p>{words} one</p>",
             image_url=f"{base}/pic.png"),
        Item("direct", f"{base}/a/direct", "Private picture", f"<p>{words} two</p>",
             image_url="http://192.168.7.7/secret.png"),
        Item("hop", f"{base}/a/hop", "Redirected picture", f"<p>{words} three</p>",
             image_url=f"{base}/to-private-pic"),
        Item("meta", f"{base}/a/meta", "Metadata picture", f"<p>{words} four</p>",
             image_url="http://metadata.test/pic.png"),
    ]
    publisher.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                     rss(items, base, datetime.now(UTC)))
    engine = fresh_store(settings, [
        Source(slug="good", name="Good", feed_url=f"{base}/feed.xml", fetch_full_text=False),
        Source(slug="private", name="Private", feed_url="http://10.9.8.7/feed.xml"),
        Source(slug="metadata", name="Metadata", feed_url="http://0xa9fea9fe/"),
        Source(slug="hop", name="Hop", feed_url=f"{base}/to-metadata"),
        Source(slug="named", name="Named", feed_url="http://intranet.test/rss"),
    ])
    transport = OnlyPublisher(publisher.port)
    reports = poll(settings, engine, transport=transport, resolver=fake_resolver)
    assert reports["good"].status == "ok" and reports["good"].new == 4
    for slug in ("private", "metadata", "hop", "named"):
        assert reports[slug].status == "error", reports[slug]
        assert reports[slug].error.startswith("ssrf"), reports[slug].error
    with engine.connect() as conn:
        errors: dict[str, str] = {
            str(slug): str(error)
            for slug, error in conn.execute(select(sources.c.slug, sources.c.last_error))}
        pictures = {r.source_url: (r.status, r.error) for r in conn.execute(select(images))}
    assert all(errors[s].startswith("ssrf") for s in ("private", "metadata", "hop", "named"))
    assert pictures[f"{base}/pic.png"][0] == "ok"
    for url in ("http://192.168.7.7/secret.png", f"{base}/to-private-pic",
                "http://metadata.test/pic.png"):
        status, error = pictures[url]
        assert status == "broken" and error.startswith("ssrf"), (url, status, error)
    assert transport.recorded == []
    engine.dispose()

