"""The search flow shared by both engines; subclasses only say how to match and store.

Everything that decides *what* is found and *how it is shown* lives here or in the
pure modules (query parsing, analysis, ranking, snippets), so the two engines cannot
drift apart: an engine contributes a match set (article id plus a relevance number)
and the writing of index rows, nothing else.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    false,
    func,
    not_,
    select,
)

from kiosque.search import docvalues, ranking
from kiosque.search.analysis import ALL_TAGS, Analyzer, analyzer_for, tag_for
from kiosque.search.compile import LangExpr, compile_query, highlight_terms, negatives_only
from kiosque.search.query import ParsedQuery, parse_query
from kiosque.search.results import Facets, FacetValue, SearchHit, SearchResults
from kiosque.search.snippets import highlight
from kiosque.store.tables import articles, sources

MAX_PER_PAGE = 100
MAX_PAGE = 500
FACET_LIMIT = 30
RANK_CAP = 5_000
"""Matches ranked by relevance; past it, only the most recently added ones
(``SearchResults.ranked_among``, see ``_rank_window``)."""
_CHUNK = 500
SORTS = ("relevance", "date")
_EPOCH_DAY = date(1970, 1, 1)
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(slots=True)
class IndexDoc:
    """The analyzed form of one article, ready for either engine."""

    article_id: int
    title_tokens: list[str]
    body_tokens: list[str]
    source_id: int = 0
    section: str = ""


@dataclass(frozen=True, slots=True)
class Narrowing:
    """The filters an engine applies inside its match, so that only the rows they keep
    are ever scored: source ids and lowercased sections (None: any)."""

    source_ids: tuple[int, ...] | None = None
    sections: tuple[str, ...] | None = None


ANYWHERE = Narrowing()


def analyze_article(
    article_id: int, lang: str, title: str, summary: str, text: str,
    source_id: int = 0, section: str = "",
) -> IndexDoc:
    """Tokens of an article under its own language's analyzer.

    The summary is indexed only when the text does not already start with it, so that a
    feed summary repeated as the first paragraph does not count its words twice.
    """
    analyzer = analyzer_for(lang)
    body = text
    if not _summary_repeated(summary, text):
        body = summary + "\n" + text
    return IndexDoc(article_id, analyzer.tokens(title), analyzer.tokens(body),
                    source_id, section)


def _summary_repeated(summary: str, text: str) -> bool:
    """Whether the summary's first 80 characters, whitespace collapsed, occur in the
    text's first 2000, whitespace collapsed too (an empty summary counts as repeated).

    Collapsing the text's whitespace cost more than the rest of the check. It is needed
    only when the plain text does not contain the head: the head's words are separated by
    single spaces, so where the raw text contains it the collapsed text does too, except
    for a head cut right after a space, whose space the collapsed text could lose at its
    very end; that case, like a miss, takes the full comparison.
    """
    head = " ".join(summary.split())[:80]
    if not head:
        return True
    window = text[:2000]
    if head[-1] != " " and head in window:
        return True
    return head in " ".join(window.split())


INDEXED_COLUMNS = (
    articles.c.id, articles.c.lang, articles.c.title, articles.c.summary, articles.c.text,
    articles.c.source_id, articles.c.section,
)
"""What indexing reads of an article, in ``analyze_article``'s order."""
# built once: ingest indexes every refresh's articles
_INDEXED_ROWS = select(*INDEXED_COLUMNS).where(
    articles.c.id.in_(bindparam("ids", expanding=True))
)


def _scores(relevance: FloatArray, epoch: IntArray, newest: float) -> FloatArray:
    """``ranking.score`` over arrays: text relevance times the recency bonus."""
    age = np.maximum((newest - epoch) / ranking.SECONDS_PER_DAY, 0.0)
    bonus = ranking.RECENCY_WEIGHT * ranking.HALF_LIFE_DAYS / (ranking.HALF_LIFE_DAYS + age)
    out: FloatArray = relevance * (1.0 + bonus)
    return out


def _newest_first(epoch: IntArray, ids: IntArray, k: int) -> IntArray:
    """Positions of the ``k`` newest (then highest id) entries, in that order.

    Only the entries at least as new as the k-th newest are sorted: a page of a query
    matching most of the archive must not sort the whole archive.
    """
    if k < len(epoch):
        kth = np.partition(epoch, len(epoch) - k)[len(epoch) - k]
        among = np.flatnonzero(epoch >= kth)
    else:
        among = np.arange(len(epoch))
    # lexsort's last key is its primary one
    ranked: IntArray = among[np.lexsort((-ids[among], -epoch[among]))]
    return ranked[:k]


