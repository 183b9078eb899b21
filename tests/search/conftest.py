"""Search tests run on real SQLite files and, when available, a real PostgreSQL.

``KIOSQUE_TEST_PG_URL`` names the server (``scripts/pg-for-tests.sh`` prints one);
unset, PostgreSQL variants skip, unless ``KIOSQUE_REQUIRE_PG=1`` (CI), where they fail.
Every PostgreSQL engine lives in a schema of its own, dropped afterwards, so that runs
never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from kiosque.store.engine import make_engine, migrate
from tests.search.search_loader import load_corpus

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _pg_url() -> str:
    url = os.environ.get("KIOSQUE_TEST_PG_URL", "")
    if not url:
        if os.environ.get("KIOSQUE_REQUIRE_PG") == "1":
            pytest.fail("KIOSQUE_REQUIRE_PG=1 but KIOSQUE_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL: set KIOSQUE_TEST_PG_URL (scripts/pg-for-tests.sh)")
    return url


def make_test_engine(kind: str, tmp: Path) -> Iterator[Engine]:
    """A migrated, empty database of the given kind; cleaned up when the caller ends."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp / 'kiosque.db'}")
        migrate(engine)
        yield engine
        engine.dispose()
        return
    url = _pg_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty migrated database, once per backend."""
    yield from make_test_engine(request.param, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, dict[str, int]]]:
    """The generated corpus, loaded and indexed; (engine, article key -> id)."""
    for engine in make_test_engine(request.param, tmp_path_factory.mktemp("corpus")):
        yield engine, load_corpus(engine)
