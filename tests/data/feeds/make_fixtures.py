# ruff: noqa: E501  (fixture documents keep their natural line length)
"""Writes the feed fixtures of tests/parse in their charsets (run once; output committed).

The texts are invented for kiosque's tests. Keeping the generator next to the files
shows exactly which bytes each fixture holds and makes the legacy-charset files easy
to regenerate: editors tend to "fix" a windows-1256 file into UTF-8 silently.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

RSS_FR = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Le Quotidien du Port</title>
  <link>https://quotidien.example/</link>
  <description>Actualités inventées pour les tests</description>
  <language>fr-FR</language>
  <ttl>15</ttl>
  <atom:link href="https://quotidien.example/rss" rel="self" type="application/rss+xml"/>
  <item>
    <title>Le marché couvert rouvre après trois mois de travaux</title>
    <link>/ville/marche-couvert-rouvre</link>
    <guid isPermaLink="false">qdp-1001</guid>
    <pubDate>Mon, 03 Mar 2025 08:15:00 CET</pubDate>
    <dc:creator>Élodie Marchand</dc:creator>
    <category>Ville</category>
    <category>Commerce</category>
    <description><![CDATA[<p>Les étals sont de retour sous la halle rénovée.</p>]]></description>
    <content:encoded><![CDATA[<p>Les commerçants ont retrouvé leurs places <b>dès l'aube</b>.</p><p>La mairie promet un marché nocturne en été.</p>]]></content:encoded>
    <media:content url="https://cdn.quotidien.example/img/halle.jpg" medium="image" width="800"/>
  </item>
  <item>
    <title>Régates d'automne : le club nautique prépare sa 40&lt;sup&gt;e&lt;/sup&gt; édition</title>
    <link>https://quotidien.example/sport/regates</link>
    <guid>https://quotidien.example/sport/regates</guid>
    <pubDate>Sun, 02 Mar 2025 18:00:00 +0100</pubDate>
    <author>redaction@quotidien.example (Jules Navarre)</author>
    <description>Cinquante voiliers sont attendus &amp;amp; le public aussi. &lt;img src="/img/voiles.png" alt=""&gt;</description>
    <enclosure url="https://cdn.quotidien.example/img/regates.jpg" type="image/jpeg" length="1000"/>
  </item>
  <item>
    <title>Bibliothèque : horaires élargis le samedi</title>
    <guid isPermaLink="true">https://quotidien.example/culture/bibliotheque-horaires</guid>
    <pubDate>Sat, 01 Mar 2025 09:00 GMT</pubDate>
    <description>Ouverture jusqu'à 19 h dès le mois prochain.</description>
    <media:thumbnail url="https://cdn.quotidien.example/img/biblio-thumb.jpg"/>
  </item>
</channel>
</rss>
"""

RSS_ES_LATIN1 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0">
<channel>
  <title>Diario del Valle</title>
  <link>https://diario-valle.example/</link>
  <language>es</language>
  <item>
    <title>La cosecha de aceituna supera las previsiones en la comarca</title>
    <link>https://diario-valle.example/campo/cosecha-aceituna</link>
    <description>Los agricultores señalan que el año ha sido excepcional según la cooperativa.</description>
    <pubDate>Tue, 04 Mar 2025 10:30:00 +0100</pubDate>
    <category>Economía</category>
  </item>
  <item>
    <title>El puente viejo cerrará por obras durante dos semanas</title>
    <link>https://diario-valle.example/ciudad/puente-viejo</link>
    <description>Habrá desvíos señalizados por la avenida de los Almendros.</description>
    <pubDate>Mon, 03 Mar 2025 07:00:00 GMT</pubDate>
  </item>
</channel>
</rss>
"""

RSS_AR = """<?xml version="1.0" encoding="{enc}"?>
<rss version="2.0">
<channel>
  <title>صحيفة المدينة</title>
  <link>https://madina.example/</link>
  <language>ar</language>
  <item>
    <title>افتتاح مكتبة جديدة في وسط المدينة</title>
    <link>https://madina.example/culture/maktaba</link>
    <description>استقبلت المكتبة الجديدة مئات الزوار في يومها الأول.</description>
    <pubDate>Wed, 05 Mar 2025 12:00:00 +0100</pubDate>
    <category>ثقافة</category>
  </item>
  <item>
    <title>انطلاق موسم الصيد البحري بعد فترة الراحة</title>
    <link>https://madina.example/iqtisad/sayd</link>
    <description>يأمل الصيادون في موسم وفير هذا العام.</description>
    <pubDate>Tue, 04 Mar 2025 06:45:00 +0100</pubDate>
  </item>
