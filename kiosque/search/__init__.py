"""Multilingual full-text search: analysis, the query language, and two engines.

``backend_for(engine.dialect.name)`` gives the ``SearchBackend`` of a database; ingest
calls ``index``/``remove`` inside its own transaction, the web calls ``search``.
"""

from kiosque.search.backend import SearchBackend, backend_for
from kiosque.search.results import Facets, FacetValue, SearchHit, SearchResults

__all__ = [
    "FacetValue",
    "Facets",
    "SearchBackend",
    "SearchHit",
    "SearchResults",
    "backend_for",
]
