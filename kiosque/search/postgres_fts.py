"""PostgreSQL backend: a tsvector per article, from our tokens, under a GIN index."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Float,
    Integer,
    Text,
    and_,
    any_,
    cast,
    func,
    literal,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY

from kiosque.search.base import ANYWHERE, IndexDoc, Narrowing, SqlSearchBackend
from kiosque.search.compile import LangExpr, to_tsquery
from kiosque.search.tables import NEXT_SEQ, PG_META_COLUMNS, search_docs

MAX_POSITION = 16383  # PostgreSQL clamps larger positions
MAX_POSITIONS_PER_LEXEME = 255
RANK_WEIGHTS = "{0.25, 0.25, 0.25, 1.0}"  # D, C, B, A: title (A) four times the body


def tsvector_literal(doc: IndexDoc) -> str:
    """The text form of a tsvector: title tokens weight A, body after a one-position gap.

    The gap keeps a phrase from matching across title and body, as FTS5's separate
    columns do. Tokens contain only letters, digits and ``_``, so quoting is trivial.
    """
    positions: dict[str, list[str]] = defaultdict(list)
    pos = 0
    for tok in doc.title_tokens:
        pos += 1
        if pos <= MAX_POSITION and len(positions[tok]) < MAX_POSITIONS_PER_LEXEME:
            positions[tok].append(f"{pos}A")
    pos += 1
    for tok in doc.body_tokens:
        pos += 1
        if pos > MAX_POSITION:
            positions.setdefault(tok, [])
            continue
        if len(positions[tok]) < MAX_POSITIONS_PER_LEXEME:
            positions[tok].append(str(pos))
    return " ".join(
        f"'{tok}':{','.join(p)}" if p else f"'{tok}'" for tok, p in positions.items()
    )


class PostgresFtsBackend(SqlSearchBackend):
    """GIN-indexed tsvector of the same tokens as FTS5; ts_rank as relevance."""

    dialect = "postgresql"
    meta = search_docs

    def _write(self, conn: Connection, docs: list[IndexDoc]) -> None:
        # vectors joined to their articles' rows in one statement: the filter and
        # facet columns are copied without a round trip per article
        cols = ", ".join(PG_META_COLUMNS)
        seq = conn.execute(text(NEXT_SEQ)).scalar_one()
        conn.execute(
            text(
                f"INSERT INTO search_docs (article_id, vec, seq, {cols}) "
                f"SELECT a.id, v.vec::tsvector, :seq, "
                f"{', '.join('a.' + c for c in PG_META_COLUMNS)} "
                "FROM unnest(CAST(:ids AS integer[]), CAST(:vecs AS text[])) AS v(id, vec) "
                "JOIN articles a ON a.id = v.id"
            ),
            {"ids": [d.article_id for d in docs], "vecs": [tsvector_literal(d) for d in docs],
             "seq": seq},
        )

    def _delete(self, conn: Connection, ids: list[int]) -> None:
        conn.execute(search_docs.delete().where(search_docs.c.id.in_(ids)))

    def _match(
        self, exprs: list[LangExpr], narrowing: Narrowing = ANYWHERE
    ) -> tuple[Any, ColumnElement[int], ColumnElement[bool], ColumnElement[float]]:
        q = cast(literal(to_tsquery(exprs)), TSQUERY)
        cond: ColumnElement[bool] = search_docs.c.vec.op("@@")(q)
        # the filter columns sit in the same row as the vector: no lookup to apply them
        if narrowing.source_ids is not None:
            cond = and_(cond, search_docs.c.source_id.in_(narrowing.source_ids))
        if narrowing.sections is not None:
            cond = and_(cond, func.lower(search_docs.c.section).in_(narrowing.sections))
        relevance = func.ts_rank(
            literal_column(f"'{RANK_WEIGHTS}'::real[]"), search_docs.c.vec, q, 1, type_=Float
        )
        return search_docs, search_docs.c.id, cond, relevance

    def _join_ids(self, col: Any) -> ColumnElement[str]:
        return func.string_agg(cast(col, Text), ",")

    def _id_in(self, col: Any, ids: list[int]) -> ColumnElement[bool]:
        # one array parameter instead of thousands of bound parameters
        return col == any_(literal(ids, ARRAY(Integer)))  # type: ignore[no-any-return]

    def _day(self, published: Any) -> ColumnElement[str]:
        return func.to_char(func.timezone("UTC", published), "YYYY-MM-DD")

    def _epoch_seconds(self, published: Any) -> ColumnElement[int]:
        return cast(func.floor(func.extract("epoch", published)), BigInteger)
