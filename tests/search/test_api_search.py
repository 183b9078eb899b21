"""``GET /api/v1/search`` driven in-process against a real SQLite corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kiosque.web.api.search import router
from tests.search.conftest import make_test_engine
from tests.search.search_loader import load_corpus


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    gen = make_test_engine("sqlite", Path(tmp_path_factory.mktemp("api")))
    engine = next(gen)
    load_corpus(engine)
    app = FastAPI()
    app.state.engine = engine
    app.include_router(router)
    with TestClient(app) as c:
        yield c
    gen.close()


def test_search_json(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "الحكومات", "per_page": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 12 and body["pages"] == 3 and len(body["hits"]) == 5
    hit = body["hits"][0]
    assert hit["lang"] == "ar" and hit["source"]["slug"].startswith("ar-")
    assert "<mark>" in hit["snippet_html"] and hit["published_at"].startswith("2026-")
    assert {f["value"] for f in body["facets"]["lang"]} == {"ar"}
    assert sum(f["count"] for f in body["facets"]["source"]) == 12
    assert body["parsed"] == "الحكومات" and body["sort"] == "relevance"


def test_lang_param_and_sort(client: TestClient) -> None:
    everywhere = client.get("/api/v1/search", params={"q": "Kiosquia"}).json()
    assert {f["value"] for f in everywhere["facets"]["lang"]} == {"fr", "ar", "es"}
    only = client.get("/api/v1/search", params=[("q", "Kiosquia"), ("lang", "ar,es")]).json()
    assert {h["lang"] for h in only["hits"]} == {"ar", "es"} and only["total"] == 24
    by_date = client.get("/api/v1/search", params={"q": "Kiosquia", "sort": "date"}).json()
    stamps = [h["published_at"] for h in by_date["hits"]]
    assert stamps == sorted(stamps, reverse=True)


def test_bad_input(client: TestClient) -> None:
    for q in ['"', "OR", "-", "NEAR(", "'; DROP TABLE articles"]:
        r = client.get("/api/v1/search", params={"q": q})
        assert r.status_code == 200, q
    assert client.get("/api/v1/search").json()["total"] == 0
    assert client.get("/api/v1/search", params={"q": "x", "page": 0}).status_code == 422
    assert client.get("/api/v1/search", params={"q": "x", "sort": "best"}).status_code == 422
    assert client.get("/api/v1/search", params={"q": "x" * 1001}).status_code == 422
