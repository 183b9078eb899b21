"""From a parsed query to per-language token expressions, then to engine syntax.

A query is analyzed once per searched language (each article was indexed with its own
language's analyzer, under that language's token prefix), giving one boolean
expression per language; the engine receives their disjunction. Rendering to FTS5 or
to a PostgreSQL ``tsquery`` is a pure string function over analyzed tokens, which can
only contain letters, digits and ``_``: no user character reaches engine syntax.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kiosque.search.analysis import ALL_TAGS, Analyzer, split_word, words
from kiosque.search.query import Atom, ParsedQuery, Phrase


@dataclass(frozen=True, slots=True)
class Alt:
    """Consecutive tokens (a phrase when more than one); ``prefix`` applies to the last."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(slots=True)
class LangExpr:
    """One language's reading of the query: all ``must`` groups, none of ``must_not``."""

    tag: str
    must: list[list[Alt]] = field(default_factory=list)
    must_not: list[Alt] = field(default_factory=list)


def _analyze_atom(atom: Atom, analyzer: Analyzer) -> Alt | None:
    parts: list[str] = []
    for m in words(atom.text):
        parts += split_word(m.group(), analyzer.tag)
    if not parts:
        return None
    prefix = not isinstance(atom, Phrase) and atom.prefix
    tokens: list[str] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        term = analyzer.prefix_term(part) if (prefix and last) else analyzer.term(part)
        if term:
            tokens.append(f"{analyzer.tag}_{term}")
    return Alt(tuple(tokens), prefix) if tokens else None


def compile_query(parsed: ParsedQuery, tags: Sequence[str] = ALL_TAGS) -> list[LangExpr]:
    """One expression per language tag; empty when nothing searchable remains."""
    out: list[LangExpr] = []
    for tag in tags:
        analyzer = Analyzer(tag)
        expr = LangExpr(tag)
        for group in parsed.must:
            alts = [a for a in (_analyze_atom(x, analyzer) for x in group) if a]
            if alts:
                expr.must.append(alts)
        expr.must_not = [a for a in (_analyze_atom(x, analyzer) for x in parsed.must_not) if a]
        if expr.must:
            out.append(expr)
    return out


def negatives_only(parsed: ParsedQuery, tags: Sequence[str] = ALL_TAGS) -> list[LangExpr]:
    """Exclusions of a query that has no positive words, one expression per language."""
    out: list[LangExpr] = []
    for tag in tags:
        analyzer = Analyzer(tag)
        alts = [a for a in (_analyze_atom(x, analyzer) for x in parsed.must_not) if a]
        if alts:
            out.append(LangExpr(tag, must=[alts]))
    return out


# --- SQLite FTS5 ------------------------------------------------------------------------

def _fts5_alt(alt: Alt) -> str:
    return '"' + " ".join(alt.tokens) + '"' + ("*" if alt.prefix else "")


def _fts5_group(alts: list[Alt]) -> str:
    return "(" + " OR ".join(_fts5_alt(a) for a in alts) + ")"


def to_fts5(exprs: list[LangExpr]) -> str:
    """An FTS5 MATCH expression; the caller must not call it with an empty list."""
    parts = []
    for e in exprs:
        body = " AND ".join(_fts5_group(g) for g in e.must)
        if e.must_not:
            body = f"({body}) NOT {_fts5_group(e.must_not)}"
        parts.append(f"({body})")
    return " OR ".join(parts)


# --- PostgreSQL tsquery -----------------------------------------------------------------

def _ts_alt(alt: Alt) -> str:
    lexemes = [f"'{t}'" for t in alt.tokens]
    if alt.prefix:
        lexemes[-1] += ":*"
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


def _ts_group(alts: list[Alt]) -> str:
    return "(" + " | ".join(_ts_alt(a) for a in alts) + ")"


def to_tsquery(exprs: list[LangExpr]) -> str:
    """A ``tsquery`` literal (cast with ``::tsquery``, never through a parser)."""
    parts = []
    for e in exprs:
        body = " & ".join(_ts_group(g) for g in e.must)
        if e.must_not:
            body = f"({body}) & !{_ts_group(e.must_not)}"
        parts.append(f"({body})")
    return " | ".join(parts)


def highlight_terms(exprs: list[LangExpr]) -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """Per language tag: exact terms and prefixes (without the tag) worth highlighting."""
    out: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
    for e in exprs:
        exact: set[str] = set()
        prefixes: list[str] = []
        cut = len(e.tag) + 1
        for group in e.must:
            for alt in group:
                for i, tok in enumerate(alt.tokens):
                    if alt.prefix and i == len(alt.tokens) - 1:
                        prefixes.append(tok[cut:])
                    else:
                        exact.add(tok[cut:])
        out[e.tag] = (frozenset(exact), tuple(prefixes))
    return out
