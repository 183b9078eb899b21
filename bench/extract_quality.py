"""Extraction quality of kiosque's ``extract_page`` against bare ``trafilatura.extract``.

Two public gold sets from ``../shared/benchdata/extraction/`` are scored in one run:

* trafilatura-eval: text segments that must / must not appear. A present "with" segment
  is a true positive, a missing one a false negative, a present "without" segment a false
  positive (upstream's own scoring).
* fundus parser test data: the expected body (summary, section headlines, paragraphs).
  Scored on word tokens (multiset overlap), so a page that keeps the body but adds a
  menu loses precision, and one that drops paragraphs loses recall.

The overall F1 is the mean of the two sets' F1 (their units differ, so counts are not
pooled); per-language figures follow the same rule over the sets that have that language.
The last printed line is one JSON object. Without the data the benchmark says so and
still prints a JSON line.

Usage: ``.venv/bin/python bench/extract_quality.py [--limit N]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from kiosque.extract import extract_page  # noqa: E402
from kiosque.extract.decode import decode_html  # noqa: E402
from kiosque.extract.metadata import extract_metadata  # noqa: E402
from kiosque.extract.page import parse_html  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchdata" / "extraction"
LANGS = ("fr", "es", "ar", "en")
_WORD = re.compile(r"\w+", re.UNICODE)

Extractor = Callable[[bytes, str], str]
Scorer = Callable[[str], tuple[float, float, float]]


def kiosque_text(data: bytes, url: str) -> str:
    return extract_page(data, url).text


def trafilatura_text(data: bytes, url: str) -> str:
    return trafilatura.extract(data, url=url) or ""


EXTRACTORS: dict[str, Extractor] = {"kiosque": kiosque_text, "trafilatura": trafilatura_text}


def lang_bucket(attr: str | None) -> str:
    code = (attr or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGS else "other"


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Counts:
    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    def add(self, tp: float, fp: float, fn: float) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Tally:
    overall: Counts = field(default_factory=Counts)
    per_lang: dict[str, Counts] = field(default_factory=dict)
    times_ms: list[float] = field(default_factory=list)

    def add(self, lang: str, tp: float, fp: float, fn: float) -> None:
        self.overall.add(tp, fp, fn)
        self.per_lang.setdefault(lang, Counts()).add(tp, fp, fn)


@dataclass
class Case:
    url: str
    data: bytes
    lang: str
    score: Scorer


def segment_scorer(with_: list[str], without: list[str]) -> Scorer:
    def score(text: str) -> tuple[float, float, float]:
        flat = squash(text)
        tp = sum(1 for s in with_ if squash(s) in flat)
        fp = sum(1 for s in without if squash(s) in flat)
        return tp, fp, len(with_) - tp

    return score


def token_scorer(expected: str) -> Scorer:
    gold = Counter(w.casefold() for w in _WORD.findall(expected))

    def score(text: str) -> tuple[float, float, float]:
        got = Counter(w.casefold() for w in _WORD.findall(text))
        common = sum((gold & got).values())
        return common, sum(got.values()) - common, sum(gold.values()) - common

    return score


def trafilatura_cases(limit: int | None) -> Iterator[Case]:
    root = DATA / "trafilatura-eval"
    gold = json.loads((root / "evaldata.json").read_text("utf-8"))
    index = {r["url"]: r for r in json.loads((root / "index.json").read_text("utf-8"))}
    for n, (url, item) in enumerate(gold.items()):
        if limit is not None and n >= limit:
            break
        path = root / "html" / (item["file"] + ".gz")
        if not path.exists():
            continue
        lang = lang_bucket(index.get(url, {}).get("html_lang_attr"))
        yield Case(url, gzip.decompress(path.read_bytes()), lang,
                   segment_scorer(item.get("with", []), item.get("without", [])))


def fundus_body(version: dict[str, object]) -> str:
    body = version.get("body") or {}
    assert isinstance(body, dict)
    parts: list[str] = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n".join(parts)


def fundus_cases(limit: int | None) -> Iterator[Case]:
    root = DATA / "fundus-parser-testdata"
    lines = (root / "cases.jsonl").read_text("utf-8").splitlines()
    for n, line in enumerate(lines):
        if limit is not None and n >= limit:
            break
        rec = json.loads(line)
        html_path = root / rec["html_file"]
        expected_path = root / rec["expected_json"]
        if not html_path.exists() or not expected_path.exists():
            continue
        version = json.loads(expected_path.read_text("utf-8")).get(rec["parser_version"])
        if not version:
            continue
        expected = fundus_body(version)
        if not expected.strip():
            continue
        yield Case(rec["url"], gzip.decompress(html_path.read_bytes()),
                   lang_bucket(rec.get("html_lang_attr")), token_scorer(expected))


def run(cases: Iterator[Case]) -> tuple[dict[str, Tally], int]:
    tallies = {name: Tally() for name in EXTRACTORS}
    n = 0
    for case in cases:
        n += 1
        for name, extractor in EXTRACTORS.items():
            start = time.perf_counter()
            text = extractor(case.data, case.url)
            tallies[name].times_ms.append((time.perf_counter() - start) * 1000)
            tallies[name].add(case.lang, *case.score(text))
    return tallies, n


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _names(value: object) -> frozenset[str]:
    """A gold or found value as a set of names (lists, "A, B" and "A; B" alike)."""
    parts = value if isinstance(value, list) else re.split(r"[;,]", str(value or ""))
    return frozenset(squash(str(p)).casefold() for p in parts if squash(str(p)))


def _same_text(a: object, b: object) -> bool:
    return _names(a) == _names(b)


def metadata_scores(limit: int | None) -> dict[str, dict[str, float]]:
    """Title/author/date agreement with trafilatura-eval's gold metadata, both extractors.

    Title and author must match (case and spacing aside), the date must fall on the gold
    day; only fields with a non-empty gold value are counted.
    """
    root = DATA / "trafilatura-eval"
    gold = json.loads((root / "evaldata.json").read_text("utf-8"))
    hits = {name: Counter[str]() for name in EXTRACTORS}
    totals: Counter[str] = Counter()
    times: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    seen = 0
    for url, item in gold.items():
        if not any(item.get(k) for k in ("title", "author", "date")):
            continue
        seen += 1
        if limit is not None and seen > limit:
            break
        path = root / "html" / (item["file"] + ".gz")
        if not path.exists():
            continue
        data = gzip.decompress(path.read_bytes())
        start = time.perf_counter()
        tree = parse_html(decode_html(data))
        ours = extract_metadata(tree, url) if tree is not None else None
        times["kiosque"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        try:
            theirs = trafilatura.extract_metadata(decode_html(data), default_url=url)
        except Exception:  # their crash counts as nothing found
            theirs = None
        times["trafilatura"].append((time.perf_counter() - start) * 1000)
        found = {
            "kiosque": (ours.title, ours.author, ours.published.date().isoformat()
                        if ours and ours.published else "") if ours else ("", "", ""),
            "trafilatura": (theirs.title or "", theirs.author or "", theirs.date or "")
            if theirs else ("", "", ""),
        }
        for field_index, key in enumerate(("title", "author", "date")):
            expected = item.get(key) or ""
            if isinstance(expected, list):
                expected = "; ".join(str(e) for e in expected)
            if not expected:
                continue
            totals[key] += 1
            for name, values in found.items():
                got = values[field_index]
                ok = got[:10] == expected[:10] if key == "date" else _same_text(got, expected)
                hits[name][key] += ok
    out: dict[str, dict[str, float]] = {}
    for name in EXTRACTORS:
        out[name] = {key: round(hits[name][key] / totals[key], 4) for key in totals}
        out[name]["ms_per_page"] = round(statistics.fmean(times[name] or [0]), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="cases per data set")
    parser.add_argument("--meta-limit", type=int, default=300,
                        help="pages with gold metadata to score (trafilatura's is slow)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")

    if not DATA.exists():
        print(f"no benchmark data at {DATA}; nothing measured")
        print(json.dumps({"skipped": True, "reason": "benchdata missing"}))
        return

    sets = {"trafilatura-eval": trafilatura_cases, "fundus": fundus_cases}
    results: dict[str, dict[str, Tally]] = {}
    for set_name, loader in sets.items():
        tallies, n = run(loader(args.limit))
        results[set_name] = tallies
        print(f"\n== {set_name}: {n} pages")
        for name, tally in tallies.items():
            p, r, f = tally.overall.prf()
            print(f"  {name:12s} P={p:.3f} R={r:.3f} F1={f:.3f}  "
                  f"ms/page mean={statistics.fmean(tally.times_ms or [0]):.1f} "
                  f"p50={pct(tally.times_ms, .5):.1f} p95={pct(tally.times_ms, .95):.1f}")
            for lang in (*LANGS, "other"):
                if lang in tally.per_lang:
                    lp, lr, lf = tally.per_lang[lang].prf()
                    print(f"      {lang:5s} P={lp:.3f} R={lr:.3f} F1={lf:.3f}")

    def mean_f1(name: str, lang: str | None) -> float | None:
        scores = []
        for tallies in results.values():
            counts = tallies[name].overall if lang is None else tallies[name].per_lang.get(lang)
            if counts is not None and counts.tp + counts.fn > 0:
                scores.append(counts.prf()[2])
        return statistics.fmean(scores) if scores else None

    summary: dict[str, object] = {}
    for name in EXTRACTORS:
        summary[f"f1_{name}"] = round(mean_f1(name, None) or 0.0, 4)
    summary["f1_minus_trafilatura"] = round(
        float(summary["f1_kiosque"]) - float(summary["f1_trafilatura"]), 4  # type: ignore[arg-type]
    )
    per_lang: dict[str, dict[str, float]] = {}
    for lang in (*LANGS, "other"):
        k, t = mean_f1("kiosque", lang), mean_f1("trafilatura", lang)
        if k is not None and t is not None:
            per_lang[lang] = {"f1_kiosque": round(k, 4), "f1_trafilatura": round(t, 4),
                              "f1_minus_trafilatura": round(k - t, 4)}
    summary["per_lang"] = per_lang
    for name in EXTRACTORS:
        times = [t for tallies in results.values() for t in tallies[name].times_ms]
        summary[f"ms_per_page_{name}"] = round(statistics.fmean(times or [0]), 2)
        summary[f"p95_ms_{name}"] = round(pct(times, .95), 2)
    summary["pages"] = sum(len(t["kiosque"].times_ms) for t in results.values())
    meta = metadata_scores(args.meta_limit if args.limit is None else args.limit)
    print("\n== metadata agreement with trafilatura-eval gold (share of pages)")
    for name, scores in meta.items():
        print(f"  {name:12s} " + " ".join(f"{k}={v}" for k, v in scores.items()))
    summary["metadata"] = meta
    summary["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print("\nper-set F1 is averaged over both sets; per_lang likewise")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
