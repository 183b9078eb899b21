"""Simulators started once per test session on ephemeral loopback ports.

``sim`` has faults off (no delay, no 503) so that content tests are not disturbed by the
intermittent errors; ``faulty_sim`` has them on, with a short slow-host delay to keep
the suite fast. Both freeze the clock (speed 0) at a fixed anchor so expectations hold.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kiosque.simulator import Simulator
from tests.simulator.simulator_anchor import ANCHOR, SLOW_DELAY


@pytest.fixture(scope="session")
def sim() -> Iterator[Simulator]:
    simulator = Simulator(base_port=0, seed=42, speed=0, faults=False, anchor=ANCHOR)
    simulator.start_in_thread()
    yield simulator
    simulator.stop()


@pytest.fixture(scope="session")
def faulty_sim() -> Iterator[Simulator]:
    simulator = Simulator(base_port=0, seed=42, speed=0, faults=True, anchor=ANCHOR,
                          slow_delay=SLOW_DELAY)
    simulator.start_in_thread()
    yield simulator
    simulator.stop()


@pytest.fixture()
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, follow_redirects=False) as http:
        yield http
