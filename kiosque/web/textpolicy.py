"""How much of an article the site may show, decided from the source's text policy.

Publishers differ in what they allow us to republish; this pure function is the only
place that decides, so the page, the API and the feeds can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Body:
    """Either sanitized HTML (``full``) or a plain-text excerpt to be escaped."""

    full: bool
    html: str = ""
    excerpt: str = ""
    truncated: bool = False


def excerpt_of(text: str, words: int) -> tuple[str, bool]:
    """The first ``words`` words of ``text`` and whether anything was cut."""
    parts = text.split()
    if words <= 0:
        return "", bool(parts)
    if len(parts) <= words:
        return " ".join(parts), False
    return " ".join(parts[:words]) + " …", True


def choose_body(
    policy: str, full_text: bool, content_html: str, text: str, excerpt_words: int
) -> Body:
    """Full text when the policy is "full", or "auto" and we hold the whole article."""
    if content_html and (policy == "full" or (policy == "auto" and full_text)):
        return Body(full=True, html=content_html)
    excerpt, cut = excerpt_of(text, excerpt_words)
    return Body(full=False, excerpt=excerpt, truncated=cut)
