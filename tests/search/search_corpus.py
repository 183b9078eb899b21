"""A fixed, generated corpus for the search relevance tests (no real news text).

Each language has topics; an article of a topic has a topic word in its title and a few
more (in varied spellings: plurals, accents, Arabic diacritics and letter variants) in
its body. Distractor articles mention one topic word once, in the body. Some articles
carry planted markers (a phrase, an exclusion word, Arabic-Indic digits, an invented
place name shared across languages) so that the judged queries can target them. Which
article is relevant to which query follows from these construction facts alone
(see ``judgments.py``), never from what a search engine returns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

BASE_TIME = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ENTITY = "Kiosquia"  # an invented place, spelled the same in every language

FILLER = {
    "fr": [
        "le", "la", "les", "un", "une", "de", "des", "et", "dans", "pour", "sur", "avec",
        "selon", "mardi", "ville", "habitants", "projet", "semaine", "rapport", "réunion",
        "région", "matin", "soir", "année", "responsables", "question", "centre", "quartier",
        "public", "service", "nouveau", "grande", "petite", "plusieurs", "enfin", "déjà",
        "toujours", "depuis", "avant", "après", "travail", "équipe", "décision", "bilan",
        "annonce", "dossier", "chiffres", "hausse", "baisse", "niveau", "local", "national",
        "conseil", "direction", "mois", "jour",
    ],
    "ar": [
        "في", "من", "على", "إلى", "مع", "عن", "هذا", "هذه", "التي", "الذي", "قال", "يوم",
        "المدينة", "السكان", "مشروع", "الأسبوع", "تقرير", "اجتماع", "المنطقة", "صباح", "مساء",
        "العام", "المسؤولين", "مسألة", "مركز", "الحي", "عمل", "فريق", "قرار", "حصيلة", "ملف",
        "أرقام", "مستوى", "المحلي", "الوطني", "مجلس", "الشهر", "كما", "بعد", "قبل", "أيضا",
        "جديد", "كبير",
    ],
    "es": [
        "el", "la", "los", "las", "un", "una", "de", "del", "y", "en", "para", "sobre", "con",
        "según", "martes", "ciudad", "vecinos", "proyecto", "semana", "informe", "reunión",
        "región", "mañana", "tarde", "año", "responsables", "cuestión", "centro", "barrio",
        "público", "servicio", "nuevo", "grande", "pequeña", "varios", "ya", "siempre", "desde",
        "antes", "después", "trabajo", "equipo", "decisión", "balance", "anuncio", "expediente",
        "cifras", "subida", "bajada", "nivel", "local", "nacional", "consejo", "dirección",
        "mes", "día",
    ],
    "en": [
        "the", "a", "an", "of", "and", "in", "for", "on", "with", "according", "tuesday",
        "city", "residents", "project", "week", "report", "meeting", "region", "morning",
        "evening", "year", "officials", "question", "centre", "district", "public", "service",
        "new", "large", "small", "several", "finally", "already", "always", "since", "before",
        "after", "work", "team", "decision", "review", "announcement", "file", "figures",
        "rise", "fall", "level", "local", "national", "council", "management", "month", "day",
    ],
}

# topic -> (section, title forms, body forms); forms share a stem within a topic
TOPICS: dict[str, dict[str, tuple[str, list[str], list[str]]]] = {
    "fr": {
        "gouv": ("politique", ["Gouvernement", "gouvernement"],
                 ["gouvernement", "gouvernements", "Gouvernement"]),
        "elec": ("politique", ["élections", "élection"], ["élection", "élections", "Élection"]),
        "secu": ("societe", ["sécurité"], ["sécurité", "Sécurité"]),
        "eco": ("economie", ["l'économie", "économie"], ["économie", "l'économie", "d'économie"]),
        "flood": ("societe", ["inondations", "inondation"], ["inondation", "inondations"]),
        "foot": ("sport", ["football"], ["football", "footballeurs"]),
    },
    "ar": {
        "gov": ("سياسة", ["الحكومة", "الحكومات"],
                ["الحكومة", "الحكومات", "الْحُكُومَة", "حكومة", "والحكومة", "للحكومة"]),
        "elec": ("سياسة", ["الانتخابات"], ["الانتخابات", "انتخابات", "الإنتخابات"]),
        "hosp": ("صحة", ["المستشفى"], ["المستشفى", "مستشفى", "المستشفي"]),
        "school": ("تعليم", ["المدرسة"], ["المدرسة", "مدرسة", "المدرسه"]),
        "eco": ("اقتصاد", ["الاقتصاد"], ["الاقتصاد", "اقتصاد", "الاقتصادية"]),
        "rain": ("طقس", ["الأمطار"], ["الأمطار", "أمطار", "الامطار"]),
    },
    "es": {
        "gov": ("politica", ["Gobierno", "gobierno"], ["gobierno", "gobiernos", "Gobierno"]),
        "elec": ("politica", ["elecciones", "elección"], ["elección", "elecciones"]),
        "eco": ("economia", ["economía"], ["economía", "Economía"]),
        "fire": ("sociedad", ["incendio", "incendios"], ["incendio", "incendios"]),
        "hosp": ("salud", ["hospital"], ["hospital", "hospitales"]),
        "foot": ("deportes", ["fútbol"], ["fútbol", "Fútbol"]),
    },
    "en": {
        "gov": ("politics", ["Government", "government"],
                ["government", "governments", "government's"]),
        "elec": ("politics", ["elections", "election"], ["election", "elections"]),
        "eco": ("business", ["economy"], ["economy", "Economy"]),
        "flood": ("society", ["floods", "flooding"], ["flood", "floods", "flooding"]),
        "hosp": ("health", ["hospital"], ["hospital", "hospitals"]),
        "foot": ("sport", ["football"], ["football", "Football"]),
    },
}

# markers planted in half of some topics' articles
PHRASE = {"fr": ("gouv", "crise politique"), "ar": ("gov", "أزمة سياسية"),
          "es": ("gov", "crisis política"), "en": ("gov", "political crisis")}
EXCLUDE = {"fr": ("foot", "stade"), "ar": ("school", "امتحانات"),
           "es": ("foot", "estadio"), "en": ("foot", "stadium")}
DIGITS = {"ar": ("hosp", "عام ٢٠٢٥")}
AUTHORS = {"fr": ["Claire Martin", "Paul Girard"], "ar": ["سامي حداد", "ليلى منصور"],
           "es": ["Lucía Gómez", "Javier Ruiz"], "en": ["Anna Reed", "Tom Hale"]}
PER_TOPIC = 10
DISTRACTORS = 12


@dataclass(slots=True)
class GenArticle:
    key: str
    lang: str
    source: str  # slug
    section: str
    author: str
    title: str
    summary: str
    text: str
    published: datetime
    topic: str = ""  # "" for a distractor
    mentions: str = ""  # the topic a distractor mentions once
    markers: set[str] = field(default_factory=set)


def sources() -> list[tuple[str, str, str]]:
    """(slug, name, lang) of the corpus' publishers: two per language."""
    return [(f"{lang}-{x}", f"Journal {lang.upper()} {x.upper()}", lang)
            for lang in ("fr", "ar", "es", "en") for x in ("a", "b")]


