"""Fixtures shared by the integration tests: the simulator, settings, a migrated store.

The simulator runs once per session on ephemeral loopback ports with a fixed clock
anchor, so what it publishes is the same on every run. Each test gets its own SQLite
file in a temporary directory.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosque.config import Settings
from kiosque.simulator import Simulator
from kiosque.store import repo
from kiosque.store.engine import make_engine, migrate

SIM_ANCHOR = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def sim() -> Iterator[Simulator]:
    """The demo publishers, faults on, on ephemeral ports."""
    simulator = Simulator(host="127.0.0.1", base_port=0, seed=7, speed=1.0, faults=True,
                          anchor=SIM_ANCHOR)
    simulator.start_in_thread()
    try:
        yield simulator
    finally:
        simulator.stop()


def make_settings(tmp_path: Path, **changes: object) -> Settings:
    base = Settings(
        database_url=f"sqlite:///{tmp_path / 'kiosque.db'}",
        data_dir=str(tmp_path),
        allowed_hosts=["127.0.0.1"],
        per_host_delay_s=0.0,
        per_host_concurrency=4,
        connect_timeout_s=5,
        read_timeout_s=10,
        total_timeout_s=20,
    )
    return base.with_overrides(**changes)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def engine(settings: Settings, sim: Simulator) -> Iterator[Engine]:
    """A migrated SQLite store that knows the simulated sources."""
    eng = make_engine(settings.database_url)
    migrate(eng)
    with eng.begin() as conn:
        repo.sync_sources(conn, [s.as_source() for s in sim.sites], datetime.now(UTC))
    yield eng
    eng.dispose()


def chromium_or_skip() -> str:
    """The browser for UI tests; CI sets KIOSQUE_REQUIRE_BROWSER so it cannot skip."""
    path = shutil.which("chromium") or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    if path is None:
        if os.environ.get("KIOSQUE_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (KIOSQUE_REQUIRE_BROWSER) but not installed")
        pytest.skip("Debian's chromium is not installed")
    return path


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
