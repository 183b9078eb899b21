"""How text relevance and freshness combine into the order of results.

Engines give a text-relevance number (FTS5's BM25, PostgreSQL's ts_rank); a bounded
bonus for fresh articles is blended in, the same way on both engines, inside the SQL
(so that only one page of rows ever leaves the database). Age is measured from the
newest article in the database rather than from the wall clock: results do not
reshuffle overnight on a quiet instance, and tests stay deterministic.

The decay is hyperbolic, ``H / (H + age)``, rather than exponential: it needs only
arithmetic, which every SQL engine has, and it halves at the same age ``H``.
"""

from __future__ import annotations

RECENCY_WEIGHT = 0.35
"""At most +35% relevance, for the newest article."""
HALF_LIFE_DAYS = 7.0
"""Age at which the recency bonus has halved."""
SECONDS_PER_DAY = 86400.0


def score(relevance: float, age_days: float) -> float:
    """Relevance with the freshness bonus; the SQL in ``base`` computes exactly this."""
    age = max(age_days, 0.0)
    return relevance * (1.0 + RECENCY_WEIGHT * HALF_LIFE_DAYS / (HALF_LIFE_DAYS + age))
