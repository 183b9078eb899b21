"""Tolerant XML: parse what publishers actually serve, and lose no item doing it.

The fast path is a strict lxml parse. When it fails we repair what is cheap to repair
textually (bare ``&``, HTML entities XML does not define, control characters, junk
before the prolog) and parse again with libxml2's recovery mode. Recovery keeps the
document but may drop everything after a break, so the caller compares the number
of items found with the number of item start tags in the text and, when some went
missing, re-parses the text item by item (``reparse_chunks``): entries before and
after a break both survive.
"""

from __future__ import annotations

import functools
import html.entities
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"


class _Parsers(threading.local):
    """One pair of lxml parsers per thread: a parser object must not be used by two
    threads at once, and the orchestrator may parse in a thread pool.

    Both refuse the network and external entities (no XXE), expand only entities the
    document declares itself, and keep libxml2's limits on entity amplification and
    node size (``huge_tree=False``) so a hostile feed cannot eat the memory.
    """

    def __init__(self) -> None:
        options: dict[str, Any] = {"resolve_entities": "internal", "no_network": True,
                                   "huge_tree": False, "remove_comments": True,
                                   "remove_pis": True}
        self.strict = etree.XMLParser(**options)
        self.recover = etree.XMLParser(recover=True, **options)


_PARSERS = _Parsers()

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DECL_START = re.compile(r"<\?xml\s")
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_PROLOG_NOISE = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)",
                           re.DOTALL | re.IGNORECASE)
_AMP = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)")
_NAMED = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARED_ENTITY = re.compile(r"<!ENTITY\s+([A-Za-z][\w.-]*)")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_START_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)[^>]*>", re.DOTALL)
_XMLNS_ATTR = re.compile(r'\s+xmlns(?::[\w.-]+)?="[^"]*"')


def local_name(tag: Any) -> str:
    """``{ns}name`` -> ``name``; comments and PIs (non-str tags) -> ''."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    """``{ns}name`` -> ``ns``; no namespace -> ''."""
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def strip_prolog(text: str) -> tuple[str, list[str]]:
    """Drop junk before the document and the XML declaration (lxml rejects a declared
    encoding on an already decoded string, and we decoded it ourselves)."""
    problems: list[str] = []
    first = text.find("<")
    if first < 0:
        return "", problems
    decl = _DECL_START.search(text, 0, 4096)
    start = first
    if decl and decl.start() > first:
        # A PHP warning or a stray tag printed before the prolog.
        start = decl.start()
    if text[:start].strip():
        problems.append("Text before the start of the XML was ignored.")
    text = text[start:]
    match = _XML_DECL.match(text)
    if match:
        text = text[match.end():]
    return text, problems


def root_name(text: str) -> str:
    """Local name (lowercased) of the first element, found without parsing the XML."""
    pos = 0
    while True:
        noise = _PROLOG_NOISE.match(text, pos)
        if not noise or noise.end() == pos:
            break
        pos = noise.end()
    match = _FIRST_TAG.search(text, pos)
    if not match:
        return ""
    return match.group(1).rpartition(":")[2].lower()


def _entity_replacement(declared: frozenset[str]) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES or name in declared:
            return match.group(0)
        char = html.entities.html5.get(name + ";") or html.entities.html5.get(name)
        if char is None:
            return "&amp;" + name + ";"
        return "".join(f"&#{ord(c)};" for c in char)

    return replace


def _split_protected(text: str) -> list[str]:
    """Split into [outside, CDATA-or-comment, outside, ...]; an unclosed section runs
    to the end. ``str.find`` rather than a regex: a lazy ``.*?`` crawls character by
    character over the long CDATA bodies feeds are made of."""
    parts: list[str] = []
    pos = 0
    cdata = text.find("<![CDATA[")
    comment = text.find("<!--")
    while cdata >= 0 or comment >= 0:
        if cdata < 0 or (0 <= comment < cdata):
            start, closer = comment, "-->"
        else:
            start, closer = cdata, "]]>"
        end = text.find(closer, start + 4)
        end = len(text) if end < 0 else end + len(closer)
        parts.append(text[pos:start])
        parts.append(text[start:end])
        pos = end
        # Search again only for a marker we have passed: each find scans to the end.
        if 0 <= cdata < pos:
            cdata = text.find("<![CDATA[", pos)
        if 0 <= comment < pos:
            comment = text.find("<!--", pos)
    parts.append(text[pos:])
    return parts


def repair(text: str) -> str:
    """Textual fixes that make most broken feeds well-formed, outside CDATA/comments."""
    declared = frozenset(_DECLARED_ENTITY.findall(text[:20000]))
    replace = _entity_replacement(declared)
    parts = _split_protected(text)
    for index in range(0, len(parts), 2):
        part = parts[index]
        if "&" in part:
            part = _AMP.sub("&amp;", part)
            part = _NAMED.sub(replace, part)
        parts[index] = _BAD_CHARS.sub("", part)
    return "".join(parts)


def parse(text: str, base_url: str) -> tuple[Any, list[str]]:
    """Parse XML text; strict first, then repaired with recovery. Root may be None."""
    data = text.encode("utf-8", errors="surrogatepass")
    try:
        return etree.fromstring(data, _PARSERS.strict, base_url=base_url or None), []
    except etree.XMLSyntaxError as exc:
        problems = [f"The XML is not well-formed ({_short(exc)}); recovered what we could."]
    except ValueError as exc:
        problems = [f"The XML could not be read strictly ({exc}); recovered what we could."]
    data = repair(text).encode("utf-8", errors="replace")
    try:
        root = etree.fromstring(data, _PARSERS.recover, base_url=base_url or None)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    return root, problems


def _short(exc: etree.XMLSyntaxError) -> str:
    message = str(exc.msg if hasattr(exc, "msg") else exc)
    return " ".join(message.split())[:160]


def count_starts(text: str, local: str) -> int:
    """How many ``<local`` / ``<prefix:local`` start tags the raw text holds."""
    return sum(1 for _ in _start_tag_re(local).finditer(text))


@functools.lru_cache(maxsize=16)
def _start_tag_re(local: str) -> re.Pattern[str]:
    return re.compile(rf"<(?:[A-Za-z_][\w.-]*:)?{local}(?=[\s>/])")


def _root_start_tag(text: str) -> tuple[str, str]:
    """The root element's start tag and name, so item chunks keep their namespaces."""
    pos = 0
    while True:
        noise = _PROLOG_NOISE.match(text, pos)
        if not noise or noise.end() == pos:
            break
        pos = noise.end()
    match = _START_TAG.search(text, pos)
    if not match:
        return "", ""
    tag = match.group(0)
    if tag.endswith("/>"):
        tag = tag[:-2] + ">"
    return tag, match.group(1)


