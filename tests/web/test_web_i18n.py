"""UI languages: catalogs complete and consistent, negotiation, directions, dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosque.web import dates
from kiosque.web.i18n import (
    UI_LANGS,
    content_dir,
    gettext_for,
    markup_gettext_for,
    negotiate,
    po_path,
    text_dir,
)

WEB = Path(__file__).resolve().parents[2] / "kiosque" / "web"
MSG_CALL = re.compile(r"""\b_f?\(\s*(?:"([^"]+)"|'([^']+)')""")
DYNAMIC = {"health:ok", "health:degraded", "health:failing", "health:dead"}


def used_msgids() -> set[str]:
    found: set[str] = set()
    for path in list((WEB / "templates").rglob("*.html")) + list(WEB.rglob("*.py")):
        for a, b in MSG_CALL.findall(path.read_text(encoding="utf-8")):
            msgid = a or b
            if not msgid.endswith(":"):
                found.add(msgid)
    return found | DYNAMIC


def catalog(lang: str) -> dict[str, str]:
    with po_path(lang).open("rb") as fh:
        return {str(m.id): str(m.string) for m in read_po(fh) if m.id}


def test_templates_use_many_messages() -> None:
    assert len(used_msgids()) > 50


@pytest.mark.parametrize("lang", ["fr", "ar", "es"])
def test_every_ui_string_is_translated(lang: str) -> None:
    cat = catalog(lang)
    missing = sorted(m for m in used_msgids() if not cat.get(m))
    assert not missing, f"{lang}: untranslated {missing}"


@pytest.mark.parametrize("lang", UI_LANGS)
def test_placeholders_survive_translation(lang: str) -> None:
    for msgid, msgstr in catalog(lang).items():
        if msgstr:
            assert sorted(re.findall(r"%\((\w+)\)s", msgid)) == sorted(
                re.findall(r"%\((\w+)\)s", msgstr)), (lang, msgid)


def test_english_health_labels_exist() -> None:
    assert gettext_for("en")("health:failing") == "Failing"


def test_markup_gettext_escapes_values_not_the_message() -> None:
    fill = markup_gettext_for("fr")
    out = fill("Read the article at %(source)s", source="<b>X</b>")
    assert str(out) == "Lire l'article sur &lt;b&gt;X&lt;/b&gt;"


@pytest.mark.parametrize(("header", "expected"), [
    ("ar", "ar"),
    ("es-ES,es;q=0.9", "es"),
    ("de;q=1, en;q=0.3, ar;q=0.6", "ar"),
    ("en;q=0, fr;q=0.1", "fr"),
    ("*", "fr"),
    ("", "fr"),
    (None, "fr"),
    ("fr;q=abc, es", "es"),
    ("EN-gb", "en"),
])
def test_negotiate(header: str | None, expected: str) -> None:
    assert negotiate(header, "fr") == expected


def test_negotiate_default_must_be_a_ui_language() -> None:
    assert negotiate("de", "es") == "es"
    assert negotiate("de", "xx") == "fr"


def test_directions() -> None:
    assert text_dir("ar") == "rtl" and text_dir("ar-MA") == "rtl" and text_dir("fa") == "rtl"
    assert text_dir("fr") == "ltr"
    assert content_dir("") == "auto" and content_dir("ar") == "rtl"


def test_dates_are_localized() -> None:
    when = datetime(2026, 3, 5, 14, 7, tzinfo=UTC)
    assert dates.long_date(when, "fr") == "5 mars 2026"
    assert dates.long_date(when, "es") == "5 de marzo de 2026"
    assert dates.long_date(when, "en") == "March 5, 2026"
    assert "مارس" in dates.long_date(when, "ar")
    assert dates.short_time(when, "fr") == "14:07 UTC"
    assert dates.iso(when) == "2026-03-05T14:07:00Z"
    assert len(dates.weekday_names("ar")) == 7
