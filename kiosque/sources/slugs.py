"""Stable ASCII identifiers for sources, made from their names or their hosts.

A slug ends up in public URLs (``/sources/<slug>``), so it must be ASCII, lowercase and
hyphenated whatever the publisher's script. Latin names (French, Spanish ...) fold to
ASCII by dropping accents. Names in other scripts, Arabic first among them, are *not*
transliterated: any transliteration scheme is a guess that readers would not recognise,
while the publisher's own host name is already the ASCII name they chose for
themselves. :func:`source_slug` therefore falls back to the host.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

MAX_SLUG_LENGTH = 100  # the width of ``sources.slug`` in the schema

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Latin letters that Unicode decomposition does not reduce to ASCII.
_LATIN_EXTRAS = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
        "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
        "ı": "i",
    }
)
# Apostrophes glue words ("L'Economiste" -> "leconomiste", like the publisher's domain).
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _fold_char(char: str) -> str:
    """One character reduced to ASCII, or "" when it has no script-neutral ASCII form."""
    if char.isascii():
        return char
    if char.isdecimal():  # Arabic-Indic and other digits are the same numbers
        return str(unicodedata.decimal(char))
    decomposed = unicodedata.normalize("NFKD", char.translate(_LATIN_EXTRAS))
    return "".join(c for c in decomposed if c.isascii())


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated form of ``text``; "" when nothing Latin is left.

    Accents are dropped, apostrophes glue words together, every other run of
    non-alphanumerics becomes one hyphen. Letters of non-Latin scripts are dropped rather
    than transliterated, so a purely Arabic name gives "" and the caller picks a fallback.
    """
    folded = "".join(_fold_char(c) for c in _APOSTROPHES.sub("", text)).lower()
    slug = _NON_ALNUM.sub("-", folded).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        cut = slug[:MAX_SLUG_LENGTH]
        # end on a whole word when there is one, so the slug stays readable
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def host_slug(url: str) -> str:
    """A slug from a URL's host: ``https://www.daily-news.example/feed`` -> ``daily-news``.

    ``www.`` and the top-level domain are dropped because they add length, not meaning;
    sub-domains stay, since they often name an edition (``ar.daily.example`` -> ``ar-daily``).
    IP addresses are kept whole.
    """
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    labels = [label for label in host.split(".") if label]
    if labels and labels[0] == "www":
        labels = labels[1:]
    is_ip = bool(labels) and all(label.isdigit() for label in labels)
    if len(labels) > 1 and not is_ip:
        labels = labels[:-1]
    return slugify("-".join(labels))


def _mostly_latin(text: str) -> bool:
    """True when at least half of the letters of ``text`` survive ASCII folding."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    kept = sum(1 for c in letters if any(f.isalpha() for f in _fold_char(c)))
    return kept * 2 >= len(letters)


def source_slug(name: str, url: str) -> str:
    """The slug for a new source: from its name when that is Latin enough, else its host.

    A name like "اليوم 24" would slugify to a bare "24", which says nothing; the host of
    its feed or homepage is a better public identifier. Returns "source" as a last resort
    so that a caller always gets a valid slug to de-duplicate.
    """
    slug = slugify(name) if _mostly_latin(name) else ""
    return slug or host_slug(url) or "source"
