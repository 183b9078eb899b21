"""The SearchBackend contract, run on SQLite FTS5 and on PostgreSQL alike."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from kiosque.search import backend_for, ranking
from kiosque.store.tables import articles
from tests.search.conftest import make_test_engine
from tests.search.search_corpus import GenArticle
from tests.search.search_judgments import QUERIES_FILE
from tests.search.search_loader import insert_articles, load_corpus

NASTY = [
    "", "   ", '"', '"""', '"unbalanced phrase', "OR", "OR OR", "AND", "NOT", "a AND",
    "NEAR(a b)", "-", "--", "- -", "*", "**", "gouv**", "-*", "title:x", "body:gouvernement",
    "{a b}", "a:b", "^a", "'", "''", "l'", "qu'", "(", ")", "((a)", "a) OR (b", "\\", "%", "_",
    "source:", "after:", "after:2026-13-40", "before:yesterday", "lang:", "author:\"",
    "x" * 2000, "ــــ", "\u064b\u064c", "'); DROP TABLE articles; --", "' OR 1=1 --",
    "a & b | !c <-> d:*", "gouvernement -gouvernement", '"-" -"" OR', "٢٠٢٥", "🙂 emoji",
    "\x00nul", "mot\tavec\nligne",
]


def _doc(key: str, title: str, text: str, lang: str = "fr", source: str = "fr-a",
         when: datetime | None = None, author: str = "Claire Martin") -> GenArticle:
    return GenArticle(
        key=key, lang=lang, source=source, section="test", author=author, title=title,
        summary="", text=text, published=when or datetime(2026, 2, 1, tzinfo=UTC),
    )


def test_backend_for_names() -> None:
    assert type(backend_for("sqlite")).__name__ == "SqliteFtsBackend"
    assert type(backend_for("postgresql+psycopg")).__name__ == "PostgresFtsBackend"
    with pytest.raises(ValueError):
        backend_for("oracle")


def test_index_search_remove_reindex(engine: Engine) -> None:
    backend = backend_for(engine.dialect.name)
    with engine.begin() as conn:
        ids = insert_articles(conn, [
            _doc("k1", "Le gouvernement <b>annonce</b>", "Un texte sur l'économie & la <script>."),
            _doc("k2", "الحكومات تعلن", "أعلنت الْحُكُومَة اليوم عن خطة جديدة", lang="ar",
                 source="ar-a"),
        ])
        backend.index(conn, list(ids.values()))
        backend.index(conn, list(ids.values()))  # idempotent: no duplicate rows
    with engine.connect() as conn:
        r = backend.search(conn, "gouvernements")
        assert [h.article_id for h in r.hits] == [ids["k1"]] and r.total == 1
        hit = r.hits[0]
        assert hit.title_html == "Le <mark>gouvernement</mark> &lt;b&gt;annonce&lt;/b&gt;"
        assert hit.source_slug == "fr-a" and hit.lang == "fr"
        assert hit.published == datetime(2026, 2, 1, tzinfo=UTC)
        r = backend.search(conn, "economie")
        assert "<mark>l&#x27;économie</mark>" in r.hits[0].snippet_html
        snippet = r.hits[0].snippet_html
        assert "&lt;script&gt;" in snippet and "<script>" not in snippet
        r = backend.search(conn, "الحكومة")
        assert [h.article_id for h in r.hits] == [ids["k2"]]
        assert "<mark>الْحُكُومَة</mark>" in r.hits[0].snippet_html
    with engine.begin() as conn:
        conn.execute(update(articles).where(articles.c.id == ids["k1"]).values(
            title="Autre titre", text="Rien de politique ici."))
        backend.index(conn, [ids["k1"]])
    with engine.connect() as conn:
        assert backend.search(conn, "gouvernement").total == 0
        assert backend.search(conn, "politique").total == 1
    with engine.begin() as conn:
        backend.remove(conn, [ids["k1"], ids["k2"]])
    with engine.connect() as conn:
        assert backend.search(conn, "politique").total == 0
        assert backend.search(conn, "الحكومة").total == 0


