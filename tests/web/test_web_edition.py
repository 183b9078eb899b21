"""An edition lists every language by default, and only its own language on request."""

from __future__ import annotations

import re

from starlette.testclient import TestClient


def _main_list_langs(html: str) -> set[str]:
    main = html.split('class="main-col"', 1)[-1].split('class="pager"', 1)[0]
    main = main.split("<main", 1)[-1]
    return set(re.findall(r'class="article-title"><a [^>]*lang="([a-z]*)"', main))


def test_home_every_language_then_only_the_editions(client: TestClient) -> None:
    every = client.get("/ar/").text
    assert len(_main_list_langs(every)) >= 3
    assert 'href="/ar/?only=1"' in every
    only = client.get("/ar/", params={"only": "1"}).text
    assert _main_list_langs(only) == {"ar"}
    assert "/ar/?only=1&amp;before=" in only or 'rel="next"' not in only


def test_section_lists_keep_the_filter(client: TestClient) -> None:
    page = client.get("/fr/section/politique", params={"only": "1"})
    assert page.status_code == 200
    assert _main_list_langs(page.text) == {"fr"}
    assert 'href="/fr/section/politique"' in page.text  # the way back to every language
