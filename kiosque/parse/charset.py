"""Turn the bytes of a feed into text, whatever the publisher claimed.

Publishers lie about encodings in every direction: a header saying UTF-8 over Latin-1
bytes, an XML declaration copied from a template, no declaration at all on a cp1256
Arabic feed. We try the claims in order of trust and verify each one by decoding
strictly, so a wrong claim falls through to the next source of truth instead of
producing mojibake. The result is NFC-normalized so that later stages (dedup,
search) compare equal strings for equal text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

import charset_normalizer

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it shares the first 2 bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_XML_DECL_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE
)
_HTML_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE
)

# Labels that browsers (WHATWG Encoding Standard) decode as windows-1252: publishers that
# say Latin-1 almost always mean 1252 (curly quotes and the euro sign live in 0x80-0x9F).
_LATIN1_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii",
                            "ascii", "iso_8859-1", "cp819", "ibm819", "windows-1252", "cp1252"})


@dataclass(slots=True)
class Decoded:
    """Decoded text, the codec that produced it and what went wrong on the way."""

    text: str
    encoding: str
    problems: list[str] = field(default_factory=list)


def header_charset(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1).strip().lower() if match else None


def _codec_name(label: str) -> str | None:
    """Python codec for a declared label, or None when Python does not know it."""
    label = label.strip().lower()
    if label in _LATIN1_LABELS:
        return "cp1252"
    if label in ("utf-16", "utf16", "ucs-2", "unicode"):
        return "utf-16"
    if label in ("utf-32", "utf32", "ucs-4"):
        return "utf-32"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _try_decode(body: bytes, codec: str) -> str | None:
    """Strictly decode; windows-1252 falls back to Latin-1 for its 5 unassigned bytes."""
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        if codec == "cp1252":
            return body.decode("latin-1")
        return None
    except LookupError:
        return None


def _sniff_utf_without_bom(body: bytes) -> str | None:
    """XML's own autodetection: '<' as UTF-16/32 code units reveals the byte order."""
    if body.startswith(b"\x00\x00\x00<"):
        return "utf-32-be"
    if body.startswith(b"<\x00\x00\x00"):
        return "utf-32-le"
    if body.startswith(b"<\x00?\x00"):
        return "utf-16-le"
    if body.startswith(b"\x00<\x00?"):
        return "utf-16-be"
    return None


# The single-byte codecs of kiosque's languages, and the script each one exists for.
_REGIONAL = (("cp1252", "latin"), ("cp1256", "arabic"), ("cp1251", "cyrillic"))


def _script(char: str) -> str:
    code = ord(char)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F:
        return "arabic"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if code < 0x0250:
        return "latin"
    return "other"


def _plausibility(text: str, script: str) -> float:
    """Share of non-ASCII letters that sit where that script's letters would.

    Latin accents live inside words made of ASCII letters ("guidée"); Arabic and
    Cyrillic letters form words of their own. The wrong codec breaks that pattern:
    Arabic bytes read as cp1252 give runs of accented capitals, French bytes read as
    cp1251 give Cyrillic letters glued to ASCII ones.
    """
    good = total = 0
    for index, char in enumerate(text):
        if char.isascii() or not char.isalpha():
            continue
        total += 1
        if _script(char) != script:
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        glued = (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
        good += glued if script == "latin" else not glued
    return good / total if total else 0.0


def _guess_regional(body: bytes) -> str | None:
    """The regional single-byte codec under which the bytes read most plausibly."""
    sample = body[:65536]
    scores = []
    for codec, script in _REGIONAL:
        text = sample.decode(codec, errors="replace")
        scores.append((_plausibility(text, script), codec))
    score, codec = max(scores)
    return codec if score >= 0.6 else None


def _detect(body: bytes) -> tuple[str, str]:
    """Last resort: the regional guess, statistical detection, then windows-1252."""
    regional = _guess_regional(body)
    if regional:
        text = _try_decode(body, regional)
        if text is not None:
            return text, regional
    best = charset_normalizer.from_bytes(body[:65536]).best()
    if best is not None and best.encoding:
        text = _try_decode(body, best.encoding)
        if text is not None:
            return text, best.encoding
    return body.decode("cp1252", errors="replace"), "cp1252"


def declared_encoding(body: bytes) -> str | None:
    """The encoding named by an XML declaration or an HTML ``<meta charset>``."""
    head = body[:1024]
    match = _XML_DECL_ENCODING.search(head) or _HTML_META_CHARSET.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def decode_body(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a response body to NFC text.

    Order of trust: a byte-order mark (it cannot appear by accident, and browsers let it
    override the header too), the HTTP charset, the document's own declaration, strict
    UTF-8, then detection. Each claim is verified by a strict decode before it is
    believed; a claim that fails is recorded as a problem and the next one is tried.
    """
    problems: list[str] = []
    text: str | None = None
    used = ""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = _try_decode(body[len(bom):], codec)
            if text is not None:
                used = codec
            break
    if text is None:
        pattern = _sniff_utf_without_bom(body)
        claims: list[tuple[str, str | None]] = [
            ("HTTP header", header_charset(content_type)),
            ("document declaration", declared_encoding(body)),
        ]
        if pattern:
            claims.insert(0, ("byte pattern", pattern))
        for origin, label in claims:
            if not label:
                continue
            named = _codec_name(label)
            if named is None:
                problems.append(f"The {origin} names an unknown charset {label!r}.")
                continue
            codec = named
            if codec in ("utf-16", "utf-32") and not pattern:
                continue  # no BOM and no byte pattern: that claim cannot be right
            if codec == "cp1252" and not body.isascii():
                # Servers default to "ISO-8859-1" over UTF-8 files; Latin-1 prose is
                # practically never valid UTF-8, so valid UTF-8 wins over that claim.
                as_utf8 = _try_decode(body, "utf-8")
                if as_utf8 is not None:
                    problems.append(f"The {origin} says {label!r} but the bytes are UTF-8.")
                    text, used = as_utf8, "utf-8"
                    break
            text = _try_decode(body, codec)
            if text is not None:
                used = codec
                break
            problems.append(
                f"The {origin} says {label!r} but the bytes do not decode that way."
            )
    if text is None:
        text = _try_decode(body, "utf-8")
        used = "utf-8"
    if text is None:
        text, used = _detect(body)
        problems.append(f"Charset detected from the bytes as {used!r}.")
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return Decoded(text=text, encoding=used, problems=problems)
