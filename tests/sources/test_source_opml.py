"""OPML exchange: our export comes back unchanged; other readers' exports come in."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kiosque.models import Source, TextPolicy
from kiosque.sources import SourceListError, default_sources, from_opml, to_opml


def _sources() -> list[Source]:
    return [
        Source(slug="gazette-du-nord", name="La Gazette du Nord & fils",
               feed_url="https://gazette.example/feed?a=1&b=<2>",
               homepage="https://gazette.example", lang="fr", country="ZZ",
               description='Il a dit "oui"\nsur deux lignes', verified=False),
        Source(slug="akhbar-test", name="أخبار الاختبار", feed_url="http://127.0.0.1:8102/rss",
               lang="ar", section="sport", enabled=False, text_policy=TextPolicy.EXCERPT,
               excerpt_words=25, fetch_full_text=False),
    ]


def test_opml_round_trip_keeps_every_field() -> None:
    sources = _sources()
    assert from_opml(to_opml(sources, "Ma liste").encode("utf-8")) == sources


def test_default_list_round_trips_through_opml() -> None:
    sources = default_sources()
    assert from_opml(to_opml(sources, "kiosque").encode("utf-8")) == sources


def test_export_is_standard_opml_with_escaped_title() -> None:
    text = to_opml(_sources(), "Veille <presse> & co")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Veille <presse> & co"
    outlines = root.findall("body/outline")
    assert [o.get("type") for o in outlines] == ["rss", "rss"]
    assert outlines[0].get("xmlUrl") == "https://gazette.example/feed?a=1&b=<2>"
    assert outlines[0].get("htmlUrl") == "https://gazette.example"
    assert outlines[1].get("text") == "أخبار الاختبار"
    assert to_opml(_sources(), "x") == to_opml(_sources(), "x")  # no timestamps


# Shaped like the exports of common desktop and web readers: folders, lower-case
# attribute names, missing titles, a feed listed in two folders, an Arabic-only title.
OTHER_READER = """\
<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0">
  <head><title>Abonnements</title><dateCreated>Mon, 02 Jan 2023 10:00:00 GMT</dateCreated></head>
  <body>
    <outline text="Actualit\xe9s" title="Actualit\xe9s">
      <outline text="Le Courrier du Sud" type="rss" xmlUrl="https://courrier.example/rss"
               htmlUrl="https://courrier.example/"/>
      <outline text="Sport">
        <outline type="rss" text="El Diario Deportivo" xmlurl="https://deportes.example/feed"
                 htmlurl="https://deportes.example" language="ES"/>
      </outline>
    </outline>
    <outline text="Divers">
      <outline type="rss" text="Le Courrier du Sud (copie)" xmlUrl="https://courrier.example/rss"/>
      <outline type="rss" xmlUrl="https://www.akhbar-alsahil.example/feed/"/>
      <outline type="rss" text="&#1575;&#1604;&#1587;&#1575;&#1581;&#1604; 24"
               xmlUrl="https://www.sahil24.example/feed/"/>
      <outline type="rss" text="Le Courrier du Sud" xmlUrl="https://courrier.example/autre"/>
    </outline>
    <outline text="Empty folder"/>
  </body>
</opml>
""".encode("latin-1")


def test_import_from_another_reader_with_nested_folders() -> None:
    sources = from_opml(OTHER_READER)
    assert [(s.slug, s.feed_url, s.section) for s in sources] == [
        ("le-courrier-du-sud", "https://courrier.example/rss", "Actualités"),
        ("el-diario-deportivo", "https://deportes.example/feed", "Sport"),
        ("akhbar-alsahil", "https://www.akhbar-alsahil.example/feed/", "Divers"),
        ("sahil24", "https://www.sahil24.example/feed/", "Divers"),
        ("le-courrier-du-sud-2", "https://courrier.example/autre", "Divers"),
    ]
    courrier, diario, untitled, arabic, _ = sources
    assert courrier.homepage == "https://courrier.example/"
    assert diario.lang == "es" and diario.homepage == "https://deportes.example"
    assert untitled.name == "https://www.akhbar-alsahil.example/feed/"
    assert arabic.name == "الساحل 24"
    assert all(s.verified and s.enabled for s in sources)  # model defaults


def test_invalid_kiosque_slug_is_replaced_not_trusted() -> None:
    data = (b'<opml version="2.0" xmlns:k="urn:kiosque:opml:1"><body>'
            b'<outline type="rss" text="Nord Info" k:slug="Bad Slug!" '
            b'xmlUrl="https://nord.example/rss"/></body></opml>')
    [source] = from_opml(data)
    assert source.slug == "nord-info"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<opml><body><outline", "not well-formed XML"),
        (b"<rss version='2.0'><channel/></rss>", "root element is <rss>, not <opml>"),
        (b"<opml version='2.0'><head/></opml>", "has no <body>"),
        (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]>'
         b"<opml><body/></opml>", "entity declarations are not accepted"),
        (b"<opml><body><outline type='rss' text='Nord' xmlUrl='feed://nord.example/rss'/>"
         b"</body></opml>", "OPML: feed #1 ('Nord'): feed_url 'feed://nord.example/rss' scheme"),
        (b"<opml><body><outline type='rss' text='Nord' xmlUrl='https://nord.example/rss' "
         b"xmlns:k='urn:kiosque:opml:1' k:textPolicy='never'/></body></opml>",
         "text_policy must be one of"),
        (b"<opml><body><outline type='rss' text='Nord' xmlUrl='https://nord.example/rss' "
         b"xmlns:k='urn:kiosque:opml:1' k:verified='maybe'/></body></opml>",
         "verified must be true or false, not 'maybe'"),
    ],
)
def test_bad_opml_is_refused_with_a_reason(data: bytes, expected: str) -> None:
    with pytest.raises(SourceListError) as info:
        from_opml(data)
    assert expected in str(info.value)


def test_utf16_entity_declarations_are_refused_too() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE o [<!ENTITY a "b">]><opml/>'
    with pytest.raises(SourceListError, match="entity declarations"):
        from_opml(data.encode("utf-16"))


def test_empty_body_gives_no_sources() -> None:
    assert from_opml(b"<opml version='2.0'><head/><body/></opml>") == []
