"""Snippets with the matched words highlighted, built from the article's own text.

The index holds analyzed tokens, so an engine's built-in snippet function would show
stems ("gouvern", "حكوم"). We re-analyze the stored text of the few hits on the page
and mark every word whose analyzed form the query asked for: this also highlights
variants the reader never typed (الحكومات for الحكومة), which is the point of stemming.
Everything outside ``<mark>`` is HTML-escaped.

Speed matters (a page has twenty hits): each *distinct* word of the text is analyzed
once (cached), then the matching words are found by a regular expression in C, and
the snippet is the span of text around the densest cluster of matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial
from html import escape

from kiosque.search.analysis import MARKS, WORD_RE, Analyzer, normalize_arabic, word_tokens

SNIPPET_CHARS = 220
_LEAD_CHARS = 60  # context kept before the first match of the window
_SCAN_CHARS = 30_000
_CHUNK_CHARS = 1_500
_EDGE = rf"\w{MARKS}'’ʼ"


def _heads(tag: str, exact: frozenset[str], prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """Short leading pieces of the wanted terms, for a cheap substring pre-check."""
    return tuple({t[: max(1, min(5, len(t) - 1))] for t in (*exact, *prefixes) if t})


def _may_hit(chunk: str, tag: str, heads: tuple[str, ...]) -> bool:
    """False only when no wanted term can occur in ``chunk`` (checked in C, no tokenizing).

    Stems are (nearly always) prefixes of the folded words they come from, so a word
    analyzing to a wanted term contains the term's first letters once the text is folded
    the same way; a stray true answer only costs the full check.
    """
    if tag == "ar" or not all(h.isascii() for h in heads):
        folded = normalize_arabic(chunk).casefold()
    else:
        folded = unicodedata.normalize("NFD", chunk.casefold()).encode("ascii", "ignore").decode()
    return any(h in folded for h in heads)


def _hit_words(text: str, tag: str, exact: frozenset[str], prefixes: tuple[str, ...]) -> list[str]:
    """The distinct surface words of ``text`` that analyze to a wanted term."""
    exact_tokens = {f"{tag}_{t}" for t in exact}
    prefix_tokens = tuple(f"{tag}_{p}" for p in prefixes)
    uniq = list(set(WORD_RE.findall(text)))
    analyzed = list(map(partial(word_tokens, tag), uniq))
    out = [w for w, toks in zip(uniq, analyzed, strict=True) if not exact_tokens.isdisjoint(toks)]
    if prefix_tokens:
        out += [
            w for w, toks in zip(uniq, analyzed, strict=True)
            if exact_tokens.isdisjoint(toks) and any(t.startswith(prefix_tokens) for t in toks)
        ]
    return out


def highlight(
    text: str,
    analyzer: Analyzer,
    exact: frozenset[str],
    prefixes: tuple[str, ...],
    max_chars: int | None = SNIPPET_CHARS,
) -> str:
    """HTML of the best passage of ``text`` (all of it when ``max_chars`` is None).

    ``exact`` and ``prefixes`` are analyzed terms without the language prefix.
    """
    text = " ".join(unicodedata.normalize("NFKC", text[:_SCAN_CHARS]).split())
    look = bool(exact or prefixes)
    heads = _heads(analyzer.tag, exact, prefixes)
    lead = ""
    if max_chars is not None and len(text) > _CHUNK_CHARS + max_chars:
        # read chunk by chunk and keep the first one that holds a match
        offset, region = 0, ""
        while offset < len(text):
            cut = text.find(" ", offset + _CHUNK_CHARS)
            cut = len(text) if cut < 0 else cut
            region = text[offset: cut + 1 + max_chars]
            chunk = text[offset:cut]
            if not look or (
                _may_hit(chunk, analyzer.tag, heads)
                and _hit_words(chunk, analyzer.tag, exact, prefixes)
            ):
                break
            offset = cut + 1
        else:
            offset, region = 0, text[: _CHUNK_CHARS + max_chars]
        lead = "… " if offset > 0 else ""
        tail = offset + len(region) < len(text)
        text = region + (" …" if tail else "")
    found = (
        _hit_words(text, analyzer.tag, exact, prefixes)
        if look and _may_hit(text, analyzer.tag, heads) else []
    )
    spans: list[tuple[int, int]] = []
    if found:
        alternation = "|".join(re.escape(w) for w in sorted(found, key=len, reverse=True))
        pattern = re.compile(rf"(?<![{_EDGE}])(?:{alternation})(?![{_EDGE}])")
        spans = [m.span() for m in pattern.finditer(text)]
    start, end = 0, len(text)
    if max_chars is not None and len(text) > max_chars:
        start = _best_start(text, spans, max_chars)
        end = start + max_chars
        if end < len(text):
            cut = text.rfind(" ", start, end)
            end = cut if cut > start else end
    out: list[str] = ["… "] if (start > 0 or lead) else []
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append(" …")
    return "".join(out).strip()


def _best_start(text: str, spans: list[tuple[int, int]], size: int) -> int:
    """Where the passage with the most matched words (and some context) begins."""
    if not spans:
        return 0
    best, best_at = 0, spans[0][0]
    j = 0
    for i, (s, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= s + size - _LEAD_CHARS:
            j += 1
        distinct = len({text[a:b].casefold() for a, b in spans[i:j]})
        if distinct > best:
            best, best_at = distinct, s
    start = max(0, best_at - _LEAD_CHARS)
    if start > 0:
        space = text.find(" ", start, best_at)
        start = space + 1 if space >= 0 else best_at
    return start