</channel>
</rss>
"""

ATOM_EN = """<?xml version="1.0" encoding="utf-16"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB"
      xml:base="https://harbour-times.example/news/">
  <title>The Harbour Times</title>
  <link rel="alternate" type="text/html" href="https://harbour-times.example/"/>
  <link rel="self" href="https://harbour-times.example/atom.xml"/>
  <id>tag:harbour-times.example,2025:feed</id>
  <updated>2025-03-05T09:00:00Z</updated>
  <author><name>Newsroom</name></author>
  <entry>
    <title type="text">Ferry timetable changes &amp; what they mean</title>
    <link rel="alternate" type="text/html" href="ferry-timetable"/>
    <link rel="enclosure" type="image/png" href="/img/ferry.png"/>
    <id>tag:harbour-times.example,2025:1</id>
    <published>2025-03-05T08:30:00+01:00</published>
    <updated>2025-03-05T10:00:00+01:00</updated>
    <author><name>Ada Quayle</name></author>
    <category term="transport" label="Transport"/>
    <summary type="text">Two crossings move; one is new. Tea &lt;still&gt; served.</summary>
    <content type="html">&lt;p&gt;The morning ferry now leaves at &lt;em&gt;7:10&lt;/em&gt;.&lt;/p&gt;</content>
  </entry>
  <entry xml:base="https://harbour-times.example/sport/">
    <title type="html">Rowing club &lt;b&gt;wins&lt;/b&gt; the estuary cup</title>
    <link href="rowing-cup"/>
    <id>tag:harbour-times.example,2025:2</id>
    <updated>2025-03-04T17:45:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>A close finish by <strong>half a length</strong>.</p><img src="/img/cup.jpg"/></div></content>
  </entry>
</feed>
"""

ATOM03_FR = """<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#" xml:lang="fr">
  <title>Carnet de quartier</title>
  <link rel="alternate" type="text/html" href="https://carnet.example/"/>
  <modified>2025-03-02T12:00:00Z</modified>
  <entry>
    <title>Fête des voisins : inscriptions ouvertes</title>
    <link rel="alternate" type="text/html" href="https://carnet.example/fete-voisins"/>
    <id>tag:carnet.example,2025:fete</id>
    <issued>2025-03-02T11:00:00+01:00</issued>
    <modified>2025-03-02T12:00:00Z</modified>
    <author><name>Camille Rivière</name></author>
    <content type="text/html" mode="escaped">&lt;p&gt;Rendez-vous place des Tilleuls.&lt;/p&gt;</content>
  </entry>
</feed>
"""

RSS1_ES = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://boletin.example/rss">
    <title>Boletín Municipal</title>
    <link>https://boletin.example/</link>
    <dc:language>es-ES</dc:language>
    <items><rdf:Seq><rdf:li rdf:resource="https://boletin.example/n/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://boletin.example/n/1">
    <title>Nuevo horario de la piscina municipal</title>
    <link>https://boletin.example/n/1</link>
    <description>La piscina abrirá también los domingos por la tarde.</description>
    <dc:date>2025-03-01T09:00:00+01:00</dc:date>
    <dc:creator>Lucía Romero</dc:creator>
    <dc:subject>Deportes</dc:subject>
  </item>
  <item rdf:about="https://boletin.example/n/2">
    <title>Campaña de reciclaje en los colegios</title>
    <link>https://boletin.example/n/2</link>
    <dc:date>2025-02-28</dc:date>
  </item>
</rdf:RDF>
"""

RSS091_EN = """<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91">
<channel>
<title>Valley Gazette</title>
<link>http://gazette.example/</link>
<language>en-us</language>
<item>
<title>Caf&eacute; on Main Street wins&nbsp;award</title>
<link>http://gazette.example/cafe-award</link>
<description>The caf&eacute; was praised for its scones &mdash; again.</description>
</item>
<item>
<title>Library book sale this weekend</title>
<link>http://gazette.example/book-sale</link>
</item>
</channel>
</rss>
"""