def test_index_is_transactional_with_articles(engine: Engine) -> None:
    backend = backend_for(engine.dialect.name)
    with pytest.raises(RuntimeError), engine.begin() as conn:
        ids = insert_articles(conn, [_doc("k1", "Inondations record", "La crue monte.")])
        backend.index(conn, list(ids.values()))
        assert backend.search(conn, "inondation").total == 1  # visible inside
        raise RuntimeError("ingest failed")
    with engine.connect() as conn:
        assert backend.search(conn, "inondation").total == 0
        assert backend.search(conn, "crue").total == 0


def test_filters_pagination_sort_and_facets(engine: Engine) -> None:
    backend = backend_for(engine.dialect.name)
    docs = [
        _doc(f"k{i}", f"Budget numéro {i}", "Le budget de la ville est voté.",
             source="fr-a" if i % 3 else "fr-b", author="Paul Girard" if i % 2 else "Claire Martin",
             when=datetime(2026, 2, 1 + i, 8, tzinfo=UTC))
        for i in range(25)
    ]
    with engine.begin() as conn:
        ids = insert_articles(conn, docs)
        backend.index(conn, list(ids.values()))
    key_of = {v: k for k, v in ids.items()}
    with engine.connect() as conn:
        seen: list[int] = []
        for page in (1, 2, 3):
            r = backend.search(conn, "budget", page=page, per_page=10)
            assert r.total == 25 and r.pages == 3
            seen += [h.article_id for h in r.hits]
        assert sorted(seen) == sorted(ids.values())
        assert backend.search(conn, "budget", page=4, per_page=10).hits == []
        r = backend.search(conn, "budget", sort="date", per_page=25)
        dates = [h.published for h in r.hits]
        assert dates == sorted(dates, reverse=True) and key_of[r.hits[0].article_id] == "k24"
        # recency breaks the tie between equally relevant texts
        r = backend.search(conn, "budget", per_page=3)
        assert [key_of[h.article_id] for h in r.hits] == ["k24", "k23", "k22"]
        # the engine's score is exactly ranking.score: same text, one day older
        assert r.hits[0].score / r.hits[1].score == pytest.approx(
            ranking.score(1.0, 0.0) / ranking.score(1.0, 1.0), rel=1e-6
        )
        facets = r.facets
        assert {f.value: f.count for f in facets.source} == {"fr-a": 16, "fr-b": 9}
        assert facets.source[0].label == "Journal FR A"
        assert [(f.value, f.count) for f in facets.lang] == [("fr", 25)]
        assert facets.day[0].value == "2026-02-25" and sum(f.count for f in facets.day) == 25
        assert backend.search(conn, "budget source:fr-b").total == 9
        assert backend.search(conn, "budget source:FR-B author:girard").total == 4
        assert backend.search(conn, "budget after:2026-02-20").total == 6
        assert backend.search(conn, "budget before:2026-02-03").total == 2
        assert backend.search(conn, "budget after:2026-02-10 before:2026-02-12").total == 2
        assert backend.search(conn, "budget section:test lang:fr").total == 25
        assert backend.search(conn, "budget lang:ar").total == 0
        assert backend.search(conn, "budget", langs=["ar", "en"]).total == 0
        assert backend.search(conn, "budget", langs=["fr"]).total == 25
        # filters alone browse, newest first; exclusions alone subtract
        r = backend.search(conn, "source:fr-b")
        assert r.total == 9 and key_of[r.hits[0].article_id] == "k24"
        assert backend.search(conn, "-numéro").total == 0
        assert backend.search(conn, "-budget source:fr-a").total == 0
        assert backend.search(conn, "-inexistant source:fr-a").total == 16
        assert backend.search(conn, '"budget numero" -"numero 3"').total == 24
        assert backend.search(conn, "budg* OR zzz").total == 25


