"""Turn page bytes into text with the charset the publisher meant.

Order of trust: a byte-order mark, then strict UTF-8 (valid UTF-8 is never an accident),
then the HTTP header, then a ``<meta>`` declaration near the top, and only then
statistical detection. Moroccan and Middle-Eastern sites still serve windows-1256 and latin-1 pages,
often with a missing or wrong header, so the fallbacks matter.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I
)
# WHATWG: these labels are decoded as windows-1252 by every browser, and publishers
# rely on it (curly quotes in "iso-8859-1" pages).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-6": "iso8859-6",
    "windows-1256": "cp1256",
    "x-user-defined": "cp1252",
}


REGIONAL_CODECS: tuple[str, ...] = ("cp1252", "cp1256", "iso8859_6", "iso8859_15")


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, if it names a known codec."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _known_codec(match.group(1)) if match else None


def _known_codec(label: str) -> str | None:
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    codec = _known_codec(match.group(1).decode("ascii", "ignore"))
    # A page that reached us as bytes cannot really be UTF-16 if the declaration was
    # readable as ASCII: browsers treat that as UTF-8 too.
    if codec and codec.startswith("utf-16"):
        return "utf-8"
    return codec


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode a page; never raises, replacing undecodable bytes as a last resort."""
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(bom_codec, errors="replace")
    # Bytes that are valid UTF-8 are UTF-8, whatever the page declares: real latin-1 or
    # windows-1256 text almost never forms valid multi-byte sequences, while CMSs that
    # serve UTF-8 under a stale "iso-8859-1" declaration are common (mojibake otherwise).
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = charset_from_content_type(content_type) or _meta_charset(data[:4096])
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration lied: fall through to detection
    sample = data[:200_000]
    # The press we read writes French, Spanish, English and Arabic: asking the detector
    # about their legacy code pages first stops it from picking a Baltic or Cyrillic one
    # on a short page; the open-ended guess is the fallback.
    best = charset_normalizer.from_bytes(sample, cp_isolation=list(REGIONAL_CODECS)).best()
    if best is None:
        best = charset_normalizer.from_bytes(sample).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding, errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")
