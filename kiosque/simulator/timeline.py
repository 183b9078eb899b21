"""The simulated news timeline: which articles exist, as a pure function of (seed, time).

Time is cut into UTC hours. Each hour's events are drawn from an RNG seeded with
(seed, hour) alone, so any hour can be generated on its own, in any order, by any
process, and always yields the same news. An event is covered by one to five sites,
each after its own delay (up to ``MAX_DELAY_S``); agency dispatches are written once and
republished by several sites of the agency's language. Nothing here does I/O.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from kiosque.simulator.entities import (
    AGENCIES,
    CLUBS,
    COUNTRIES,
    LANG_INDEX,
    ORGS,
    PEOPLE,
    PLACES,
    ROLES,
    SECTION_KEYS,
    TOPICS,
)
from kiosque.simulator.sites import SPECS, SiteSpec, default_base_urls
from kiosque.simulator.textgen import (
    arabic_style,
    fmt_int,
    fmt_pct,
    headline,
    pick_fill,
    slugify,
    write_body,
)

HOUR_S = 3600
MAX_DELAY_S = 6 * HOUR_S
SITES_PER_NUMBER = 16  # article number n = story_id * 16 + site index
EVENTS_PER_HOUR_CAP = 64  # story_id = hour * 64 + k

_SECTION_WEIGHTS = (0.26, 0.25, 0.19, 0.15, 0.15)
_COVERAGE_SIZES = (1, 2, 3, 4, 5)
_COVERAGE_WEIGHTS = (0.18, 0.32, 0.25, 0.15, 0.10)
_AGENCY_SHARE = 0.15
_UPDATE_SHARE = 0.12
_SAME_LANGUAGE_SHARE = 0.5
_CADENCES = tuple(spec.cadence for spec in SPECS)
_EVENTS_PER_DAY = sum(_CADENCES) / 2.7  # mean coverage is about 2.7 sites


@dataclass(frozen=True, slots=True)
class SimArticle:
    """One article as one site published it: the ground truth for evaluations.

    ``section`` is the language-neutral key (politics, economy, sport, culture, world);
    ``section_slug`` the site's own word for it in URLs. ``paragraphs`` is the text as
    first published; when ``updated`` is set the site later appends
    ``update_paragraph`` (see ``paragraphs_at``).
    """

    n: int
    site: str
    lang: str
    url: str
    path: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    section: str
    section_slug: str
    author: str
    story_id: int
    is_agency_copy: bool
    updated: datetime | None = None
    update_paragraph: str = ""

    @property
    def summary(self) -> str:
        return self.paragraphs[0]

    @property
    def image_path(self) -> str:
        return f"/img/{self.n}.jpg"

    @property
    def site_index(self) -> int:
        return self.n % SITES_PER_NUMBER

    def is_updated_at(self, when: datetime) -> bool:
        return self.updated is not None and when >= self.updated

    def paragraphs_at(self, when: datetime) -> tuple[str, ...]:
        """The body as the site shows it at ``when`` (with the update once it is out)."""
        if self.is_updated_at(when):
            return (*self.paragraphs, self.update_paragraph)
        return self.paragraphs

    def modified_at(self, when: datetime) -> datetime:
        """When the visible version of the article last changed, as of ``when``."""
        if self.updated is not None and when >= self.updated:
            return self.updated
        return self.published


@dataclass(frozen=True, slots=True)
class _Event:
    story_id: int
    at: float
    section: str
    numbers: tuple[int, ...]  # indices and figures, see _facts
    agency_lang: str
    coverage: tuple[tuple[int, int], ...]  # (site index, delay in seconds)


def _weighted_index(weights: list[float], rng: random.Random) -> int:
    point = rng.random() * sum(weights)
    for i, weight in enumerate(weights):
        point -= weight
        if point < 0:
            return i
    return len(weights) - 1


def _pick_sites(candidates: list[int], k: int, rng: random.Random) -> list[int]:
    chosen: list[int] = []
    pool = list(candidates)
    while pool and len(chosen) < k:
        i = _weighted_index([float(_CADENCES[s]) for s in pool], rng)
        chosen.append(pool.pop(i))
    return chosen


def _events(seed: int, hour: int) -> list[_Event]:
    rng = random.Random((seed << 40) + hour)
    hour_of_day = hour % 24
    factor = 0.4 if hour_of_day < 6 else 1.2
    mean = _EVENTS_PER_DAY / 24 * factor
    count = max(0, min(EVENTS_PER_HOUR_CAP, round(mean + (rng.random() - 0.5) * mean)))
    events: list[_Event] = []
    all_sites = list(range(len(SPECS)))
    for k in range(count):
        section = SECTION_KEYS[_weighted_index(list(_SECTION_WEIGHTS), rng)]
        people = rng.sample(range(len(PEOPLE)), 2)
        places = rng.sample(range(len(PLACES)), 2)
        clubs = rng.sample(range(len(CLUBS)), 2)
        numbers = (
            rng.randrange(len(TOPICS[section])),
            people[0],
            people[1],
            rng.randrange(len(ROLES[section])),
            places[0],
            places[1],
            rng.randrange(len(COUNTRIES)),
            rng.randrange(len(ORGS)),
            clubs[0],
            clubs[1],
            rng.randrange(5),
            rng.randrange(4),
            rng.randrange(12, 960),
            rng.randrange(8, 260),
            rng.randrange(12, 480) * 100 + rng.randrange(0, 100) * (rng.random() < 0.3),
            rng.randrange(10),
            rng.randrange(3, 40),
        )
        agency_lang = ""
        if rng.random() < _AGENCY_SHARE:
            agency_lang = ("fr", "ar", "fr", "ar", "es", "en")[int(rng.random() * 6)]
            same = [i for i in all_sites if SPECS[i].lang == agency_lang]
            sites = _pick_sites(same, 2 + int(rng.random() * 3), rng)
        else:
            size = _COVERAGE_SIZES[_weighted_index(list(_COVERAGE_WEIGHTS), rng)]
            first = _pick_sites(all_sites, 1, rng)[0]
            if rng.random() < _SAME_LANGUAGE_SHARE:
                rest = [i for i in all_sites if SPECS[i].lang == SPECS[first].lang]
            else:
                rest = all_sites
            rest = [i for i in rest if i != first]
            sites = [first, *_pick_sites(rest, size - 1, rng)]
        coverage = []
        for j, site in enumerate(sites):
            delay = rng.randrange(0, 2400) if j == 0 else rng.randrange(600, MAX_DELAY_S)
            coverage.append((site, delay))
        at = hour * HOUR_S + rng.random() * HOUR_S
        events.append(
            _Event(hour * EVENTS_PER_HOUR_CAP + k, at, section, numbers, agency_lang,
                   tuple(coverage))
        )
    return events


def _facts(event: _Event, lang: str, spec: SiteSpec) -> dict[str, str]:
    li = LANG_INDEX[lang]
    lex = spec.lexicon
    (topic, pa, pb, role, place, place2, country, org, club_a, club_b, sa, sb, big, pct,
     count, quote_i, few) = event.numbers
    weekday = datetime.fromtimestamp(event.at, UTC).weekday()
    return {
        "topic": TOPICS[event.section][topic][li],
        "pa": PEOPLE[pa][li],
        "pb": PEOPLE[pb][li],
        "ra": ROLES[event.section][role][li],
        "place": PLACES[place][li],
        "place2": PLACES[place2][li],
        "country": COUNTRIES[country][li],
        "org": ORGS[org][li],
        "club_a": CLUBS[club_a][li],
        "club_b": CLUBS[club_b][li],
        "sa": str(sa + 1),
        "sb": str(sb),
        "big": fmt_int(big, lex),
        "pct": fmt_pct(pct, lex),
        "count": fmt_int(count, lex),
        "day": lex.weekdays[weekday],
        "quote_i": str(quote_i),
        "few": str(few),
        "agency": AGENCIES[lang][1],
    }


def _article_path(spec: SiteSpec, section: str, title: str, n: int, published: datetime) -> str:
    local = published.astimezone(spec.tz)
    section_slug = spec.lexicon.section_slugs[section]
    slug = slugify(title) if spec.lang != "ar" else "article"
    return f"/{section_slug}/{local:%Y/%m/%d}/{slug or 'article'}-{n}.html"


def _event_articles(
    seed: int, event: _Event, base_urls: tuple[str, ...]
) -> Iterator[SimArticle]:
    agency_title = ""
    agency_body: list[str] = []
    agency_facts: dict[str, str] = {}
    if event.agency_lang:
        spec0 = next(s for s in SPECS if s.lang == event.agency_lang)
        arng = random.Random((seed << 40) + (1 << 39) + event.story_id)
        agency_facts = _facts(event, event.agency_lang, spec0)
        agency_title = headline(event.section, agency_facts, spec0.lexicon, arng)
        agency_body = write_body(event.section, agency_facts, spec0.lexicon, arng)
        place = PLACES[event.numbers[4]][LANG_INDEX[event.agency_lang]]
        dateline = spec0.lexicon.dateline.format(
            place=place.upper() if event.agency_lang != "ar" else place,
            agency=AGENCIES[event.agency_lang][1],
        )
        agency_body[0] = dateline + agency_body[0]
    published_base = event.at
    for site_index, delay in event.coverage:
        spec = SPECS[site_index]
        lex = spec.lexicon
        n = event.story_id * SITES_PER_NUMBER + site_index
        rng = random.Random((seed << 40) + (1 << 38) + n)
        published = datetime.fromtimestamp(int(published_base + delay), UTC)
        updated: datetime | None = None
        update_paragraph = ""
        if event.agency_lang:
            facts = dict(agency_facts)
            title = agency_title if rng.random() < 0.5 else headline(
                event.section, facts, lex, rng)
            paragraphs = list(agency_body)
            if rng.random() < 0.4:
                paragraphs.append(pick_fill(lex.agency_added, facts, lex, rng))
            author = AGENCIES[spec.lang][0]
        else:
            facts = _facts(event, spec.lang, spec)
            title = headline(event.section, facts, lex, rng)
            paragraphs = write_body(event.section, facts, lex, rng)
            author = spec.staff[int(rng.random() * len(spec.staff))]
            if rng.random() < _UPDATE_SHARE:
                updated = datetime.fromtimestamp(
                    int(published_base + delay) + rng.randrange(1800, 5 * HOUR_S), UTC)
                update_paragraph = pick_fill(lex.updates, facts, lex, rng)
        if spec.arabic_style:
            # Agency copy is pasted as the wire wrote it; only the site's own words
            # (headline, update) follow the site's spelling habits.
            style = spec.arabic_style
            title = arabic_style(title, style, is_title=True)
            if not event.agency_lang:
                paragraphs = [arabic_style(p, style) for p in paragraphs]
            update_paragraph = arabic_style(update_paragraph, style)
        path = _article_path(spec, event.section, title, n, published)
        yield SimArticle(
            n=n,
            site=spec.slug,
            lang=spec.lang,
            url=base_urls[site_index] + path,
            path=path,
            title=title,
            paragraphs=tuple(paragraphs),
            published=published,
            section=event.section,
            section_slug=lex.section_slugs[event.section],
            author=author,
            story_id=event.story_id,
            is_agency_copy=bool(event.agency_lang),
            updated=updated,
            update_paragraph=update_paragraph,
        )


def hour_articles(seed: int, hour: int, base_urls: tuple[str, ...]) -> list[SimArticle]:
    """Every article of the events that happened during ``hour`` (hours since the epoch).

    Their publication times spread over ``[hour, hour + 1 + MAX_DELAY_S / 3600)``.
    """
    articles: list[SimArticle] = []
    for event in _events(seed, hour):
        articles.extend(_event_articles(seed, event, base_urls))
    return articles


@lru_cache(maxsize=512)
def cached_hour_articles(
    seed: int, hour: int, base_urls: tuple[str, ...]
) -> tuple[SimArticle, ...]:
    """``hour_articles`` memoised for the server, which asks for the same hours often."""
    return tuple(hour_articles(seed, hour, base_urls))


def _hours_for(start: datetime, end: datetime) -> range:
    first = int(start.timestamp() - MAX_DELAY_S) // HOUR_S - 1
    last = int(end.timestamp()) // HOUR_S
    return range(first, last + 1)


def _aware(when: datetime) -> datetime:
    """Naive datetimes are taken as UTC, so callers cannot silently shift the window."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def iter_corpus(
    seed: int, start: datetime, end: datetime, base_urls: tuple[str, ...] | None = None
) -> Iterator[SimArticle]:
    """Stream every article published in ``[start, end)``, hour of event by hour."""
    urls = base_urls or default_base_urls()
    start, end = _aware(start), _aware(end)
    for hour in _hours_for(start, end):
        for article in hour_articles(seed, hour, urls):
            if start <= article.published < end:
                yield article