_CLOSERS = re.compile(r"</(?:[\w.-]+:)?(?:channel|rss|RDF|feed|urlset|sitemapindex)\s*>")
_GROUP = 16


def reparse_chunks(text: str, local: str, base_url: str) -> Iterator[Any]:
    """Yield each ``local`` element parsed apart from the others, wrapped in the root
    start tag so namespace prefixes still resolve.

    A chunk runs from one item start tag to the next (or to the end of the container),
    so one broken item cannot take its neighbours down with it. To keep this cheap,
    chunks are first tried sixteen at a time with the strict parser (a strict success
    proves nothing was lost); only a group that fails is re-read chunk by chunk.
    """
    text = repair(text)  # once for the whole text, not once per chunk
    root_open, root_tag = _root_start_tag(text)
    if not root_open:
        return
    starts = [m.start() for m in _start_tag_re(local).finditer(text)]
    chunks = []
    for index, begin in enumerate(starts):
        chunk = text[begin:starts[index + 1] if index + 1 < len(starts) else len(text)]
        if index + 1 == len(starts):
            close = _CLOSERS.search(chunk)
            if close:
                chunk = chunk[: close.start()]
        chunks.append(chunk)
    for first in range(0, len(chunks), _GROUP):
        group = chunks[first:first + _GROUP]
        items = _strict_group(group, root_open, root_tag, local, base_url)
        if items is not None and len(items) == len(group):
            yield from items
            continue
        for chunk in group:
            element = _recover_chunk(chunk, root_open, root_tag, local, base_url)
            if element is not None:
                yield element


def _wrap(body: str, root_open: str, root_tag: str) -> bytes:
    return f"{root_open}{body}</{root_tag}>".encode("utf-8", errors="replace")


def _strict_group(group: list[str], root_open: str, root_tag: str, local: str,
                  base_url: str) -> list[Any] | None:
    try:
        root = etree.fromstring(_wrap("".join(group), root_open, root_tag), _PARSERS.strict,
                                base_url=base_url or None)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return [child for child in root if local_name(child.tag) == local]


def _recover_chunk(chunk: str, root_open: str, root_tag: str, local: str,
                   base_url: str) -> Any:
    try:
        root = etree.fromstring(_wrap(chunk, root_open, root_tag), _PARSERS.recover,
                                base_url=base_url or None)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    for element in root.iter():
        if local_name(element.tag) == local:
            _salvage(element, chunk)
            return element
    return None


_SALVAGE_TEXT = re.compile(
    r"<(title|link|guid|id|loc)\b[^>]*>\s*(?:<!\[CDATA\[)?([^<\]]+?)\s*(?:\]\]>|<|$)")
_SALVAGE_HREF = re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["']([^"'<>]+)["']""")


def _salvage(element: Any, chunk: str) -> None:
    """Put back the title and link that recovery dropped from a broken item, read
    straight from its raw text: an entry with its link is worth keeping even when the
    rest of it is unreadable."""
    present = {local_name(child.tag) for child in element}
    for name, value in _SALVAGE_TEXT.findall(chunk):
        if name not in present and value.strip():
            etree.SubElement(element, name).text = html.unescape(value.strip())
            present.add(name)
    if "link" not in present:
        match = _SALVAGE_HREF.search(chunk)
        if match:
            etree.SubElement(element, "link", href=html.unescape(match.group(1)))


_LINK_NAMES = frozenset({"link", "guid", "id", "loc"})


def linked_count(elements: list[Any]) -> int:
    """How many items carry something usable as an address (link, guid, id, loc)."""
    count = 0
    for element in elements:
        for child in element:
            if local_name(child.tag) in _LINK_NAMES and (
                (child.text or "").strip() or child.get("href")
            ):
                count += 1
                break
    return count


def text_of(element: Any) -> str:
    """Text content of an element and its descendants, stripped."""
    if len(element) == 0:
        return (element.text or "").strip()
    return "".join(element.itertext()).strip()


def inner_xml(element: Any) -> str:
    """Markup inside an element, as written (minus namespace noise), for HTML bodies
    that publishers embed unescaped."""
    if len(element) == 0:
        return element.text or ""
    pieces = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            pieces.append(child.tail or "")
            continue
        pieces.append(etree.tostring(child, encoding="unicode", with_tail=True))
    markup = "".join(pieces)
    markup = _XMLNS_ATTR.sub("", markup)
    return re.sub(r"<(/?)(?:html|xhtml|h):", r"<\1", markup)