JSONFEED_AR = """{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "نشرة الحي",
  "home_page_url": "https://nashra.example/",
  "feed_url": "https://nashra.example/feed.json",
  "language": "ar",
  "authors": [{"name": "هيئة التحرير"}],
  "items": [
    {
      "id": "n-1",
      "url": "https://nashra.example/akhbar/1",
      "title": "حملة لتنظيف الشاطئ يوم السبت",
      "content_html": "<p>يشارك المتطوعون في تنظيف الشاطئ صباح السبت.</p>",
      "summary": "متطوعون & شاطئ",
      "image": "/img/shati.jpg",
      "date_published": "2025-03-05T07:00:00+01:00",
      "tags": ["بيئة", "تطوع"]
    },
    {
      "id": 2,
      "external_url": "https://partner.example/story",
      "title": "Second item, in English",
      "content_text": "Plain text body with <angle> brackets.\\n\\nSecond paragraph.",
      "banner_image": "https://nashra.example/img/banner.jpg",
      "date_modified": "2025-03-04T10:00:00Z",
      "language": "en",
      "authors": [{"name": "Guest Writer"}]
    }
  ]
}
"""

JSONFEED10_EN = """{
  "version": "https://jsonfeed.org/version/1",
  "title": "Harbour Notes",
  "home_page_url": "https://notes.example/",
  "author": {"name": "Harbour Master"},
  "items": [
    {"id": "https://notes.example/tide-tables", "title": "Tide tables for March",
     "content_text": "High water at dawn all week.", "date_published": "2025-03-01T06:00:00Z"}
  ]
}
"""

