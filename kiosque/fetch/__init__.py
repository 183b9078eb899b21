"""The polite HTTP fetcher: SSRF guard, robots.txt, pacing, limits, as one chain.

Callers use ``Fetcher`` only; the modules next to it each hold one concern.
"""

from kiosque.fetch.client import Fetcher
from kiosque.fetch.headers import (
    ACCEPT_ANY,
    ACCEPT_FEED,
    ACCEPT_HTML,
    ACCEPT_IMAGE,
    ACCEPT_ROBOTS,
)
from kiosque.fetch.pacing import HostStats

__all__ = [
    "ACCEPT_ANY",
    "ACCEPT_FEED",
    "ACCEPT_HTML",
    "ACCEPT_IMAGE",
    "ACCEPT_ROBOTS",
    "Fetcher",
    "HostStats",
]
