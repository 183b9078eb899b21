"""Politeness measured at the server: concurrency bounds, spacing, adaptive delay."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Callable

from kiosque.fetch import Fetcher
from kiosque.fetch.pacing import MAX_DELAY_S, Outcome, next_delay
from tests.fetch.fetch_server import Handler, LocalServer, Seen, local_settings

JITTER = 0.05


def max_overlap(seen: list[Seen]) -> int:
    """Most requests the server was handling at the same moment."""
    events = sorted([(s.started, 1) for s in seen] + [(s.ended, -1) for s in seen])
    now = peak = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


def slow(seconds: float) -> Callable[[Handler], None]:
    def handle(h: Handler) -> None:
        time.sleep(seconds)
        h.send(200, b"ok")

    return handle


async def test_per_host_concurrency_is_bounded(server: LocalServer) -> None:
    server.routes["/slow"] = slow(0.15)
    async with Fetcher(local_settings(per_host_concurrency=2)) as fetcher:
        results = await asyncio.gather(*(fetcher.get(server.url("/slow")) for _ in range(6)))
    assert all(r.ok for r in results)
    assert max_overlap(server.hits("/slow")) == 2


async def test_global_concurrency_is_bounded(make_server: Callable[[], LocalServer]) -> None:
    servers = [make_server() for _ in range(3)]
    for s in servers:
        s.routes["/slow"] = slow(0.1)
    settings = local_settings(max_concurrency=2, per_host_concurrency=2)
    async with Fetcher(settings) as fetcher:
        await asyncio.gather(*(fetcher.get(s.url("/slow"), check_robots=False)
                               for s in servers for _ in range(2)))
    everything = [seen for s in servers for seen in s.hits("/slow")]
    assert len(everything) == 6 and max_overlap(everything) == 2


async def test_delay_between_requests_to_one_host(server: LocalServer) -> None:
    server.route("/p", 200, b"x")
    settings = local_settings(per_host_delay_s=0.2, per_host_concurrency=4)
    async with Fetcher(settings) as fetcher:
        await asyncio.gather(*(fetcher.get(server.url("/p"), check_robots=False)
                               for _ in range(4)))
    starts = sorted(s.started for s in server.hits("/p"))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # The client spaces its sends; what reaches the server also carries connect jitter
    # (the first connection is the slowest), hence a small tolerance per gap.
    assert len(gaps) == 3 and min(gaps) >= 0.2 - JITTER, gaps
    assert starts[-1] - starts[0] >= 3 * 0.2 - JITTER


async def test_hosts_are_paced_independently(make_server: Callable[[], LocalServer]) -> None:
    a, b = make_server(), make_server()
    a.route("/p", 200, b"x")
    b.route("/p", 200, b"x")
    settings = local_settings(per_host_delay_s=0.25)
    async with Fetcher(settings) as fetcher:
        began = time.monotonic()
        await asyncio.gather(*(fetcher.get(s.url("/p"), check_robots=False)
                               for s in (a, b) for _ in range(3)))
        took = time.monotonic() - began
    # each host: 3 requests 0.25 s apart, side by side (one shared pacer would need 1.25 s)
    assert 0.5 <= took < 1.1


async def test_errors_never_speed_the_host_up(server: LocalServer) -> None:
    server.route("/err", 500, b"oops")
    server.route("/ok", 200, b"fine")
    async with Fetcher(local_settings(per_host_delay_s=0.01)) as fetcher:
        key = f"127.0.0.1:{server.port}"
        delays = []
        for _ in range(4):
            result = await fetcher.get(server.url("/err"), check_robots=False)
            assert result.error == "http_500"
            delays.append(fetcher.host_stats()[key].delay_s)
        assert delays == sorted(delays) and delays[-1] > delays[0] > 0.01
        assert fetcher.host_stats()[key].errors == 4
        for _ in range(3):
            await fetcher.get(server.url("/ok"), check_robots=False)
        assert fetcher.host_stats()[key].delay_s < delays[-1]  # clean answers calm it down


def test_next_delay_only_falls_after_clean_answers() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        current = rng.uniform(0.0, 70.0)
        latency = rng.uniform(0.0, 30.0)
        floor = rng.uniform(0.0, 5.0)
        start = min(MAX_DELAY_S, max(current, floor))
        for outcome in (Outcome.TROUBLE, Outcome.NEUTRAL):
            new = next_delay(start, latency, 2, outcome, floor)
            assert start <= new <= MAX_DELAY_S
        clean = next_delay(start, latency, 2, Outcome.CLEAN, floor)
        assert floor <= clean <= MAX_DELAY_S
    assert next_delay(4.0, 0.0, 2, Outcome.CLEAN, 1.0) == 2.0
    assert next_delay(4.0, 0.0, 2, Outcome.TROUBLE, 1.0) == 6.0
    assert next_delay(50.0, 500.0, 1, Outcome.TROUBLE, 1.0) == MAX_DELAY_S
