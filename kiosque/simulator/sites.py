"""The fourteen invented publishers: who they are, how they publish, how they misbehave.

Each ``SiteSpec`` is static configuration (language, feed format, charset, faults,
cadence). A ``SimSite`` is that spec bound to a listening port, which is only known once
the server has bound its sockets when ephemeral ports are used.

Faults, per site (the names used in ``SimSite.faults``):

* ``slow`` – every response is delayed (``Simulator(slow_delay=...)``, 1.5 s by default).
* ``http503`` – every third request to the host answers 503 with ``Retry-After``.
* ``broken_xml`` – the feed has a bare ``&`` in the title of an item in the middle; a
  tolerant parser still recovers the items before and after it.
* ``legacy_charset`` – the feed (and pages) are served in ISO-8859-1 or windows-1256,
  declared in the XML declaration / ``<meta charset>`` and the Content-Type header.
* ``duplicate_guid`` – some items appear twice in the feed with the same guid.
* ``tracking_params`` – feed links carry ``utm_*`` parameters; the page's canonical is clean.
* ``no_feed_image`` – the feed carries no image; only the page's og:image has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone

from kiosque.models import Source
from kiosque.simulator.entities import SECTION_KEYS
from kiosque.simulator.lang_ar import AR
from kiosque.simulator.lang_en import EN
from kiosque.simulator.lang_es import ES
from kiosque.simulator.lang_fr import FR
from kiosque.simulator.lexicon import Lexicon

LEXICONS: dict[str, Lexicon] = {"fr": FR, "es": ES, "en": EN, "ar": AR}

FEED_PATHS = {"rss": "/rss.xml", "atom": "/atom.xml", "jsonfeed": "/feed.json"}


@dataclass(frozen=True, slots=True)
class SiteSpec:
    """Static description of one simulated publisher."""

    slug: str
    name: str
    lang: str
    country: str
    feed_kind: str  # rss | atom | jsonfeed
    full_content: bool
    encoding: str
    faults: tuple[str, ...]
    cadence: int  # relative weight, roughly articles per simulated day
    utc_offset_h: float
    image_mode: str  # enclosure | media | none (og:image only) | jsonfeed
    sitemap: bool
    staff: tuple[str, ...]
    arabic_style: str = ""  # see textgen.arabic_style
    feed_path: str = ""

    @property
    def tz(self) -> timezone:
        return timezone(timedelta(hours=self.utc_offset_h))

    @property
    def lexicon(self) -> Lexicon:
        return LEXICONS[self.lang]


SPECS: tuple[SiteSpec, ...] = (
    SiteSpec("vigie-detroit", "La Vigie du Détroit", "fr", "MA", "rss", True, "utf-8",
             (), 40, 1, "enclosure", True,
             ("Hélène Marchetti", "Youssef Amrani", "Rédaction de la Vigie")),
    SiteSpec("echo-cedres", "L'Écho des Cèdres", "fr", "MA", "atom", False, "utf-8",
             ("slow",), 22, 2, "enclosure", False,
             ("Chloé Benkirane", "Marc-Antoine Leroux", "Inès Fadili")),
    SiteSpec("journal-remparts", "Le Journal des Remparts", "fr", "MA", "rss", False,
             "iso-8859-1", ("legacy_charset", "no_feed_image"), 18, 1, "none", False,
             ("Rédaction", "Noël Besançon", "Aïcha Régragui"), feed_path="/feed/"),
    SiteSpec("messager-littoral", "Le Messager du Littoral", "fr", "MA", "rss", True,
             "utf-8", ("tracking_params", "duplicate_guid"), 25, 0, "media", True,
             ("Sophie Delcourt", "Driss Naciri", "Agathe Sénéchal")),
    SiteSpec("horizon-numerique", "L'Horizon Numérique", "fr", "MA", "jsonfeed", True, "utf-8",
             (), 10, 1, "jsonfeed", False, ("Lina Chaoui", "Paul Ferrand")),
    SiteSpec("sada-wahat", "صدى الواحات", "ar", "MA", "rss", True, "windows-1256",
             ("legacy_charset",), 30, 3, "enclosure", False,
             ("عبد الله المنصوري", "سناء بلحاج", "هيئة التحرير"), arabic_style="diacritics"),
    SiteSpec("nabd-daffatayn", "نبض الضفتين", "ar", "MA", "atom", False, "utf-8",
             ("http503",), 24, 1, "enclosure", False,
             ("رضوان القاسمي", "إيمان الشرقاوي"), arabic_style="bare_alif"),
    SiteSpec("marsad-raqmi", "المرصد الرقمي اليومي", "ar", "MA", "rss", False, "utf-8",
             ("broken_xml",), 28, 1, "media", True,
             ("منير الصقلي", "نوال البقالي", "المرصد"), arabic_style="tatweel"),
    SiteSpec("akhbar-sahil", "أخبار الساحل الآن", "ar", "MA", "atom", True, "utf-8",
             ("tracking_params",), 20, 2, "enclosure", False,
             ("ياسين العثماني", "حنان الفيلالي"), arabic_style="eastern_digits"),
    SiteSpec("manarat-atlas", "منارة الأطلس", "ar", "MA", "rss", True, "utf-8",
             ("duplicate_guid", "no_feed_image"), 16, 0, "none", True,
             ("سعيد الوردي", "لبنى الحسني"), arabic_style="taa_ha"),
    SiteSpec("atalaya-digital", "La Atalaya Digital", "es", "ES", "rss", True, "utf-8",
             (), 14, 1, "enclosure", True,
             ("Marta Quiñones", "Álvaro Peñalver", "Redacción")),
    SiteSpec("cronica-orillas", "Crónica de Dos Orillas", "es", "ES", "atom", False,
             "utf-8", (), 10, 2, "enclosure", False,
             ("Jesús Ibáñez", "Carmen Ruiz-Olmo")),
    SiteSpec("harbour-ledger", "The Harbour Ledger", "en", "GB", "rss", False, "utf-8",
             (), 12, -5, "enclosure", False, ("Eleanor Pryce", "Martin Oduya")),
    SiteSpec("northgate-wire", "Northgate Evening Wire", "en", "GB", "atom", True, "utf-8",
             (), 10, 0, "media", True, ("Fiona McAllister", "Dev Raman", "Staff reporter")),
)

SPEC_BY_SLUG: dict[str, SiteSpec] = {spec.slug: spec for spec in SPECS}


def feed_path(spec: SiteSpec) -> str:
    """The path of a site's feed (some sites use the WordPress-like ``/feed/``)."""
    return spec.feed_path or FEED_PATHS[spec.feed_kind]


