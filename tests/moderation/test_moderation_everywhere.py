"""A blocked image is a placeholder everywhere: pages, RSS, Atom, JSON Feed and the API."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.store.engine import make_engine, migrate
from kiosque.store.images import images_root
from kiosque.store.moderation import block_image, restore_image
from kiosque.web.app import create_app
from tests.admin.admin_helpers import add_article, add_image, add_source_row


def test_blocked_image_is_the_placeholder_in_every_output(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    migrate(engine)
    settings = Settings(data_dir=str(tmp_path), page_cache_s=0)
    article = add_article(engine, add_source_row(engine))
    image_id = add_image(engine, images_root(settings.data_dir), 5, article)
    img_path = f"/images/{image_id}/640.jpg"
    with TestClient(create_app(settings, engine)) as client:
        api = client.get("/api/v1/articles").json()["items"][0]
        assert api["image"]["status"] == "ok" and api["image"]["url"].endswith(img_path)
        assert client.get(img_path).headers["content-type"] == "image/jpeg"
        rss = feedparser.parse(client.get("/fr/feed.rss").content)
        assert rss.entries[0].enclosures[0].href.endswith(img_path)

        with engine.begin() as conn:
            block_image(conn, image_id, "mod")
        api = client.get("/api/v1/articles").json()["items"][0]
        assert api["image"]["status"] == "blocked"
        served = client.get(api["image"]["url"].split("testserver", 1)[-1])
        assert served.headers["content-type"].startswith("image/svg+xml")  # the placeholder
        for fmt in ("rss", "atom"):
            parsed = feedparser.parse(client.get(f"/fr/feed.{fmt}").content)
            links = [link.href for link in parsed.entries[0].get("links", [])
                     if link.get("rel") == "enclosure"]
            assert links and links[0].endswith(img_path), fmt
        jf = json.loads(client.get("/fr/feed.json").content)
        assert jf["items"][0]["image"].endswith(img_path)
        page = client.get(f"/fr/gazette/{article}").text
        assert "image-blocked" in page and "<picture>" not in page

        with engine.begin() as conn:
            restore_image(conn, image_id, "mod")
        assert client.get(img_path).headers["content-type"] == "image/jpeg"
        assert client.get("/api/v1/articles").json()["items"][0]["image"]["status"] == "ok"
