"""Feed, sitemap and robots.txt documents for one simulated site.

Each function takes the articles visible at ``now`` and returns text; the server
encodes it in the site's charset. The documents deliberately vary the way real
publishers do: RSS with ``content:encoded`` or only a description, Atom with HTML
content or a summary, a JSON Feed, three ways of attaching an image or none, local
time zones, tracking parameters, duplicate items and, for one site, a bare ``&``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape as html_escape
from xml.sax.saxutils import escape, quoteattr

from kiosque.simulator.entities import SECTION_KEYS
from kiosque.simulator.sites import SimSite, SiteSpec
from kiosque.simulator.timeline import SimArticle

TRACKING = "utm_source=rss&utm_medium=feed"
FEED_ITEMS = 25
_CDATA_SITES = frozenset({"vigie-detroit", "messager-littoral"})
_PERMALINK_GUID_SITES = frozenset({"vigie-detroit", "atalaya-digital", "harbour-ledger"})


def rfc822(when: datetime, spec: SiteSpec) -> str:
    """An RSS date in the site's own time zone (e.g. ``+0100``)."""
    return format_datetime(when.astimezone(spec.tz))


def rfc3339(when: datetime, spec: SiteSpec) -> str:
    """An Atom/JSON date in the site's own time zone, ``Z`` for UTC sites."""
    text = when.astimezone(spec.tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def http_date(when: datetime) -> str:
    """An HTTP-date (always GMT)."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


def feed_link(article: SimArticle, spec: SiteSpec) -> str:
    """The item link; sites with ``tracking_params`` add utm parameters to it."""
    if "tracking_params" in spec.faults:
        return f"{article.url}?{TRACKING}"
    return article.url


def duplicated(article: SimArticle, spec: SiteSpec) -> bool:
    """Whether a ``duplicate_guid`` site lists this item twice."""
    return "duplicate_guid" in spec.faults and article.n % 5 == 0


def content_html(article: SimArticle, now: datetime) -> str:
    """The article body as simple HTML paragraphs (with the update once it is out)."""
    return "".join(f"<p>{html_escape(p, quote=False)}</p>" for p in article.paragraphs_at(now))


def guid(article: SimArticle, spec: SiteSpec) -> str:
    """A stable identifier that does not depend on the port the site is served on."""
    return f"tag:{spec.slug}.sim,2020:article-{article.n}"


def _rss_item(article: SimArticle, spec: SiteSpec, site: SimSite, now: datetime,
              broken: bool) -> str:
    lex = spec.lexicon
    title = escape(article.title)
    if broken:
        # Deliberately invalid XML: a bare ampersand.
        title = f"{title} & {lex.section_labels[article.section]}"
    if spec.slug in _PERMALINK_GUID_SITES:
        guid_xml = f'<guid isPermaLink="true">{escape(article.url)}</guid>'
    else:
        guid_xml = f'<guid isPermaLink="false">{escape(guid(article, spec))}</guid>'
    parts = [
        "<item>",
        f"<title>{title}</title>",
        f"<link>{escape(feed_link(article, spec))}</link>",
        guid_xml,
        f"<pubDate>{rfc822(article.published, spec)}</pubDate>",
        f"<dc:creator>{escape(article.author)}</dc:creator>",
        f"<category>{escape(lex.section_labels[article.section])}</category>",
        f"<description>{escape(article.summary)}</description>",
    ]
    if spec.full_content:
        body = content_html(article, now)
        if spec.slug in _CDATA_SITES:
            parts.append(f"<content:encoded><![CDATA[{body}]]></content:encoded>")
        else:
            parts.append(f"<content:encoded>{escape(body)}</content:encoded>")
    image = site.base_url + article.image_path
    if spec.image_mode == "enclosure":
        parts.append(f'<enclosure url={quoteattr(image)} length="0" type="image/jpeg"/>')
    elif spec.image_mode == "media":
        parts.append(f'<media:content url={quoteattr(image)} medium="image" '
                     'type="image/jpeg" width="600" height="400"/>')
    parts.append("</item>")
    return "\n".join(parts)


def render_rss(spec: SiteSpec, site: SimSite, articles: list[SimArticle], now: datetime) -> str:
    """An RSS 2.0 document for the given (newest first) articles."""
    lex = spec.lexicon
    items: list[str] = []
    broken_at = len(articles) // 2 if "broken_xml" in spec.faults else -1
    for i, article in enumerate(articles):
        item = _rss_item(article, spec, site, now, broken=i == broken_at)
        items.append(item)
        if duplicated(article, spec):
            items.append(item)
    newest = max((a.modified_at(now) for a in articles), default=now)
    return "\n".join([
        f'<?xml version="1.0" encoding="{spec.encoding}"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{escape(spec.name)}</title>",
        f"<link>{site.base_url}/</link>",
        f"<description>{escape(lex.ui['tagline'])}</description>",
        f"<language>{spec.lang}</language>",
        f"<lastBuildDate>{rfc822(newest, spec)}</lastBuildDate>",
        "<ttl>15</ttl>",
        f'<atom:link href={quoteattr(site.feed_url)} rel="self" '
        'type="application/rss+xml"/>',
        *items,
        "</channel>",
        "</rss>",
        "",
    ])


def _atom_entry(article: SimArticle, spec: SiteSpec, site: SimSite, now: datetime) -> str:
    lex = spec.lexicon
    parts = [
        "<entry>",
        f"<title>{escape(article.title)}</title>",
        f"<id>{guid(article, spec)}</id>",
        f'<link rel="alternate" type="text/html" href={quoteattr(feed_link(article, spec))}/>',
        f"<published>{rfc3339(article.published, spec)}</published>",
        f"<updated>{rfc3339(article.modified_at(now), spec)}</updated>",
        f"<author><name>{escape(article.author)}</name></author>",
        f'<category term={quoteattr(article.section_slug)} '
        f"label={quoteattr(lex.section_labels[article.section])}/>",
        f'<summary type="text">{escape(article.summary)}</summary>',
    ]
    if spec.full_content:
        parts.append(f'<content type="html">{escape(content_html(article, now))}</content>')
    image = site.base_url + article.image_path
    if spec.image_mode == "enclosure":
        parts.append(f'<link rel="enclosure" type="image/jpeg" href={quoteattr(image)}/>')
    elif spec.image_mode == "media":
        parts.append(f'<media:content url={quoteattr(image)} medium="image" '
                     'type="image/jpeg"/>')
    parts.append("</entry>")
    return "\n".join(parts)


def render_atom(spec: SiteSpec, site: SimSite, articles: list[SimArticle], now: datetime) -> str:
    """An Atom 1.0 document for the given (newest first) articles."""
    entries: list[str] = []
    for article in articles:
        entry = _atom_entry(article, spec, site, now)
        entries.append(entry)
        if duplicated(article, spec):
            entries.append(entry)
    newest = max((a.modified_at(now) for a in articles), default=now)
    return "\n".join([
        f'<?xml version="1.0" encoding="{spec.encoding}"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" '
        f'xmlns:media="http://search.yahoo.com/mrss/" xml:lang="{spec.lang}">',
        f"<title>{escape(spec.name)}</title>",
        f"<subtitle>{escape(spec.lexicon.ui['tagline'])}</subtitle>",
        f"<id>tag:{spec.slug}.sim,2020:feed</id>",
        f"<updated>{rfc3339(newest, spec)}</updated>",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(site.feed_url)}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(site.base_url + "/")}/>',
        *entries,
        "</feed>",
        "",
    ])


def render_jsonfeed(
    spec: SiteSpec, site: SimSite, articles: list[SimArticle], now: datetime
) -> str:
    """A JSON Feed 1.1 document for the given (newest first) articles."""
    lex = spec.lexicon
    items = []
    for article in articles:
        item: dict[str, object] = {
            "id": guid(article, spec),
            "url": feed_link(article, spec),
            "title": article.title,
            "summary": article.summary,
            "date_published": rfc3339(article.published, spec),
            "date_modified": rfc3339(article.modified_at(now), spec),
            "authors": [{"name": article.author}],
            "tags": [lex.section_labels[article.section]],
            "language": spec.lang,
            "image": site.base_url + article.image_path,
        }
        if spec.full_content:
            item["content_html"] = content_html(article, now)
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.name,
        "home_page_url": site.base_url + "/",
        "feed_url": site.feed_url,
        "description": lex.ui["tagline"],
        "language": spec.lang,
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


RENDERERS = {"rss": render_rss, "atom": render_atom, "jsonfeed": render_jsonfeed}

CONTENT_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "jsonfeed": "application/feed+json",
}


def render_news_sitemap(spec: SiteSpec, site: SimSite, articles: list[SimArticle]) -> str:
    """A Google News sitemap of the given articles (the last two days)."""
    urls = []
    for article in articles:
        urls.append(
            "<url>"
            f"<loc>{escape(article.url)}</loc>"
            "<news:news><news:publication>"
            f"<news:name>{escape(spec.name)}</news:name>"
            f"<news:language>{spec.lang}</news:language>"
            "</news:publication>"
            f"<news:publication_date>{rfc3339(article.published, spec)}"
            "</news:publication_date>"
            f"<news:title>{escape(article.title)}</news:title>"
            "</news:news>"
            f"<image:image><image:loc>{site.base_url}{article.image_path}</image:loc>"
            "</image:image>"
            "</url>"
        )
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">',
        *urls,
        "</urlset>",
        "",
    ])


def render_sitemap_index(site: SimSite, now: datetime, spec: SiteSpec) -> str:
    """The sitemap index that robots.txt points to."""
    stamp = rfc3339(now, spec)
    children = ("/news-sitemap.xml", "/sitemap-sections.xml")
    body = "".join(
        f"<sitemap><loc>{site.base_url}{path}</loc><lastmod>{stamp}</lastmod></sitemap>"
        for path in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}\n</sitemapindex>\n"
    )


def render_sections_sitemap(site: SimSite, spec: SiteSpec) -> str:
    """A plain sitemap of the home page and section pages."""
    paths = ["/"] + [f"/{spec.lexicon.section_slugs[key]}/" for key in SECTION_KEYS]
    body = "".join(f"<url><loc>{site.base_url}{path}</loc></url>" for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}\n</urlset>\n"
    )


def render_robots(site: SimSite) -> str:
    """robots.txt: everything allowed but a private area; the sitemap when there is one."""
    lines = ["User-agent: *", "Disallow: /private/", "Allow: /", ""]
    if site.sitemap_url:
        lines.append(f"Sitemap: {site.sitemap_url}")
    return "\n".join(lines) + "\n"
