"""``Analyzer.tokens`` looks whitespace chunks up in a cache instead of running the word
regex over the whole text: it must give exactly what the regex gives."""

from __future__ import annotations

import random
import sys
import unicodedata
from itertools import chain

import pytest

from kiosque.search import analysis
from kiosque.search.analysis import ALL_TAGS, WORD_RE, Analyzer, word_tokens


def reference_tokens(tag: str, text: str) -> list[str]:
    """The plain definition: every word of the whole normalized text, analyzed."""
    found = WORD_RE.findall(unicodedata.normalize("NFKC", text).replace("_", " "))
    return list(chain.from_iterable(word_tokens(tag, w) for w in found))


ALPHABET = [
    *"aéE_'’ʼ.,;:-—«»()1٣ﬁ½Ⅻ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\u200b",
    "\u0301", "\u064b", "\u0640", "\x1c", "\x85", "\u2028", "ال", "حكومة", "l'", "qu’",
    "  ", "gouvernement", "Straße", "x" * 70,
]


def test_whitespace_never_occurs_inside_a_word() -> None:
    """What makes chunk lookups exact: no character ``str.split`` splits on can be part
    of a word (or of the apostrophe joining two)."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace():
            assert WORD_RE.fullmatch(f"a{char}a") is None, hex(code)


@pytest.mark.parametrize("tag", ALL_TAGS)
def test_tokens_equal_the_whole_text_regex(tag: str) -> None:
    rnd = random.Random(tag)
    texts = ["", " ", "a" * 500 + " ok", "l'État, c'est-à-dire  l’économie_verte",
             "الحكومة، والحكومات\u00a0الْحُكُومَة", "x" * 100 + "'" + "y" * 10]
    texts += ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 30)))
              for _ in range(3000)]
    for text in texts * 2:  # the second pass is served from the caches
        assert Analyzer(tag).tokens(text) == reference_tokens(tag, text), repr(text)


def test_long_chunks_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "_CHUNK_CACHES", {})
    long = "mot" * 40
    assert Analyzer("fr").tokens(f"{long} court") == reference_tokens("fr", f"{long} court")
    kept = analysis._CHUNK_CACHES["fr"]
    assert "court" in kept and long not in kept


def test_full_cache_starts_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "_CHUNK_CACHES", {})
    monkeypatch.setattr(analysis, "_CHUNK_CACHE_ENTRIES", 3)
    words = [f"mot{n}" for n in range(10)]
    assert Analyzer("en").tokens(" ".join(words)) == [f"en_{w}" for w in words]
    assert Analyzer("en").tokens("encore") == ["en_encor"]
    assert len(analysis._CHUNK_CACHES["en"]) == 1
