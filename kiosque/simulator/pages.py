"""HTML pages of a simulated site: home, section listings and article pages.

Article pages wrap the body in the clutter that extraction has to see through on real
news sites (navigation, cookie banner, ads, related links, reader comments, footer) and
carry the metadata that extraction should prefer (canonical link, OpenGraph,
``article:published_time``, JSON-LD ``NewsArticle``, ``<html lang>``).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from html import escape

from kiosque.simulator.entities import PLACES, SECTION_KEYS
from kiosque.simulator.feeds import CONTENT_TYPES, rfc3339
from kiosque.simulator.sites import SimSite, SiteSpec
from kiosque.simulator.timeline import SimArticle

_STYLE = (
    "body{font-family:Georgia,serif;margin:0;color:#222}"
    ".site-header,.site-footer{background:#123;color:#fff;padding:1em}"
    ".site-header a,.site-footer a{color:#fff;margin-right:1em}"
    ".cookie-banner{position:fixed;bottom:0;background:#eee;padding:1em}"
    ".ad{border:1px dashed #999;padding:1em;margin:1em 0;text-align:center}"
    "main{max-width:46em;margin:auto;padding:1em}"
)


def _head(spec: SiteSpec, site: SimSite, title: str, extra: str = "") -> str:
    charset = spec.encoding
    feed_type = CONTENT_TYPES[spec.feed_kind]
    direction = ' dir="rtl"' if spec.lang == "ar" else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{spec.lang}"{direction}>\n<head>\n'
        f'<meta charset="{charset}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="alternate" type="{feed_type}" title="{escape(spec.name)}" '
        f'href="{site.feed_url}">\n'
        f"<style>{_STYLE}</style>\n{extra}</head>\n"
    )


def _header(spec: SiteSpec) -> str:
    lex = spec.lexicon
    links = "".join(
        f'<li><a href="/{lex.section_slugs[key]}/">{escape(lex.section_labels[key])}</a></li>'
        for key in SECTION_KEYS
    )
    return (
        '<div class="cookie-banner" id="cookie-consent" role="dialog">'
        f"<p>{escape(lex.ui['cookie'])}</p>"
        f'<button type="button">{escape(lex.ui["accept"])}</button></div>\n'
        '<header class="site-header">'
        f'<a class="logo" href="/">{escape(spec.name)}</a>'
        f'<p class="tagline">{escape(lex.ui["tagline"])}</p>'
        f'<nav class="main-nav"><ul><li><a href="/">{escape(lex.ui["home"])}</a></li>'
        f"{links}</ul></nav></header>\n"
    )


def _ad(spec: SiteSpec, slot: str) -> str:
    return (
        f'<div class="ad ad-{slot}" data-ad-slot="{slot}">'
        f'<span class="ad-label">{escape(spec.lexicon.ui["ad"])}</span>'
        '<a href="/private/ad-click" rel="sponsored nofollow">'
        '<span class="ad-creative">■ ■ ■</span></a></div>\n'
    )


def _footer(spec: SiteSpec, year: int) -> str:
    lex = spec.lexicon
    return (
        f'<div class="newsletter"><p>{escape(lex.ui["newsletter"])}</p>'
        '<form action="/private/newsletter" method="post"><input type="email" name="email">'
        f'<button>{escape(lex.ui["accept"])}</button></form></div>\n'
        '<footer class="site-footer">'
        f"<p>© {year} {escape(spec.name)}. {escape(lex.ui['rights'])}.</p>"
        f'<p><a href="/private/contact">{escape(lex.ui["contact"])}</a>'
        f'<a href="/private/legal">{escape(lex.ui["legal"])}</a></p></footer>\n'
    )


def _local_time(when: datetime, spec: SiteSpec) -> str:
    return when.astimezone(spec.tz).strftime("%d/%m/%Y %H:%M")


def _teaser_list(articles: list[SimArticle], spec: SiteSpec) -> str:
    items = "".join(
        f'<li><a href="{a.path}">{escape(a.title)}</a> '
        f'<time datetime="{rfc3339(a.published, spec)}">{_local_time(a.published, spec)}'
        "</time></li>"
        for a in articles
    )
    return f'<ul class="teasers">{items}</ul>'


def render_listing(
    spec: SiteSpec, site: SimSite, articles: list[SimArticle], now: datetime, heading: str
) -> str:
    """The home page or a section page: a list of the latest articles."""
    return (
        _head(spec, site, f"{heading} – {spec.name}")
        + "<body>\n"
        + _header(spec)
        + _ad(spec, "top")
        + f"<main><h1>{escape(heading)}</h1>{_teaser_list(articles, spec)}</main>\n"
        + _footer(spec, now.year)
        + "</body>\n</html>\n"
    )


def _comments(article: SimArticle, spec: SiteSpec, now: datetime) -> str:
    lex = spec.lexicon
    rng = random.Random(article.n * 40503)
    place = PLACES[rng.randrange(len(PLACES))][("fr", "es", "en", "ar").index(spec.lang)]
    blocks = []
    when = article.published
    for _ in range(2 + rng.randrange(6)):
        when = when + timedelta(minutes=5 + rng.randrange(90))
        if when > now:
            break
        text = lex.comments[rng.randrange(len(lex.comments))].format(place=place)
        name = lex.commenters[rng.randrange(len(lex.commenters))]
        blocks.append(
            '<div class="comment">'
            f'<p class="comment-author">{escape(name)}</p>'
            f'<time datetime="{rfc3339(when, spec)}">{_local_time(when, spec)}</time>'
            f'<p class="comment-text">{escape(text)}</p></div>'
        )
    return (
        f'<section class="comments" id="comments"><h2>{escape(lex.ui["comments"])} '
        f"({len(blocks)})</h2>{''.join(blocks)}</section>\n"
    )


def render_article(
    spec: SiteSpec,
    site: SimSite,
    article: SimArticle,
    related: list[SimArticle],
    now: datetime,
) -> str:
    """A full article page as the site serves it at ``now``."""
    lex = spec.lexicon
    image = site.base_url + article.image_path
    modified = article.modified_at(now)
    label = lex.section_labels[article.section]
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": rfc3339(article.published, spec),
        "dateModified": rfc3339(modified, spec),
        "author": [{"@type": "Organization" if article.is_agency_copy else "Person",
                    "name": article.author}],
        "image": [image],
        "inLanguage": spec.lang,
        "articleSection": label,
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.url},
        "publisher": {"@type": "Organization", "name": spec.name},
    }
    ld_json = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
    meta = (
        f'<link rel="canonical" href="{escape(article.url)}">\n'
        f'<meta name="description" content="{escape(article.summary)}">\n'
        f'<meta name="author" content="{escape(article.author)}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:site_name" content="{escape(spec.name)}">\n'
        f'<meta property="og:title" content="{escape(article.title)}">\n'
        f'<meta property="og:description" content="{escape(article.summary)}">\n'
        f'<meta property="og:url" content="{escape(article.url)}">\n'
        f'<meta property="og:image" content="{image}">\n'
        f'<meta property="article:published_time" '
        f'content="{rfc3339(article.published, spec)}">\n'
        f'<meta property="article:modified_time" content="{rfc3339(modified, spec)}">\n'
        f'<meta property="article:section" content="{escape(label)}">\n'
        '<script type="application/ld+json">'
        f"{ld_json}</script>\n"
    )
    body = "".join(f"<p>{escape(p, quote=False)}</p>\n" for p in article.paragraphs_at(now))
    related_html = "".join(
        f'<li><a href="{r.path}">{escape(r.title)}</a></li>' for r in related
    )
    return (
        _head(spec, site, f"{article.title} – {spec.name}", meta)
        + "<body>\n"
        + _header(spec)
        + _ad(spec, "top")
        + "<main>\n<article class=\"article\">\n"
        + f'<p class="breadcrumb"><a href="/">{escape(lex.ui["home"])}</a> › '
        + f'<a href="/{article.section_slug}/">{escape(label)}</a></p>\n'
        + f'<h1 class="headline">{escape(article.title)}</h1>\n'
        + f'<p class="byline">{escape(lex.ui["by"])} <span class="author">'
        + f"{escape(article.author)}</span> · {escape(lex.ui['published'])} "
        + f'<time datetime="{rfc3339(article.published, spec)}">'
        + f"{_local_time(article.published, spec)}</time></p>\n"
        + f'<figure class="lead-image"><img src="{article.image_path}" width="600" '
        + f'height="400" alt="{escape(article.title)}"></figure>\n'
        + f'<div class="article-body">\n{body}</div>\n'
        + "</article>\n"
        + _ad(spec, "inline")
        + f'<aside class="related"><h2>{escape(lex.ui["related"])}</h2>'
        + f"<ul>{related_html}</ul></aside>\n"
        + _comments(article, spec, now)
        + "</main>\n"
        + _footer(spec, now.year)
        + "</body>\n</html>\n"
    )
