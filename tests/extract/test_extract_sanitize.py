"""The sanitizer against hostile HTML: nothing executable may survive, benign markup
must, and every kept URL is absolute http(s)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from kiosque.extract import sanitize_html
from kiosque.extract.sanitize import ALLOWED_TAGS, LINK_REL

BASE = "https://news.example.ma/2026/03/article.html"

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"java&#x09;script:alert(1)\">tab</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\" \x01javascript:alert(1)\">ctl</a>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">d</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<svg onload=alert(1)><circle r=5></circle></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"https://evil.example/x.swf\"></object><embed src=x.swf>",
    "<p style=\"background:url(javascript:alert(1))\">styled</p>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<div onmouseover=\"alert(1)\">hover</div>",
    "<body onload=alert(1)>",
    "<form action=\"https://evil.example\">"
    "<button formaction=javascript:alert(1)>b</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">ok</a>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><script>alert(1)</script></template>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<table background=\"javascript:alert(1)\"><tr><td>t</td></tr></table>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1);//<</script>",
    "<img src=\"x\" alt=\"\" onerror=\"alert(1)\" /><p>after</p>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">newline</a>",
    "<xmp><script>alert(1)</script></xmp>",
    "<img srcset=\"javascript:alert(1) 1x\" src=\"https://ok.example/a.png\">",
    "<!--<img src=x onerror=alert(1)>-->",
    "<a href=\"http://ok.example\"><svg><a xlink:href=\"javascript:alert(1)\">s</a></svg></a>",
]


def _assert_inert(clean: str) -> None:
    lowered = clean.lower()
    for needle in ("<script", "javascript:", "vbscript:", "data:", "onerror", "onload",
                   "onclick", "<iframe", "<svg", "<math", "<style", "style=", "<object",
                   "<embed", "<form", "<meta", "<base", "<link", "srcset"):
        assert needle not in lowered, (needle, clean)
    if not clean.strip():
        return
    root = lxml_html.fragment_fromstring(clean, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str) or element is root:
            continue
        assert element.tag in ALLOWED_TAGS, clean
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on")
            if name in ("href", "src"):
                parts = urlsplit(value)
                assert parts.scheme in ("http", "https") and parts.netloc, clean


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_executable_survives(payload: str) -> None:
    _assert_inert(sanitize_html(payload, BASE))
    _assert_inert(sanitize_html(payload))
    _assert_inert(sanitize_html(f"<p>{payload}</p>{payload}", BASE))


def test_enough_payloads() -> None:
    assert len(XSS_PAYLOADS) >= 20


def test_benign_markup_is_kept_and_urls_resolved() -> None:
    dirty = (
        "<h2>Titre</h2><p>Texte <strong>gras</strong> et <em>italique</em> "
        "<a href='../autre.html' class='x' target='_blank'>lien</a></p>"
        "<ul><li>un</li></ul><blockquote>citation</blockquote>"
        "<figure><img src='/img/a.jpg' alt='photo' width='640' height='abc'>"
        "<figcaption>Légende</figcaption></figure>"
        "<table><tr><th colspan='2'>T</th></tr><tr><td>1</td><td>2</td></tr></table>"
    )
    clean = sanitize_html(dirty, BASE)
    root = lxml_html.fragment_fromstring(clean, create_parent="div")
    link = root.find(".//a")
    assert link is not None
    assert link.get("href") == "https://news.example.ma/2026/autre.html"
    assert link.get("rel") == LINK_REL
    assert link.get("class") is None and link.get("target") is None
    img = root.find(".//img")
    assert img is not None
    assert img.get("src") == "https://news.example.ma/img/a.jpg"
    assert img.get("alt") == "photo" and img.get("width") == "640"
    assert img.get("height") is None
    for tag in ("h2", "strong", "em", "ul", "li", "blockquote", "figure", "figcaption",
                "table", "th", "td"):
        assert root.find(f".//{tag}") is not None, tag
    header = root.find(".//th")
    assert header is not None and header.get("colspan") == "2"


def test_relative_urls_without_base_are_dropped() -> None:
    clean = sanitize_html("<a href='/x'>x</a><img src='y.png'>")
    assert "href" not in clean and "src" not in clean
    assert "x" in clean


def test_headings_above_h4_and_h1_are_unwrapped() -> None:
    clean = sanitize_html("<h1>Big</h1><h5>small</h5><div><span>t</span></div>")
    assert "<h1" not in clean and "<h5" not in clean and "<div" not in clean
    assert "Big" in clean and "small" in clean and "t" in clean


def test_empty() -> None:
    assert sanitize_html("") == ""
