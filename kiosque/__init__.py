"""kiosque: a news aggregator and news search engine for a region's press."""

__version__ = "0.1.0"
