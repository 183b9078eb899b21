"""SQLite FTS5 backend: the embedded default, written in the articles' own transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    String,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    select,
    text,
)

from kiosque.search.base import (
    ANYWHERE,
    INDEXED_COLUMNS,
    IndexDoc,
    Narrowing,
    SqlSearchBackend,
)
from kiosque.search.compile import LangExpr, to_fts5
from kiosque.search.tables import FTS5_TABLE, NEXT_SEQ, search_fts, search_meta
from kiosque.store.repo import DriverStatement
from kiosque.store.tables import articles

TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0
TAGS_WEIGHT = 0.0
"""The ``tags`` column only narrows a match: it must not move any score."""


def source_tag(source_id: int) -> str:
    return f"src_{int(source_id)}"


@lru_cache(maxsize=4096)
def section_tag(section: str) -> str:
    """One token per lowercased section, whatever its characters (a hash: the exact
    comparison happens on the matches, see ``SqlSearchBackend._kept``)."""
    digest = hashlib.blake2b(section.lower().encode(), digest_size=8).hexdigest()
    return f"sec_{digest}"


def _narrow_fts5(narrowing: Narrowing) -> str:
    parts = []
    if narrowing.source_ids is not None:
        parts.append(" OR ".join(source_tag(s) for s in narrowing.source_ids))
    if narrowing.sections is not None:
        parts.append(" OR ".join(section_tag(s) for s in narrowing.sections))
    return " AND ".join(f"tags : ({p})" for p in parts)


def _json_ids() -> Any:
    """``SELECT value FROM json_each(:ids)``: a whole id list in one bound JSON text, so
    the statement (and SQLite's prepared statement) is the same whatever the count."""
    listed = func.json_each(bindparam("ids", type_=String)).table_valued("value")
    return select(listed.c.value)


# Statements of every index write, built once and run on the driver's cursor (see
# ``DriverStatement``): building them per call, then executing them through Core, cost
# more than SQLite spends running them.
_COPIED = [c.name for c in search_meta.c if c.name != "seq"]
_NEXT_SEQ = DriverStatement(text(NEXT_SEQ))
_COPY_META = DriverStatement(insert(search_meta).from_select(
    [*_COPIED, "seq"],
    select(*[articles.c[c] for c in _COPIED], bindparam("seq", type_=Integer))
    .where(articles.c.id.in_(_json_ids())),
))
_INSERT_FTS = DriverStatement(text(
    f"INSERT INTO {FTS5_TABLE}(rowid, title, body, tags) VALUES (:id, :title, :body, :tags)"
))
_DELETE_META = DriverStatement(search_meta.delete().where(search_meta.c.id.in_(_json_ids())))
_DELETE_FTS = DriverStatement(text(
    f"DELETE FROM {FTS5_TABLE} WHERE rowid IN (SELECT value FROM json_each(:ids))"
))
_INDEXED_ROWS = DriverStatement(
    select(*INDEXED_COLUMNS).where(articles.c.id.in_(_json_ids()))
)


class SqliteFtsBackend(SqlSearchBackend):
    """FTS5 over pre-analyzed tokens; BM25 with the title weighted above the body."""

    dialect = "sqlite"
    meta = search_meta

    def _indexed_rows(self, conn: Connection, ids: list[int]) -> Sequence[Sequence[Any]]:
        return _INDEXED_ROWS.rows(conn, {"ids": json.dumps(ids)})

    def _write(self, conn: Connection, docs: list[IndexDoc]) -> None:
        [(seq,)] = _NEXT_SEQ.rows(conn)
        ids = json.dumps([d.article_id for d in docs])
        _COPY_META.execute(conn, {"ids": ids, "seq": seq})
        _INSERT_FTS.executemany(
            conn,
            [
                {"id": d.article_id, "title": " ".join(d.title_tokens),
                 "body": " ".join(d.body_tokens),
                 "tags": f"{source_tag(d.source_id)} {section_tag(d.section)}"}
                for d in docs
            ],
        )

    def _delete(self, conn: Connection, ids: list[int]) -> None:
        params = {"ids": json.dumps([int(i) for i in ids])}
        _DELETE_META.execute(conn, params)
        _DELETE_FTS.execute(conn, params)

    def _match(
        self, exprs: list[LangExpr], narrowing: Narrowing = ANYWHERE
    ) -> tuple[Any, ColumnElement[int], ColumnElement[bool], ColumnElement[float]]:
        expr = to_fts5(exprs)
        narrow = _narrow_fts5(narrowing)
        if narrow:
            expr = f"({expr}) AND {narrow}"
        cond: ColumnElement[bool] = literal_column(FTS5_TABLE).op("MATCH", is_comparison=True)(
            bindparam("fts_q", expr)
        )
        relevance = -func.bm25(literal_column(FTS5_TABLE), TITLE_WEIGHT, BODY_WEIGHT,
                               TAGS_WEIGHT, type_=Float)
        return search_fts, search_fts.c.rowid, cond, relevance

    def _day(self, published: Any) -> ColumnElement[str]:
        return func.substr(published, 1, 10)

    def _join_ids(self, col: Any) -> ColumnElement[str]:
        return func.group_concat(col, ",")

    def _id_in(self, col: Any, ids: list[int]) -> ColumnElement[bool]:
        # one JSON text instead of thousands of bound parameters to render and bind
        listed = func.json_each(json.dumps(ids)).table_valued("value")
        return col.in_(select(listed.c.value))  # type: ignore[no-any-return]

    def _epoch_seconds(self, published: Any) -> ColumnElement[int]:
        return cast(func.strftime("%s", published), Integer)
