"""The index write path: what ``analyze_article`` decides, and what ``index`` stores.

Indexing runs for every stored article, so its checks take shortcuts; these tests pin
the shortcuts to the plain definitions they replace.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from kiosque.search import backend_for
from kiosque.search.base import _summary_repeated, analyze_article
from kiosque.search.sqlite_fts import section_tag, source_tag
from tests.databases import migrated_engine
from tests.search.search_corpus import GenArticle
from tests.search.search_loader import insert_articles


def _repeated_by_definition(summary: str, body: str) -> bool:
    head = " ".join(summary.split())[:80]
    return not head or head in " ".join(body[:2000].split())


EDGE_CASES = [
    ("", "anything"),
    ("   \n ", "anything"),
    ("Le maire a parlé.", "Le maire a parlé. Puis il est parti."),
    ("Le  maire\n a parlé.", "Avant.\n\nLe maire   a\tparlé. Puis."),
    ("Le maire a parlé.", "Le maire n'a pas parlé."),
    # a head cut right after a space, found in the raw text only with nothing after it:
    # collapsing the text drops that trailing space, so the summary is not a repeat
    ("x" * 79 + " suite", "x" * 79 + " "),
    ("x" * 79 + " suite", "x" * 79 + "  \n"),
    ("x" * 79 + " suite", "x" * 79 + " suite"),
    ("x" * 79 + " suite", "y" * 1921 + "x" * 79 + " "),  # at the 2000th character
    ("x" * 79 + " suite", "y" * 1921 + "x" * 79 + " z"),
    ("mot " * 40, "mot " * 600),
    ("début", "y" * 1999 + "début"),  # past the first 2000 characters
    ("a\u00a0b", "a b"),  # non-breaking space: whitespace to split()
    ("a\u200bb", "a b"),  # zero-width space: not whitespace
    ("ﬁn", "fin"),
]


@pytest.mark.parametrize(("summary", "body"), EDGE_CASES)
def test_summary_repeated_edge_cases(summary: str, body: str) -> None:
    assert _summary_repeated(summary, body) == _repeated_by_definition(summary, body)


_CHARS = st.sampled_from([*"ab x\n\t\u00a0\u2028\u3000.é", "  ", "ab", "x" * 30])


@settings(max_examples=600, deadline=None)
@given(st.lists(_CHARS, max_size=40).map("".join),
       st.lists(_CHARS, max_size=700).map("".join),
       st.integers(0, 3))
def test_summary_repeated_matches_its_definition(summary: str, body: str, place: int) -> None:
    # often make the body actually contain (a variant of) the summary
    if place == 1:
        body = body + summary
    elif place == 2:
        body = summary.replace(" ", "  ") + body
    elif place == 3:
        body = body[:1990] + summary
    assert _summary_repeated(summary, body) == _repeated_by_definition(summary, body)


def test_analyze_article_body_with_and_without_summary() -> None:
    repeated = analyze_article(1, "fr", "Titre", "Le maire parle.", "Le maire parle. Fin.")
    added = analyze_article(1, "fr", "Titre", "Résumé distinct.", "Le maire parle. Fin.")
    assert repeated.body_tokens == ["fr_le", "fr_mair", "fr_parl", "fr_fin"]
    assert added.body_tokens[:2] == ["fr_resum", "fr_distinct"]
    assert added.body_tokens[2:] == repeated.body_tokens


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    yield from migrated_engine("sqlite", f"sqlite:///{tmp_path / 'i.db'}")


def _doc(key: str, title: str, body: str, summary: str = "") -> GenArticle:
    return GenArticle(key=key, lang="fr", source="fr-a", section="Monde", author="",
                      title=title, summary=summary, text=body,
                      published=datetime(2026, 2, 1, tzinfo=UTC))


def test_sqlite_index_rows(sqlite_engine: Engine) -> None:
    """What the statements run on the driver's cursor store: one FTS row and one meta
    row per article, stamped with its write's sequence number; a reindex replaces them,
    and an id without an article is only removed."""
    backend = backend_for("sqlite")
    docs = [_doc("k1", "Inondations", "La crue monte.", "Résumé à part."),
            _doc("k2", "Sécheresse", "Les nappes baissent.")]
    with sqlite_engine.begin() as conn:
        ids = insert_articles(conn, docs)
        backend.index(conn, list(ids.values()))
        backend.index(conn, [ids["k1"], 999_999])
    with sqlite_engine.connect() as conn:
        fts = conn.execute(text(
            "SELECT rowid, title, body, tags FROM search_fts ORDER BY rowid")).all()
        meta = conn.execute(text("SELECT id, source_id, lang, section, author, "
                                 "published_at, seq FROM search_meta ORDER BY id")).all()
        source_id = conn.execute(text("SELECT source_id FROM articles WHERE id = :i"),
                                 {"i": ids["k1"]}).scalar_one()
    tags = f"{source_tag(source_id)} {section_tag('Monde')}"
    expected = []
    for doc in docs:
        analyzed = analyze_article(ids[doc.key], "fr", doc.title, doc.summary, doc.text)
        expected.append((ids[doc.key], " ".join(analyzed.title_tokens),
                         " ".join(analyzed.body_tokens), tags))
    assert fts == expected
    assert expected[0][2].startswith("fr_resum ")  # the summary was not a repeat
    when = "2026-02-01 00:00:00.000000"
    assert meta == [(ids["k1"], source_id, "fr", "Monde", "", when, 2),
                    (ids["k2"], source_id, "fr", "Monde", "", when, 1)]
