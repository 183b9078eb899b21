"""kiosque.parse versus feedparser, on the same feeds, in the same run.

Why: the parser runs on every poll of every source, so it must be cheap (goal: 10x
feedparser) without giving up feedparser's tolerance (goal: no entry that feedparser
finds may be missing). Sets: the real-world fixtures under ../shared/benchdata/feeds
when present, plus generated 200-item feeds (clean and broken) that always exist.
feedparser's own conformance corpus is also run through kiosque to count crashes
(any exception other than FeedError).

Run: .venv/bin/python bench/feed_parse.py   (last line printed: one JSON object)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import feedparser  # noqa: E402

from kiosque.parse import FeedError  # noqa: E402
from kiosque.parse.dates import parse_date  # noqa: E402
from kiosque.parse.feed import parse_unguarded  # noqa: E402

BENCHDATA = Path(__file__).resolve().parents[2] / "shared" / "benchdata" / "feeds"
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".json")
BASE_URL = "http://127.0.0.1:8097/"


def _real_sets() -> dict[str, list[tuple[str, bytes]]]:
    sets: dict[str, list[tuple[str, bytes]]] = {}
    layout = {
        "feed-rs-fixtures": "fixture",
        "rss-parser-fixtures": "input",
        "miniflux-testdata": ".",
        "news-sitemap-samples": ".",
    }
    for name, sub in layout.items():
        folder = BENCHDATA / name / sub
        if not folder.is_dir():
            continue
        files = sorted(
            p for p in folder.rglob("*")
            if p.is_file() and p.suffix in FEED_SUFFIXES and not p.name.endswith(".serde.json")
        )
        sets[name] = [(str(p.relative_to(BENCHDATA)), p.read_bytes()) for p in files]
    return sets


def _generated_rss(count: int, broken: bool) -> bytes:
    items = []
    for n in range(count):
        title = f"Article numéro {n} : la ville & ses quartiers" if broken and n % 50 == 7 \
            else f"Article numéro {n} : la ville et ses quartiers"
        items.append(
            f"<item><title>{title}</title><link>https://gen.example/a/{n}</link>"
            f"<guid isPermaLink='true'>https://gen.example/a/{n}</guid>"
            f"<pubDate>Mon, 03 Mar 2025 {n % 24:02d}:{n % 60:02d}:00 +0100</pubDate>"
            "<dc:creator>Rédaction</dc:creator><category>Ville</category>"
            f"<description><![CDATA[<p>Résumé {n} <img src='/i/{n}.jpg'></p>]]></description>"
            f"<content:encoded><![CDATA[<p>{'Texte généré. ' * 40}</p>]]></content:encoded>"
            "</item>\n"
        )
        if broken and n == 120:
            items.append("<item><title><![CDATA[cut</title><link>https://gen.example/cut</link>"
                         "</item>\n")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Généré</title>'
        "<link>https://gen.example/</link><language>fr</language>\n"
        + "".join(items) + "</channel></rss>\n"
    ).encode("utf-8")


def _generated_atom(count: int) -> bytes:
    entries = "".join(
        f"<entry><title>Story {n}</title><link href='https://gen.example/s/{n}'/>"
        f"<id>tag:gen.example,2025:{n}</id><updated>2025-03-03T10:{n % 60:02d}:00Z</updated>"
        "<author><name>Desk</name></author>"
        f"<content type='html'>&lt;p&gt;{'Generated text. ' * 40}&lt;/p&gt;</content></entry>\n"
        for n in range(count)
    )
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Generated</title>{entries}</feed>").encode()


def _generated_json(count: int) -> bytes:
    items = [{"id": str(n), "url": f"https://gen.example/j/{n}", "title": f"خبر رقم {n}",
              "content_html": "<p>" + "نص مولد. " * 40 + "</p>",
              "date_published": "2025-03-03T10:00:00+01:00"} for n in range(count)]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "مولد",
                       "items": items}, ensure_ascii=False).encode("utf-8")


def _generated_set() -> list[tuple[str, bytes]]:
    return [
        ("generated/rss-200.xml", _generated_rss(200, broken=False)),
        ("generated/rss-200-broken.xml", _generated_rss(200, broken=True)),
        ("generated/atom-200.xml", _generated_atom(200)),
        ("generated/jsonfeed-200.json", _generated_json(200)),
    ]


def _time(fn: Callable[[], Any], budget_s: float = 0.05) -> float:
    """Median CPU seconds per call, repeating until ``budget_s`` is spent (min 3 calls).

    CPU time rather than wall time: both parsers are single-threaded and CPU-bound, and
    the benchmark machine is shared, so wall time would mostly measure the neighbours.
    """
    samples: list[float] = []
    spent = 0.0
    while len(samples) < 3 or (spent < budget_s and len(samples) < 200):
        start = time.process_time()
        fn()
        elapsed = time.process_time() - start
        samples.append(elapsed)
        spent += elapsed
    return statistics.median(samples)


def _keys_feedparser(entry: Any, url: str) -> set[str]:
    keys = set()
    for value in [entry.get("link"), entry.get("id"),
                  *(link.get("href") for link in entry.get("links", []))]:
        if value:
            keys.add(value.strip())
            keys.add(urljoin(url, value.strip()))
    return keys


def _keys_kiosque(entries: list[Any], url: str) -> set[str]:
    keys = set()
    for entry in entries:
        for value in (entry.url, entry.guid):
            if value:
                keys.add(value)
                keys.add(urljoin(url, value))
    return keys


def _kiosque(body: bytes, url: str, content_type: str | None = None) -> list[Any]:
    try:
        return parse_unguarded(body, url, content_type).entries
    except FeedError:
        return []


def _compare(files: list[tuple[str, bytes]]) -> dict[str, Any]:
    fp_total = k_total = 0.0
    speedups, latencies, lost_examples = [], [], []
    lost = fp_entries = k_entries = timed = 0
    for name, body in files:
        url = BASE_URL + name
        fp = feedparser.parse(body, response_headers={"content-location": url})
        entries = _kiosque(body, url)
        fp_entries += len(fp.entries)
        k_entries += len(entries)
        keys = _keys_kiosque(entries, url)
        keyless = 0
        for entry in fp.entries:
            wanted = _keys_feedparser(entry, url)
            if not wanted:
                keyless += 1
            elif not wanted & keys:
                lost += 1
                lost_examples.append(f"{name}: {sorted(wanted)[0]}")
        keyless_missing = max(0, keyless - max(0, len(entries) - (len(fp.entries) - keyless)))
        lost += keyless_missing
        t_k = _time(lambda b=body, u=url: _kiosque(b, u))  # type: ignore[misc]
        latencies.append(t_k)
        if not fp.get("version"):
            continue  # feedparser does not read this format (JSON Feed, sitemaps): no race
        t_fp = _time(lambda b=body, u=url: feedparser.parse(  # type: ignore[misc]
            b, response_headers={"content-location": u}))
        timed += 1
        fp_total += t_fp
        k_total += t_k
        speedups.append(t_fp / t_k if t_k else 0.0)
    return {
        "files": len(files), "timed": timed, "feedparser_s": fp_total, "kiosque_s": k_total,
        "speedup": fp_total / k_total if k_total else 0.0,
        "median_speedup": statistics.median(speedups) if speedups else 0.0,
        "lost": lost, "feedparser_entries": fp_entries, "kiosque_entries": k_entries,
        "latencies": latencies, "lost_examples": lost_examples[:5],
    }


def _conformance() -> dict[str, Any] | None:
    folder = BENCHDATA / "feedparser-tests"
    index_path = folder / "index.json"
    if not index_path.is_file():
        return None
    index = json.loads(index_path.read_text(encoding="utf-8"))
    crashes: list[str] = []
    feed_errors = 0
    start = time.perf_counter()
    for record in index:
        path = folder / record["file"]
        if not path.is_file():
            continue
        headers = {k.lower(): v for k, v in (record.get("http_headers") or {}).items()}
        try:
            parse_unguarded(path.read_bytes(), BASE_URL + record["file"],
                            headers.get("content-type"))
        except FeedError:
            feed_errors += 1
        except Exception as exc:  # the figure we are after
            crashes.append(f"{record['file']}: {type(exc).__name__}: {exc}")
    elapsed = time.perf_counter() - start
    return {"files": len(index), "crashes": len(crashes), "feed_errors": feed_errors,
            "files_per_s": len(index) / elapsed if elapsed else 0.0,
            "crash_examples": crashes[:10]}


def _date_vectors() -> tuple[int, int] | None:
    """How many of feedparser's date-parser vectors kiosque's parse_date agrees with."""
    path = BENCHDATA / "feedparser-tests" / "date_parser_vectors.json"
    if not path.is_file():
        return None
    vectors = json.loads(path.read_text(encoding="utf-8"))
    agreed = 0
    for vector in vectors:
        parsed = parse_date(vector["input"])
        expected = vector["expected_utc_struct_time"]
        got = None if parsed is None else list(parsed.timetuple())[:6]
        agreed += got == (None if expected is None else expected[:6])
    return agreed, len(vectors)


def _memory_peak(body: bytes) -> tuple[float, float]:
    """Peak traced allocation (KiB) of one parse, kiosque then feedparser."""
    peaks = []
    for fn in (lambda: _kiosque(body, BASE_URL), lambda: feedparser.parse(body)):
        tracemalloc.start()
        fn()
        peaks.append(tracemalloc.get_traced_memory()[1] / 1024)
        tracemalloc.stop()
    return peaks[0], peaks[1]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> None:
    sets = _real_sets()
    if not sets:
        print(f"(no benchdata at {BENCHDATA}: generated feeds only)")
    sets["generated"] = _generated_set()
    results = {}
    print("times are CPU time summed over the files feedparser recognizes (timed); "
          "entries are counted on all files")
    print(f"{'set':<24}{'files':>6}{'timed':>6}{'fp ms':>10}{'kiosque ms':>12}{'speedup':>9}"
          f"{'median':>8}{'fp ent':>8}{'k ent':>7}{'lost':>6}")
    for name, files in sets.items():
        result = _compare(files)
        results[name] = result
        print(f"{name:<24}{result['files']:>6}{result['timed']:>6}"
              f"{result['feedparser_s'] * 1000:>10.1f}"
              f"{result['kiosque_s'] * 1000:>12.1f}{result['speedup']:>9.1f}"
              f"{result['median_speedup']:>8.1f}{result['feedparser_entries']:>8}"
              f"{result['kiosque_entries']:>7}{result['lost']:>6}")
        for example in result["lost_examples"]:
            print(f"    lost: {example}")
    timed_sets = [r for r in results.values() if r["timed"]]
    fp_total = sum(r["feedparser_s"] for r in timed_sets)
    k_total = sum(r["kiosque_s"] for r in timed_sets)
    latencies = [t for r in results.values() for t in r["latencies"]]
    lost = sum(r["lost"] for r in results.values())
    speedup = fp_total / k_total if k_total else 0.0
    print(f"all sets: feedparser {fp_total * 1000:.1f} ms, kiosque {k_total * 1000:.1f} ms, "
          f"speedup x{speedup:.1f}, median per-set speedup "
          f"x{statistics.median(r['speedup'] for r in timed_sets):.1f}")
    print(f"kiosque latency per feed: p50 {_pct(latencies, 0.5) * 1000:.2f} ms, "
          f"p90 {_pct(latencies, 0.9) * 1000:.2f} ms, p99 {_pct(latencies, 0.99) * 1000:.2f} ms")
    big = _generated_rss(200, broken=False)
    k_kib, fp_kib = _memory_peak(big)
    print(f"peak memory, 200-item RSS ({len(big) // 1024} KiB): kiosque {k_kib:.0f} KiB, "
          f"feedparser {fp_kib:.0f} KiB")
    conformance = _conformance()
    if conformance:
        print(f"feedparser conformance corpus: {conformance['files']} files, "
              f"{conformance['crashes']} crashes, {conformance['feed_errors']} FeedError, "
              f"{conformance['files_per_s']:.0f} files/s")
        for example in conformance["crash_examples"]:
            print(f"    crash: {example}")
    dates = _date_vectors()
    if dates:
        print(f"feedparser date vectors: {dates[0]}/{dates[1]} agreed "
              "(misses: Greek/Hungarian/Korean formats, 2-digit-year ISO forms)")
    summary = {
        "speedup_vs_feedparser": round(speedup, 2),
        "median_set_speedup": round(statistics.median(r["speedup"] for r in timed_sets), 2),
        "entries_lost_vs_feedparser": lost,
        "feedparser_entries": sum(r["feedparser_entries"] for r in results.values()),
        "kiosque_entries": sum(r["kiosque_entries"] for r in results.values()),
        "latency_p50_ms": round(_pct(latencies, 0.5) * 1000, 3),
        "latency_p99_ms": round(_pct(latencies, 0.99) * 1000, 3),
        "peak_kib_200_items": round(k_kib),
        "feedparser_peak_kib_200_items": round(fp_kib),
        "crashes": conformance["crashes"] if conformance else None,
        "conformance_files": conformance["files"] if conformance else 0,
        "conformance_files_per_s": round(conformance["files_per_s"]) if conformance else None,
        "date_vectors_agreed": dates[0] if dates else None,
        "date_vectors": dates[1] if dates else 0,
        "sets": {name: {"files": r["files"], "timed": r["timed"], "speedup": round(r["speedup"], 2),
                        "lost": r["lost"]} for name, r in results.items()},
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
