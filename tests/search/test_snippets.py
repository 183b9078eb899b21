"""Snippets: the right window, every match marked, everything else escaped."""

from __future__ import annotations

from kiosque.search.analysis import Analyzer
from kiosque.search.snippets import highlight

FR = Analyzer("fr")


def test_marks_variants_and_escapes() -> None:
    html = highlight("Les <b>gouvernements</b> & l'État", FR, frozenset({"gouvern"}), ())
    assert html == "Les &lt;b&gt;<mark>gouvernements</mark>&lt;/b&gt; &amp; l&#x27;État"


def test_picks_the_window_with_the_matches() -> None:
    text = " ".join(["mot"] * 200) + " la crise budgétaire frappe " + " ".join(["fin"] * 200)
    html = highlight(text, FR, frozenset({"cris", "budgetair"}), ())
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>crise</mark> <mark>budgétaire</mark>" in html
    assert len(html) < 260


def test_prefix_and_no_match() -> None:
    assert highlight("gouvernance locale", FR, frozenset(), ("gouv",)) == \
        "<mark>gouvernance</mark> locale"
    long_text = " ".join(f"mot{i}" for i in range(100))
    html = highlight(long_text, FR, frozenset({"absent"}), ())
    assert html.startswith("mot0 mot1") and html.endswith(" …") and "<mark>" not in html
    assert highlight("", FR, frozenset(), ()) == ""
    assert highlight("<>", FR, frozenset(), ()) == "&lt;&gt;"
