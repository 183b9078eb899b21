"""Injection: SQL and full-text syntax in every parameter changes nothing but the results.

Every route of the app is found by walking its routers (so routes added later, such as
search, are covered without editing this file). Each path segment and each declared
query parameter receives each hostile string; the answer must never be a 5xx, the
schema and the articles must be exactly as before, and a few targeted questions check
that hostile filters find nothing rather than everything.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from sec_support import Corpus, walk_routes
from sqlalchemy import Engine, func, select, text
from starlette.testclient import TestClient

from kiosque.store.tables import articles

HOSTILE = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '"; DROP TABLE articles; --',
    "1; DELETE FROM articles",
    "1 UNION SELECT name FROM sqlite_master --",
    "') OR ('a'='a",
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "a*",
    "AND OR NOT",
    "OR",
    "title:x",
    "{a b}",
    "^x",
    '"unbalanced',
    "'",
    '"',
    "(",
    ")",
    "%",
    "_",
    "%_%",
    "\\",
    "a\x00b",
    "x" * 5000,
    "../../etc/passwd",
    "\u202e\u200b",
    "-1",
    "9" * 40,
]
INT_VALUES = ["0", "-1", "18446744073709551616", "9" * 40]
SEGMENT = re.compile(r"\{(\w+)(?::(\w+))?\}")


# Harmless values for the slots that are not under test, so the request reaches the code
# behind the route (an unknown variant or format would stop it at the first check).
SLOT_DEFAULTS = {"variant": "640.webp", "fmt": "rss", "kind": "source", "action": "block"}

# Known, reported, not fixed here (kiosque/web/images.py and kiosque/web/api/v1.py are
# other people's files): an id beyond SQL's 64-bit integers reaches the database driver,
# which raises OverflowError -> 500 instead of 404. See test_ids_beyond_sql_integers.


def _sample(value: str, convertor: str | None, name: str = "") -> str:
    if convertor == "uilang":
        return "fr"
    if convertor == "int":
        return "1"
    if name in SLOT_DEFAULTS:
        return SLOT_DEFAULTS[name]
    return quote(value, safe="")


def fill_template(template: str, index: int, value: str) -> str:
    """The path with ``value`` in slot ``index`` and harmless values in the others."""
    position = iter(range(1000))

    def one(match: re.Match[str]) -> str:
        if next(position) == index:
            return quote(value, safe="")
        return _sample("x", match.group(2), match.group(1))

    return SEGMENT.sub(one, template)


def request_urls(corpus: Corpus) -> Iterator[str]:
    """Every GET route with each hostile value in each path slot and query parameter."""
    for template, route in walk_routes(corpus.app.routes):
        if "GET" not in (getattr(route, "methods", None) or set()):
            continue
        slots = SEGMENT.findall(template)
        dependant = getattr(route, "dependant", None)
        query_names = [q.alias for q in dependant.query_params] if dependant else []
        for index, (_name, convertor) in enumerate(slots):
            if convertor == "uilang":
                continue  # only four values match; anything else never reaches a route
            for value in INT_VALUES if convertor == "int" else HOSTILE:
                yield fill_template(template, index, value)
        base = fill_template(template, -1, "")
        for name in query_names:
            for value in HOSTILE:
                yield f"{base}?{urlencode({name: value})}"


def _fingerprint(engine: Engine) -> tuple[int, str, list[str]]:
    with engine.connect() as conn:
        count = int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
        digest = hashlib.sha256()
        for row in conn.execute(select(articles.c.id, articles.c.title, articles.c.author,
                                       articles.c.section).order_by(articles.c.id)):
            digest.update(repr(tuple(row)).encode())
        tables = sorted(n for (n,) in conn.execute(
            text("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")))
    return count, digest.hexdigest(), tables


@pytest.fixture(scope="module")
def client(corpus: Corpus) -> Iterator[TestClient]:
    with TestClient(corpus.app, follow_redirects=False, raise_server_exceptions=False,
                    base_url="http://127.0.0.1") as c:
        yield c


def test_hostile_values_in_every_slot_never_break_anything(
    corpus: Corpus, client: TestClient
) -> None:
    before = _fingerprint(corpus.engine)
    assert before[0] > 50
    failures: list[str] = []
    seen = 0
    for url in request_urls(corpus):
        seen += 1
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url[:160]}")
    assert seen > 300, "the route walk found too few slots"
    assert not failures, "\n".join(failures[:60])
    assert _fingerprint(corpus.engine) == before


def test_ids_beyond_sql_integers(client: TestClient) -> None:
    huge = "9" * 30
    answers = [
        client.get(f"/images/{huge}/640.webp").status_code,
        client.get(f"/api/v1/articles/{huge}").status_code,
        client.post(f"/images/{huge}/report", headers={"Origin": "http://127.0.0.1"},
                    data={"next": "/"}).status_code,
    ]
    assert all(status < 500 for status in answers), answers


def test_hostile_paths_outside_the_routes(corpus: Corpus, client: TestClient) -> None:
    """Injected where no route expects anything: plain 404s, never an error."""
    for value in HOSTILE:
        for template in ("/{v}", "/{v}/", "/fr/{v}/1", "/{v}/source/x", "/api/v1/{v}"):
            url = template.format(v=quote(value, safe=""))
            assert client.get(url).status_code < 500, url


def test_hostile_filters_find_nothing_rather_than_everything(
    corpus: Corpus, client: TestClient
) -> None:
    everything = client.get("/api/v1/articles", params={"limit": 100}).json()
    assert len(everything["items"]) > 50
    for name in ("source", "section", "lang"):
        for value in ("' OR 1=1 --", "' OR '1'='1", "%", "_", "*"):
            answer = client.get("/api/v1/articles", params={name: value, "limit": 100})
            assert answer.status_code in (200, 422), (name, value, answer.status_code)
            if answer.status_code == 200:
                assert answer.json()["items"] == [], (name, value)
    for value in ("' OR '1'='1", "%", "_", "x' --"):
        assert client.get(f"/en/author/{quote(value, safe='')}").status_code == 404
        assert client.get(f"/en/source/{quote(value, safe='')}").status_code == 404


def test_search_syntax_is_only_a_query(corpus: Corpus, client: TestClient) -> None:
    """Search endpoints (once the search part adds them) treat syntax as text."""
    searches = [t for t, r in walk_routes(corpus.app.routes)
                if "search" in t and "GET" in (getattr(r, "methods", None) or set())]
    if not searches:
        pytest.skip("the site has no search route yet")
    for template in searches:
        url = SEGMENT.sub(lambda m: _sample("x", m.group(2)), template)
        for value in HOSTILE:
            answer = client.get(url, params={"q": value})
            assert answer.status_code < 500, (url, value, answer.status_code)
    assert _fingerprint(corpus.engine)[0] > 50


def test_hostile_report_forms(corpus: Corpus, client: TestClient) -> None:
    """The reader's POST forms: hostile fields are refused or stored as plain text."""
    headers: dict[str, Any] = {"Origin": "http://127.0.0.1"}
    before = _fingerprint(corpus.engine)
    for value in [*HOSTILE[:12], "//evil.example/", "https://evil.example/", "\\\\x"]:
        answer = client.post("/fr/report/article/1", headers=headers,
                              data={"reason": value, "note": value, "next": value})
        assert answer.status_code == 400, value
        answer = client.post("/fr/report/article/1", headers=headers,
                              data={"reason": "other", "note": value, "next": value})
        assert answer.status_code == 303, value
        location = answer.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        answer = client.post("/images/1/report", headers=headers, data={"next": value})
        assert answer.status_code in (303, 404), value
        if answer.status_code == 303:
            location = answer.headers["location"]
            assert location.startswith("/") and not location.startswith("//"), location
    assert _fingerprint(corpus.engine) == before