def _sentence(rng: random.Random, lang: str, n: int) -> str:
    return " ".join(rng.choice(FILLER[lang]) for _ in range(n))


def _body(rng: random.Random, lang: str, plants: list[str], sentences: int) -> str:
    parts = [_sentence(rng, lang, rng.randint(8, 16)) for _ in range(sentences)]
    for plant in plants:
        i = rng.randrange(len(parts))
        words = parts[i].split()
        words.insert(rng.randrange(len(words) + 1), plant)
        parts[i] = " ".join(words)
    return ". ".join(parts) + "."


def generate() -> list[GenArticle]:
    """The whole corpus, identical on every run."""
    rng = random.Random(20260301)
    out: list[GenArticle] = []
    n = 0
    for lang, topics in TOPICS.items():
        for topic, (section, title_forms, body_forms) in topics.items():
            for i in range(PER_TOPIC):
                markers: set[str] = set()
                plants = [rng.choice(body_forms) for _ in range(rng.randint(3, 5))]
                if PHRASE[lang][0] == topic:
                    a, b = PHRASE[lang][1].split()
                    if i % 2 == 0:
                        plants.append(f"{a} {b}")
                        markers.add("phrase")
                    else:  # both words, never side by side
                        plants += [a, f"{_sentence(rng, lang, 3)} {b}"]
                if EXCLUDE.get(lang, ("", ""))[0] == topic and i % 2 == 0:
                    plants.append(EXCLUDE[lang][1])
                    markers.add("exclude")
                if DIGITS.get(lang, ("", ""))[0] == topic and i % 2 == 1:
                    plants.append(DIGITS[lang][1])
                    markers.add("digits")
                if i in (3, 7) and lang in ("fr", "ar", "es"):
                    plants.append(ENTITY)
                    markers.add("entity")
                title = f"{_sentence(rng, lang, 2)} {title_forms[i % len(title_forms)]} " \
                        f"{_sentence(rng, lang, 3)}"
                text = _body(rng, lang, plants, rng.randint(5, 9))
                src = f"{lang}-{'ab'[i % 2]}"
                out.append(GenArticle(
                    key=f"{lang}/{topic}/{i}", lang=lang, source=src, section=section,
                    author=AUTHORS[lang][i % 2], title=title,
                    summary=text.split(".")[0] + ".", text=text,
                    published=BASE_TIME - timedelta(hours=n * 37 % 1440 + i), topic=topic,
                    markers=markers,
                ))
                n += 1
        topic_names = list(topics)
        for i in range(DISTRACTORS):
            mentioned = topic_names[i % len(topic_names)]
            form = topics[mentioned][2][0]
            text = _body(rng, lang, [form], rng.randint(6, 10))
            out.append(GenArticle(
                key=f"{lang}/other/{i}", lang=lang, source=f"{lang}-{'ab'[i % 2]}",
                section="divers", author=AUTHORS[lang][i % 2],
                title=_sentence(rng, lang, 6), summary=text.split(".")[0] + ".",
                text=text, published=BASE_TIME - timedelta(hours=n * 37 % 1440),
                mentions=mentioned,
            ))
            n += 1
    return out
