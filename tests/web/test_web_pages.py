"""Every page of the reader's site in French and Arabic, against real SQLite data."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.store.tables import articles
from kiosque.web import dates
from kiosque.web.app import create_app
from tests.web.conftest import make_db
from tests.web.webseed import HOSTILE_AUTHOR, HOSTILE_SOURCE, HOSTILE_TITLE, Seed


def html_tag(body: str) -> str:
    match = re.search(r"<html[^>]*>", body)
    assert match
    return match.group(0)


@pytest.mark.parametrize(("lang", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("es", "ltr"),
                                                 ("en", "ltr")])
def test_home_sets_lang_and_direction(client: TestClient, lang: str, direction: str) -> None:
    r = client.get(f"/{lang}/")
    assert r.status_code == 200
    assert html_tag(r.text) == f'<html lang="{lang}" dir="{direction}">'
    assert r.headers["content-language"] == lang


def test_home_fr_has_ticker_and_latest(client: TestClient, seed: Seed) -> None:
    body = client.get("/fr/").text
    assert "À la une" in body and "Derniers articles" in body
    ticker = body.split('class="ticker-list"', 1)[1].split("</ul>", 1)[0]
    assert ticker.count('class="ticker-item"') == 20
    assert 'data-ticker-endpoint="/api/v1/ticker?ui=fr&amp;limit=20"' in body
    assert '<script src="/static/ticker.js" defer></script>' in body
    newest_ar = seed.by_source["akhbar"][0]
    # an Arabic headline keeps its own language and direction inside the French page
    assert re.search(
        rf'<a href="/fr/akhbar/{newest_ar}" lang="ar" dir="rtl">', body
    ), "arabic headline is not tagged"
    assert "DUPLICATE ROW" not in body


def test_home_ar_is_translated(client: TestClient) -> None:
    body = client.get("/ar/").text
    assert "آخر العناوين" in body and "آخر المقالات" in body
    assert "Derniers articles" not in body
    assert 'hreflang="fr"' in body


def test_hostile_strings_are_escaped_everywhere(client: TestClient, seed: Seed) -> None:
    for path in ("/fr/", "/ar/", f"/fr/quotidien/{seed.hostile_id}", "/fr/sources",
                 "/fr/source/echo", f"/ar/quotidien/{seed.hostile_id}"):
        body = client.get(path).text
        assert "<script>alert" not in body, path
        assert "<img src=x" not in body, path
        assert "<b>& Cie</b>" not in body, path
    article = client.get(f"/fr/quotidien/{seed.hostile_id}").text
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; Titre piégé &amp;" in article
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    echo = client.get("/fr/source/echo").text
    assert "L&#39;Écho &lt;b&gt;&amp; Cie&lt;/b&gt;" in echo
    assert HOSTILE_TITLE and HOSTILE_AUTHOR and HOSTILE_SOURCE  # the seed really has them


def test_article_page_fr(client: TestClient, seed: Seed) -> None:
    aid = seed.by_source["quotidien"][2]
    r = client.get(f"/fr/quotidien/{aid}")
    assert r.status_code == 200
    body = r.text
    day = dates.long_date(seed.published[aid], "fr")
    assert re.search(r"Publié dans <a [^>]*>Le Quotidien d&#39;Exemple</a> le <time "
                     rf'datetime="[^"]+">{re.escape(day)}</time>', body)
    assert 'href="https://quotidien.example/12.html"' in body
    assert "Lire l'article sur Le Quotidien d&#39;Exemple" in body
    assert "Par <a " in body
    # auto policy with full text: the sanitized HTML is shown as HTML
    assert "<p><strong>fin</strong></p>" in body
    assert "Ceci est un extrait" not in body
    assert '<link rel="canonical" href="http://testserver/fr/quotidien/' in body
    assert '<meta property="og:type" content="article">' in body
    assert "À lire aussi chez" in body


def test_article_page_ar_localizes_the_byline(client: TestClient, seed: Seed) -> None:
    aid = seed.by_source["akhbar"][0]
    body = client.get(f"/ar/akhbar/{aid}").text
    day = dates.long_date(seed.published[aid], "ar")
    assert "نُشر في" in body and "بتاريخ" in body
    assert day in body
    assert "اقرأ المقال على أخبار اليوم" in body
    assert html_tag(body) == '<html lang="ar" dir="rtl">'
    assert '<h1 class="article-headline" lang="ar" dir="rtl">' in body


def test_french_article_in_arabic_page_stays_ltr(client: TestClient, seed: Seed) -> None:
    aid = seed.by_source["quotidien"][2]
    body = client.get(f"/ar/quotidien/{aid}").text
    assert html_tag(body) == '<html lang="ar" dir="rtl">'
    assert '<h1 class="article-headline" lang="fr" dir="ltr">' in body
    assert '<div class="article-body" lang="fr" dir="ltr">' in body


def test_story_coverage_on_article_page(client: TestClient, seed: Seed) -> None:
    story = seed.story_ids[0]
    first, *others = seed.story_members[story]
    slug = next(s for s, ids in seed.by_source.items() if first in ids)
    body = client.get(f"/fr/{slug}/{first}").text
    assert "Ce sujet vu par d&#39;autres sources" in body
    for other in others:
        assert f"/{other}\"" in body
    assert f'href="/fr/story/{story}"' in body


def test_excerpt_policy_shows_only_an_excerpt(client: TestClient, seed: Seed) -> None:
    aid = seed.by_source["echo"][0]
    body = client.get(f"/fr/echo/{aid}").text
    assert "<strong>fin</strong>" not in body
    assert "Ceci est un extrait" in body
    text = body.split('<div class="article-body"', 1)[1].split("</div>", 1)[0]
    words = re.sub(r"<[^>]+>", " ", text.split(">", 1)[1]).split()
    assert words[-1] == "…" and len(words) == 13


def test_auto_policy_without_full_text_is_an_excerpt(client: TestClient, seed: Seed) -> None:
    aid = seed.article_ids[3]  # i % 5 == 3: the feed gave a summary only
    slug = next(s for s, ids in seed.by_source.items() if aid in ids)
    body = client.get(f"/fr/{slug}/{aid}").text
    assert "Ceci est un extrait" in body


def test_full_policy_shows_html_even_without_full_text(client: TestClient, seed: Seed) -> None:
    aid = next(a for a in seed.by_source["akhbar"] if seed.article_ids.index(a) % 5 == 3)
    body = client.get(f"/fr/akhbar/{aid}").text
    assert "<p><strong>fin</strong></p>" in body


def test_javascript_url_is_never_a_link(client: TestClient, seed: Seed) -> None:
    body = client.get(f"/fr/quotidien/{seed.js_url_id}").text
    assert "javascript:" not in body
    assert "read-original" not in body


@pytest.mark.parametrize("path", [
    "/fr/quotidien/999999", "/fr/akhbar/1", "/fr/nope/1", "/xx/", "/fr/source/nope",
    "/fr/section/nope", "/fr/author/nobody", "/fr/story/9999", "/fr/archive/2026/02/30",
    "/de/quotidien/1", "/fr/nothing/here/at/all",
])
def test_not_found(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert "Page introuvable" in r.text or "Page not found" not in r.text
    assert r.headers["content-type"].startswith("text/html")


def test_not_found_in_arabic(client: TestClient) -> None:
    r = client.get("/ar/quotidien/999999")
    assert r.status_code == 404
    assert "الصفحة غير موجودة" in r.text
    assert html_tag(r.text) == '<html lang="ar" dir="rtl">'


def test_root_redirects_by_accept_language(client: TestClient) -> None:
    r = client.get("/", headers={"Accept-Language": "ar-MA,ar;q=0.9,fr;q=0.8"})
    assert r.status_code == 302 and r.headers["location"] == "/ar/"
    assert "Accept-Language" in r.headers["vary"]
    r = client.get("/", headers={"Accept-Language": "de-DE, es;q=0.5, en;q=0.7"})
    assert r.headers["location"] == "/en/"
    r = client.get("/", headers={"Accept-Language": "de"})
    assert r.headers["location"] == "/fr/"
    assert client.get("/ar").headers["location"] == "/ar/"


def test_sources_directory(client: TestClient) -> None:
    for lang, heading in (("fr", "Sources"), ("ar", "المصادر")):
        body = client.get(f"/{lang}/sources").text
        assert f"<h1>{heading}</h1>" in body
        assert body.count('class="source-card"') == 6
        assert 'href="/sources.opml"' in body
    assert "En échec" in client.get("/fr/sources").text


def test_source_page_health(client: TestClient, seed: Seed) -> None:
    body = client.get("/fr/source/sabah").text
    assert '<h1 lang="ar" dir="rtl">صباح المدينة</h1>' in body
    assert "Dernier succès" in body and "Prochaine vérification" in body
    assert "http_503: service unavailable" in body
    assert "health-failing" in body
    assert 'href="/fr/source/sabah/feed.atom"' in body
    ar = client.get("/ar/source/daily").text
    assert "الجلب متوقف مؤقتًا." in ar  # a disabled source says so
    assert "متعثر" in ar


def test_pagination_walks_every_article_once(client: TestClient, seed: Seed) -> None:
    seen: list[int] = []
    path = "/fr/source/quotidien"
    url = path
    for _ in range(10):
        body = client.get(url).text
        main = body.split('class="main-col"', 1)[1].split("</section>", 1)[0]
        seen += [int(x) for x in re.findall(r'href="/fr/quotidien/(\d+)"', main)]
        nxt = re.search(r'rel="next" href="([^"]+)"', body)
        if not nxt:
            break
        url = nxt.group(1).replace("&amp;", "&")
        assert url.startswith(path + "?before=")
    assert seen == seed.by_source["quotidien"]
    home = client.get("/fr/").text
    assert 'rel="next"' in home


def test_section_and_author_pages(client: TestClient, seed: Seed) -> None:
    r = client.get("/ar/section/" + quote("سياسة"))
    assert r.status_code == 200
    assert r.text.count('class="article-item"') == len(seed.by_source["akhbar"])
    r = client.get("/fr/section/politique")
    assert "Rubrique" in r.text
    body = client.get(f"/fr/quotidien/{seed.by_source['quotidien'][2]}").text
    link = re.search(r'<p class="author">Par <a href="(/fr/author/[^"]+)"', body)
    assert link
    r = client.get(link.group(1))
    assert r.status_code == 200 and "Auteur" in r.text
    assert 'class="article-item"' in r.text


def test_story_page(client: TestClient, seed: Seed) -> None:
    story = seed.story_ids[0]
    r = client.get(f"/fr/story/{story}")
    assert r.status_code == 200
    assert "Sommet régional sur l&#39;eau" in r.text
    assert r.text.count('class="story-source"') == 3
    for member in seed.story_members[story]:
        assert f"/{member}\"" in r.text
    ar = client.get(f"/ar/story/{seed.story_ids[1]}").text
    assert '<h1 lang="ar" dir="rtl">افتتاح الجسر الجديد</h1>' in ar


def test_archive_day_and_calendar(client: TestClient, seed: Seed) -> None:
    r = client.get("/fr/archive/")
    assert r.status_code == 302
    day_path = r.headers["location"]
    assert day_path == f"/fr/archive/{seed.now:%Y/%m/%d}"
    body = client.get(day_path).text
    expected = [a for a, when in seed.published.items() if when.date() == seed.now.date()]
    main = body.split('class="main-col"', 1)[1].split("</section>", 1)[0]
    assert main.count('class="article-item"') == min(len(expected), 20)
    assert dates.month_title(seed.now.year, seed.now.month, "fr") in body
    assert '<td class="current">' in body
    ar = client.get(day_path.replace("/fr/", "/ar/")).text
    assert dates.long_date(seed.now, "ar") in ar


def test_lang_switch_keeps_the_page(client: TestClient, seed: Seed) -> None:
    aid = seed.by_source["diario"][0]
    body = client.get(f"/fr/diario/{aid}").text
    assert f'<a href="/ar/diario/{aid}" lang="ar" hreflang="ar">العربية</a>' in body


def test_api_docs_page(client: TestClient) -> None:
    r = client.get("/api/docs")
    assert r.status_code == 200
    assert "/api/v1/articles" in r.text and "TickerItem" in r.text
    assert "cdn" not in r.text.lower()


def test_authors_and_sections_with_a_slash_have_pages_and_feeds(tmp_path: Path) -> None:
    """Agency bylines ("Rédaction / MAP") and nested sections hold a "/": its encoded form
    is decoded before routing, so their pages and feeds must still be found."""
    engine, seed = make_db(tmp_path / "k.db")
    aid = seed.by_source["quotidien"][0]
    with engine.begin() as conn:
        conn.execute(update(articles).where(articles.c.id == aid)
                     .values(author="Rédaction / MAP", section="Maroc/Monde"))
    with TestClient(create_app(Settings(page_cache_s=0), engine),
                    follow_redirects=False) as client:
        body = client.get(f"/fr/quotidien/{aid}").text
        for kind in ("author", "section"):
            link = re.search(rf'href="(/fr/{kind}/[^"]*%2F[^"]*)"', body)
            assert link, f"no {kind} link with an encoded slash"
            page = client.get(unescape(link.group(1)))
            assert page.status_code == 200 and f"/fr/quotidien/{aid}" in page.text
            feed = client.get(unescape(link.group(1)) + "/feed.rss")
            assert feed.status_code == 200 and f"/fr/quotidien/{aid}" in feed.text
