"""JSON Feed 1.0 and 1.1 into JSON-Feed-shaped structures.

JSON is either valid or not, so the only tolerance needed here is about types: a
publisher's ``"tags": "news"`` or a numeric ``id`` must not break the feed, hence the
small coercion helpers instead of trusting the document's shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kiosque.parse.errors import FeedError


@dataclass(slots=True)
class JsonFeedItem:
    """One item of a JSON Feed, with values coerced to strings."""

    id: str = ""
    url: str = ""
    external_url: str = ""
    title: str = ""
    content_html: str = ""
    content_text: str = ""
    summary: str = ""
    image: str = ""
    banner_image: str = ""
    date_published: str = ""
    date_modified: str = ""
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str = ""
    attachment_images: list[str] = field(default_factory=list)


@dataclass(slots=True)
class JsonFeed:
    """The top-level object of a JSON Feed."""

    version: str = ""
    title: str = ""
    home_page_url: str = ""
    feed_url: str = ""
    language: str = ""
    authors: list[str] = field(default_factory=list)
    items: list[JsonFeedItem] = field(default_factory=list)
    skipped: int = 0


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _authors(obj: dict[str, Any]) -> list[str]:
    raw = obj.get("authors")
    people = raw if isinstance(raw, list) else []
    if isinstance(obj.get("author"), dict):  # JSON Feed 1.0
        people = [*people, obj["author"]]
    names = []
    for person in people:
        if isinstance(person, dict):
            name = _str(person.get("name"))
            if name:
                names.append(name)
        elif isinstance(person, str) and person.strip():
            names.append(person.strip())
    return names


def _item(raw: dict[str, Any]) -> JsonFeedItem:
    tags = raw.get("tags")
    if isinstance(tags, str):
        tags = [tags]
    attachments = raw.get("attachments")
    images = []
    if isinstance(attachments, list):
        for attachment in attachments:
            if isinstance(attachment, dict) and _str(attachment.get("mime_type")).startswith(
                "image/"
            ):
                url = _str(attachment.get("url"))
                if url:
                    images.append(url)
    return JsonFeedItem(
        id=_str(raw.get("id")),
        url=_str(raw.get("url")),
        external_url=_str(raw.get("external_url")),
        title=_str(raw.get("title")),
        content_html=raw["content_html"] if isinstance(raw.get("content_html"), str) else "",
        content_text=raw["content_text"] if isinstance(raw.get("content_text"), str) else "",
        summary=_str(raw.get("summary")),
        image=_str(raw.get("image")),
        banner_image=_str(raw.get("banner_image")),
        date_published=_str(raw.get("date_published")),
        date_modified=_str(raw.get("date_modified")),
        authors=_authors(raw),
        tags=[t for t in (_str(t) for t in tags) if t] if isinstance(tags, list) else [],
        language=_str(raw.get("language")),
        attachment_images=images,
    )


def looks_like_json_feed(data: Any) -> bool:
    """A JSON Feed has a jsonfeed.org version, or at least an ``items`` array."""
    if not isinstance(data, dict):
        return False
    version = data.get("version")
    if isinstance(version, str) and "jsonfeed.org" in version:
        return True
    return isinstance(data.get("items"), list) and ("title" in data or "home_page_url" in data)


def parse_json_feed(text: str) -> JsonFeed:
    """Parse a JSON Feed document; FeedError when it is not JSON or not a feed."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"The body looks like JSON but does not parse as JSON ({exc}).") \
            from None
    if not looks_like_json_feed(data):
        raise FeedError("The body is JSON but not a JSON Feed (no jsonfeed.org version "
                        "and no items list).")
    feed = JsonFeed(version=_str(data.get("version")), title=_str(data.get("title")),
                    home_page_url=_str(data.get("home_page_url")),
                    feed_url=_str(data.get("feed_url")), language=_str(data.get("language")),
                    authors=_authors(data))
    items = data.get("items")
    for raw in items if isinstance(items, list) else []:
        if isinstance(raw, dict):
            feed.items.append(_item(raw))
        else:
            feed.skipped += 1
    return feed
