"""Fixtures of the quality-of-service tests: a full site on a live server, and Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from kiosque.config import Settings
from tests.qos.browserkit import AXE, CHROMIUM, CHROMIUM_ARGS, REPO, SHOTS, require
from tests.qos.qosseed import QosSeed, live_server, make_db


@pytest.fixture(scope="session")
def qos_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, QosSeed]]:
    engine, seed = make_db(tmp_path_factory.mktemp("qos") / "kiosque.db")
    yield engine, seed
    engine.dispose()


@pytest.fixture(scope="session")
def qos_seed(qos_db: tuple[Engine, QosSeed]) -> QosSeed:
    return qos_db[1]


@pytest.fixture(scope="session")
def qos_settings() -> Settings:
    """Production defaults (30 articles a page), so the home page is as full as it gets."""
    return Settings(default_lang="fr", site_name="kiosque")


@pytest.fixture(scope="session")
def base_url(qos_db: tuple[Engine, QosSeed], qos_settings: Settings) -> Iterator[str]:
    with live_server(qos_db[0], qos_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (contexts isolate the tests)."""
    require(CHROMIUM.exists(), f"needs Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    require(AXE.is_file(), f"{AXE.relative_to(REPO)} is missing: run `npm ci --no-audit "
                           "--no-fund` at the repo root")
    return AXE


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
