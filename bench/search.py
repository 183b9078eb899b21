"""Search benchmark: build time, index size and query latency on SQLite and PostgreSQL.

Generates a synthetic multilingual corpus (fr, ar, es, en; Zipf-distributed vocabulary;
60% summary-length items, 40% full articles), stores it, indexes it through the real
``SearchBackend.index`` path, then times a mix of 200 queries (words, pairs, phrases,
filters, OR, prefixes, exclusions; a quarter Arabic) through ``SearchBackend.search``:
ranking, recency, facets, total count and snippets included. The floor it is compared
with, in the same run, is a bare FTS5 ``MATCH`` of the same compiled expressions that
only fetches the matching rowids: no ranking, no join, no facets, no snippets.

    .venv/bin/python bench/search.py --articles 200000 [--pg-url postgresql://...]

PostgreSQL runs when ``--pg-url`` or ``KIOSQUE_TEST_PG_URL`` is set (a private schema,
dropped at the end). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert, select, text

from kiosque.search import backend_for
from kiosque.search.compile import compile_query, to_fts5
from kiosque.search.query import parse_query
from kiosque.search.tables import PG_GIN_INDEX
from kiosque.store.engine import make_engine, migrate
from kiosque.store.tables import articles, sources

LANGS = ("fr", "ar", "es", "en")
NOW = datetime(2026, 3, 1, tzinfo=UTC)
BATCH = 5000
ARTICLE_FIELDS = ("id", "source_id", "ident", "url", "canonical_url", "title", "summary",
                  "text", "author", "lang", "section", "published_at", "fetched_at")

CORE = {
    "fr": "gouvernement élection économie sécurité santé école police justice budget "
          "ministre président réforme grève inondation incendie football match accord "
          "entreprise emploi chômage impôts hôpital transport logement climat énergie prix "
          "marché l'État d'urgence qu'il crise politique sociale nationale régionale ville",
    "ar": "الحكومة الانتخابات الاقتصاد الأمن الصحة المدرسة الشرطة القضاء الميزانية الوزير "
          "الرئيس الإصلاح الإضراب الفيضانات الحريق كرة المباراة الاتفاق الشركة العمل البطالة "
          "الضرائب المستشفى النقل السكن المناخ الطاقة الأسعار السوق الدولة أزمة سياسية "
          "اجتماعية وطنية إقليمية المدينة الْحُكُومَة ٢٠٢٥",
    "es": "gobierno elecciones economía seguridad salud escuela policía justicia presupuesto "
          "ministro presidente reforma huelga inundaciones incendio fútbol partido acuerdo "
          "empresa empleo paro impuestos hospital transporte vivienda clima energía precios "
          "mercado estado crisis política social nacional regional ciudad",
    "en": "government election economy security health school police justice budget "
          "minister president reform strike floods fire football match agreement company "
          "jobs unemployment taxes hospital transport housing climate energy prices market "
          "state crisis political social national regional city government's",
}
SYLLABLES = {
    "fr": [
        "ba", "be", "bi", "bo", "bu", "ca", "ce", "ci", "co", "cha", "che", "da", "de", "di",
        "do", "fa", "fe", "fi", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "na",
        "ne", "ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "sa", "se", "si",
        "so", "ta", "te", "ti", "to", "va", "ve", "vi", "tion", "ment", "eur", "ais", "ique",
        "é", "è",
    ],
    "ar": [
        "با", "بي", "بو", "تا", "تي", "تو", "جا", "جي", "دا", "دي", "را", "ري", "رو", "سا",
        "سي", "سو", "شا", "عا", "عي", "فا", "في", "قا", "قي", "كا", "كي", "لا", "لي", "ما",
        "مي", "نا", "ني", "ها", "هي", "وا", "وي", "يا", "يو", "ال", "ة", "ات", "ين",
    ],
    "es": [
        "ba", "be", "bi", "bo", "ca", "ce", "ci", "co", "cha", "da", "de", "di", "do", "fa",
        "fe", "fi", "la", "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "ni", "no",
        "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te",
        "ti", "to", "va", "ve", "vi", "ción", "mente", "dad", "ía",
    ],
    "en": [
        "ba", "be", "bi", "bo", "ca", "ce", "ci", "co", "da", "de", "di", "do", "fa", "fe",
        "fi", "la", "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "ni", "no", "pa",
        "pe", "pi", "po", "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te", "ti",
        "to", "ing", "tion", "ment", "er", "ly", "ed",
    ],
}
VOCAB_PER_LANG = 30_000


class Vocabulary:
    """Per language: core news words first, then invented words, Zipf-weighted."""

    def __init__(self, rng: random.Random) -> None:
        self.words: dict[str, list[str]] = {}
        self.cum: dict[str, list[float]] = {}
        for lang in LANGS:
            core = CORE[lang].split()
            seen = set(core)
            invented: list[str] = []
            while len(invented) < VOCAB_PER_LANG - len(core):
                w = "".join(rng.choice(SYLLABLES[lang]) for _ in range(rng.randint(2, 4)))
                if w not in seen:
                    seen.add(w)
                    invented.append(w)
            # a few function-like words at the very top, core news words just below
            vocab = invented[:40] + core + invented[40:]
            self.words[lang] = vocab
            self.cum[lang] = list(itertools.accumulate(1.0 / (r + 1) ** 1.05
                                                       for r in range(len(vocab))))

    def sample(self, rng: random.Random, lang: str, k: int) -> list[str]:
        return rng.choices(self.words[lang], cum_weights=self.cum[lang], k=k)

    def rank_range(self, rng: random.Random, lang: str, lo: int, hi: int) -> str:
        return self.words[lang][rng.randrange(lo, hi)]


def generate(n: int, vocab: Vocabulary, seed: int) -> Iterator[list[dict[str, Any]]]:
    """Batches of article rows (source ids 1..40, ten sources per language)."""
    rng = random.Random(seed)
    batch: list[dict[str, Any]] = []
    for i in range(n):
        li = rng.randrange(4)
        lang = LANGS[li]
        full = rng.random() < 0.4
        n_words = rng.randint(250, 700) if full else rng.randint(40, 90)
        body = vocab.sample(rng, lang, n_words)
        for cut in range(12, n_words, 14):
            body[cut] += "."
        title = " ".join(vocab.sample(rng, lang, rng.randint(6, 12)))
        text_ = " ".join(body)
        batch.append({
            "source_id": li * 10 + rng.randrange(10) + 1, "ident": f"a{i}",
            "url": f"https://example.org/{lang}/{i}", "canonical_url": f"https://example.org/{lang}/{i}",
            "title": title, "summary": text_[:200] if full else "", "text": text_,
            "author": f"author{rng.randrange(50)}", "lang": lang,
            "section": ("politique", "economie", "sport", "societe", "culture", "monde")[
                rng.randrange(6)],
            "published_at": NOW - timedelta(minutes=rng.randrange(365 * 24 * 60)),
            "fetched_at": NOW,
        })
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def make_queries(vocab: Vocabulary, seed: int, count: int = 200) -> list[str]:
    """A fixed mix; about a quarter of it Arabic."""
    rng = random.Random(seed + 1)
    out: list[str] = []
    kinds = ["word"] * 7 + ["pair"] * 5 + ["phrase"] * 2 + ["filter"] * 2 + ["or", "prefix",
                                                                            "exclude"]
    for i in range(count):
        lang = LANGS[i % 4]
        kind = kinds[rng.randrange(len(kinds))]

        def w(lo: int = 40, hi: int = 3000, lang: str = lang) -> str:
            return vocab.rank_range(rng, lang, lo, hi)

        if kind == "word":
            q = w()
        elif kind == "pair":
            q = f"{w(40, 800)} {w(40, 800)}"
        elif kind == "phrase":
            words = vocab.sample(rng, lang, 2)
            q = f'"{words[0]} {words[1]}"'
        elif kind == "filter":
            f = rng.choice([f"source:s{rng.randrange(1, 41)}", f"lang:{lang}",
                            "after:2026-01-01", "section:sport"])
            q = f"{w()} {f}"
        elif kind == "or":
            q = f"{w(40, 2000)} OR {w(40, 2000)}"
        elif kind == "prefix":
            q = w(40, 400)[:4] + "*"
        else:
            q = f"{w(40, 300)} -{w(40, 300)}"
        out.append(q)
    return out


def percentiles(samples: list[float]) -> dict[str, float]:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": qs[49], "p95": qs[94], "p99": qs[98], "mean": statistics.fmean(samples)}


def timed(fn: Callable[[str], Any], queries: list[str],
          clock: Callable[[], float] = time.perf_counter) -> list[float]:
    for q in queries:  # warm the caches once; report the second pass
        fn(q)
    out = []
    for q in queries:
        t0 = clock()
        fn(q)
        out.append((clock() - t0) * 1000)
    return out


def load(engine: Engine, n: int, batches: Iterator[list[dict[str, Any]]],
         deadline: float) -> tuple[int, float, float]:
    """Store articles, index them through the backend; (count, load_s, build_s).

    Stops early, at a batch boundary, when ``deadline`` (a perf_counter value) passes,
    so that the whole run stays inside its time budget on a slow or busy machine.
    """
    with engine.begin() as conn:
        conn.execute(insert(sources), [
            {"id": k + 1, "slug": f"s{k + 1}", "name": f"Source {k + 1}",
             "feed_url": f"https://example.org/{k}.xml", "lang": LANGS[k // 10],
             "created_at": NOW}
            for k in range(40)
        ])
    backend = backend_for(engine.dialect.name)
    load_s = build_s = 0.0
    next_id = 1
    for batch in batches:
        for row in batch:
            row["id"] = next_id
            next_id += 1
        t0 = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(insert(articles), batch)
        t1 = time.perf_counter()
        with engine.begin() as conn:
            backend.index(conn, [r["id"] for r in batch])
        t2 = time.perf_counter()
        load_s += t1 - t0
        build_s += t2 - t1
        done = next_id - 1
        if done % 50_000 == 0 or done == n:
            print(f"  {engine.dialect.name}: {done} articles, load {load_s:.0f}s, "
                  f"index {build_s:.0f}s", flush=True)
        if time.perf_counter() > deadline and done < n:
            print(f"  {engine.dialect.name}: time budget spent, stopping at {done} articles",
                  flush=True)
            break
    return next_id - 1, load_s, build_s


def run_sqlite(n: int, vocab: Vocabulary, queries: list[str], seed: int,
               workdir: Path, deadline: float) -> dict[str, Any]:
    path = workdir / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    n, load_s, build_s = load(engine, n, generate(n, vocab, seed), deadline)
    t0 = time.perf_counter()
    with engine.begin() as conn:  # merge FTS5 segments, as an operator would after a bulk load
        conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
    build_s += time.perf_counter() - t0
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.exec_driver_sql("PRAGMA page_size").scalar() or 4096
        fts_pages = conn.exec_driver_sql(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'"
        ).scalar() if _has_dbstat(conn) else None
    index_bytes = int(fts_pages) if fts_pages else _fts_bytes_estimate(engine, page)
    backend = backend_for("sqlite")
    with engine.connect() as conn:
        full = timed(lambda q: backend.search(conn, q), queries)
        cpu = timed(lambda q: backend.search(conn, q), queries, time.process_time)

        def bare(q: str) -> None:
            exprs = compile_query(parse_query(q))
            if exprs:
                conn.exec_driver_sql(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH ?", (to_fts5(exprs),)
                ).fetchall()

        floor = timed(bare, queries)
        totals = [backend.search(conn, q).total for q in queries]
    engine.dispose()
    return {"n": n, "load_s": load_s, "build_s": build_s, "index_bytes": index_bytes,
            "db_bytes": path.stat().st_size, "full": percentiles(full), "cpu": percentiles(cpu),
            "bare": percentiles(floor), "median_total": statistics.median(totals),
            "max_total": max(totals)}


def _has_dbstat(conn: Any) -> bool:
    try:
        conn.exec_driver_sql("SELECT 1 FROM dbstat LIMIT 1").all()
        return True
    except Exception:
        return False


def _fts_bytes_estimate(engine: Engine, page: int) -> int:
    """Without dbstat: the shadow tables' page counts are not exposed; use data sizes."""
    with engine.connect() as conn:
        data = conn.exec_driver_sql("SELECT sum(length(block)) FROM search_fts_data").scalar()
        content = conn.exec_driver_sql(
            "SELECT sum(length(c0)) + sum(length(c1)) FROM search_fts_content"
        ).scalar()
        docsize = conn.exec_driver_sql(
            "SELECT sum(length(sz)) FROM search_fts_docsize").scalar()
    return int((data or 0) + (content or 0) + (docsize or 0))


