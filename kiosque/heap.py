"""Start-up objects kept out of the garbage collector's way.

A poller builds most of what it will ever hold before its first cycle: modules, compiled
regexes and XPaths, settings, parsers, stemmers and stopword sets, some 130,000 objects
that are never garbage. Every full collection walks all of them again: on the ingest
benchmark one full collection cost about 90 ms, a quarter of a millisecond per article
of the cycle it fell in. Frozen, they are left out of every later collection; what is
made afterwards is collected as usual.
"""

from __future__ import annotations

import gc


def settle() -> int:
    """Collect once, then freeze what survived; returns how many objects are frozen.

    Call it when start-up is over and before the long-running work begins.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