def generate_corpus(
    seed: int,
    start: datetime,
    end: datetime,
    *,
    base_urls: tuple[str, ...] | None = None,
) -> list[SimArticle]:
    """Ground truth: every article every site publishes in ``[start, end)``, by date.

    URLs use ``base_urls`` (one per site, in ``SPECS`` order), by default the ports
    8100.. on 127.0.0.1 that a ``Simulator()`` with default arguments serves; ``path`` is
    the same whatever the port.
    """
    articles = list(iter_corpus(seed, start, end, base_urls))
    articles.sort(key=lambda a: (a.published, a.n))
    return articles


def site_articles(
    seed: int, site_index: int, start: datetime, end: datetime, base_urls: tuple[str, ...]
) -> list[SimArticle]:
    """One site's articles published in ``[start, end)``, newest first (server side)."""
    found = [
        article
        for hour in _hours_for(start, end)
        for article in cached_hour_articles(seed, hour, base_urls)
        if article.site_index == site_index and start <= article.published < end
    ]
    found.sort(key=lambda a: (a.published, a.n), reverse=True)
    return found


def article_by_number(seed: int, n: int, base_urls: tuple[str, ...]) -> SimArticle | None:
    """The article numbered ``n``, whether or not it is published yet; None if unknown."""
    story_id = n // SITES_PER_NUMBER
    hour = story_id // EVENTS_PER_HOUR_CAP
    for article in cached_hour_articles(seed, hour, base_urls):
        if article.n == n:
            return article
    return None


def story_articles(seed: int, story_id: int, base_urls: tuple[str, ...]) -> list[SimArticle]:
    """Every site's article on one event (for 'related' links and tests)."""
    hour = story_id // EVENTS_PER_HOUR_CAP
    return [a for a in cached_hour_articles(seed, hour, base_urls) if a.story_id == story_id]