def stored(path: Path, n: int) -> Iterator[list[dict[str, Any]]]:
    """The articles of the SQLite run, in batches: the same corpus, generated once.

    Generating it costs about as much CPU as indexing it; reading it back is cheap.
    """
    engine = make_engine(f"sqlite:///{path}")
    cols = [c for c in articles.c if c.name in ARTICLE_FIELDS]
    try:
        with engine.connect() as conn:
            last = 0
            while last < n:
                rows = conn.execute(
                    select(*cols).where(articles.c.id > last, articles.c.id <= n)
                    .order_by(articles.c.id).limit(BATCH)
                ).mappings().all()
                if not rows:
                    return
                last = rows[-1]["id"]
                yield [{k: v for k, v in r.items() if k != "id"} for r in rows]
    finally:
        engine.dispose()


def run_postgres(url: str, n: int, corpus: Path, queries: list[str],
                 deadline: float) -> dict[str, Any]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(engine)
        # a bulk load, as an operator would run one: the GIN index is built once, after
        # the rows are in, rather than maintained row by row (timed with the build)
        with engine.begin() as conn:
            conn.execute(text(f"DROP INDEX {PG_GIN_INDEX}"))
        n, load_s, build_s = load(engine, n, stored(corpus, n), deadline)
        t0 = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            conn.execute(text(f"CREATE INDEX {PG_GIN_INDEX} ON search_docs USING gin (vec)"))
        build_s += time.perf_counter() - t0
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            index_bytes = conn.execute(
                text("SELECT pg_total_relation_size('search_docs')")).scalar() or 0
        backend = backend_for("postgresql")
        with engine.connect() as conn:
            full = timed(lambda q: backend.search(conn, q), queries)
        return {"n": n, "load_s": load_s, "build_s": build_s, "index_bytes": int(index_bytes),
                "full": percentiles(full)}
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--budget-min", type=float, default=28.0,
                    help="stop loading early so the whole run ends within this many minutes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pg-url", default=os.environ.get("KIOSQUE_TEST_PG_URL", ""))
    ap.add_argument("--skip-postgres", action="store_true")
    args = ap.parse_args()
    n = args.articles
    started = time.perf_counter()
    vocab = Vocabulary(random.Random(args.seed))
    queries = make_queries(vocab, args.seed)
    arabic = sum(any("\u0600" <= ch <= "\u06ff" for ch in q) for q in queries)
    print(f"search benchmark: {n} articles, {len(queries)} queries ({arabic} Arabic)")
    out: dict[str, Any] = {"articles": n, "queries": len(queries)}

    budget = args.budget_min * 60
    use_pg = bool(args.pg_url) and not args.skip_postgres
    # loading gets most of the budget, SQLite about half of it when PG runs too (PG reads
    # the corpus back instead of generating it again)
    sqlite_deadline = started + budget * (0.48 if use_pg else 0.85)
    tmp = tempfile.TemporaryDirectory(prefix="kiosque-bench-")
    s = run_sqlite(n, vocab, queries, args.seed, Path(tmp.name), sqlite_deadline)
    n = s["n"]
    out["articles"] = n
    print(f"SQLite FTS5: load {s['load_s']:.1f}s, index build {s['build_s']:.1f}s "
          f"({n / s['build_s']:.0f} articles/s), index {s['index_bytes'] / 2**20:.1f} MiB "
          f"({s['index_bytes'] / n:.0f} B/article), db {s['db_bytes'] / 2**20:.1f} MiB")
    print(f"  matches per query: median {s['median_total']:.0f}, max {s['max_total']}")
    for name in ("full", "cpu", "bare"):
        p = s[name]
        label = {"full": "search()", "cpu": "search() CPU", "bare": "bare MATCH"}[name]
        print(f"  {label:>10}: p50 {p['p50']:.2f} ms  p95 {p['p95']:.2f} ms  "
              f"p99 {p['p99']:.2f} ms  mean {p['mean']:.2f} ms")
    out.update({
        "build_s_sqlite": round(s["build_s"], 1),
        "index_bytes_per_article": round(s["index_bytes"] / n, 1),
        "p50_ms_sqlite": round(s["full"]["p50"], 2),
        "p95_ms_sqlite": round(s["full"]["p95"], 2),
        "p99_ms_sqlite": round(s["full"]["p99"], 2),
        "p95_cpu_ms_sqlite": round(s["cpu"]["p95"], 2),
        "p95_ms_bare_fts5": round(s["bare"]["p95"], 2),
        "p95_ratio_vs_bare_fts5": round(s["full"]["p95"] / max(s["bare"]["p95"], 1e-6), 2),
    })
    if use_pg:
        pg = run_postgres(args.pg_url, n, Path(tmp.name) / "bench.db", queries,
                          started + budget * 0.88)
        if pg["n"] < n:
            print(f"PostgreSQL indexed only {pg['n']} articles within the budget")
        out["articles_postgres"] = pg["n"]
        p = pg["full"]
        print(f"PostgreSQL: load {pg['load_s']:.1f}s, index build {pg['build_s']:.1f}s, "
              f"index {pg['index_bytes'] / 2**20:.1f} MiB "
              f"({pg['index_bytes'] / pg['n']:.0f} B/article)")
        print(f"    search(): p50 {p['p50']:.2f} ms  p95 {p['p95']:.2f} ms  "
              f"p99 {p['p99']:.2f} ms  mean {p['mean']:.2f} ms")
        out.update({
            "build_s_postgres": round(pg["build_s"], 1),
            "index_bytes_per_article_postgres": round(pg["index_bytes"] / pg["n"], 1),
            "p50_ms_postgres": round(p["p50"], 2),
            "p95_ms_postgres": round(p["p95"], 2),
            "p99_ms_postgres": round(p["p99"], 2),
        })
    else:
        print("PostgreSQL: skipped (no --pg-url / KIOSQUE_TEST_PG_URL)")
        out["p95_ms_postgres"] = None
    tmp.cleanup()
    out["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["wall_s"] = round(time.perf_counter() - started, 1)
    print(f"peak memory {out['max_rss_mib']} MiB, wall {out['wall_s']}s")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