SITEMAP_NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/sitemap.xsl"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://quotidien.example/ville/tramway-ligne-2</loc>
    <news:news>
      <news:publication><news:name>Le Quotidien du Port</news:name><news:language>fr</news:language></news:publication>
      <news:publication_date>2025-03-05T06:30:00+01:00</news:publication_date>
      <news:title><![CDATA[Tramway : la ligne 2 « en service dès l'été »]]></news:title>
      <news:keywords>transport, tramway</news:keywords>
    </news:news>
    <image:image><image:loc>https://cdn.quotidien.example/img/tram.jpg</image:loc></image:image>
  </url>
  <url>
    <loc>/economie/port-record</loc>
    <lastmod>2025-03-04</lastmod>
    <news:news>
      <news:publication><news:name>Le Quotidien du Port</news:name><news:language>fr</news:language></news:publication>
      <news:publication_date>2025-03-04</news:publication_date>
      <news:title>Trafic record au port de commerce</news:title>
    </news:news>
  </url>
</urlset>
<!-- generated by a sitemap plugin -->
"""

SITEMAP_PLAIN = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://diario-valle.example/campo/cosecha-aceituna</loc><lastmod>2025-03-04T10:30:00+01:00</lastmod></url>
  <url><loc>https://diario-valle.example/ciudad/puente-viejo</loc></url>
</urlset>
"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://madina.example/sitemap-news.xml</loc><lastmod>2025-03-05</lastmod></sitemap>
  <sitemap><loc>/sitemap-2025-03.xml</loc></sitemap>
  <sitemap><loc>https://madina.example/sitemap-news.xml</loc></sitemap>
</sitemapindex>
"""


def _items(count: int, start: int) -> str:
    return "".join(
        f"<item><title>Article {n}</title><link>https://broken.example/a/{n}</link>"
        f"<guid>https://broken.example/a/{n}</guid><description>Body {n}</description>"
        "</item>\n"
        for n in range(start, start + count)
    )


def _broken_head() -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            "<title>Broken Feed</title><link>https://broken.example/</link>\n")


BROKEN = {
    # a bare ampersand in a title, in the middle of the feed
    "broken_ampersand.xml": _broken_head() + _items(2, 1)
    + "<item><title>Fish & chips night</title><link>https://broken.example/a/3</link></item>\n"
    + _items(2, 4) + "</channel></rss>\n",
    # an item cut in the middle, followed by intact items
    "broken_truncated_item.xml": _broken_head() + _items(2, 1)
    + "<item><title>Cut short</title><link>https://broken.example/a/3</li\n"
    + _items(2, 4) + "</channel></rss>\n",
    # a missing closing tag (</description>) and no </channel></rss> at the end
    "broken_missing_close.xml": _broken_head() + _items(2, 1)
    + "<item><title>No close</title><link>https://broken.example/a/3</link>"
    "<description>Unclosed body</item>\n" + _items(2, 4),
    # HTML entities XML does not define
    "broken_entities.xml": _broken_head()
    + "<item><title>Caf&eacute;&nbsp;cr&egrave;me &amp; co</title>"
    "<link>https://broken.example/a/1</link></item>\n" + _items(1, 2)
    + "</channel></rss>\n",
    # an unclosed CDATA section: libxml2's recovery drops every item after it
    "broken_unclosed_cdata.xml": _broken_head() + _items(2, 1)
    + "<item><title><![CDATA[Never closed</title><link>https://broken.example/a/3</link>"
    "</item>\n" + _items(2, 4) + "</channel></rss>\n",
    # a '<' inside an attribute value, then an unclosed comment further down
    "broken_attribute_comment.xml": _broken_head() + _items(1, 1)
    + '<item><title lang="fr>Bad attribute</title><link>https://broken.example/a/2</link>'
    "</item>\n" + _items(1, 3) + "<item><!-- unclosed <title>Commented</title></item>\n"
    + _items(2, 5) + "</channel></rss>\n",
    # a PHP warning printed before the XML declaration
    "broken_garbage_prolog.xml": "\n<b>Warning</b>: something in /var/www/feed.php on line 3\n"
    + _broken_head() + _items(3, 1) + "</channel></rss>\n",
}

WRONG_CHARSET = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Écho des Collines</title><link>https://echo.example/</link>
<item><title>Randonnée guidée au lever du soleil</title><link>https://echo.example/rando</link>
<description>Départ à l'église, arrivée au belvédère.</description></item>
</channel></rss>
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Le Quotidien du Port</title>
<base href="https://quotidien.example/">
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Commentaires" href="/comments/feed">
<link rel="alternate" type="application/rss+xml" title="Le Quotidien du Port" href="/rss">
<link rel="alternate" type="application/atom+xml" title="Atom" href="https://quotidien.example/atom.xml">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" hreflang="en" href="https://quotidien.example/en/">
<link rel="alternate" type="application/rss+xml" href="/rss">
</head><body><h1>Accueil</h1><p>Page d'accueil inventée.</p></body></html>
"""


def main() -> None:
    files: dict[str, bytes] = {
        "rss2_fr_utf8.xml": RSS_FR.encode("utf-8"),
        "rss2_es_latin1.xml": RSS_ES_LATIN1.encode("iso-8859-1"),
        "rss2_ar_windows1256.xml": RSS_AR.format(enc="windows-1256").encode("cp1256"),
        "rss2_ar_utf8.xml": RSS_AR.format(enc="utf-8").encode("utf-8"),
        "atom10_en_utf16.xml": b"\xff\xfe" + ATOM_EN.encode("utf-16-le"),
        "atom03_fr.xml": ATOM03_FR.encode("utf-8"),
        "rss1_es.xml": RSS1_ES.encode("utf-8"),
        "rss091_en_entities.xml": RSS091_EN.encode("utf-8"),
        "jsonfeed11_ar.json": JSONFEED_AR.encode("utf-8"),
        "jsonfeed10_en.json": JSONFEED10_EN.encode("utf-8"),
        "sitemap_news_fr.xml": SITEMAP_NEWS.encode("utf-8"),
        "sitemap_plain_es.xml": SITEMAP_PLAIN.encode("utf-8"),
        "sitemap_index.xml": SITEMAP_INDEX.encode("utf-8"),
        "wrong_charset_fr_latin1.xml": WRONG_CHARSET.encode("iso-8859-1"),
        "page_fr.html": HTML_PAGE.encode("utf-8"),
    }
    files.update({name: text.encode("utf-8") for name, text in BROKEN.items()})
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
