"""UI languages: which ones exist, their direction, their catalogs, and negotiation.

Catalogs live as ``locales/<lang>/LC_MESSAGES/messages.po`` and are compiled in memory
with Babel when this module is first used. Only the ``.po`` files are committed, so a
translation can never be stale against a forgotten ``.mo``, and translators edit one
file. Compiling four small catalogs costs a few milliseconds at start-up.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup, escape

UI_LANGS: tuple[str, ...] = ("fr", "ar", "es", "en")
RTL_LANGS = frozenset({"ar", "fa", "he", "ur", "ps", "ku", "dv", "yi"})
LOCALES_DIR = Path(__file__).with_name("locales")

# Each language names itself, so a reader who cannot read the current UI still finds theirs.
LANG_NAMES: dict[str, str] = {"fr": "Français", "ar": "العربية", "es": "Español",
                              "en": "English"}


def text_dir(lang: str) -> str:
    """"rtl" for right-to-left scripts, else "ltr"; accepts tags like "ar-MA"."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGS else "ltr"


def content_dir(lang: str) -> str:
    """Direction for publisher text: "auto" when its language is unknown, so the
    browser decides from the first strong character instead of guessing LTR."""
    return text_dir(lang) if lang else "auto"


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of a UI language (English falls back to the msgids)."""
    path = po_path(lang)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def gettext_for(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def markup_gettext_for(lang: str) -> Callable[..., Markup]:
    """Translate a message that holds %(name)s slots and fill them, escaping each value.

    The message itself is trusted (it comes from our catalogs) but the values are not:
    a source called ``<b>`` must print as text. Values already marked safe (a link we
    built) are kept as markup.
    """
    tr = translations(lang).gettext

    def fill(message: str, **values: object) -> Markup:
        if all(type(v) is str for v in values.values()):
            return _filled_text(lang, message, tuple(values.items()))
        safe = {k: v if isinstance(v, Markup) else escape(str(v)) for k, v in values.items()}
        return Markup(tr(message)) % safe

    return fill


@lru_cache(maxsize=4096)
def _filled_text(lang: str, message: str, values: tuple[tuple[str, str], ...]) -> Markup:
    """A message filled with plain-text values, remembered.

    Why: pages repeat the same few of them ("More from <source>", "Read the article at
    <source>") for a few dozen sources. Only exact ``str`` values come here: a ``Markup``
    value compares equal to the same text and must never share its entry.
    """
    return Markup(translations(lang).gettext(message)) % {k: escape(v) for k, v in values}


def negotiate(accept_language: str | None, default: str) -> str:
    """Pick the best UI language from an Accept-Language header, honouring q-values."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary not in UI_LANGS or quality <= 0:
            continue
        key = (-quality, position, primary)
        if best is None or key < best:
            best = key
    if best is not None:
        return best[2]
    return default if default in UI_LANGS else UI_LANGS[0]
