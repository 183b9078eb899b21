"""html_to_text and charset decoding: the small pieces under extract_page."""

from __future__ import annotations

import pytest

from kiosque.extract import html_to_text
from kiosque.extract.decode import charset_from_content_type, decode_html


def test_blocks_become_paragraphs_and_inline_stays_inline() -> None:
    text = html_to_text(
        "<h2>Titre</h2><p>Un <b>mot</b> en<i>gras</i>.<br>Ligne deux</p>"
        "<ul><li>un</li><li>deux</li></ul><script>var x = 1;</script>"
        "<p>fin<!-- commentaire --> ici</p>"
    )
    assert text == "Titre\n\nUn mot engras.\nLigne deux\n\nun\ndeux\n\nfin ici"


def test_whitespace_and_entities() -> None:
    assert html_to_text("<p>  a&nbsp;&nbsp;b \n\t c&amp;d </p>") == "a b c&d"
    assert html_to_text("") == ""
    assert html_to_text("   ") == ""
    assert html_to_text("plain words") == "plain words"


def test_invisible_characters_do_not_split_words() -> None:
    assert html_to_text("<p>réac\u00adtion\u200b co\u2060de\ufeff</p>") == "réaction code"
    assert html_to_text("<p>می\u200cخواهم</p>") == "می\u200cخواهم"  # ZWNJ is spelling


def test_table_cells_are_separated() -> None:
    assert html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") == (
        "a b\nc"
    )


def test_deep_nesting_does_not_raise() -> None:
    assert isinstance(html_to_text("<span>" * 5000 + "x" + "</span>" * 5000), str)


ARABIC = "الحكومة تعلن عن خطة جديدة لتوفير الماء الصالح للشرب في القرى الجبلية هذا الصيف"
FRENCH = "L'été sera chaud à Fès : les élèves déjà en vacances, « ça commence bien »."


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        (FRENCH.encode("utf-8"), None, FRENCH),
        (FRENCH.encode("utf-8"), "text/html; charset=iso-8859-1", FRENCH),  # stale header
        (FRENCH.encode("cp1252"), "text/html; charset=ISO-8859-1", FRENCH),
        (b"<meta charset='latin1'>" + FRENCH.encode("latin-1"), None,
         "<meta charset='latin1'>" + FRENCH),
        (FRENCH.encode("cp1252"), "text/html; charset=utf-8", FRENCH),  # lying header
        (ARABIC.encode("cp1256"), "text/html; charset=windows-1256", ARABIC),
        (b'<meta http-equiv="content-type" content="text/html; charset=windows-1256">'
         + ARABIC.encode("cp1256"), None,
         '<meta http-equiv="content-type" content="text/html; charset=windows-1256">' + ARABIC),
        (ARABIC.encode("cp1256") * 3, None, ARABIC * 3),  # no declaration at all
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), None, FRENCH),
        ("\ufeff".encode("utf-16-le") + FRENCH.encode("utf-16-le"), None, FRENCH),
    ],
)
def test_decode(data: bytes, content_type: str | None, expected: str) -> None:
    assert decode_html(data, content_type) == expected


def test_charset_header_parsing() -> None:
    assert charset_from_content_type('text/html; Charset="UTF-8"') == "utf-8"
    assert charset_from_content_type("text/html; charset=windows-1256") == "cp1256"
    assert charset_from_content_type("text/html; charset=bogus") is None
    assert charset_from_content_type(None) is None


@pytest.mark.parametrize("plain", [
    "Le roi   inaugure\nle port de\r\nTanger Med",
    "  espaces\u00a0insécables\u202fet\tonglets  ",
    "coupure\u00adconditionnelle et zéro\u200blargeur\ufeff",
    "الملك يدشن ميناء طنجة المتوسط",
    "émoji 🚢 > flèche = ok; 'quotes' \"doubles\"",
    "a\n\nb",
    "\u2028séparateur\u2029de ligne",
])
def test_plain_text_skips_the_parse_and_gives_what_the_parse_gives(plain: str) -> None:
    from kiosque.extract import is_plain

    assert is_plain(plain)
    assert html_to_text(plain) == html_to_text(f"<span>{plain}</span>")


@pytest.mark.parametrize("markup", ["a <b>b</b>", "a &amp; b", "nul\x00byte", "ff\x0cfeed"])
def test_markup_entities_and_control_characters_are_not_plain(markup: str) -> None:
    from kiosque.extract import is_plain

    assert not is_plain(markup)
