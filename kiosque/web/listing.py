"""One article of a list, as HTML, written in Python rather than in a template.

Why: list items are the most repeated markup of the site (a story's coverage beside each
of its articles, a source's latest, the home page's sections), and on the article page
the coverage items are mostly new ones, since readers spread over a large archive. A
template costs a fresh context and a dozen calls per item; this function is a few
escapes and one f-string, about six times cheaper. The only part left to a template is
the lead image (``partials/item_image.html``), whose markup is shared with the article
page and which the caller renders only when the item shows one.

Every value from a publisher goes through ``escape``: titles, sources, sections and
authors are plain text and must never become markup.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment
from jinja2.filters import do_truncate
from markupsafe import escape

from kiosque.store.read import ArticleView
from kiosque.web import dates, urls
from kiosque.web.i18n import content_dir, gettext_for

SUMMARY_CHARS = 220


@cache
def _lang_tag_title(lang: str) -> str:
    return str(escape(gettext_for(lang)("Language of the article")))


@cache
def _truncating_env() -> Environment:
    """Jinja's ``truncate`` reads its leeway from an environment's policies: the default
    ones, as in the site's templates, so summaries are cut exactly where they were."""
    return Environment()


def item_html(lang: str, a: ArticleView, show_source: bool, show_summary: bool,
              figure: str = "") -> str:
    """The ``<li>`` of ``a`` in UI language ``lang``; ``figure`` is its image, if shown."""
    text_lang = escape(a.lang)
    text_dir = content_dir(a.lang)
    source = (
        f'<a class="source" dir="auto" href="{escape(urls.source(lang, a.source_slug))}">'
        f'{escape(a.source_name)}</a> <span aria-hidden="true">·</span> '
        if show_source else ""
    )
    section = (
        f' <span aria-hidden="true">·</span> <a class="section" dir="auto" '
        f'href="{escape(urls.section(lang, a.section))}">{escape(a.section)}</a>'
        if a.section else ""
    )
    lang_tag = (
        f'<span class="lang-tag" title="{_lang_tag_title(lang)}">{text_lang}</span>'
        if a.lang else ""
    )
    summary = (
        f'    <p class="summary" lang="{text_lang}" dir="{text_dir}">'
        f"{escape(do_truncate(_truncating_env(), a.summary, SUMMARY_CHARS))}</p>\n"
        if a.summary and show_summary else ""
    )
    return (
        '  <li class="article-item">\n'
        f"{figure}"
        '    <h3 class="article-title"><a href="'
        f'{escape(urls.article(lang, a.source_slug, a.id))}" lang="{text_lang}" '
        f'dir="{text_dir}">{escape(a.title)}</a></h3>\n'
        '    <p class="meta">\n'
        f'      {source}<time datetime="{dates.iso(a.published_at)}">'
        f"{escape(dates.date_time(a.published_at, lang))}</time>{section}{lang_tag}\n"
        "    </p>\n"
        f"{summary}"
        "  </li>"
    )
