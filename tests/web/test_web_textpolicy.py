"""Which body the site may show: the one decision behind page, API and feeds."""

from __future__ import annotations

import pytest

from kiosque.web.textpolicy import choose_body, excerpt_of

HTML = "<p>un deux</p>"
TEXT = "un deux trois quatre cinq"


@pytest.mark.parametrize(("policy", "full_text", "expect_full"), [
    ("full", False, True),
    ("full", True, True),
    ("auto", True, True),
    ("auto", False, False),
    ("excerpt", True, False),
    ("excerpt", False, False),
    ("unknown", True, False),
])
def test_choose_body(policy: str, full_text: bool, expect_full: bool) -> None:
    body = choose_body(policy, full_text, HTML, TEXT, 3)
    assert body.full is expect_full
    if expect_full:
        assert body.html == HTML and body.excerpt == ""
    else:
        assert body.html == "" and body.excerpt == "un deux trois …" and body.truncated


def test_no_html_falls_back_to_the_text() -> None:
    assert not choose_body("full", True, "", TEXT, 10).full


def test_excerpt_edges() -> None:
    assert excerpt_of(TEXT, 5) == (TEXT, False)
    assert excerpt_of("  a \n b  ", 5) == ("a b", False)
    assert excerpt_of(TEXT, 0) == ("", True)
    assert excerpt_of("", 3) == ("", False)
