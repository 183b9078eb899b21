"""Turn one loosely typed entry (a TOML table, an OPML outline) into a checked Source.

Both readers, TOML and OPML, go through this one gate so that a source is valid by the
same rules whichever way it came in. The allowed keys are the fields of
``kiosque.models.Source`` themselves: a field added to the model is accepted here
without a second list to keep in step.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from kiosque.models import Source, TextPolicy
from kiosque.sources.errors import SourceListError
from kiosque.sources.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN

# where(key) -> ("file.toml:12: source #3 (le-desk)", 12): the place of an entry, or of one
# of its keys, for error messages; key is None for the entry as a whole.
Where = Callable[[str | None], tuple[str, int | None]]

_FIELDS = {f.name: f for f in dataclasses.fields(Source)}
REQUIRED_KEYS = tuple(
    name for name, f in _FIELDS.items()
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
)
KNOWN_KEYS = tuple(_FIELDS)

_LANG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# Column widths of the ``sources`` table, so a list that loads also fits the database.
_MAX_LENGTHS = {"name": 300, "section": 100, "lang": 16}


def _default_of(name: str) -> Any:
    default = _FIELDS[name].default
    return None if default is dataclasses.MISSING else default


def _kind(name: str) -> type:
    """The Python type a key must have in the file, read from the model's defaults."""
    default = _default_of(name)
    if isinstance(default, bool):
        return bool
    if isinstance(default, TextPolicy):
        return TextPolicy
    if isinstance(default, int):
        return int
    return str


def _fail(where: Where, key: str | None, message: str) -> SourceListError:
    prefix, line = where(key)
    return SourceListError(f"{prefix}: {message}", line=line)


def check_http_url(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) URL, or None when it is one."""
    if value != value.strip() or any(c.isspace() for c in value):
        return "contains spaces"
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme or "none"
        return f"scheme must be http or https (got {shown!r})"
    if not parts.hostname:
        return "has no host name"
    return None


def _check_value(name: str, value: Any, where: Where) -> Any:
    """``value`` converted to the model's type, or a SourceListError that says why not."""
    kind = _kind(name)
    if kind is bool:
        if not isinstance(value, bool):
            raise _fail(where, name, f"{name} must be true or false, not {value!r}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(where, name, f"{name} must be a whole number, not {value!r}")
        if value < 1:
            raise _fail(where, name, f"{name} must be at least 1, not {value}")
        return value
    if kind is TextPolicy:
        allowed = [p.value for p in TextPolicy]
        if not isinstance(value, str) or value not in allowed:
            raise _fail(where, name, f"text_policy must be one of {allowed}, not {value!r}")
        return TextPolicy(value)
    if not isinstance(value, str):
        raise _fail(where, name, f"{name} must be a text string, not {value!r}")
    return value


def _check_field_rules(values: dict[str, Any], where: Where) -> None:
    """Rules on values beyond their type: URL schemes, slug shape, code formats."""
    slug = values["slug"]
    if len(slug) > MAX_SLUG_LENGTH:
        raise _fail(where, "slug", f"slug is longer than {MAX_SLUG_LENGTH} characters")
    if not SLUG_PATTERN.match(slug):
        raise _fail(where, "slug", f"slug {slug!r} must be lowercase ASCII letters, digits "
                    "and single hyphens (like 'le-matin')")
    if not values["name"].strip():
        raise _fail(where, "name", "name is empty")
    for key, limit in _MAX_LENGTHS.items():
        if len(values.get(key, "")) > limit:
            raise _fail(where, key, f"{key} is longer than {limit} characters")
    for key in ("feed_url", "homepage"):
        url = values.get(key, "")
        if key == "homepage" and url == "":
            continue
        problem = check_http_url(url)
        if problem:
            raise _fail(where, key, f"{key} {url!r} {problem}")
    lang = values.get("lang", "")
    if lang and not _LANG.match(lang):
        raise _fail(where, "lang", f"lang {lang!r} must be a lowercase language code "
                    "like 'fr', 'ar' or 'pt-br'")
    country = values.get("country", "")
    if country and not _COUNTRY.match(country):
        raise _fail(where, "country", f"country {country!r} must be a two-letter "
                    "upper-case code like 'MA'")


def build_source(entry: Mapping[str, Any], where: Where) -> Source:
    """A checked ``Source`` from one entry, or a SourceListError naming the faulty key."""
    for key in entry:
        if key not in _FIELDS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else \
                f" (known keys: {', '.join(KNOWN_KEYS)})"
            raise _fail(where, key, f"unknown key {key!r}{hint}")
    for key in REQUIRED_KEYS:
        if key not in entry or entry[key] == "":
            raise _fail(where, None, f"missing required key {key!r}")
    values = {key: _check_value(key, value, where) for key, value in entry.items()}
    _check_field_rules(values, where)
    return Source(**values)
