"""The query language readers type, parsed into a small tree; pure and total.

Grammar, loosely: words must all match; ``"an exact phrase"``; ``-word`` or
``-"a phrase"`` excludes; ``a OR b`` (upper-case OR) offers alternatives and binds
tighter than the implicit AND; ``word*`` is a prefix; ``source:``, ``lang:``,
``section:``, ``author:``, ``after:YYYY-MM-DD`` and ``before:YYYY-MM-DD`` filter.

The parser never raises and never lets engine syntax through: an unbalanced quote is
dropped, a stray ``OR`` or ``-`` is plain text or nothing, FTS keywords (AND, NOT,
NEAR) are ordinary words, and a filter with an unreadable value is searched as text.
Engines only ever receive tokens produced by ``analysis``, never user characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

FILTER_KEYS = ("source", "lang", "section", "author", "after", "before")
_FILTER_RE = re.compile(r"^(source|lang|section|author|after|before):(.*)$", re.IGNORECASE)
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_QUOTES = '"“”«»'  # typographic quotes count as quotes; French users type « »
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32


@dataclass(frozen=True, slots=True)
class Term:
    """One typed word (may analyze to several tokens, e.g. ``état-major``)."""

    text: str
    prefix: bool = False

    def __str__(self) -> str:
        return self.text + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must appear together and in this order."""

    text: str

    def __str__(self) -> str:
        return f'"{self.text}"'


Atom = Term | Phrase


@dataclass(slots=True)
class Filters:
    """Restrictions on article fields; several values of one key mean any of them."""

    sources: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    after: date | None = None
    before: date | None = None

    def is_empty(self) -> bool:
        return not (
            self.sources or self.langs or self.sections or self.authors
            or self.after or self.before
        )


@dataclass(slots=True)
class ParsedQuery:
    """``must`` is a conjunction of OR-groups; ``must_not`` atoms exclude."""

    must: list[list[Atom]] = field(default_factory=list)
    must_not: list[Atom] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)

    @property
    def has_text(self) -> bool:
        return bool(self.must)

    def __str__(self) -> str:
        """A canonical spelling: what the engine understood, shown back to the reader."""
        parts = [" OR ".join(str(a) for a in group) for group in self.must]
        parts += [f"-{a}" for a in self.must_not]
        f = self.filters
        for key, values in (
            ("source", f.sources), ("lang", f.langs), ("section", f.sections),
            ("author", f.authors),
        ):
            parts += [f"{key}:{_quote_value(v)}" for v in values]
        if f.after:
            parts.append(f"after:{f.after.isoformat()}")
        if f.before:
            parts.append(f"before:{f.before.isoformat()}")
        return " ".join(parts)


def _quote_value(value: str) -> str:
    return f'"{value}"' if " " in value else value


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "word", "phrase", "or", "filter"
    text: str
    negated: bool = False
    key: str = ""


def _parse_date(value: str) -> date | None:
    m = _DATE_RE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _lex(text: str) -> list[_Tok]:
    """Split the raw query into words, phrases, OR markers and filters."""
    for q in _QUOTES[1:]:
        text = text.replace(q, '"')
    if text.count('"') % 2:  # unbalanced: the last quote is a typo, not a phrase
        cut = text.rfind('"')
        text = text[:cut] + " " + text[cut + 1:]
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
            ch = text[i]
        if ch == '"':
            end = text.find('"', i + 1)
            toks.append(_Tok("phrase", text[i + 1: end], negated))
            i = end + 1
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] != '"':
            i += 1
        word = text[start:i]
        m = _FILTER_RE.match(word)
        if m and not negated:
            key, value = m.group(1).lower(), m.group(2)
            if not value and i < n and text[i] == '"':  # author:"Jean Dupont"
                end = text.find('"', i + 1)
                value, i = text[i + 1: end], end + 1
            toks.append(_Tok("filter", value.strip(), key=key))
            continue
        if word == "OR" and not negated:
            toks.append(_Tok("or", word))
        else:
            toks.append(_Tok("word", word, negated))
    return toks


def _apply_filter(filters: Filters, key: str, value: str) -> bool:
    """Record a filter; False when the value is unusable (then it is searched as text)."""
    if not value:
        return False
    if key in ("after", "before"):
        day = _parse_date(value)
        if day is None:
            return False
        setattr(filters, key, day)
        return True
    {"source": filters.sources, "lang": filters.langs, "section": filters.sections,
     "author": filters.authors}[key].append(value.lower() if key != "author" else value)
    return True


def _atom(tok: _Tok) -> Atom | None:
    if tok.kind == "phrase":
        inner = " ".join(tok.text.split())
        return Phrase(inner) if inner else None
    word = tok.text
    prefix = word.endswith("*")
    word = word.strip("*-+()[]{}^~:|&!,;.?")
    if not word:
        return None
    return Term(word, prefix=prefix)


def parse_query(text: str) -> ParsedQuery:
    """Parse what the reader typed; any input gives a query, possibly an empty one."""
    parsed = ParsedQuery()
    toks = _lex(text[:MAX_QUERY_CHARS])
    pending_or = False
    expanded: list[_Tok] = []
    for tok in toks:
        if tok.kind == "filter":
            if not _apply_filter(parsed.filters, tok.key, tok.text):
                expanded += [_Tok("word", w) for w in [tok.key, *tok.text.split()]]
        else:
            expanded.append(tok)
    for tok in expanded:
        if tok.kind == "or":
            # OR between two positive atoms joins them; anywhere else it means nothing
            pending_or = bool(parsed.must)
            continue
        atom = _atom(tok)
        if atom is None:
            continue
        if tok.negated:
            if len(parsed.must_not) < MAX_CLAUSES:
                parsed.must_not.append(atom)
            pending_or = False
            continue
        if pending_or and parsed.must:
            parsed.must[-1].append(atom)
        elif len(parsed.must) < MAX_CLAUSES:
            parsed.must.append([atom])
        pending_or = False
    return parsed
