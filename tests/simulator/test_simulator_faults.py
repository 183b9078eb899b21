"""Deliberate faults: a slow host and a host that answers 503 one time in three."""

from __future__ import annotations

import time

import httpx

from kiosque.simulator import Simulator
from tests.simulator.simulator_anchor import SLOW_DELAY


def test_slow_host_delays_every_response(faulty_sim: Simulator, client: httpx.Client) -> None:
    slow = next(s for s in faulty_sim.sites if "slow" in s.faults)
    fast = next(s for s in faulty_sim.sites if not s.faults)
    started = time.perf_counter()
    assert client.get(slow.base_url + "/robots.txt").status_code == 200
    assert time.perf_counter() - started >= SLOW_DELAY
    started = time.perf_counter()
    assert client.get(fast.base_url + "/robots.txt").status_code == 200
    assert time.perf_counter() - started < SLOW_DELAY


def test_one_request_in_three_gets_503_with_retry_after(
    faulty_sim: Simulator, client: httpx.Client
) -> None:
    flaky = next(s for s in faulty_sim.sites if "http503" in s.faults)
    statuses = [client.get(flaky.feed_url) for _ in range(9)]
    failures = [r for r in statuses if r.status_code == 503]
    assert len(failures) == 3
    assert all(r.headers["retry-after"] == "2" for r in failures)
    assert all(r.status_code == 200 for r in statuses if r not in failures)
    # robots.txt is left alone so that a polite fetcher is not locked out
    assert all(client.get(flaky.base_url + "/robots.txt").status_code == 200 for _ in range(3))


def test_faults_off_means_no_delay_and_no_503(sim: Simulator, client: httpx.Client) -> None:
    flaky = next(s for s in sim.sites if "http503" in s.faults)
    slow = next(s for s in sim.sites if "slow" in s.faults)
    assert all(client.get(flaky.feed_url).status_code == 200 for _ in range(6))
    started = time.perf_counter()
    client.get(slow.base_url + "/robots.txt")
    assert time.perf_counter() - started < SLOW_DELAY
