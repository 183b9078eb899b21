"""Generated test data for the web tests: six sources in four languages, ~80 articles.

All text is made up from small word lists (no real news). Some rows are hostile on
purpose: markup in titles, authors and source names, a ``javascript:`` article URL.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert

from kiosque.store.tables import articles, sources, stories

HOSTILE_TITLE = '<script>alert("t")</script> Titre piégé & «guillemets»'
HOSTILE_AUTHOR = "<img src=x onerror=alert(1)>"
HOSTILE_SOURCE = "L'Écho <b>& Cie</b>"

WORDS = {
    "fr": ("conseil", "ville", "projet", "marché", "école", "région", "budget", "pont",
           "festival", "port", "réseau", "quartier", "eau", "récolte", "bibliothèque"),
    "ar": ("المجلس", "المدينة", "مشروع", "السوق", "المدرسة", "المنطقة", "الميزانية",
           "الجسر", "المهرجان", "الميناء", "الشبكة", "الحي", "الماء", "الحصاد", "المكتبة"),
    "es": ("consejo", "ciudad", "proyecto", "mercado", "escuela", "región", "presupuesto",
           "puente", "festival", "puerto", "red", "barrio", "agua", "cosecha", "biblioteca"),
    "en": ("council", "city", "project", "market", "school", "region", "budget", "bridge",
           "festival", "harbour", "network", "district", "water", "harvest", "library"),
}
VERBS = {
    "fr": "annonce", "ar": "يعلن", "es": "anuncia", "en": "announces",
}

SOURCES: list[dict[str, Any]] = [
    dict(slug="quotidien", name="Le Quotidien d'Exemple", lang="fr", country="FR",
         section="politique", text_policy="auto",
         description="Un quotidien imaginaire pour les essais."),
    dict(slug="echo", name=HOSTILE_SOURCE, lang="fr", country="BE", section="économie",
         text_policy="excerpt", excerpt_words=12, description="<i>Hebdo</i> fictif."),
    dict(slug="akhbar", name="أخبار اليوم", lang="ar", country="MA", section="سياسة",
         text_policy="full", description="صحيفة خيالية للاختبار."),
    dict(slug="sabah", name="صباح المدينة", lang="ar", country="TN", section="اقتصاد",
         text_policy="auto", health="failing", consecutive_failures=4,
         last_error="http_503: service unavailable"),
    dict(slug="diario", name="El Diario Ejemplo", lang="es", country="ES", section="política",
         text_policy="auto"),
    dict(slug="daily", name="The Example Daily", lang="en", country="GB", section="world",
         text_policy="auto", health="degraded", enabled=False),
]


@dataclass
class Seed:
    """What the tests need to know about the generated rows."""

    now: datetime
    source_ids: dict[str, int] = field(default_factory=dict)
    article_ids: list[int] = field(default_factory=list)
    by_source: dict[str, list[int]] = field(default_factory=dict)
    published: dict[int, datetime] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    hostile_id: int = 0
    js_url_id: int = 0
    story_ids: list[int] = field(default_factory=list)
    story_members: dict[int, list[int]] = field(default_factory=dict)


def _sentence(rng: random.Random, lang: str, n: int) -> str:
    return " ".join(rng.choice(WORDS[lang]) for _ in range(n))


def populate(conn: Connection, *, articles_count: int = 80, seed: int = 7) -> Seed:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    out = Seed(now=now)
    for src in SOURCES:
        values = dict(
            feed_url=f"https://{src['slug']}.example/feed.xml",
            homepage=f"https://{src['slug']}.example/",
            created_at=now - timedelta(days=30),
            last_success_at=now - timedelta(minutes=20),
            last_checked_at=now - timedelta(minutes=10),
            next_check_at=now + timedelta(minutes=5),
            **src,
        )
        if src.get("health") == "failing":
            values["last_error_at"] = now - timedelta(minutes=10)
        source_id = conn.execute(insert(sources).values(**values)).inserted_primary_key[0]
        out.source_ids[src["slug"]] = source_id
        out.by_source[src["slug"]] = []

    story_a = conn.execute(insert(stories).values(
        title="Sommet régional sur l'eau", lang="fr", first_seen=now - timedelta(hours=5),
        last_seen=now, article_count=3, source_count=3)).inserted_primary_key[0]
    story_b = conn.execute(insert(stories).values(
        title="افتتاح الجسر الجديد", lang="ar", first_seen=now - timedelta(hours=7),
        last_seen=now - timedelta(hours=1), article_count=2, source_count=2)
    ).inserted_primary_key[0]
    out.story_ids = [story_a, story_b]
    out.story_members = {story_a: [], story_b: []}
    story_plan = {1: story_a, 2: story_a, 4: story_a, 3: story_b, 5: story_b}

    for i in range(articles_count):
        src = SOURCES[i % len(SOURCES)]
        lang = src["lang"]
        title = f"{_sentence(rng, lang, 2)} {VERBS[lang]} {_sentence(rng, lang, 3)} {i}"
        author = f"{_sentence(rng, lang, 1)} {i % 5}"
        body_words = [_sentence(rng, lang, 12) for _ in range(4)]
        url = f"https://{src['slug']}.example/{i}.html"
        if i == 0:
            title, author = HOSTILE_TITLE, HOSTILE_AUTHOR
        if i == 6:
            url = "javascript:alert(1)"
        published = now - timedelta(minutes=45 * i)
        row = dict(
            source_id=out.source_ids[src["slug"]], ident=url + f"#{i}", url=url,
            canonical_url=url, guid=f"g{i}", title=title,
            summary=f"{body_words[0]} <b>{i}</b>",
            content_html="".join(f"<p>{w}</p>" for w in body_words)
            + "<p><strong>fin</strong></p>",
            text="\n\n".join(body_words), author=author, published_at=published,
            fetched_at=published + timedelta(minutes=3), lang=lang,
            section=src["section"], full_text=i % 5 != 3, content_hash=f"h{i}",
            story_id=story_plan.get(i),
        )
        article_id = conn.execute(insert(articles).values(**row)).inserted_primary_key[0]
        out.article_ids.append(article_id)
        out.by_source[src["slug"]].append(article_id)
        out.published[article_id] = published
        out.titles[article_id] = title
        if i == 0:
            out.hostile_id = article_id
        if i == 6:
            out.js_url_id = article_id
        if i in story_plan:
            out.story_members[story_plan[i]].append(article_id)
    # an exact duplicate, which readers must never see in lists
    dup = dict(row, ident="dup", guid="dup", title="DUPLICATE ROW", duplicate_of=article_id)
    conn.execute(insert(articles).values(**dup))
    return out
