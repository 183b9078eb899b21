"""robots.txt: fetched once per origin, obeyed, and failing safe on server errors."""

from __future__ import annotations

import asyncio
import itertools

from kiosque.fetch import Fetcher
from kiosque.fetch.robots import ERROR_TTL_S, GOOD_TTL_S, ROBOTS_MAX_BYTES, rules_from_result
from kiosque.models import FetchResult
from tests.fetch.fetch_server import LocalServer, local_settings


async def test_disallowed_path_is_never_requested(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/robots.txt", 200, b"User-agent: *\nDisallow: /private\n")
    server.route("/private/page", 200, b"secret")
    server.route("/public/page", 200, b"hello")
    blocked = await fetcher.get(server.url("/private/page"))
    allowed = await asyncio.gather(*(fetcher.get(server.url("/public/page")) for _ in range(3)))
    assert blocked.error == "robots" and "robots.txt" in blocked.error_detail
    assert all(r.ok for r in allowed)
    assert server.hits("/private/page") == []
    assert len(server.hits("/robots.txt")) == 1


async def test_our_own_group_wins_over_the_star_group(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/robots.txt", 200,
                 b"User-agent: *\nAllow: /\n\nUser-agent: kiosque\nDisallow: /news/\n")
    server.route("/news/1", 200, b"x")
    server.route("/about", 200, b"x")
    assert (await fetcher.get(server.url("/news/1"))).error == "robots"
    assert (await fetcher.get(server.url("/about"))).ok


async def test_robots_5xx_disallows_everything_for_now(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/robots.txt", 503, b"try later")
    server.route("/page", 200, b"x")
    result = await fetcher.get(server.url("/page"))
    assert result.error == "robots" and "503" in result.error_detail
    assert server.hits("/page") == []


async def test_robots_4xx_allows_everything(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/robots.txt", 403, b"forbidden")
    server.route("/page", 200, b"x")
    assert (await fetcher.get(server.url("/page"))).ok


async def test_redirect_into_a_disallowed_path_is_stopped(
        server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/robots.txt", 200, b"User-agent: *\nDisallow: /private\n")
    server.route("/short", 302, b"", {"Location": "/private/x"})
    result = await fetcher.get(server.url("/short"))
    assert result.error == "robots" and result.final_url == server.url("/private/x")
    assert server.hits("/private/x") == []


async def test_robots_can_be_skipped(server: LocalServer) -> None:
    server.route("/robots.txt", 200, b"User-agent: *\nDisallow: /\n")
    server.route("/page", 200, b"x")
    async with Fetcher(local_settings()) as fetcher:
        assert (await fetcher.get(server.url("/page"), check_robots=False)).ok
    async with Fetcher(local_settings(respect_robots=False)) as fetcher:
        assert (await fetcher.get(server.url("/page"))).ok
    assert server.hits("/robots.txt") == []


async def test_crawl_delay_spaces_requests(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/robots.txt", 200, b"User-agent: *\nCrawl-delay: 0.3\n")
    server.route("/page", 200, b"x")
    results = await asyncio.gather(*(fetcher.get(server.url("/page")) for _ in range(3)))
    assert all(r.ok for r in results)
    stats = fetcher.host_stats()[f"127.0.0.1:{server.port}"]
    assert stats.min_delay_s == 0.3 and stats.delay_s >= 0.3
    starts = sorted(s.started for s in server.hits("/page"))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 2 and min(gaps) >= 0.3 - 0.05, gaps  # 0.05: connect jitter


def test_robots_outcomes_follow_rfc_9309() -> None:
    def verdict(**fields: object) -> tuple[str, float]:
        rules, ttl = rules_from_result(FetchResult(url="http://a.example/robots.txt",
                                                   **fields))  # type: ignore[arg-type]
        return rules.kind, ttl

    assert verdict(status=200, body=b"User-agent: *\nDisallow: /x\n")[0] == "rules"
    assert verdict(status=404, error="http_404") == ("allow_all", GOOD_TTL_S)
    assert verdict(status=429, error="http_429")[0] == "disallow_all"
    assert verdict(status=500, error="http_500") == ("disallow_all", ERROR_TTL_S)
    assert verdict(error="too_many_redirects")[0] == "allow_all"
    assert verdict(error="connect", error_detail="refused")[0] == "unreachable"
    big = b"User-agent: *\nDisallow: /x\n" + b"#" * 600_000
    assert verdict(status=200, error="too_large", body=big[:ROBOTS_MAX_BYTES])[0] == "rules"
