"""Template-based article writing: facts plus a lexicon plus a seeded RNG give an article.

Everything here is pure: the caller passes the random generator, so the same seed always
writes the same words. It is also on the hot path of ``generate_corpus`` (benchmarks ask
for a million articles), hence plain ``str.format_map`` and no regex in the common case.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence

from kiosque.simulator.lexicon import Lexicon


def fmt_int(value: int, lex: Lexicon) -> str:
    """An integer with the language's thousands separator."""
    return f"{value:,}".replace(",", lex.thousands_sep)


def fmt_pct(tenths: int, lex: Lexicon) -> str:
    """A percentage given in tenths of a percent, written the language's way."""
    whole, frac = divmod(tenths, 10)
    number = str(whole) if frac == 0 else f"{whole}{lex.decimal_sep}{frac}"
    return number + lex.pct_suffix


def _fill(template: str, facts: dict[str, str], lex: Lexicon) -> str:
    text = template.format_map(facts)
    if lex.capitalize and text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def _pick_fillers(facts: dict[str, str], lex: Lexicon, rng: random.Random) -> None:
    adjectives, nouns = lex.adjectives, lex.nouns
    facts["adj"] = adjectives[int(rng.random() * len(adjectives))]
    facts["adj2"] = adjectives[int(rng.random() * len(adjectives))]
    facts["noun"] = nouns[int(rng.random() * len(nouns))]
    facts["noun2"] = nouns[int(rng.random() * len(nouns))]


def headline(section: str, facts: dict[str, str], lex: Lexicon, rng: random.Random) -> str:
    """One headline for the event, chosen among the section's templates."""
    options = lex.headlines[section]
    return _fill(options[int(rng.random() * len(options))], facts, lex)


def write_body(
    section: str, facts: dict[str, str], lex: Lexicon, rng: random.Random
) -> list[str]:
    """Lead plus 3-9 paragraphs of fact, quote and context sentences (4-10 in all)."""
    leads = lex.leads[section]
    paragraphs = [_fill(leads[int(rng.random() * len(leads))], facts, lex)]
    fact_pool = list(lex.facts[section])
    rng.shuffle(fact_pool)
    context_pool = list(lex.context)
    rng.shuffle(context_pool)
    n_more = 3 + int(rng.random() * 7)
    quote_at = 1 + int(rng.random() * min(n_more, 3))
    for i in range(1, n_more + 1):
        sentences: list[str] = []
        if fact_pool:
            sentences.append(_fill(fact_pool.pop(), facts, lex))
        if i == quote_at:
            frames = lex.quote_frames
            facts["quote"] = lex.quotes[int(facts["quote_i"])].format_map(facts)
            sentences.append(_fill(frames[int(rng.random() * len(frames))], facts, lex))
        for _ in range(1 + int(rng.random() * 2)):
            if not context_pool:
                context_pool = list(lex.context)
                rng.shuffle(context_pool)
            _pick_fillers(facts, lex, rng)
            sentences.append(_fill(context_pool.pop(), facts, lex))
        paragraphs.append(" ".join(sentences))
    return paragraphs


def pick_fill(
    options: Sequence[str], facts: dict[str, str], lex: Lexicon, rng: random.Random
) -> str:
    """One template among ``options`` filled with the facts."""
    return _fill(options[int(rng.random() * len(options))], facts, lex)


_ASCII_RUN = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_len: int = 60) -> str:
    """An ASCII URL slug from a Latin-script title (accents dropped); '' for Arabic."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = _ASCII_RUN.sub("-", folded).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0]
    return slug


# --- Arabic spelling habits --------------------------------------------------------------

_EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_BARE_ALIF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
_FINAL_TAA = re.compile("ة(?=[\\s،.:!?»]|$)")
_FINAL_YAA = re.compile("ى(?=[\\s،.:!?»]|$)")
_TATWEEL = re.compile(r"\bال(?=[\u0621-\u064a]{3,})")
_VOCALIZED = {
    "في": "فِي",
    "من": "مِنْ",
    "على": "عَلَى",
    "إلى": "إِلَى",
    "قال": "قَالَ",
    "الوطني": "الوَطَنِيّ",
    "الحكومة": "الحُكُومَة",
}
_VOCAL_WORDS = re.compile(r"(?<![\u0621-\u064a])(" + "|".join(_VOCALIZED) + r")(?![\u0621-\u064a])")


def arabic_style(text: str, style: str, is_title: bool = False) -> str:
    """Apply one site's Arabic spelling habit to a text.

    ``bare_alif`` drops hamza seats (أ/إ/آ → ا), ``taa_ha`` writes a final ة as ه,
    ``tatweel`` stretches the article ال in headlines (الـحكومة), ``diacritics`` vocalizes a
    few frequent words, and ``eastern_digits`` writes numbers with ٠-٩ and also uses ي for
    a final ى.
    """
    if style == "bare_alif":
        return text.translate(_BARE_ALIF)
    if style == "taa_ha":
        return _FINAL_TAA.sub("ه", text)
    if style == "tatweel":
        return _TATWEEL.sub("الـ", text) if is_title else text
    if style == "diacritics":
        return _VOCAL_WORDS.sub(lambda m: _VOCALIZED[m.group(1)], text)
    if style == "eastern_digits":
        text = _DECIMAL_POINT.sub("٫", _FINAL_YAA.sub("ي", text))
        return text.translate(_EASTERN_DIGITS)
    return text
