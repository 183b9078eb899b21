"""Per-process column copies of what a search filters, counts and orders matches by.

Why: a broad query matches a large share of the archive. Reading each match's source,
language, section and date from the database is one B-tree lookup per match, and at a
million articles those lookups cost more than finding the matches (``bench/search.py``).
Held in memory as arrays indexed by article id (19 bytes per article), the same fields
turn filters, exact facets, sort by date and the recency bonus into array operations
over the matching ids.

Kept current by a counter: every write to the index takes the next value of
``search_state.seq`` (one row, so writers take turns and the values follow the order of
commits) and stamps its rows with it; a search reads the counter first and loads only the
rows stamped since its last look, which also catches re-indexed (updated) articles.
Matches the arrays do not know yet (committed between that look and the match) are
loaded by id. ``search_state.generation`` names one index, so that two databases behind
the same URL (PostgreSQL schemas, a rebuilt file) never share arrays.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Connection, select

from kiosque.search.tables import search_state

IntArray = npt.NDArray[np.int64]
_KEEP = 4
"""Indexes kept per process (tests open many databases; a server uses one)."""
_LOAD_CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class Columns:
    """One consistent set of the arrays: a search reads them all from the same set, so
    that a refresh growing them in another thread never hands it arrays of two sizes."""

    known: npt.NDArray[np.bool_]
    source: npt.NDArray[np.int32]
    lang: npt.NDArray[np.int16]
    section: npt.NDArray[np.int32]
    epoch: IntArray

    @classmethod
    def empty(cls, size: int = 0) -> Columns:
        return cls(np.zeros(size, dtype=bool), np.zeros(size, dtype=np.int32),
                   np.zeros(size, dtype=np.int16), np.zeros(size, dtype=np.int32),
                   np.zeros(size, dtype=np.int64))

    def has(self, ids: IntArray) -> npt.NDArray[np.bool_]:
        """Which of these ids the arrays hold."""
        inside = ids < len(self.known)
        out = np.zeros(len(ids), dtype=bool)
        out[inside] = self.known[ids[inside]]
        return out


class DocValues:
    """Arrays indexed by article id: source, language, section, publication second."""

    def __init__(self) -> None:
        self.seq = -1
        self.lock = threading.Lock()
        self.cols = Columns.empty()
        self.lang_codes: dict[str, int] = {}
        self.lang_names: list[str] = []
        self.section_codes: dict[str, int] = {}
        self.section_names: list[str] = []

    # --- loading ---------------------------------------------------------------------
    def _grow(self, size: int) -> Columns:
        old = self.cols
        if size <= len(old.known):
            return old
        new = Columns.empty(max(size, 2 * len(old.known), 1024))
        for name in ("known", "source", "lang", "section", "epoch"):
            getattr(new, name)[: len(old.known)] = getattr(old, name)
        self.cols = new  # one assignment: readers see the old set or the new one
        return new

    @staticmethod
    def _code(table: dict[str, int], names: list[str], value: str | None) -> int:
        key = (value or "").lower()
        code = table.get(key)
        if code is None:
            code = table[key] = len(names)
            names.append(key)
        return code

    def put(self, rows: Iterable[Sequence[Any]]) -> None:
        """Store (id, source id, language, section, epoch seconds) rows."""
        batch = list(rows)
        if not batch:
            return
        ids = np.fromiter((r[0] for r in batch), dtype=np.int64, count=len(batch))
        cols = self._grow(int(ids.max()) + 1)
        cols.source[ids] = np.fromiter((r[1] for r in batch), dtype=np.int32, count=len(batch))
        cols.lang[ids] = [self._code(self.lang_codes, self.lang_names, r[2]) for r in batch]
        cols.section[ids] = [
            self._code(self.section_codes, self.section_names, r[3]) for r in batch
        ]
        cols.epoch[ids] = np.fromiter(
            (int(r[4]) if r[4] is not None else 0 for r in batch), dtype=np.int64,
            count=len(batch),
        )
        cols.known[ids] = True  # last: a row is known once all its values are in

    # --- reading ---------------------------------------------------------------------
    def codes(self, table: dict[str, int], values: Iterable[str]) -> list[int]:
        return [table[v] for v in (x.lower() for x in values) if v in table]


_indexes: OrderedDict[str, DocValues] = OrderedDict()
_registry_lock = threading.Lock()


def _for_generation(generation: str) -> DocValues:
    with _registry_lock:
        dv = _indexes.get(generation)
        if dv is None:
            dv = _indexes[generation] = DocValues()
            while len(_indexes) > _KEEP:
                _indexes.popitem(last=False)
        _indexes.move_to_end(generation)
        return dv


def current(conn: Connection, meta: Any, epoch: ColumnElement[int]) -> DocValues:
    """The arrays of the index behind ``conn``, brought up to its latest write.

    ``meta`` is the engine's table of per-article search columns (with ``seq``);
    ``epoch`` is its publication time in whole seconds, as that engine computes it.
    """
    state = conn.execute(select(search_state.c.generation, search_state.c.seq)).first()
    if state is None:  # a database older than revision 0005; migrate() fixes it
        raise RuntimeError("search_state is missing: run the migrations")
    generation, seq = state
    dv = _for_generation(str(generation))
    if seq == dv.seq:
        return dv
    with dv.lock:
        if seq != dv.seq:
            stmt = select(
                meta.c.id, meta.c.source_id, meta.c.lang, meta.c.section, epoch
            ).where(meta.c.seq > dv.seq, meta.c.seq <= seq)
            result = conn.execute(stmt)
            while chunk := result.fetchmany(_LOAD_CHUNK):
                dv.put(chunk)
            dv.seq = int(seq)
    return dv


def fill_unknown(
    conn: Connection, dv: DocValues, meta: Any, epoch: ColumnElement[int], ids: IntArray,
    id_in: Any,
) -> None:
    """Load the matches written after ``current`` looked (a race with the writer)."""
    missing = ids[~dv.cols.has(ids)]
    if not len(missing):
        return
    with dv.lock:
        for start in range(0, len(missing), _LOAD_CHUNK):
            part = [int(i) for i in missing[start: start + _LOAD_CHUNK]]
            dv.put(conn.execute(
                select(meta.c.id, meta.c.source_id, meta.c.lang, meta.c.section, epoch)
                .where(id_in(meta.c.id, part))
            ).all())


def count_by(values: npt.NDArray[Any]) -> dict[int, int]:
    """How many times each value occurs (small non-negative integers)."""
    if not len(values):
        return {}
    counts = np.bincount(values)
    nz = np.flatnonzero(counts)
    return {int(k): int(counts[k]) for k in nz}