@dataclass(frozen=True)
class SimSite:
    """One generated publisher bound to its listening port."""

    slug: str
    name: str
    lang: str
    port: int
    base_url: str
    feed_url: str
    sitemap_url: str | None
    feed_kind: str
    full_content: bool
    encoding: str
    faults: tuple[str, ...]
    sections: tuple[str, ...]

    def as_source(self) -> Source:
        """The site as a kiosque ``Source`` pointing at its feed."""
        spec = SPEC_BY_SLUG[self.slug]
        return Source(
            slug=self.slug,
            name=self.name,
            feed_url=self.feed_url,
            homepage=self.base_url,
            lang=self.lang,
            country=spec.country,
            description=spec.lexicon.ui["tagline"],
            verified=True,
        )


def bind_site(spec: SiteSpec, host: str, port: int) -> SimSite:
    """Bind a spec to the port it is served on."""
    base = f"http://{host}:{port}"
    return SimSite(
        slug=spec.slug,
        name=spec.name,
        lang=spec.lang,
        port=port,
        base_url=base,
        feed_url=base + feed_path(spec),
        sitemap_url=base + "/sitemap.xml" if spec.sitemap else None,
        feed_kind=spec.feed_kind,
        full_content=spec.full_content,
        encoding=spec.encoding,
        faults=spec.faults,
        sections=tuple(spec.lexicon.section_slugs[key] for key in SECTION_KEYS),
    )


def default_base_urls(host: str = "127.0.0.1", base_port: int = 8100) -> tuple[str, ...]:
    """Base URLs of all sites on consecutive ports, as ``generate_corpus`` names them."""
    return tuple(f"http://{host}:{base_port + i}" for i in range(len(SPECS)))
