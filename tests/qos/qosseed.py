"""A realistically full site for the quality-of-service tests, and a live server for it.

Why a seed of its own: the page-weight budget only means something when the home page
is as full as it gets in production (a full page of long headlines, a full ticker,
stories covered by several sources, a dozen sections), and accessibility checks need
every page type to have content in French and in Arabic. All text is generated from
small word lists; nothing is real news. One article is hostile on purpose (markup in the
title, a ``javascript:`` link) so the no-inline-script checks have something to refuse.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import uvicorn
from sqlalchemy import Connection, CursorResult, Engine, insert

from kiosque.config import Settings
from kiosque.store.engine import make_engine, migrate
from kiosque.store.tables import articles, sources, stories
from kiosque.web.app import create_app

LANGS = ("fr", "ar", "es", "en")
WORDS = {
    "fr": "conseil municipal ville projet marché école région budget pont festival port "
          "réseau quartier eau récolte bibliothèque gouvernement élection santé transport "
          "logement climat énergie prix accord emploi hôpital tribunal musée route tramway",
    "ar": "المجلس البلدي المدينة مشروع السوق المدرسة المنطقة الميزانية الجسر المهرجان "
          "الميناء الشبكة الحي الماء الحصاد المكتبة الحكومة الانتخابات الصحة النقل السكن "
          "المناخ الطاقة الأسعار الاتفاق العمل المستشفى المحكمة المتحف الطريق الترامواي",
    "es": "consejo municipal ciudad proyecto mercado escuela región presupuesto puente "
          "festival puerto red barrio agua cosecha biblioteca gobierno elecciones salud "
          "transporte vivienda clima energía precios acuerdo empleo hospital tribunal museo",
    "en": "city council project market school region budget bridge festival harbour "
          "network district water harvest library government election health transport "
          "housing climate energy prices agreement jobs hospital court museum road tram",
}
SECTIONS = {
    "fr": ("politique", "économie", "culture", "sport"),
    "ar": ("سياسة", "اقتصاد", "ثقافة", "رياضة"),
    "es": ("política", "economía", "cultura"),
    "en": ("politics", "business", "culture"),
}
SOURCE_LIST = (
    ("le-matin-exemple", "Le Matin d'Exemple", "fr", "auto"),
    ("la-gazette-fictive", "La Gazette Fictive", "fr", "excerpt"),
    ("akhbar-tajriba", "أخبار التجربة", "ar", "full"),
    ("sada-almadina", "صدى المدينة", "ar", "auto"),
    ("diario-ficticio", "El Diario Ficticio", "es", "auto"),
    ("sample-herald", "The Sample Herald", "en", "auto"),
)
HOSTILE_TITLE = '<script>alert("qos")</script> Titre piégé'


@dataclass
class QosSeed:
    """What the tests need to know about the generated rows."""

    now: datetime
    source_ids: dict[str, int] = field(default_factory=dict)
    by_lang: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # (slug, id)
    authors: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    stories: dict[str, int] = field(default_factory=dict)
    hostile: tuple[str, int] = ("", 0)

    def article(self, lang: str) -> tuple[str, int]:
        """A full-text article in ``lang`` (not the hostile one)."""
        return self.by_lang[lang][1]

    def source(self, lang: str) -> str:
        return next(slug for slug, _name, src_lang, _p in SOURCE_LIST if src_lang == lang)


def _words(rng: random.Random, lang: str, n: int) -> str:
    pool = WORDS[lang].split()
    return " ".join(rng.choice(pool) for _ in range(n))


def _pk(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def populate(conn: Connection, *, count: int = 240, seed: int = 3) -> QosSeed:
    """Sources in four languages, ``count`` articles 20 minutes apart, six stories."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=30)
    out = QosSeed(now=now)
    for slug, name, lang, policy in SOURCE_LIST:
        out.source_ids[slug] = _pk(conn.execute(insert(sources).values(
            slug=slug, name=name, lang=lang, country="MA", feed_url=f"https://{slug}.test/rss",
            homepage=f"https://{slug}.test/", section=SECTIONS[lang][0], text_policy=policy,
            excerpt_words=40, description=_words(rng, lang, 12),
            created_at=now - timedelta(days=90), last_success_at=now, last_checked_at=now,
        )))
    story_ids: list[int] = []
    for k, lang in enumerate(("fr", "ar", "fr", "ar", "es", "en")):
        story_ids.append(_pk(conn.execute(insert(stories).values(
            title=_words(rng, lang, 8), lang=lang, first_seen=now - timedelta(hours=6 + k),
            last_seen=now - timedelta(minutes=20 * k), article_count=4, source_count=3,
        ))))
    out.stories = {"fr": story_ids[0], "ar": story_ids[1]}
    for lang in LANGS:
        out.by_lang[lang] = []
    for i in range(count):
        slug, _name, lang, _policy = SOURCE_LIST[i % len(SOURCE_LIST)]
        published = now - timedelta(minutes=20 * i)
        title = f"{_words(rng, lang, rng.randint(10, 15))} {i}"
        url = f"https://{slug}.test/{published:%Y/%m/%d}/{i}.html"
        if i == 0:
            title, url = HOSTILE_TITLE, "javascript:alert(1)"
        paragraphs = [_words(rng, lang, rng.randint(40, 70)) + "." for _ in range(6)]
        author = f"{_words(rng, lang, 2)}"
        section = SECTIONS[lang][i % len(SECTIONS[lang])]
        story = story_ids[(i // 6) % len(story_ids)] if i < 72 and i % 3 == 0 else None
        article_id = _pk(conn.execute(insert(articles).values(
            source_id=out.source_ids[slug], ident=url + f"#{i}", url=url, canonical_url=url,
            guid=f"qos-{i}", title=title, summary=paragraphs[0][:240],
            content_html="".join(f"<p>{p}</p>" for p in paragraphs),
            text="\n\n".join(paragraphs), author=author, published_at=published,
            fetched_at=published + timedelta(minutes=2), lang=lang, section=section,
            full_text=True, content_hash=f"qos{i}", story_id=story,
        )))
        out.by_lang[lang].append((slug, article_id))
        out.authors.setdefault(lang, author)
        out.sections.setdefault(lang, section)
        if i == 0:
            out.hostile = (slug, article_id)
    return out


def make_db(path: Path, *, count: int = 240) -> tuple[Engine, QosSeed]:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.begin() as conn:
        seed = populate(conn, count=count)
    return engine, seed


@contextmanager
def live_server(engine: Engine, settings: Settings) -> Iterator[str]:
    """The real app on an ephemeral loopback port (real sockets, real HTTP, gzip and all)."""
    app = create_app(settings, engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    if not server.started:
        raise RuntimeError("the test server did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


def page_paths(seed: QosSeed, lang: str) -> dict[str, str]:
    """One URL per page type, with content in the page's own language where it matters."""
    content = lang if lang in ("fr", "ar") else "fr"
    slug, article_id = seed.article(content)
    day = seed.now
    return {
        "home": f"/{lang}/",
        "article": f"/{lang}/{slug}/{article_id}",
        "source": f"/{lang}/source/{seed.source(content)}",
        "sources": f"/{lang}/sources",
        "section": f"/{lang}/section/{quote(seed.sections[content], safe='')}",
        "author": f"/{lang}/author/{quote(seed.authors[content], safe='')}",
        "story": f"/{lang}/story/{seed.stories[content]}",
        "archive": f"/{lang}/archive/{day:%Y/%m/%d}",
        "about": f"/{lang}/about",
        "search": f"/{lang}/search?q={quote(WORDS[content].split()[0])}",
        "404": f"/{lang}/no-such-page/at-all",
    }
