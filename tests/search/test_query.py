"""The query language: what readers type becomes a tree, whatever they type."""

from __future__ import annotations

import random
from datetime import date

import pytest

from kiosque.search.compile import compile_query, to_fts5, to_tsquery
from kiosque.search.query import Phrase, Term, parse_query


def test_words_phrases_exclusions_or_prefix() -> None:
    p = parse_query('crise "état d\'urgence" -football budget OR impôts gouv*')
    assert p.must == [
        [Term("crise")], [Phrase("état d'urgence")], [Term("budget"), Term("impôts")],
        [Term("gouv", prefix=True)],
    ]
    assert p.must_not == [Term("football")]
    assert str(p) == 'crise "état d\'urgence" budget OR impôts gouv* -football'


def test_filters() -> None:
    p = parse_query('source:Le-Monde lang:AR section:Sport author:"Jean Dupont" '
                    "after:2026-01-05 before:2026-2-1 budget")
    f = p.filters
    assert f.sources == ["le-monde"] and f.langs == ["ar"] and f.sections == ["sport"]
    assert f.authors == ["Jean Dupont"]
    assert f.after == date(2026, 1, 5) and f.before == date(2026, 2, 1)
    assert p.must == [[Term("budget")]]
    assert 'author:"Jean Dupont"' in str(p)


@pytest.mark.parametrize(("raw", "must", "must_not"), [
    ('"unbalanced phrase', [["unbalanced"], ["phrase"]], []),
    ('a "b c" "d', [["a"], ['"b c"'], ["d"]], []),
    ("OR a", [["a"]], []),
    ("a OR", [["a"]], []),
    ("a OR OR b", [["a", "b"]], []),
    ("a or b", [["a"], ["or"], ["b"]], []),
    ("AND NOT NEAR", [["AND"], ["NOT"], ["NEAR"]], []),
    ("- -- * ( )", [], []),
    ("-a -", [], ["a"]),
    ("after:2026-99-01 x", [["after"], ["2026-99-01"], ["x"]], []),
    ("source: x", [["source"], ["x"]], []),
    ("«crise politique»", [['"crise politique"']], []),
    ("-\"\" a", [["a"]], []),
])
def test_malformed_input_becomes_text(raw: str, must: list[list[str]], must_not: list[str]) -> None:
    p = parse_query(raw)
    assert [[str(a) for a in g] for g in p.must] == must
    assert [str(a) for a in p.must_not] == must_not


def test_engine_strings_hold_only_tokens() -> None:
    rng = random.Random(3)
    alphabet = [*list("ab\"'-*():^{}+~;|&!<> ORANDNOTNEAR"), "ال", "é", "\\", "%"]
    for _ in range(400):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        exprs = compile_query(parse_query(raw))
        if not exprs:
            continue
        fts, ts = to_fts5(exprs), to_tsquery(exprs)
        # every quoted FTS5 string is a run of prefixed tokens; nothing else is user text
        inside = fts.split('"')[1::2]
        assert all(part and all(tok[:3] in {"fr_", "ar_", "es_", "en_", "xx_"}
                                for tok in part.split()) for part in inside), (raw, fts)
        assert "\\" not in ts and "%" not in fts


def test_compiles_per_language() -> None:
    exprs = compile_query(parse_query("gouvernements -crise"), ["fr", "ar"])
    assert to_fts5(exprs) == (
        '((("fr_gouvern")) NOT ("fr_cris")) OR ((("ar_gouvernements")) NOT ("ar_crise"))'
    )
    assert to_tsquery(compile_query(parse_query('"a b" c*'), ["en"])) == (
        "((('en_a' <-> 'en_b')) & ('en_c':*))"
    )
    assert compile_query(parse_query("!!! ..."), ["fr"]) == []
