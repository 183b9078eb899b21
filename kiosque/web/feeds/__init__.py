"""Syndication: RSS 2.0, Atom and JSON Feed of every list, OPML, sitemaps, robots.txt."""
