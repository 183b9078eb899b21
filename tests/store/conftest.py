"""Fixtures of the repository tests: a migrated store on each backend, three sources."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosque.models import Source
from kiosque.store import repo
from tests.databases import BACKENDS, migrated_engine

SOURCES_SINCE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store (SQLite, and PostgreSQL when the tests have one)."""
    yield from migrated_engine(request.param, f"sqlite:///{tmp_path / 's.db'}", "kq_store")


@pytest.fixture
def source_ids(engine: Engine) -> dict[str, int]:
    """Sources a, b and c in ``engine``, by slug."""
    with engine.begin() as conn:
        return repo.sync_sources(
            conn, [Source(slug=s, name=s.upper(), feed_url=f"http://x/{s}") for s in "abc"],
            SOURCES_SINCE,
        )
