"""Site benchmark: the reader's pages at 1,000,000 stored articles, against a static floor.

Why: the site must stay fast when the archive is large, and "fast" only means something
next to what the same server costs when it does no work at all. So, in one run:

1. a SQLite database of ``--articles`` generated articles (default 1,000,000; 40
   sources in fr/ar/es/en, stories, authors, a few exact duplicates) is written straight
   into the tables of ``kiosque/store/tables.py`` after ``migrate`` (raw ``executemany``;
   secondary indexes are dropped during the load and rebuilt after). The database is kept
   in ``--db-dir`` and reused by the next run with the same ``--articles``;
2. two web worker processes serve ``bench/site_app.py`` (the product's app plus a static
   directory) on loopback, as ``kiosque serve --web-workers 2`` runs them: each on its
   own SO_REUSEPORT socket. (``uvicorn --workers`` shares one socket, and one process
   could accept all 16 connections of a run while the other idled: the ratio then
   measured which process won the accepts, 0.39-0.71 from run to run);
3. a load generator (``wrk`` when installed, else an asyncio httpx loop written here)
   loads the home page, article pages (rotating over 20,000 random articles: more than a
   worker's page cache holds and more than it sees within the cache's lifetime, so every
   article request is really rendered and a repeated URL cannot make the site look
   fast), a source page and the RSS feed, then a static file of the same size as the
   article page served by the same server: the floor.

Targets run in ``--rounds`` interleaved rounds (each keeps its best), so that load from
elsewhere on a shared machine hurts every target alike; the 1-minute load average is
reported. Every request asks for gzip, as a browser would. Printed: requests per second,
p50/p95/p99 latency per target, the server's memory; the LAST line is one JSON object
with ``home_rps``, ``article_rps``, ``article_p99_ms`` and ``article_rps_ratio_vs_static``
(goal >= 0.5).

    .venv/bin/python bench/site.py [--articles 1000000] [--duration 10] [--connections 16]
                                   [--no-migrate]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert  # noqa: E402

from kiosque.store.engine import make_engine, migrate  # noqa: E402
from kiosque.store.tables import sources, stories  # noqa: E402

LANGS = ("fr", "ar", "es", "en")
NOW = datetime(2026, 11, 1, tzinfo=UTC)
STEP_S = 30  # one article every 30 s: 1M articles span about a year
BATCH = 20_000
SOURCES_PER_LANG = 10
ARTICLES_PER_STORY = 10
STORY_EVERY = 4  # one article in four belongs to a story
# Article pages the load generator cycles through: above the microcache's 2,048 entries
# per worker and above ``page_cache_s`` x any plausible rate, so none is served from it.
ROTATION = 20_000

WORDS = {
    "fr": "conseil ville projet marché école région budget pont festival port réseau "
          "quartier eau récolte bibliothèque gouvernement élection santé transport "
          "logement climat énergie prix accord emploi hôpital tribunal musée route",
    "ar": "المجلس المدينة مشروع السوق المدرسة المنطقة الميزانية الجسر المهرجان الميناء "
          "الشبكة الحي الماء الحصاد المكتبة الحكومة الانتخابات الصحة النقل السكن المناخ "
          "الطاقة الأسعار الاتفاق العمل المستشفى المحكمة المتحف الطريق",
    "es": "consejo ciudad proyecto mercado escuela región presupuesto puente festival "
          "puerto red barrio agua cosecha biblioteca gobierno elecciones salud transporte "
          "vivienda clima energía precios acuerdo empleo hospital tribunal museo carretera",
    "en": "council city project market school region budget bridge festival harbour "
          "network district water harvest library government election health transport "
          "housing climate energy prices agreement jobs hospital court museum road",
}
SECTIONS = {
    "fr": ("politique", "économie", "sport", "culture", "société", "monde"),
    "ar": ("سياسة", "اقتصاد", "رياضة", "ثقافة", "مجتمع", "العالم"),
    "es": ("política", "economía", "deportes", "cultura", "sociedad", "mundo"),
    "en": ("politics", "business", "sport", "culture", "society", "world"),
}


def sql_time(when: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores (naive UTC), so raw rows compare right."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


# --- the database -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Corpus:
    """What the load generator needs to know about the generated rows."""

    source_slugs: list[str]
    article_paths: list[str]  # "/fr/<slug>/<id>", random non-duplicate articles


def _sentences(rng: random.Random, lang: str, count: int, length: int) -> list[str]:
    words = WORDS[lang].split()
    return [" ".join(rng.choice(words) for _ in range(length)) + "." for _ in range(count)]


def _article_rows(
    n: int, source_ids: list[tuple[int, str, str]], rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    """Rows oldest first (ids grow with time, as ingestion makes them)."""
    pools = {lang: _sentences(rng, lang, 400, 14) for lang in LANGS}
    titles = {lang: _sentences(rng, lang, 3000, 9) for lang in LANGS}
    authors = {lang: [" ".join(s.split()[:2]).rstrip(".") for s in _sentences(rng, lang, 300, 2)]
               for lang in LANGS}
    start = NOW - timedelta(seconds=STEP_S * n)
    for i in range(n):
        article_id = i + 1
        source_id, slug, lang = source_ids[rng.randrange(len(source_ids))]
        pool = pools[lang]
        paragraphs = [" ".join(rng.choice(pool) for _ in range(3)) for _ in range(4)]
        published = start + timedelta(seconds=STEP_S * i)
        url = f"https://{slug}.example/{article_id}.html"
        story = (i // (STORY_EVERY * ARTICLES_PER_STORY)) + 1 if i % STORY_EVERY == 0 else None
        duplicate_of = article_id - 1 if i % 200 == 199 else None
        when = sql_time(published)
        yield (
            article_id, source_id, url, url, url, f"g{article_id}",
            f"{rng.choice(titles[lang]).rstrip('.')} {article_id}",
            paragraphs[0][:200],
            "".join(f"<p>{p}</p>" for p in paragraphs),
            "\n\n".join(paragraphs),
            rng.choice(authors[lang]),
            when, when, lang, rng.choice(SECTIONS[lang]), "", 1,
            f"{article_id:016x}", 0, duplicate_of, story, 1,
        )


ARTICLE_INSERT = (
    "INSERT INTO articles (id, source_id, ident, url, canonical_url, guid, title, summary, "
    "content_html, text, author, published_at, fetched_at, lang, section, image_url, "
    "full_text, content_hash, simhash, duplicate_of, story_id, version) "
    "VALUES (" + ",".join("?" * 22) + ")"
)


def build_db(path: Path, n: int, seed: int = 11) -> None:
    """Migrate, then bulk-load ``n`` articles with the secondary indexes dropped."""
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    source_ids: list[tuple[int, str, str]] = []
    with engine.begin() as conn:
        for lang in LANGS:
            for k in range(SOURCES_PER_LANG):
                slug = f"{lang}-journal-{k}"
                sid = conn.execute(insert(sources).values(
                    slug=slug, name=f"{lang.upper()} Journal {k}", lang=lang, country="MA",
                    feed_url=f"https://{slug}.example/feed.xml",
                    homepage=f"https://{slug}.example/", section=SECTIONS[lang][0],
                    description="", created_at=NOW - timedelta(days=400),
                    last_success_at=NOW, last_checked_at=NOW,
                )).inserted_primary_key
                assert sid is not None
                source_ids.append((int(sid[0]), slug, lang))
        story_count = n // (STORY_EVERY * ARTICLES_PER_STORY) + 1
        span = STEP_S * STORY_EVERY * ARTICLES_PER_STORY
        start = NOW - timedelta(seconds=STEP_S * n)
        conn.execute(insert(stories), [
            dict(id=s, title=f"{rng.choice(WORDS['fr'].split())} {s}", lang="fr",
                 first_seen=start + timedelta(seconds=span * (s - 1)),
                 last_seen=start + timedelta(seconds=span * s),
                 article_count=ARTICLES_PER_STORY, source_count=3)
            for s in range(1, story_count + 1)
        ])
    engine.dispose()

    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='articles' "
        "AND sql IS NOT NULL"
    ).fetchall()
    for name, _sql in indexes:
        db.execute(f'DROP INDEX "{name}"')
    rows = _article_rows(n, source_ids, rng)
    while True:
        batch = [row for _, row in zip(range(BATCH), rows, strict=False)]
        if not batch:
            break
        db.executemany(ARTICLE_INSERT, batch)
        db.commit()
    for _name, sql in indexes:
        db.execute(sql)
    db.execute("ANALYZE")
    db.commit()
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


def read_corpus(path: Path, rng: random.Random) -> Corpus:
    db = sqlite3.connect(path)
    slugs = [r[0] for r in db.execute("SELECT slug FROM sources ORDER BY id")]
    top = db.execute("SELECT max(id) FROM articles").fetchone()[0]
    paths: list[str] = []
    for article_id in rng.sample(range(1, top + 1), ROTATION):
        row = db.execute(
            "SELECT s.slug FROM articles a JOIN sources s ON s.id = a.source_id "
            "WHERE a.id = ? AND a.duplicate_of IS NULL", (article_id,)).fetchone()
        if row:
            paths.append(f"/fr/{row[0]}/{article_id}")
    db.close()
    return Corpus(slugs, paths)


def ensure_db(db_dir: Path, n: int, rebuild: bool, migrate_reused: bool = True) -> Path:
    """The database for ``n`` articles: reused when a previous run finished building it.

    A reused database is migrated first unless ``migrate_reused`` is false: a migration
    that rebuilds a large index (search) can take minutes on a million articles while
    the pages measured here never read it.
    """
    db_dir.mkdir(parents=True, exist_ok=True)
    path = db_dir / f"site-{n}.db"
    done = db_dir / f"site-{n}.done"
    if rebuild or not done.exists():
        for stale in db_dir.glob(f"site-{n}.db*"):
            stale.unlink()
        done.unlink(missing_ok=True)
        started = time.perf_counter()
        build_db(path, n)
        done.write_text("ok\n")
        print(f"generated {n:,} articles in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 2**20:,.0f} MiB) at {path}")
    elif migrate_reused:
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine)  # a migration added since the build (an index) applies here
        engine.dispose()
        print(f"reusing {path} ({path.stat().st_size / 2**20:,.0f} MiB)")
    else:
        print(f"reusing {path} ({path.stat().st_size / 2**20:,.0f} MiB) as it is, unmigrated")
    return path


# --- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, static_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update({
        "KIOSQUE_DATABASE_URL": f"sqlite:///{db}",
        "KIOSQUE_DATA_DIR": str(static_dir.parent),
        "KIOSQUE_CONFIG": str(static_dir.parent / "absent.toml"),
        "KIOSQUE_SECRET_KEY": "bench-only-secret",
        "KIOSQUE_BENCH_STATIC_DIR": str(static_dir),
    })
    cmd = [sys.executable, str(REPO / "bench" / "site_app.py"), "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, cwd=str(static_dir.parent))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/ticker", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("the server exited at start-up")
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the server did not answer within 60 s")


def server_rss_mib(pid: int) -> float:
    """Resident memory of the server and all its workers, from /proc."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


