"""The TOML source list: what goes out comes back, and every mistake is located."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosque.models import Source, TextPolicy
from kiosque.sources import SourceListError, dump_sources, load_sources, parse_sources

GOOD_ENTRY = """\
[[source]]
slug = "gazette-du-nord"
name = "La Gazette du Nord"
feed_url = "https://gazette.example/feed"
"""


def _sample_sources() -> list[Source]:
    return [
        Source(slug="gazette-du-nord", name="La Gazette du Nord",
               feed_url="https://gazette.example/feed", homepage="https://gazette.example",
               lang="fr", country="ZZ", verified=False),
        Source(slug="al-akhbar-test", name="الأخبار \"اليومية\" \\ test",
               feed_url="http://127.0.0.1:8101/rss.xml?x=1&y=2", lang="ar",
               description="line one\nline two\ttabbed \x01 control",
               section="sport", enabled=False, text_policy=TextPolicy.EXCERPT,
               excerpt_words=35, fetch_full_text=False),
        Source(slug="diario-sur", name="Diario del Sur", feed_url="https://sur.example/atom",
               lang="es-mx", text_policy=TextPolicy.FULL),
    ]


def test_dump_then_load_gives_equal_sources(tmp_path: Path) -> None:
    sources = _sample_sources()
    path = tmp_path / "sources.toml"
    path.write_text(dump_sources(sources), encoding="utf-8")
    assert load_sources(path) == sources
    assert load_sources(str(path)) == sources


def test_dump_is_stable_and_shows_unverified_flag() -> None:
    text = dump_sources(_sample_sources())
    assert dump_sources(parse_sources(text)) == text
    assert "verified = false" in text
    assert "الأخبار" in text  # non-ASCII stays readable, not \u-escaped


def test_defaults_apply_to_missing_optional_keys() -> None:
    [source] = parse_sources(GOOD_ENTRY)
    assert source == Source(slug="gazette-du-nord", name="La Gazette du Nord",
                            feed_url="https://gazette.example/feed")


def test_empty_and_comment_only_files_are_empty_lists() -> None:
    assert parse_sources("") == []
    assert parse_sources("# nothing yet\n") == []


def _error(text: str) -> SourceListError:
    with pytest.raises(SourceListError) as info:
        parse_sources(text, "list.toml")
    return info.value


def _entry(**changes: object) -> str:
    fields: dict[str, object] = {"slug": "gazette-du-nord", "name": "La Gazette du Nord",
                                 "feed_url": "https://gazette.example/feed"}
    fields.update(changes)
    body = []
    for key, value in fields.items():
        if value is None:
            continue
        shown = ("true" if value else "false") if isinstance(value, bool) else (
            str(value) if isinstance(value, int) else f'"{value}"')
        body.append(f"{key} = {shown}")
    return "[[source]]\n" + "\n".join(body) + "\n"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"slug": None}, "missing required key 'slug'"),
        ({"feed_url": None}, "missing required key 'feed_url'"),
        ({"name": None}, "missing required key 'name'"),
        ({"feed_url": ""}, "missing required key 'feed_url'"),
        ({"feed_url": "ftp://gazette.example/feed"}, "scheme must be http or https (got 'ftp')"),
        ({"feed_url": "gazette.example/feed"}, "scheme must be http or https (got 'none')"),
        ({"feed_url": "https:///feed"}, "has no host name"),
        ({"feed_url": "https://gazette.example/a feed"}, "contains spaces"),
        ({"homepage": "javascript:alert(1)"}, "homepage 'javascript:alert(1)' scheme"),
        ({"feedurl": "https://x.example"}, "unknown key 'feedurl' (did you mean 'feed_url'?)"),
        ({"mood": "blue"}, "unknown key 'mood' (known keys: slug, name, feed_url"),
        ({"text_policy": "sometimes"},
         "text_policy must be one of ['auto', 'full', 'excerpt'], not 'sometimes'"),
        ({"verified": "no"}, "verified must be true or false, not 'no'"),
        ({"excerpt_words": 0}, "excerpt_words must be at least 1"),
        ({"excerpt_words": "sixty"}, "excerpt_words must be a whole number"),
        ({"name": 12}, "name must be a text string, not 12"),
        ({"name": "   "}, "name is empty"),
        ({"slug": "Gazette du Nord"}, "slug 'Gazette du Nord' must be lowercase ASCII"),
        ({"slug": "gazette--nord"}, "must be lowercase ASCII letters, digits and single"),
        ({"slug": "a" * 101}, "slug is longer than 100 characters"),
        ({"lang": "French"}, "lang 'French' must be a lowercase language code"),
        ({"country": "Maroc"}, "country 'Maroc' must be a two-letter upper-case code"),
    ],
)
def test_bad_entry_is_reported_with_file_line_and_reason(
    changes: dict[str, object], expected: str
) -> None:
    text = GOOD_ENTRY + "\n" + _entry(**changes)
    error = _error(text)
    assert expected in str(error)
    assert str(error).startswith("list.toml:")
    assert "source #2" in str(error)
    assert error.line is not None and error.line >= 6  # the second table, not the first


def test_error_points_at_the_line_of_the_faulty_key() -> None:
    text = GOOD_ENTRY + "\n[[source]]\nslug = \"x\"\nname = \"X\"\nfeed_url = \"gopher://x\"\n"
    error = _error(text)
    assert error.line == 9
    assert str(error).startswith("list.toml:9: source #2 (x): feed_url 'gopher://x'")


def test_duplicate_slug_names_both_places() -> None:
    text = GOOD_ENTRY + "\n" + _entry(feed_url="https://other.example/rss")
    error = _error(text)
    assert "duplicate slug 'gazette-du-nord' (already used at line 2)" in str(error)
    assert error.line == 7


def test_duplicate_feed_url_is_refused() -> None:
    text = GOOD_ENTRY + "\n" + _entry(slug="copy")
    error = _error(text)
    assert "duplicate feed_url 'https://gazette.example/feed' (already used at line 4)" \
        in str(error)


def test_toml_syntax_error_keeps_its_line() -> None:
    error = _error(GOOD_ENTRY + "name = \n")
    assert str(error).startswith("list.toml: not valid TOML")
    assert error.line == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title = "mine"\n' + GOOD_ENTRY, "unknown top-level key 'title'"),
        ('[source]\nslug = "a"\n', "must be written as [[source]] tables"),
        ('source = ["a", "b"]\n', "must be written as [[source]] tables"),
    ],
)
def test_wrong_document_shape(text: str, expected: str) -> None:
    assert expected in str(_error(text))


def test_unreadable_files_raise_source_list_error(tmp_path: Path) -> None:
    with pytest.raises(SourceListError, match="cannot read the source list"):
        load_sources(tmp_path / "missing.toml")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(GOOD_ENTRY.replace("Gazette", "Gaz\xe9tte").encode("latin-1"))
    with pytest.raises(SourceListError, match=r"latin1\.toml: not UTF-8"):
        load_sources(latin1)


def test_errors_from_a_file_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD_ENTRY.replace("https://", "file://"), encoding="utf-8")
    with pytest.raises(SourceListError, match=r"mine\.toml:4: source #1 \(gazette-du-nord\)"):
        load_sources(path)


def test_source_list_error_is_a_value_error() -> None:
    assert issubclass(SourceListError, ValueError)
