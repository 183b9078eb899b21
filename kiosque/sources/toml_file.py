"""The source list as a TOML file: one ``[[source]]`` table per publisher.

TOML because operators edit this file by hand, comment it, and review it in diffs. The
standard library reads TOML but does not write it; the subset we write (strings,
booleans, integers in flat tables) is small enough to emit here, which keeps the package
free of a dependency. ``tomllib`` reports no line numbers for values, so errors locate
an entry by counting its ``[[source]]`` header in the raw text: exact for any list we
write, and close enough ("line-ish") for hand-made ones.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kiosque.models import Source, TextPolicy
from kiosque.sources.errors import SourceListError
from kiosque.sources.validate import Where, build_source

_HEADER = re.compile(r"^\s*\[\[\s*source\s*\]\]\s*(?:#.*)?$")

# Written for every source even at their defaults, so a reader of the file sees them.
_ALWAYS = ("slug", "name", "homepage", "feed_url", "lang", "country", "verified")
_ORDER = _ALWAYS + tuple(f.name for f in dataclasses.fields(Source) if f.name not in _ALWAYS)
_DEFAULTS = Source(slug="x", name="x", feed_url="http://x")


class _Locator:
    """Maps (entry index, key) to a line in the raw text, for error messages."""

    def __init__(self, text: str, origin: str) -> None:
        self.origin = origin
        self.lines = text.splitlines()
        self.headers = [i for i, line in enumerate(self.lines) if _HEADER.match(line)]

    def line_of(self, index: int, key: str | None) -> int | None:
        """1-based line of entry ``index`` (or of its ``key``) if the text shows it."""
        if index >= len(self.headers):
            return None
        start = self.headers[index]
        if key is not None:
            end = self.headers[index + 1] if index + 1 < len(self.headers) else len(self.lines)
            key_re = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
            for i in range(start + 1, end):
                if key_re.match(self.lines[i]):
                    return i + 1
        return start + 1

    def where(self, index: int, slug: object) -> Where:
        def locate(key: str | None) -> tuple[str, int | None]:
            line = self.line_of(index, key)
            place = f"{self.origin}:{line}" if line else self.origin
            label = f" ({slug})" if isinstance(slug, str) and slug else ""
            return f"{place}: source #{index + 1}{label}", line

        return locate


def parse_sources(text: str, origin: str = "<sources>") -> list[Source]:
    """Sources from TOML text; ``origin`` names the text in error messages.

    Raises SourceListError for TOML syntax errors, unknown keys, missing or mistyped
    values, bad URLs, and a slug or feed URL used twice (one feed polled as two sources
    would store every article twice). An empty file is an empty list.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise SourceListError(f"{origin}: not valid TOML: {exc}", line=line) from exc
    for key in doc:
        if key != "source":
            raise SourceListError(f"{origin}: unknown top-level key {key!r}; each source "
                                  "is a [[source]] table")
    entries = doc.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourceListError(f"{origin}: 'source' must be written as [[source]] tables "
                              "(an array of tables), one per source")
    locator = _Locator(text, origin)
    sources: list[Source] = []
    slug_seen: dict[str, int] = {}
    feed_seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        where = locator.where(index, entry.get("slug"))
        source = build_source(entry, where)
        for key, value, seen in (("slug", source.slug, slug_seen),
                                 ("feed_url", source.feed_url, feed_seen)):
            if value in seen:
                prefix, line = where(key)
                earlier = seen[value]
                earlier_line = locator.line_of(earlier, key)
                at = f"line {earlier_line}" if earlier_line else f"source #{earlier + 1}"
                raise SourceListError(f"{prefix}: duplicate {key} {value!r} (already used "
                                      f"at {at})", line=line)
            seen[value] = index
        sources.append(source)
    return sources


def load_sources(path: str | Path) -> list[Source]:
    """Sources from a TOML file; errors carry ``path:line`` context (SourceListError)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceListError(f"{file}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise SourceListError(f"{file}: cannot read the source list ({exc.strerror})") from exc
    return parse_sources(text, str(file))


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string; non-ASCII text stays readable (UTF-8)."""
    out = ['"']
    for char in value:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, TextPolicy):
        return toml_string(value.value)
    if isinstance(value, int):
        return str(value)
    return toml_string(str(value))


def source_table(source: Source) -> str:
    """One ``[[source]]`` table: the main keys always, the others when not at default."""
    lines = ["[[source]]"]
    for name in _ORDER:
        value = getattr(source, name)
        if name in _ALWAYS or value != getattr(_DEFAULTS, name):
            lines.append(f"{name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def dump_sources(sources: Sequence[Source]) -> str:
    """TOML text that ``load_sources`` reads back into equal ``Source`` objects."""
    return "\n".join(source_table(source) for source in sources)
