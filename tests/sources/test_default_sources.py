"""The built-in list: it loads, it is honest about being unconfirmed, it is only data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from kiosque.sources import (
    DEFAULT_SOURCES_PATH,
    default_sources,
    dump_sources,
    load_sources,
    parse_sources,
)

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "kiosque" / "sources"


def test_default_list_is_the_packaged_file() -> None:
    assert DEFAULT_SOURCES_PATH == PACKAGE_DIR / "default.toml"
    assert default_sources() == load_sources(DEFAULT_SOURCES_PATH)


def test_default_list_is_big_enough_and_covers_four_languages() -> None:
    sources = default_sources()
    assert len(sources) >= 40
    langs = {source.lang for source in sources}
    assert langs == {"fr", "ar", "en", "es"}
    assert sum(1 for s in sources if s.lang == "fr") >= 15
    assert sum(1 for s in sources if s.lang == "ar") >= 15


def test_default_slugs_and_feeds_are_unique() -> None:
    sources = default_sources()
    slugs = [source.slug for source in sources]
    feeds = [source.feed_url for source in sources]
    assert len(set(slugs)) == len(slugs)
    assert len(set(feeds)) == len(feeds)


def test_default_urls_are_http_with_a_host() -> None:
    for source in default_sources():
        for url in (source.feed_url, source.homepage):
            parts = urlsplit(url)
            assert parts.scheme in ("http", "https"), (source.slug, url)
            assert parts.hostname, (source.slug, url)


def test_every_default_source_is_marked_unverified_with_its_evidence() -> None:
    for source in default_sources():
        assert source.verified is False, source.slug
        assert source.country == "MA", source.slug
        assert source.homepage, source.slug
        description = source.description
        tagged = re.search(r"\[(S|V|F|C)\]", description.split(".")[0])
        assert tagged or "candidate" in description or "homepage" in description, source.slug
        if source.feed_url == source.homepage:
            assert "feed_url is the homepage" in description, source.slug


def test_default_file_says_so_in_its_header_and_round_trips() -> None:
    text = DEFAULT_SOURCES_PATH.read_text(encoding="utf-8")
    header = text.split("[[source]]", 1)[0]
    assert "verified = false" in header
    assert "kiosque sources add <homepage>" in header
    sources = default_sources()
    assert parse_sources(dump_sources(sources)) == sources


def test_each_call_returns_a_fresh_list() -> None:
    first = default_sources()
    first[0].name = "changed"
    first.clear()
    assert default_sources()[0].name != "changed"


def test_no_region_is_hard_wired_in_code() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in sorted(PACKAGE_DIR.glob("*.py")))
    for word in ("maroc", "morocc", "hespress.com/feed", '"MA"'):
        assert word.lower() not in code.lower(), word


def test_package_imports_only_models_config_and_stdlib() -> None:
    probe = (
        "import sys, kiosque.sources\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('kiosque'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=PACKAGE_DIR.parents[1]).stdout.split()
    allowed = {"kiosque", "kiosque.models", "kiosque.config"}
    strays = [m for m in out if m not in allowed and not m.startswith("kiosque.sources")]
    assert strays == []
    assert "kiosque.sources" in out
