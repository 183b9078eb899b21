"""The JSON API: filters, cursors, detail with text policy, ticker, OpenAPI."""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.testclient import TestClient

from tests.web.webseed import HOSTILE_TITLE, Seed


def test_articles_newest_first_without_duplicates(client: TestClient, seed: Seed) -> None:
    r = client.get("/api/v1/articles", params={"limit": 100})
    assert r.status_code == 200
    data = r.json()
    ids = [a["id"] for a in data["items"]]
    assert ids == seed.article_ids  # seeded newest first; the duplicate row is hidden
    assert data["next_cursor"] is None
    first = data["items"][0]
    assert first["title"] == HOSTILE_TITLE  # plain text, untouched by the API
    assert first["source"] == {"slug": "quotidien", "name": "Le Quotidien d'Exemple"}
    assert first["page_url"] == f"http://testserver/fr/quotidien/{seed.hostile_id}"


def test_cursor_pagination_covers_everything_once(client: TestClient, seed: Seed) -> None:
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 7}
        if cursor:
            params["cursor"] = cursor
        data = client.get("/api/v1/articles", params=params).json()
        seen += [a["id"] for a in data["items"]]
        pages += 1
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert seen == seed.article_ids
    assert pages == -(-len(seed.article_ids) // 7)


def test_filters(client: TestClient, seed: Seed) -> None:
    by_source = client.get("/api/v1/articles", params={"source": "akhbar", "limit": 100}).json()
    assert [a["id"] for a in by_source["items"]] == seed.by_source["akhbar"]
    ar = client.get("/api/v1/articles", params={"lang": "ar", "limit": 100}).json()["items"]
    assert {a["lang"] for a in ar} == {"ar"}
    assert len(ar) == len(seed.by_source["akhbar"]) + len(seed.by_source["sabah"])
    sec = client.get("/api/v1/articles", params={"section": "world", "limit": 100}).json()
    assert {a["source"]["slug"] for a in sec["items"]} == {"daily"}
    since = seed.now - timedelta(hours=3)
    recent = client.get("/api/v1/articles", params={"since": since.isoformat()}).json()
    expected = [a for a, when in seed.published.items() if when >= since]
    assert sorted(a["id"] for a in recent["items"]) == sorted(expected)
    naive = client.get("/api/v1/articles",
                       params={"since": since.replace(tzinfo=None).isoformat()}).json()
    assert naive == recent


def test_bad_input(client: TestClient) -> None:
    assert client.get("/api/v1/articles", params={"cursor": "garbage"}).status_code == 400
    assert client.get("/api/v1/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/articles", params={"since": "yesterday"}).status_code == 422
    r = client.get("/api/v1/articles/999999")
    assert r.status_code == 404
    assert r.json() == {"detail": "article not found"}


def test_article_detail_respects_text_policy(client: TestClient, seed: Seed) -> None:
    full = client.get(f"/api/v1/articles/{seed.by_source['akhbar'][0]}").json()
    assert full["body_html"].endswith("<p><strong>fin</strong></p>")
    assert full["excerpt"] is None
    excerpt = client.get(f"/api/v1/articles/{seed.by_source['echo'][0]}").json()
    assert excerpt["body_html"] is None
    assert len(excerpt["excerpt"].split()) == 13  # 12 words and the ellipsis
    datetime.fromisoformat(excerpt["published_at"])


def test_sources_and_sections(client: TestClient, seed: Seed) -> None:
    sources = client.get("/api/v1/sources").json()
    assert len(sources) == 6
    sabah = next(s for s in sources if s["slug"] == "sabah")
    assert sabah["health"] == "failing"
    assert sabah["last_error"].startswith("http_503")
    assert sabah["article_count"] == len(seed.by_source["sabah"])
    daily = next(s for s in sources if s["slug"] == "daily")
    assert daily["enabled"] is False
    sections = client.get("/api/v1/sections").json()
    counts = {s["name"]: s["article_count"] for s in sections}
    assert counts["politique"] == len(seed.by_source["quotidien"])
    assert counts["سياسة"] == len(seed.by_source["akhbar"])


def test_ticker_localizes_paths_and_times(client: TestClient, seed: Seed) -> None:
    fr = client.get("/api/v1/ticker", params={"ui": "fr", "limit": 5}).json()["items"]
    assert len(fr) == 5
    assert fr[0]["path"] == f"/fr/quotidien/{seed.hostile_id}"
    assert fr[0]["time_label"].endswith("UTC")
    ar = client.get("/api/v1/ticker", params={"ui": "ar"}).json()["items"]
    arabic = next(i for i in ar if i["lang"] == "ar")
    assert arabic["dir"] == "rtl" and arabic["path"].startswith("/ar/")
    fallback = client.get("/api/v1/ticker", params={"ui": "zz"}).json()["items"]
    assert fallback[0]["path"].startswith("/fr/")


def test_openapi_is_precise(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/sources",
                 "/api/v1/sections", "/api/v1/ticker"):
        assert path in paths
    schema = paths["/api/v1/articles"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ArticlePage"}
    names = {p["name"] for p in paths["/api/v1/articles"]["get"]["parameters"]}
    assert {"source", "lang", "section", "since", "cursor", "limit"} <= names
    assert not any(p.startswith("/fr") or p.startswith("/{lang") for p in paths)
