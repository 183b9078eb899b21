"""The simulated clock keeps publishing: new items appear and validators change."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import feedparser
import httpx

from kiosque.simulator import Simulator, generate_corpus


def test_clock_runs_at_speed_and_new_items_appear(client: httpx.Client) -> None:
    anchor = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    simulator = Simulator(base_port=0, seed=5, speed=4 * 3600, faults=False, anchor=anchor)
    simulator.start_in_thread()
    try:
        site = simulator.site("vigie-detroit")
        first = client.get(site.feed_url)
        before = {e.id for e in feedparser.parse(first.content).entries}
        started = simulator.now()
        assert abs(started - anchor) < timedelta(hours=2)
        time.sleep(1.0)  # four simulated hours
        assert simulator.now() - started >= timedelta(hours=3)
        second = client.get(site.feed_url, headers={"If-None-Match": first.headers["etag"]})
        assert second.status_code == 200
        after = {e.id for e in feedparser.parse(second.content).entries}
        assert after - before
        assert second.headers["etag"] != first.headers["etag"]
    finally:
        simulator.stop()


def test_frozen_clock_and_future_articles_stay_hidden(client: httpx.Client) -> None:
    anchor = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    simulator = Simulator(base_port=0, speed=0, faults=False, anchor=anchor)
    simulator.start_in_thread()
    try:
        assert simulator.now() == anchor
        urls = tuple(s.base_url for s in simulator.sites)
        future = generate_corpus(42, anchor, anchor + timedelta(hours=3), base_urls=urls)
        assert future
        assert client.get(future[0].url).status_code == 404
        past = generate_corpus(42, anchor - timedelta(hours=3), anchor, base_urls=urls)
        assert client.get(past[-1].url).status_code == 200
    finally:
        simulator.stop()
    assert simulator.sites[0].port != 0
