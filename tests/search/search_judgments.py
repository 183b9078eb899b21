"""The judged queries: each names, by construction rule, the articles it should find.

``queries.json`` is written from these rules (``python tests/search/search_judgments.py``)
and a test checks that the two agree, so the file stays the readable record of the
judgments while the rules stay the reason behind them.
Grades: 2 = about the topic, 1 = mentions it in passing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tests.search.search_corpus import ENTITY, GenArticle, generate

QUERIES_FILE = Path(__file__).with_name("queries.json")
Rule = Callable[[GenArticle], int]


def topic(lang: str, *names: str, marker: str = "", without: str = "") -> Rule:
    def rule(a: GenArticle) -> int:
        if a.lang != lang:
            return 0
        if without and without in a.markers:
            return 0
        if marker:
            return 2 if a.topic in names and marker in a.markers else 0
        if a.topic in names:
            return 2
        return 1 if a.mentions in names else 0

    return rule


def both(rule: Rule, cond: Callable[[GenArticle], bool]) -> Rule:
    return lambda a: rule(a) if cond(a) else 0


AFTER = datetime(2026, 2, 15, tzinfo=UTC)

SPEC: list[tuple[str, Rule]] = [
    # French: stems, accents, elision, phrase, filters, exclusion, OR, prefix
    ("gouvernement", topic("fr", "gouv")),
    ("gouvernements", topic("fr", "gouv")),
    ("election", lambda a: max(topic("fr", "elec")(a), topic("en", "elec")(a))),
    # "élections" and "economie" are also English words once folded and stemmed
    ("élections", lambda a: max(topic("fr", "elec")(a), topic("en", "elec")(a))),
    ("securite", topic("fr", "secu")),
    ("SÉCURITÉ", topic("fr", "secu")),
    ("l'économie", topic("fr", "eco")),
    ("economie", lambda a: max(topic("fr", "eco")(a), topic("en", "eco")(a))),
    ('"crise politique"', topic("fr", "gouv", marker="phrase")),
    ("inondations source:fr-a", both(topic("fr", "flood"), lambda a: a.source == "fr-a")),
    # "football" is English too: English football articles are as relevant
    ("football -stade", lambda a: max(topic("fr", "foot", without="exclude")(a),
                                      topic("en", "foot")(a))),
    ("sécurité OR inondation", topic("fr", "secu", "flood")),
    ("gouvern*", topic("fr", "gouv")),
    ("économie after:2026-02-15", both(lambda a: max(topic("fr", "eco")(a), topic("en", "eco")(a)),
                                       lambda a: a.published >= AFTER)),
    ("football section:sport author:Girard",
     both(topic("fr", "foot"), lambda a: a.author == "Paul Girard" and a.topic == "foot")),
    # Arabic: normalization (diacritics, alef forms, maqsura, teh marbuta, digits), stems
    ("الحكومة", topic("ar", "gov")),
    ("الحكومات", topic("ar", "gov")),
    ("الْحُكُومَة", topic("ar", "gov")),
    ("حكومه", topic("ar", "gov")),
    ("الإنتخابات", topic("ar", "elec")),
    ("انتخابات", topic("ar", "elec")),
    ("المستشفي", topic("ar", "hosp")),
    ("مستشفى ٢٠٢٥", topic("ar", "hosp", marker="digits")),
    ("مستشفى 2025", topic("ar", "hosp", marker="digits")),
    ('"أزمة سياسية"', topic("ar", "gov", marker="phrase")),
    ("الامطار source:ar-b", both(topic("ar", "rain"), lambda a: a.source == "ar-b")),
    ("المدرسة -امتحانات", topic("ar", "school", without="exclude")),
    ("الاقتصاد OR الأمطار", topic("ar", "eco", "rain")),
    ("اقتصاد", topic("ar", "eco")),
    # Spanish
    ("gobierno", topic("es", "gov")),
    ("gobiernos", topic("es", "gov")),
    ("eleccion", topic("es", "elec")),
    ("elecciones", topic("es", "elec")),
    ("economia", topic("es", "eco")),
    ('"crisis política"', topic("es", "gov", marker="phrase")),
    ("incendios source:es-a", both(topic("es", "fire"), lambda a: a.source == "es-a")),
    ("futbol -estadio", topic("es", "foot", without="exclude")),
    ("hospital OR incendio lang:es", topic("es", "hosp", "fire")),
    ("gobierno after:2026-02-15", both(topic("es", "gov"), lambda a: a.published >= AFTER)),
    ("hospitales lang:es", topic("es", "hosp")),
    # English
    ("government", topic("en", "gov")),
    ("governments", topic("en", "gov")),
    ("government's", topic("en", "gov")),
    ("election lang:en", topic("en", "elec")),
    ("elections lang:en", topic("en", "elec")),
    ('"political crisis"', topic("en", "gov", marker="phrase")),
    ("floods source:en-b", both(topic("en", "flood"), lambda a: a.source == "en-b")),
    ("football -stadium lang:en", topic("en", "foot", without="exclude")),
    ("hospital OR flooding lang:en", topic("en", "hosp", "flood")),
    ("econom* lang:en", topic("en", "eco")),
    ("economy before:2026-02-15", both(topic("en", "eco"), lambda a: a.published < AFTER)),
    # across languages: one query, French, Arabic and Spanish articles alike
    (ENTITY, lambda a: 2 if "entity" in a.markers else 0),
    (f"{ENTITY} lang:ar", lambda a: 2 if "entity" in a.markers and a.lang == "ar" else 0),
]


def build() -> list[dict[str, object]]:
    corpus = generate()
    out: list[dict[str, object]] = []
    for query, rule in SPEC:
        grades = {a.key: g for a in corpus if (g := rule(a))}
        out.append({"query": query, "relevant": grades})
    return out


if __name__ == "__main__":
    QUERIES_FILE.write_text(
        json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