def _day_counts(epoch: IntArray) -> Counter[str]:
    """Matches per UTC day, as ``YYYY-MM-DD``."""
    days = epoch // 86_400
    first = int(days.min())
    return Counter({
        (_EPOCH_DAY + timedelta(days=first + k)).isoformat(): n
        for k, n in docvalues.count_by(days - first).items()
    })


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    unique = sorted(set(int(i) for i in ids))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start: start + _CHUNK]


def _filter_clauses(
    parsed: ParsedQuery, langs: Sequence[str] | None
) -> list[ColumnElement[bool]]:
    """SQL conditions for the query's filters on ``articles`` and ``sources`` (searches
    without words; with words, see ``SqlSearchBackend._kept``)."""
    t = articles
    f = parsed.filters
    out: list[ColumnElement[bool]] = []
    if f.sources:
        out.append(func.lower(sources.c.slug).in_(f.sources))
    wanted = _wanted_langs(parsed, langs)
    if wanted is not None:
        out.append(func.lower(t.c.lang).in_(sorted(wanted)) if wanted else false())
    if f.sections:
        out.append(func.lower(t.c.section).in_(f.sections))
    for author in f.authors:
        out.append(func.lower(t.c.author).contains(author.lower(), autoescape=True))
    if f.after:
        out.append(t.c.published_at >= datetime.combine(f.after, dtime(), UTC))
    if f.before:
        out.append(t.c.published_at < datetime.combine(f.before, dtime(), UTC))
    return out


def _wanted_langs(parsed: ParsedQuery, langs: Sequence[str] | None) -> set[str] | None:
    """The article languages searched, or None for all of them."""
    sets = []
    if parsed.filters.langs:
        sets.append({x.lower() for x in parsed.filters.langs})
    if langs:
        sets.append({x.lower() for x in langs if x})
    if not sets:
        return None
    out = sets[0]
    for s in sets[1:]:
        out &= s
    return out


def _tags(wanted: set[str] | None) -> tuple[str, ...]:
    if wanted is None:
        return ALL_TAGS
    return tuple(t for t in ALL_TAGS if t in {tag_for(x) for x in wanted})


