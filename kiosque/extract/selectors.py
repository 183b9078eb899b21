"""Every selector and metadata field name the extractor relies on, in one place.

Publishers change their markup far more often than we change our logic; keeping the
names here means a fix for a new site layout is a one-line edit in a single file, and
reviewers can see at a glance which signals we trust and in which order.
"""

from __future__ import annotations

# <meta> names/properties, most trusted first. Keys are compared lowercased.
META_TITLE: tuple[str, ...] = ("og:title", "twitter:title", "dc.title", "title")
META_AUTHOR: tuple[str, ...] = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)
META_PUBLISHED: tuple[str, ...] = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date",
    "date",
)
META_IMAGE: tuple[str, ...] = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
)
META_URL: tuple[str, ...] = ("og:url", "twitter:url")
META_LOCALE: tuple[str, ...] = ("og:locale", "dc.language", "language", "content-language")
META_SITE_NAME: tuple[str, ...] = ("og:site_name", "application-name")
META_DESCRIPTION: tuple[str, ...] = ("description", "og:description", "twitter:description")

# JSON-LD types that describe the article itself (compared lowercased).
JSONLD_ARTICLE_TYPES: frozenset[str] = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "scholarlyarticle",
        "techarticle",
        "report",
        "webpage",
    }
)

# XPath queries used on the parsed page.
XPATH_META = "//meta[@content]"
XPATH_JSONLD = "//script[@type='application/ld+json']"
XPATH_LINKS = "//link[@rel][@href]"
REL_CANONICAL = "canonical"
XPATH_TITLE = "//title"
XPATH_H1 = "//h1"
XPATH_TIME_PUBLISHED = (
    "//time[@datetime][@itemprop='datePublished' or contains(@class, 'publish')]"
    " | //*[@itemprop='datePublished'][@content or @datetime]"
)
XPATH_AUTHOR_ITEMPROP = "//*[@itemprop='author']"
XPATH_REL_AUTHOR = "//a[@rel='author']"
XPATH_BYLINE = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' byline ')"
    " or contains(@class, 'author-name') or contains(@class, 'author__name')"
    " or contains(@class, 'byline__name')]"
)
# Words publishers put before a name in a byline (compared case-insensitively).
BYLINE_PREFIXES: tuple[str, ...] = (
    "view all posts by", "all posts by", "posted by", "written by", "by", "par", "por",
    "publié par", "escrito por", "بقلم", "كتب", "zeige alle beiträge von", "von",
)
BYLINE_MAX_CHARS = 80
XPATH_IMAGES = "//img[@src]"

# Smallest declared size for an <img> to stand in as the lead image.
LEAD_IMAGE_MIN_SIDE = 300

# Boilerplate that trafilatura sometimes keeps, removed before it looks at the page.
# Whole class/id tokens only: substring matches hit WordPress body classes such as
# "comments-open" and removed entire articles on the benchmark.
BOILERPLATE_TOKENS: tuple[str, ...] = (
    "cookie-banner",
    "cookie-consent",
    "cookie-notice",
    "cookies",
    "consent",
    "gdpr",
    "newsletter",
    "advert",
    "advertisement",
    "adsbygoogle",
    "ad-slot",
    "related",
    "related-articles",
    "related-posts",
    "also-read",
    "comments",
    "social-share",
    "share-buttons",
    "breadcrumb",
    "breadcrumbs",
)


# Elements that are page furniture whatever their class says, when they look like menus.
BOILERPLATE_TAGS: tuple[str, ...] = ("nav",)
MENU_LINK_SHARE = 0.5  # a <nav> goes only when at least this share of its words are links
BOILERPLATE_ROLES: tuple[str, ...] = ("navigation", "dialog", "alertdialog")
# Containers never pruned even when a class matches (WordPress puts "comments-open" and
# the like on <body>; an <article class="related"> may still hold the story).
NEVER_PRUNED: tuple[str, ...] = ("html", "body", "main", "article")

# Tags whose content never belongs to readable text.
NON_CONTENT_TAGS: tuple[str, ...] = ("script", "style", "noscript", "template", "svg", "math")
