"""Article pages to clean text, simple HTML and metadata; plus the one HTML sanitizer.

Pure functions only: no network, no storage. ``extract_page`` is what the ingester
calls on a fetched article; ``sanitize_html`` is what every other HTML (feed content,
summaries) goes through before it is stored or shown.
"""

from kiosque.extract.page import extract_page
from kiosque.extract.sanitize import sanitize_html
from kiosque.extract.text import html_to_text, is_plain

__all__ = ["extract_page", "html_to_text", "is_plain", "sanitize_html"]
