"""SQLite FTS5 backend: the embedded default, written in the articles' own transaction."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    text,
)

from kiosque.search.base import IndexDoc, SqlSearchBackend
from kiosque.search.compile import LangExpr, to_fts5
from kiosque.search.tables import FTS5_TABLE, search_fts, search_meta
from kiosque.store.tables import articles

TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0


class SqliteFtsBackend(SqlSearchBackend):
    """FTS5 over pre-analyzed tokens; BM25 with the title weighted above the body."""

    dialect = "sqlite"
    meta = search_meta

    def _write(self, conn: Connection, docs: list[IndexDoc]) -> None:
        ids = [d.article_id for d in docs]
        conn.execute(
            insert(search_meta).from_select(
                [c.name for c in search_meta.c],
                select(*[articles.c[c.name] for c in search_meta.c]).where(articles.c.id.in_(ids)),
            )
        )
        conn.execute(
            text(f"INSERT INTO {FTS5_TABLE}(rowid, title, body) VALUES (:id, :title, :body)"),
            [
                {"id": d.article_id, "title": " ".join(d.title_tokens),
                 "body": " ".join(d.body_tokens)}
                for d in docs
            ],
        )

    def _delete(self, conn: Connection, ids: list[int]) -> None:
        conn.execute(search_meta.delete().where(search_meta.c.id.in_(ids)))
        conn.execute(
            text(f"DELETE FROM {FTS5_TABLE} WHERE rowid IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": ids},
        )

    def _match(
        self, exprs: list[LangExpr]
    ) -> tuple[Any, ColumnElement[int], ColumnElement[bool], ColumnElement[float]]:
        cond: ColumnElement[bool] = literal_column(FTS5_TABLE).op("MATCH", is_comparison=True)(
            bindparam("fts_q", to_fts5(exprs))
        )
        relevance = -func.bm25(literal_column(FTS5_TABLE), TITLE_WEIGHT, BODY_WEIGHT,
                               type_=Float)
        return search_fts, search_fts.c.rowid, cond, relevance

    def _day(self, published: Any) -> ColumnElement[str]:
        return func.substr(published, 1, 10)

    def _join_ids(self, col: Any) -> ColumnElement[str]:
        return func.group_concat(col, ",")

    def _id_in(self, col: Any, ids: list[int]) -> ColumnElement[bool]:
        # one JSON text instead of thousands of bound parameters to render and bind
        listed = func.json_each(json.dumps(ids)).table_valued("value")
        return col.in_(select(listed.c.value))  # type: ignore[no-any-return]

    def _epoch(self, published: Any) -> ColumnElement[float]:
        return (func.julianday(published, type_=Float) - 2440587.5) * 86400.0

    def bare_match_sql(self, exprs: list[LangExpr]) -> tuple[str, dict[str, str]]:
        """The engine floor for benchmarks: the same MATCH, no ranking, join or snippet."""
        return f"SELECT rowid FROM {FTS5_TABLE} WHERE {FTS5_TABLE} MATCH :q", {
            "q": to_fts5(exprs)
        }