def test_malformed_queries_never_fail(engine: Engine) -> None:
    backend = backend_for(engine.dialect.name)
    with engine.begin() as conn:
        ids = insert_articles(conn, [_doc("k1", "AND OR NOT near", "Le gouvernement et NEAR.")])
        backend.index(conn, list(ids.values()))
    rng = random.Random(7)
    alphabet = [*list('ab "-*():^{}+~\'OR AND NOT NEAR ال ـ é'), "OR", "AND", "NOT"]
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25))) for _ in range(150)]
    with engine.connect() as conn:
        for q in NASTY + fuzz:
            for sort in ("relevance", "date"):
                r = backend.search(conn, q, sort=sort)
                assert r.total >= len(r.hits)
        # keywords are words, not operators
        assert backend.search(conn, "AND").total == 1
        assert backend.search(conn, "NOT near").total == 1
        assert backend.search(conn, "OR gouvernement").total == 1
        assert backend.search(conn, '"gouvernement et').total == 1
        assert backend.search(conn, "x", page=10**9, per_page=10**9).per_page == 100


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[Engine, dict[str, int]]]]:
    """The corpus on SQLite and on PostgreSQL, side by side."""
    gens = {
        "sqlite": make_test_engine("sqlite", tmp_path_factory.mktemp("both")),
        "postgres": make_test_engine("postgres", Path("unused")),
    }
    out: dict[str, tuple[Engine, dict[str, int]]] = {}
    try:
        for name, gen in gens.items():
            engine = next(gen)
            out[name] = (engine, load_corpus(engine))
        yield out
    finally:
        for gen in gens.values():
            gen.close()


@pytest.mark.postgres
def test_same_hits_on_both_backends(both: dict[str, tuple[Engine, dict[str, int]]]) -> None:
    import json

    queries = [q["query"] for q in json.loads(QUERIES_FILE.read_text(encoding="utf-8"))]
    queries += [*NASTY, "gouv* -crise", "source:ar-b", "-الحكومة lang:ar", "Kiosquia OR fútbol"]

    def signature(name: str, q: str) -> tuple[int, set[str], dict[str, int], list[str]]:
        engine, keys = both[name]
        by_id = {v: k for k, v in keys.items()}
        backend = backend_for(engine.dialect.name)
        with engine.connect() as conn:
            r = backend.search(conn, q, per_page=100)
            by_date = backend.search(conn, q, per_page=10, sort="date")
        facets = {f"{k}:{f.value}": f.count
                  for k, fs in (("s", r.facets.source), ("l", r.facets.lang), ("d", r.facets.day))
                  for f in fs}
        return (r.total, {by_id[h.article_id] for h in r.hits}, facets,
                [by_id[h.article_id] for h in by_date.hits])

    for q in queries:
        assert signature("sqlite", q) == signature("postgres", q), q


def test_broad_queries_count_exactly_and_rank_the_newest(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the rank cap: exact total and facets, relevance ranks the newest window."""
    from kiosque.search import base

    backend = backend_for(engine.dialect.name)
    docs = [
        _doc(f"k{i}", f"Budget numéro {i}", "Le budget de la ville est voté." * (1 + i % 3),
             source="fr-a" if i % 2 else "fr-b", when=datetime(2026, 2, 1 + i, tzinfo=UTC))
        for i in range(24)
    ]
    with engine.begin() as conn:
        ids = insert_articles(conn, docs)
        backend.index(conn, list(ids.values()))
    with engine.connect() as conn:
        exact = backend.search(conn, "budget", per_page=24)
        assert exact.ranked_among is None
        monkeypatch.setattr(base, "RANK_CAP", 8)
        r = backend.search(conn, "budget", per_page=5)
        assert r.total == 24 and r.ranked_among == 8
        assert {(f.value, f.count) for f in r.facets.source} == {("fr-a", 12), ("fr-b", 12)}
        assert len(r.facets.day) == 24 and all(f.count == 1 for f in r.facets.day)
        newest = sorted(ids.values())[-8:]
        assert {h.article_id for h in r.hits} <= set(newest)
        deep = backend.search(conn, "budget", page=2, per_page=4)  # still inside the window
        assert deep.ranked_among == 8 and {h.article_id for h in deep.hits} <= set(newest)
        wider = backend.search(conn, "budget", page=2, per_page=5)  # past it: one more step
        assert wider.ranked_among == 16
        assert backend.search(conn, "budget", sort="date", per_page=3).hits[0].article_id == (
            ids["k23"])