# --- the load generators ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


WRK_SCRIPT = """
local paths = {%s}
local n = %d
wrk.headers["Accept-Encoding"] = "gzip"
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("KQ %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def run_wrk(base: str, paths: list[str], duration: float, connections: int,
            start: int = 0) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % (", ".join(json.dumps(p) for p in paths), start))
        script = fh.name
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "10s",
             "-s", script, base + paths[0]],
            check=True, capture_output=True, text=True,
        ).stdout
    finally:
        os.unlink(script)
    match = re.search(r"^KQ (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", out, re.M)
    if not match:
        raise SystemExit(f"unexpected wrk output:\n{out}")
    req, err, dur_us, p50, p95, p99 = (int(g) for g in match.groups())
    return Result(req, err, dur_us / 1e6, p50 / 1000, p95 / 1000, p99 / 1000)


async def _httpx_load(base: str, paths: list[str], duration: float, connections: int,
                      start: int = 0) -> Result:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10,
                                 headers={"Accept-Encoding": "gzip"}) as client:
        counter = iter(range(start, 10**12))

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                path = paths[next(counter) % len(paths)]
                t0 = time.perf_counter()
                try:
                    response = await client.get(path)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += 0 if ok else 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        seconds = time.perf_counter() - started
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return Result(len(latencies), errors, seconds, pct(0.50), pct(0.95), pct(0.99))


def load(base: str, paths: list[str], duration: float, connections: int,
         start: int = 0) -> Result:
    """Load ``paths`` in turn, beginning with ``paths[start % len(paths)]``."""
    if shutil.which("wrk"):
        return run_wrk(base, paths, duration, connections, start)
    return asyncio.run(_httpx_load(base, paths, duration, connections, start))


# --- the run ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per target")
    parser.add_argument("--db-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "kiosque-bench-site")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the database")
    parser.add_argument("--no-migrate", action="store_true",
                        help="reuse the database without applying pending migrations")
    args = parser.parse_args()

    db = ensure_db(args.db_dir, args.articles, args.rebuild, not args.no_migrate)
    corpus = read_corpus(db, random.Random(5))
    generator = "wrk" if shutil.which("wrk") else "httpx-asyncio"
    work = Path(tempfile.mkdtemp(prefix="kiosque-bench-site-"))
    static_dir = work / "static"
    static_dir.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(db, static_dir, port, args.workers)
    try:
        # the floor: a file exactly as large as an article page, same server, same headers
        page = httpx.get(base + corpus.article_paths[0], timeout=30)
        page.raise_for_status()
        size = len(page.content)
        filler = (WORDS["fr"] + " ") * (size // len(WORDS["fr"]) + 2)
        (static_dir / "article.html").write_bytes(filler.encode()[:size])
        targets = {
            "home": ["/fr/"],
            "article": corpus.article_paths,
            "source": [f"/fr/source/{corpus.source_slugs[0]}"],
            "feed": ["/fr/feed.rss"],
            "static": ["/bench-static/article.html"],
        }
        for paths in targets.values():  # every path answers 200 before it is timed
            check = httpx.get(base + paths[0], timeout=60)
            if check.status_code != 200:
                raise SystemExit(f"{paths[0]}: HTTP {check.status_code}")
        print(f"load generator: {generator}, {args.connections} connections, "
              f"{args.duration:g} s per target, {args.workers} web worker processes; "
              f"article page {size:,} bytes uncompressed")
        # Each run of a target goes on where its previous run stopped: restarting the
        # rotation would ask again for the articles of the run before, which the page
        # cache may still hold (a repeated URL is not the work of serving a new one).
        offsets = dict.fromkeys(targets, 0)
        for name, paths in targets.items():  # warm-up
            offsets[name] += load(base, paths, min(2.0, args.duration), args.connections).requests
        # Rounds interleave the targets, so a burst of load from elsewhere on the machine
        # hurts all of them alike; each target keeps its best round.
        results: dict[str, Result] = {}
        for round_no in range(1, args.rounds + 1):
            print(f"round {round_no}:")
            for name, paths in targets.items():
                r = load(base, paths, args.duration, args.connections, offsets[name])
                offsets[name] += r.requests
                print(f"  {name:<8} {r.rps:9.1f} req/s  p50 {r.p50_ms:7.1f} ms  "
                      f"p95 {r.p95_ms:7.1f} ms  p99 {r.p99_ms:7.1f} ms  errors {r.errors}")
                if name not in results or r.rps > results[name].rps:
                    results[name] = r
        rss = server_rss_mib(proc.pid)
        print("best round per target:")
        for name, r in results.items():
            print(f"  {name:<8} {r.rps:9.1f} req/s  p50 {r.p50_ms:7.1f} ms  "
                  f"p95 {r.p95_ms:7.1f} ms  p99 {r.p99_ms:7.1f} ms")
        print(f"server memory (master + workers, RSS): {rss:,.0f} MiB")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)

    static_rps = results["static"].rps
    summary: dict[str, Any] = {
        "articles": args.articles,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "generator": generator,
        "workers": args.workers,
        "connections": args.connections,
        "home_rps": round(results["home"].rps, 1),
        "article_rps": round(results["article"].rps, 1),
        "article_p99_ms": round(results["article"].p99_ms, 1),
        "source_rps": round(results["source"].rps, 1),
        "feed_rps": round(results["feed"].rps, 1),
        "static_rps": round(static_rps, 1),
        "article_rps_ratio_vs_static": round(results["article"].rps / static_rps, 3)
        if static_rps else 0.0,
        "errors": sum(r.errors for r in results.values()),
        "server_rss_mib": round(rss, 1),
    }
    for name, r in results.items():
        summary[f"{name}_p50_ms"] = round(r.p50_ms, 1)
        summary[f"{name}_p95_ms"] = round(r.p95_ms, 1)
        summary[f"{name}_p99_ms"] = round(r.p99_ms, 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
