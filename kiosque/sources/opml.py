"""Exchange the source list with other feed readers as OPML.

OPML is what every reader exports, so it is how an operator brings an existing
subscription list in, and how kiosque's list goes out. Export writes standard ``rss``
outlines that any reader understands, plus kiosque's own fields in a separate XML
namespace, so an export imported back gives the same sources. Import accepts what other
readers write: outlines nested in folders, attribute names in any letter case, missing
titles. Sources without a kiosque slug get one from their title, or from their host
when the title is not in Latin script.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from kiosque.models import Source, TextPolicy
from kiosque.sources.errors import SourceListError
from kiosque.sources.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN, source_slug
from kiosque.sources.validate import build_source

KIOSQUE_NS = "urn:kiosque:opml:1"

# kiosque field -> attribute in KIOSQUE_NS, for fields OPML has no standard place for.
_EXTRA_ATTRS = {
    "slug": "slug",
    "country": "country",
    "section": "section",
    "verified": "verified",
    "enabled": "enabled",
    "text_policy": "textPolicy",
    "excerpt_words": "excerptWords",
    "fetch_full_text": "fetchFullText",
}
_BOOL_FIELDS = ("verified", "enabled", "fetch_full_text")


def _attr_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, TextPolicy):
        return value.value
    return str(value)


def _outline(source: Source) -> str:
    attrs: list[tuple[str, str]] = [
        ("type", "rss"),
        ("text", source.name),
        ("title", source.name),
        ("xmlUrl", source.feed_url),
    ]
    if source.homepage:
        attrs.append(("htmlUrl", source.homepage))
    if source.lang:
        attrs.append(("language", source.lang))
    if source.description:
        attrs.append(("description", source.description))
    for name, attr in _EXTRA_ATTRS.items():
        attrs.append((f"kiosque:{attr}", _attr_text(getattr(source, name))))
    body = " ".join(f"{key}={quoteattr(value)}" for key, value in attrs)
    return f"    <outline {body}/>"


def to_opml(sources: Sequence[Source], title: str) -> str:
    """An OPML 2.0 document listing ``sources``, readable by other feed readers.

    No creation date is written, so the same list always gives the same bytes (diffable,
    cacheable).
    """
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<opml version="2.0" xmlns:kiosque="{KIOSQUE_NS}">',
        "  <head>",
        f"    <title>{escape(title)}</title>",
        "  </head>",
        "  <body>",
        *(_outline(source) for source in sources),
        "  </body>",
        "</opml>",
    ]
    return "\n".join(lines) + "\n"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attrs(element: ET.Element) -> dict[str, str]:
    """Standard attributes by lower-case name, kiosque ones as ``kiosque:<name>``."""
    out: dict[str, str] = {}
    for key, value in element.attrib.items():
        if key.startswith(f"{{{KIOSQUE_NS}}}"):
            out[f"kiosque:{_local(key)}"] = value
        elif not key.startswith("{"):
            out[key.lower()] = value
    return out


def _feed_outlines(parent: ET.Element, folder: str) -> Iterator[tuple[dict[str, str], str]]:
    """Every outline with a feed URL, depth first, with its innermost folder's title."""
    for child in parent:
        if _local(child.tag) != "outline":
            continue
        attrs = _attrs(child)
        if attrs.get("xmlurl", "").strip():
            yield attrs, folder
        else:
            name = (attrs.get("title") or attrs.get("text") or "").strip()
            yield from _feed_outlines(child, name or folder)


def _parse_bool(value: str) -> bool | str:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    return value  # left as text so validation reports it


def _entry(attrs: dict[str, str], folder: str) -> dict[str, Any]:
    """The loosely typed entry of one outline, ready for ``build_source``."""
    feed_url = attrs["xmlurl"].strip()
    homepage = attrs.get("htmlurl", "").strip()
    name = (attrs.get("title") or attrs.get("text") or "").strip() or feed_url
    entry: dict[str, Any] = {"name": name, "feed_url": feed_url}
    if homepage:
        entry["homepage"] = homepage
    if attrs.get("language", "").strip():
        entry["lang"] = attrs["language"].strip().lower()
    if attrs.get("description", "").strip():
        entry["description"] = attrs["description"].strip()
    if folder:
        entry["section"] = folder
    for name_, attr in _EXTRA_ATTRS.items():
        raw = attrs.get(f"kiosque:{attr}")
        if raw is None:
            continue
        if name_ in _BOOL_FIELDS:
            entry[name_] = _parse_bool(raw)
        elif name_ == "excerpt_words":
            entry[name_] = int(raw) if raw.strip().isdigit() else raw
        else:
            entry[name_] = raw.strip()
    return entry


def _unique(slug: str, taken: set[str]) -> str:
    if slug not in taken:
        return slug
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = slug[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def _parse_xml(data: bytes) -> ET.Element:
    # Entity declarations have no use in OPML and are how XML "bombs" expand; refuse them.
    # NUL bytes are removed first so that a UTF-16 document is checked too.
    if b"<!ENTITY" in data.replace(b"\x00", b"").upper():
        raise SourceListError("OPML: entity declarations are not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise SourceListError(f"OPML: not well-formed XML: {exc}", line=line) from exc
    if _local(root.tag).lower() != "opml":
        raise SourceListError(f"OPML: the root element is <{_local(root.tag)}>, not <opml>")
    return root


def from_opml(data: bytes) -> list[Source]:
    """Sources from an OPML document, in document order.

    A feed listed twice (in two folders, say) is kept once. A source without a kiosque
    slug gets one from its title or host, made unique with a numeric suffix. Raises
    SourceListError when the XML is broken or an outline's URLs or fields are invalid.
    """
    root = _parse_xml(data)
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise SourceListError("OPML: the document has no <body>")
    sources: list[Source] = []
    seen_feeds: set[str] = set()
    taken: set[str] = set()
    for number, (attrs, folder) in enumerate(_feed_outlines(body, ""), start=1):
        entry = _entry(attrs, folder)
        if entry["feed_url"] in seen_feeds:
            continue
        given = entry.get("slug", "")
        if not (isinstance(given, str) and SLUG_PATTERN.match(given)):
            title = (attrs.get("title") or attrs.get("text") or "").strip()
            given = source_slug(title, entry.get("homepage") or entry["feed_url"])
        entry["slug"] = _unique(given, taken)
        label = entry["name"]

        def where(key: str | None, label: str = label, number: int = number
                  ) -> tuple[str, int | None]:
            return f"OPML: feed #{number} ({label!r})", None

        source = build_source(entry, where)
        seen_feeds.add(source.feed_url)
        taken.add(source.slug)
        sources.append(source)
    return sources
