"""The list of publishers kiosque polls: a TOML file, OPML exchange, slugs.

This package imports only ``kiosque.models`` and the standard library, so the CLI, the
scheduler and the web site can all read the list without pulling in a pipeline stage.
"""

from __future__ import annotations

from kiosque.sources.defaults import DEFAULT_SOURCES_PATH, default_sources
from kiosque.sources.errors import SourceListError
from kiosque.sources.opml import from_opml, to_opml
from kiosque.sources.slugs import host_slug, slugify, source_slug
from kiosque.sources.toml_file import dump_sources, load_sources, parse_sources

__all__ = [
    "DEFAULT_SOURCES_PATH",
    "SourceListError",
    "default_sources",
    "dump_sources",
    "from_opml",
    "host_slug",
    "load_sources",
    "parse_sources",
    "slugify",
    "source_slug",
    "to_opml",
]
