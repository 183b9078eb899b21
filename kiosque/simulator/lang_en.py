"""English wording for the simulated press."""

from __future__ import annotations

from kiosque.simulator.lexicon import Lexicon

EN = Lexicon(
    lang="en",
    headlines={
        "politics": (
            "{pa} defends {topic} before parliament",
            "In {place}, {pa} vows to speed up {topic}",
            "Opposition demands debate on {topic} as {pa} urges patience",
            "Parliament passes first reading of {topic}",
        ),
        "economy": (
            "{org} unveils {big} million dirham investment in {place}",
            "Households worried as {topic} rises {pct} in a year",
            "{topic} drives regional growth in {place}",
            "{pa} presents plan to revive {topic}",
        ),
        "sport": (
            "{club_a} beat {club_b} {sa}-{sb}",
            "{club_a} and {club_b} draw {sa}-{sb} in {topic}",
            "{club_a} win in {place} in front of {count} fans",
            "{pa} signs new deal with {club_a}",
        ),
        "culture": (
            "{count} visitors expected in {place} for {topic}",
            "{topic} opens in {place} with a focus on renewal",
            "{pa} wins top prize at closing night in {place}",
            "{big} million budget for an ambitious edition of {topic}",
        ),
        "world": (
            "{country} and partners reach outline deal on {topic}",
            "{pa} received in {place} for talks on {topic}",
            "{country} proposes {few}-point roadmap on {topic}",
            "Talks in {place} on {topic} end without breakthrough",
        ),
    },
    leads={
        "politics": (
            "The debate on {topic} resumed on {day} in {place}, where {pa}, {ra}, set out "
            "the main lines of a long-awaited text.",
            "After weeks of consultations, {pa} on {day} presented a new version of the "
            "bill on {topic}.",
        ),
        "economy": (
            "According to {org}, {topic} grew by {pct} over the past twelve months, a pace "
            "that surprised analysts.",
            "{org} on {day} confirmed a {big} million dirham programme to support {topic} "
            "in the {place} region.",
        ),
        "sport": (
            "In front of {count} spectators in {place} on {day}, {club_a} beat {club_b} "
            "{sa}-{sb}.",
            "In a fixture of {topic}, {club_a} hosted {club_b} on {day} evening in {place}.",
        ),
        "culture": (
            "{topic} opened on {day} in {place} with a programme that bets on young "
            "people and local creation.",
            "More than {count} people are expected in {place} for {topic}, the organisers "
            "said.",
        ),
        "world": (
            "Delegations meeting in {place} on {day} discussed {topic} amid lingering "
            "regional tensions.",
            "{pa}, {ra}, on {day} called for closer cooperation with {country} on {topic}.",
        ),
    },
    facts={
        "politics": (
            "The text provides for {count} new hires and a budget of {big} million dirhams.",
            "{pb}, a leading opposition figure, criticised what she called a rushed process.",
            "A final vote is expected before the end of the parliamentary session.",
            "Trade unions have called a consultation meeting for next week.",
            "A recent poll found that {pct} of respondents back the reform.",
        ),
        "economy": (
            "Turnover in the sector now stands at {big} million dirhams.",
            "Nearly {count} direct jobs are affected in {place} and {place2}.",
            "{pb}, an economist, expects the trend to continue until the summer.",
            "Imports fell by {pct} over the same period.",
            "Small businesses are calling for easier access to bank credit.",
        ),
        "sport": (
            "The opener came in the {sa}th minute after a flowing team move.",
            "{pb} was named player of the match.",
            "The result lifts {club_a} to number {sb} in the table.",
            "The next game will be played in {place2} before a home crowd.",
            "Attendance is up {pct} on last season.",
        ),
        "culture": (
            "The event brings together {few} artists from {place2} and abroad.",
            "This year's budget amounts to {big} million dirhams.",
            "{pb} designed the staging of the main exhibition.",
            "Free workshops are on offer for the city's schools.",
            "Attendance jumped {pct} compared with last year.",
        ),
        "world": (
            "Trade with {country} reached {big} million dollars.",
            "{pb}, {ra}, is due to travel to {place2} in the coming days.",
            "A joint statement lists {few} projects of shared interest.",
            "Observers note a {pct} increase in flows over one year.",
            "A further technical meeting is planned before the end of the month.",
        ),
    },
    context=(
        "For many observers, the situation remains {adj} despite the announcements.",
        "The context is seen as {adj}, and {noun} remains at the heart of the debate.",
        "On the ground, residents of {place} talk about {noun} every day.",
        "The decision comes after a {adj} period for the region.",
        "Local associations want more transparency on {noun}.",
        "In {place2}, {noun} is attracting growing interest.",
        "Several elected officials are pressing for a more {adj} approach.",
        "The timetable remains {adj}, according to people close to the matter.",
        "Young graduates are following the issue closely.",
        "An independent evaluation will be published within six months.",
        "The issue could be back on the table in the autumn.",
        "Experts describe the record as {adj} but urge caution.",
        "The regional press reports a {adj2} mood over {noun2}.",
        "It is not the first time {noun} has entered the public debate.",
    ),
    adjectives=(
        "fragile", "stable", "difficult", "rapid", "modest", "considerable",
        "remarkable", "sensitive", "lasting", "favourable", "solid", "tangible",
        "credible", "unprecedented", "complex", "delicate", "promising", "uncertain",
    ),
    nouns=(
        "youth employment", "purchasing power", "water management", "urban transport",
        "the quality of public services", "social housing", "vocational training",
        "road safety", "access to healthcare", "digital government",
        "coastal protection", "the cost of living", "the future of the port",
        "the new school year",
    ),
    quotes=(
        "We are moving step by step, but we are moving",
        "We must listen to everyone before deciding",
        "The figures speak for themselves",
        "This is a decisive step for {place}",
        "We will not give ground on the essentials",
        "This result rewards years of hard work",
        "Nobody can ignore how urgent this is",
        "We will be judged on what we do, not on what we promise",
        "Trust is built over time",
        "There is still a lot to do, and we know it",
    ),
    quote_frames=(
        "\u201c{quote},\u201d said {pa}, {ra}.",
        "\u201c{quote},\u201d {pa} told reporters.",
        "Asked by journalists, {pa} summed it up: \u201c{quote}.\u201d",
        "\u201c{quote},\u201d said {pb}.",
    ),
    updates=(
        "Update: {org} said late in the evening that {count} files were still under "
        "review.",
        "Update: according to a revised count, the figure is {pct}.",
        "Update: {pb} responded in a statement released at the end of the day.",
    ),
    agency_added=(
        "We will return to this story in our next edition.",
        "Contacted by this newspaper, {pb} declined to comment.",
        "Details of the announcement are expected in the coming days.",
    ),
    dateline="{place} ({agency}) \u2014 ",
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    comments=(
        "Finally some good news for {place}!",
        "I remain sceptical, we've heard this before.",
        "Thanks for a clear and complete article.",
        "What about the outer districts?",
        "Well done to everyone involved, well deserved.",
        "Think about young people first.",
        "Interesting, but residents' views are missing.",
        "Actions, not speeches.",
        "Great analysis as always.",
        "Who pays in the end?",
    ),
    commenters=(
        "harbourwatcher", "Jane P.", "Old reader", "Sam", "M. Okafor", "Ruth",
        "citizen_k", "Declan", "Priya", "Tom W.", "Aisha", "Gareth",
    ),
    section_labels={
        "politics": "Politics", "economy": "Business", "sport": "Sport",
        "culture": "Culture", "world": "World",
    },
    section_slugs={
        "politics": "politics", "economy": "business", "sport": "sport",
        "culture": "culture", "world": "world",
    },
    ui={
        "home": "Home", "cookie": "We use cookies to measure our audience. By continuing "
        "to browse you accept their use.",
        "accept": "Accept", "ad": "Advertisement", "related": "Related stories",
        "comments": "Comments", "by": "By", "published": "Published",
        "rights": "All rights reserved", "latest": "Latest news",
        "contact": "Contact", "legal": "Legal notice", "newsletter":
        "Get our newsletter every morning",
        "tagline": "News from both shores",
    },
    thousands_sep=",",
    decimal_sep=".",
    pct_suffix="%",
)
