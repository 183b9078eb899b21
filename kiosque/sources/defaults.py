"""The source list that ships with kiosque, kept as data next to the code.

The built-in publishers live in ``default.toml`` rather than in Python so that the region
an instance covers is only data: an operator covering another country points
``sources_file`` at their own list and no code changes.
"""

from __future__ import annotations

from pathlib import Path

from kiosque.models import Source
from kiosque.sources.toml_file import load_sources

DEFAULT_SOURCES_PATH: Path = Path(__file__).with_name("default.toml")


def default_sources() -> list[Source]:
    """The built-in list, read afresh each call so callers may change their copy."""
    return load_sources(DEFAULT_SOURCES_PATH)
