"""Shared helpers for the parse tests: fixture files live in tests/data/feeds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosque.models import ParsedFeed
from kiosque.parse import parse_feed

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"


@pytest.fixture
def feed_bytes() -> Callable[[str], bytes]:
    def read(name: str) -> bytes:
        return (FEEDS / name).read_bytes()

    return read


@pytest.fixture
def parsed() -> Callable[..., ParsedFeed]:
    def parse(name: str, url: str = "", content_type: str | None = None) -> ParsedFeed:
        return parse_feed((FEEDS / name).read_bytes(), url or f"https://feeds.example/{name}",
                          content_type)

    return parse