class SqlSearchBackend:
    """Shared implementation of ``SearchBackend``; see ``sqlite_fts``/``postgres_fts``."""

    dialect = ""
    meta: Any = articles
    """Where a match's filter, facet and date columns are read: ``articles`` itself, or
    a narrow copy when reading the wide articles rows costs too much (SQLite)."""

    # --- engine specifics ------------------------------------------------------------
    def _write(self, conn: Connection, docs: list[IndexDoc]) -> None:
        raise NotImplementedError

    def _delete(self, conn: Connection, ids: list[int]) -> None:
        raise NotImplementedError

    def _match(
        self, exprs: list[LangExpr], narrowing: Narrowing = ANYWHERE
    ) -> tuple[Any, ColumnElement[int], ColumnElement[bool], ColumnElement[float]]:
        """(FROM object, its article id, match condition, relevance: larger is better)."""
        raise NotImplementedError

    def _day(self, published: Any) -> ColumnElement[str]:
        raise NotImplementedError

    def _epoch_seconds(self, published: Any) -> ColumnElement[int]:
        """Whole seconds since 1970 (UTC), truncated, the same on every engine."""
        raise NotImplementedError

    # --- writing -----------------------------------------------------------------------
    def _indexed_rows(self, conn: Connection, ids: list[int]) -> Sequence[Sequence[Any]]:
        """``(id, lang, title, summary, text, source_id, section)`` of these articles."""
        return conn.execute(_INDEXED_ROWS, {"ids": ids}).all()

    def index(self, conn: Connection, article_ids: Sequence[int]) -> None:
        """(Re)index these articles from their rows; ids without a row are removed."""
        for chunk in _chunks(article_ids):
            rows = self._indexed_rows(conn, chunk)
            self._delete(conn, chunk)
            docs = [analyze_article(*r) for r in rows]
            if docs:
                self._write(conn, docs)

    def remove(self, conn: Connection, article_ids: Sequence[int]) -> None:
        """Forget these articles (call before deleting their rows)."""
        for chunk in _chunks(article_ids):
            self._delete(conn, chunk)

    # --- reading -----------------------------------------------------------------------
    def warm(self, conn: Connection) -> None:
        """Load this process's column copies now: a million articles take seconds, better
        spent at start-up than by the first reader who searches."""
        docvalues.current(conn, self.meta, self._epoch_seconds(self.meta.c.published_at))

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
        """Run a reader's query; never raises on what the reader typed."""
        started = time.perf_counter()
        page = min(max(1, int(page)), MAX_PAGE)
        per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
        sort = sort if sort in SORTS else "relevance"
        parsed = parse_query(query)
        results = SearchResults(query, str(parsed), [], 0, page, per_page, sort)
        tags = _tags(_wanted_langs(parsed, langs))
        offset = (page - 1) * per_page
        if parsed.has_text:
            exprs = compile_query(parsed, tags)
            if exprs:
                self._text_search(conn, results, parsed, exprs, langs, offset)
        elif not parsed.filters.is_empty() or parsed.must_not:
            results.sort = "date"  # without words there is no relevance to sort by
            filters = _filter_clauses(parsed, langs)
            self._browse(conn, results, parsed, tags, filters, offset)
        results.took_ms = (time.perf_counter() - started) * 1000
        return results

    def _base(self, columns: list[Any], filters: list[ColumnElement[bool]]) -> Select[Any]:
        stmt = select(*columns).select_from(
            articles.join(sources, sources.c.id == articles.c.source_id)
        )
        return stmt.where(and_(*filters)) if filters else stmt

    def _newest_epoch(self, conn: Connection) -> float:
        newest = conn.execute(select(func.max(self.meta.c.published_at))).scalar()
        if newest is None:
            return 0.0
        if isinstance(newest, str):  # SQLite hands back text for an aggregate
            newest = datetime.fromisoformat(newest)
        if newest.tzinfo is None:
            newest = newest.replace(tzinfo=UTC)
        return float(newest.timestamp())

    def _text_search(
        self,
        conn: Connection,
        results: SearchResults,
        parsed: ParsedQuery,
        exprs: list[LangExpr],
        langs: Sequence[str] | None,
        offset: int,
    ) -> None:
        """Words given: one pass for the ids of all matches, then array work on them.

        Source and section filters go inside the engine's match (so only the rows they
        keep are ever scored); the rest is applied to the ids with the per-process column
        copies of ``docvalues``, which also give exact facets and the dates that sort by
        date and weigh recency. Only relevance is left to the engine, and only for the
        ranking window (``RANK_CAP``): a query matching a large share of the archive costs
        little more than reading its posting lists.
        """
        narrowing = self._narrowing(conn, parsed)
        if narrowing is None:
            return
        from_obj, id_col, cond, relevance = self._match(exprs, narrowing)
        m = self.meta
        epoch = self._epoch_seconds(m.c.published_at)
        dv = docvalues.current(conn, m, epoch)
        listed, where = from_obj, [cond]
        if parsed.filters.authors:  # substrings: only the database can test them
            listed = from_obj if m is from_obj else from_obj.join(m, m.c.id == id_col)
            where += [func.lower(m.c.author).contains(a.lower(), autoescape=True)
                      for a in parsed.filters.authors]
        ids = self._all_ids(conn, select(id_col).select_from(listed).where(*where))
        docvalues.fill_unknown(conn, dv, m, epoch, ids, self._id_in)
        cols = dv.cols  # one consistent set for the whole search
        matched = len(ids)
        ids = ids[self._kept(dv, cols, ids, parsed, langs, narrowing)]
        results.total = len(ids)
        if not results.total:
            return
        results.facets = self._facets(
            conn,
            Counter(docvalues.count_by(cols.source[ids])),
            Counter({lang: n for code, n in docvalues.count_by(cols.lang[ids]).items()
                     if (lang := dv.lang_names[code])}),
            _day_counts(cols.epoch[ids]),
        )
        if offset >= results.total:
            return
        newest = self._newest_epoch(conn)
        if results.sort == "date":
            order = _newest_first(cols.epoch[ids], ids, offset + results.per_page)
            order = order[offset: offset + results.per_page]
            page_ids = [int(i) for i in ids[order]]
            rel = dict(conn.execute(
                select(id_col, relevance).select_from(from_obj).where(cond, id_col.in_(page_ids))
            ).all())
            scores = _scores(np.array([rel.get(i, 0.0) for i in page_ids], dtype=float),
                             cols.epoch[ids[order]], newest)
            page = list(zip(page_ids, scores.tolist(), strict=True))
        else:
            window = self._rank_window(results, ids, id_col, offset)
            # the driver's rows as they come: thousands of (int, float) pairs need no
            # result processing, and SQLAlchemy's Row objects would cost more than the math
            result = conn.execute(
                select(id_col, relevance).select_from(from_obj).where(cond, *window)
            )
            try:
                rows = result.cursor.fetchall()
            finally:
                result.close()
            cand = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            rel_a = np.fromiter((r[1] or 0.0 for r in rows), dtype=float, count=len(rows))
            if len(ids) < matched or parsed.filters.authors:  # filtered above, not in SQL
                member = np.zeros(int(ids[-1]) + 1, dtype=bool)
                member[ids] = True
                inside = cand < len(member)
                keep = np.zeros(len(cand), dtype=bool)
                keep[inside] = member[cand[inside]]
                cand, rel_a = cand[keep], rel_a[keep]
            scores = _scores(rel_a, cols.epoch[cand], newest)
            order = np.lexsort((-cand, -cols.epoch[cand], -scores))
            chosen = order[offset: offset + results.per_page]
            page = [(int(cand[k]), float(scores[k])) for k in chosen]
        results.hits = self._hits(conn, page, highlight_terms(exprs))

    def _narrowing(self, conn: Connection, parsed: ParsedQuery) -> Narrowing | None:
        """The source and section filters as the engine applies them; None: nothing can
        match (no source has the slugs asked for)."""
        f = parsed.filters
        source_ids: tuple[int, ...] | None = None
        if f.sources:
            source_ids = tuple(sorted(conn.execute(
                select(sources.c.id).where(func.lower(sources.c.slug).in_(f.sources))
            ).scalars()))
            if not source_ids:
                return None
        sections = tuple(sorted({s.lower() for s in f.sections})) or None
        return Narrowing(source_ids, sections)

    def _kept(
        self, dv: docvalues.DocValues, cols: docvalues.Columns, ids: IntArray,
        parsed: ParsedQuery, langs: Sequence[str] | None, narrowing: Narrowing,
    ) -> npt.NDArray[np.bool_]:
        """Which matches pass every filter (the engine's narrowing is checked again:
        the arrays are exact where a section's token is only a hash)."""
        f = parsed.filters
        keep = cols.has(ids)  # an index row without its columns (never expected) is skipped
        wanted = _wanted_langs(parsed, langs)
        if wanted is not None:
            keep &= np.isin(cols.lang[ids], dv.codes(dv.lang_codes, wanted))
        if narrowing.source_ids is not None:
            keep &= np.isin(cols.source[ids], narrowing.source_ids)
        if f.sections:
            keep &= np.isin(cols.section[ids], dv.codes(dv.section_codes, f.sections))
        if f.after:
            keep &= cols.epoch[ids] >= int(datetime.combine(f.after, dtime(), UTC).timestamp())
        if f.before:
            keep &= cols.epoch[ids] < int(datetime.combine(f.before, dtime(), UTC).timestamp())
        return keep

    def _all_ids(self, conn: Connection, ids_query: Select[Any]) -> IntArray:
        """The ids a one-column query selects, sorted, read as one aggregated string.

        Tens of thousands of one-integer rows cost more to bring into Python row by row
        (a tuple and a driver call each) than the engine spends finding them.
        """
        found = ids_query.subquery()
        joined = conn.execute(select(self._join_ids(found.c[0]))).scalar()
        if not joined:
            return np.zeros(0, dtype=np.int64)
        # numpy parses the text in C: ten times faster than splitting it into strings
        ids = np.fromstring(str(joined), dtype=np.int64, sep=",")
        ids.sort()
        return ids

    def _join_ids(self, col: Any) -> ColumnElement[str]:
        """An aggregate of ``col`` as comma-separated text."""
        raise NotImplementedError

    def _id_in(self, col: Any, ids: list[int]) -> ColumnElement[bool]:
        """``col IN ids`` for a long list of ids, bound as one parameter."""
        raise NotImplementedError

    def _rank_window(
        self,
        results: SearchResults,
        ids: IntArray,
        id_col: ColumnElement[int],
        offset: int,
    ) -> list[ColumnElement[bool]]:
        """Past ``RANK_CAP`` matches, rank only the most recently added ones.

        Relevance needs a score per candidate, the one cost that grows with the number
        of matches; the newest ``RANK_CAP`` (by article id, which grows with ingestion,
        so with freshness) are where the recency boost already points. Deeper pages
        widen the window by whole steps, so that the pages of one step stay consistent.
        ``ranked_among`` tells the reader.
        """
        cap = RANK_CAP * (1 + (offset + results.per_page - 1) // RANK_CAP)
        if len(ids) <= cap:
            return []
        results.ranked_among = cap
        return [id_col >= int(ids[-cap])]

    def _count(
        self, results: SearchResults, conn: Connection, grouped: Sequence[Any]
    ) -> None:
        """Total and facets from (source id, lang, day, count) rows."""
        by_source: Counter[int] = Counter()
        by_lang: Counter[str] = Counter()
        by_day: Counter[str] = Counter()
        for source_id, lang, d, n in grouped:
            by_source[source_id] += n
            by_lang[lang] += n
            by_day[d] += n
        results.total = sum(by_lang.values())
        results.facets = self._facets(conn, by_source, by_lang, by_day)

    def _browse(
        self,
        conn: Connection,
        results: SearchResults,
        parsed: ParsedQuery,
        tags: tuple[str, ...],
        filters: list[ColumnElement[bool]],
        offset: int,
    ) -> None:
        """Filters (and exclusions) without words: newest first, counted in SQL."""
        conds = list(filters)
        negs = negatives_only(parsed, tags)
        if negs:
            from_obj, id_col, cond, _ = self._match(negs)
            excluded = select(id_col).select_from(from_obj).where(cond)
            conds.append(not_(articles.c.id.in_(excluded)))
        day = self._day(articles.c.published_at).label("day")
        grouped = conn.execute(
            self._base([articles.c.source_id, articles.c.lang, day, func.count()], conds)
            .group_by(articles.c.source_id, articles.c.lang, day)
        ).all()
        self._count(results, conn, grouped)
        page_ids = conn.execute(
            self._base([articles.c.id], conds)
            .order_by(articles.c.published_at.desc(), articles.c.id.desc())
            .offset(offset)
            .limit(results.per_page)
        ).scalars().all()
        results.hits = self._hits(conn, [(i, 0.0) for i in page_ids], {})

    def _facets(
        self,
        conn: Connection,
        by_source: Counter[int],
        by_lang: Counter[str],
        by_day: Counter[str],
    ) -> Facets:
        top_sources = sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT]
        names: dict[int, tuple[str, str]] = {}
        if top_sources:
            for sid, slug, name in conn.execute(
                select(sources.c.id, sources.c.slug, sources.c.name).where(
                    sources.c.id.in_([sid for sid, _ in top_sources])
                )
            ):
                names[sid] = (slug, name)
        return Facets(
            source=[
                FacetValue(names[sid][0], names[sid][1], n)
                for sid, n in top_sources if sid in names
            ],
            lang=[
                FacetValue(lang, lang, n)
                for lang, n in sorted(by_lang.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            day=[FacetValue(d, d, by_day[d]) for d in sorted(by_day, reverse=True)[:FACET_LIMIT]],
        )

    def _hits(
        self,
        conn: Connection,
        chosen: list[tuple[int, float]],
        terms: dict[str, tuple[frozenset[str], tuple[str, ...]]],
    ) -> list[SearchHit]:
        if not chosen:
            return []
        rows = {
            r.id: r
            for r in conn.execute(
                select(
                    articles.c.id, articles.c.title, articles.c.url, articles.c.lang,
                    articles.c.section, articles.c.author, articles.c.published_at,
                    articles.c.summary, articles.c.text,
                    sources.c.slug, sources.c.name,
                )
                .select_from(articles.join(sources, sources.c.id == articles.c.source_id))
                .where(articles.c.id.in_([i for i, _ in chosen]))
            )
        }
        hits = []
        for article_id, final_score in chosen:
            r = rows.get(article_id)
            if r is None:
                continue
            analyzer: Analyzer = analyzer_for(r.lang)
            exact, prefixes = terms.get(analyzer.tag, (frozenset(), ()))
            body = r.text or r.summary
            hits.append(
                SearchHit(
                    article_id=r.id,
                    title=r.title,
                    title_html=highlight(r.title, analyzer, exact, prefixes, None),
                    url=r.url,
                    source_slug=r.slug,
                    source_name=r.name,
                    lang=r.lang,
                    section=r.section,
                    author=r.author,
                    published=r.published_at,
                    snippet_html=highlight(body, analyzer, exact, prefixes),
                    score=final_score,
                )
            )
        return hits
