"""The search contract seen by ingest and the web, and the choice of engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Connection

from kiosque.search.results import SearchResults


class SearchBackend(Protocol):
    """Index maintenance inside the caller's transaction, and reader queries."""

    def index(self, conn: Connection, article_ids: Sequence[int]) -> None:
        """(Re)index these articles from their stored rows; idempotent."""
        ...

    def remove(self, conn: Connection, article_ids: Sequence[int]) -> None:
        """Drop these articles from the index."""
        ...

    def warm(self, conn: Connection) -> None:
        """Load what the first search would otherwise load (see ``docvalues``)."""
        ...

    def search(
        self,
        conn: Connection,
        query: str,
        *,
        page: int = 1,
        per_page: int = 20,
        sort: str = "relevance",
        langs: Sequence[str] | None = None,
    ) -> SearchResults:
        """One page of results for what a reader typed; never raises on bad input."""
        ...


def backend_for(engine_or_conn_dialect_name: str) -> SearchBackend:
    """The backend for a dialect name (``engine.dialect.name``)."""
    name = engine_or_conn_dialect_name.split("+")[0].lower()
    if name == "sqlite":
        from kiosque.search.sqlite_fts import SqliteFtsBackend

        return SqliteFtsBackend()
    if name in ("postgresql", "postgres"):
        from kiosque.search.postgres_fts import PostgresFtsBackend

        return PostgresFtsBackend()
    raise ValueError(f"no search backend for database dialect {engine_or_conn_dialect_name!r}")
