"""Each action of the desk does what it says, shows up in the audit log, and every
page is private to moderators and never cached."""

from __future__ import annotations

import html
from collections.abc import Callable

from sqlalchemy import Engine, select, update
from starlette.testclient import TestClient

from kiosque.store.moderation import recent_audit
from kiosque.store.tables import article_reports, images, sources
from tests.admin.admin_helpers import Desk, log_in


def _audit(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [(e.actor, e.action, e.target) for e in recent_audit(conn)]


def _status(engine: Engine, image_id: int) -> tuple[str, int]:
    with engine.connect() as conn:
        row = conn.execute(
            select(images.c.status, images.c.report_count).where(images.c.id == image_id)
        ).one()
    return str(row.status), int(row.report_count)


def _block(engine: Engine, image_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(update(images).where(images.c.id == image_id).values(status="blocked"))


def test_queue_shows_the_real_picture_to_moderators_only(
    engine: Engine, desk: Desk, client_for: Callable[..., TestClient]
) -> None:
    _block(engine, desk.image_id)
    client = client_for()
    log_in(client)
    page = client.get("/admin")
    assert page.status_code == 200
    assert f'src="/admin/images/{desk.image_id}/320.webp"' in page.text
    assert 'data-status="blocked"' in page.text
    assert "Le titre ne correspond pas." in html.unescape(page.text)
    assert 'data-reason="wrong">Source, date ou titre erronés (1)' in html.unescape(page.text)
    thumb = client.get(f"/admin/images/{desk.image_id}/320.webp")
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/webp"
    assert thumb.content[:4] == b"RIFF"
    assert thumb.headers["cache-control"] == "private, no-store"
    # readers still get the placeholder, and visitors of the admin route a login redirect
    public = client_for().get(f"/images/{desk.image_id}/320.webp")
    assert public.headers["content-type"].startswith("image/svg+xml")
    assert client_for().get(f"/admin/images/{desk.image_id}/320.webp").status_code == 303
    assert client.get(f"/admin/images/{desk.image_id}/99.gif").headers[
        "content-type"].startswith("image/svg+xml")


def test_restore_pins_and_is_audited(
    engine: Engine, desk: Desk, client_for: Callable[..., TestClient]
) -> None:
    _block(engine, desk.image_id)
    client = client_for()
    csrf = log_in(client)
    answer = client.post(f"/admin/images/{desk.image_id}/restore", data={"csrf": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin"
    assert _status(engine, desk.image_id)[0] == "allowed"
    assert _audit(engine)[0] == ("moderator:mod", "image.restore", f"image:{desk.image_id}")
    page = client.get("/admin")
    assert "L&#39;image est de nouveau affichée, et épinglée." in page.text
    assert f'id="image-{desk.image_id}"' not in page.text  # a decided image leaves the queue
    public = client_for().get(f"/images/{desk.image_id}/320.webp")
    assert public.headers["content-type"] == "image/webp"


def test_block_for_good_and_dismiss(
    engine: Engine, desk: Desk, client_for: Callable[..., TestClient]
) -> None:
    client = client_for()
    csrf = log_in(client)
    client.post(f"/admin/images/{desk.image_id}/block", data={"csrf": csrf})
    assert _status(engine, desk.image_id) == ("blocked", 1)
    assert _audit(engine)[0][1] == "image.block"
    page = client.get("/admin")  # decided: listed apart, with an undo, not in the queue
    assert "Aucune image n&#39;attend de décision." in page.text
    assert "Bloquées définitivement (1)" in page.text
    assert f'action="/admin/images/{desk.image_id}/restore"' in page.text
    assert f'action="/admin/images/{desk.image_id}/dismiss"' not in page.text
    client.post(f"/admin/images/{desk.image_id}/dismiss", data={"csrf": csrf})
    assert _status(engine, desk.image_id) == ("ok", 0)
    assert _audit(engine)[0][1] == "image.dismiss"
    answer = client.post("/admin/images/9999/block", data={"csrf": csrf})
    assert answer.status_code == 303
    assert "Cette image n&#39;existe pas." in client.get("/admin").text
    assert client.post("/admin/images/1/explode", data={"csrf": csrf}).status_code == 422


def test_article_reports_dismissed_or_resolved(
    engine: Engine, desk: Desk, client_for: Callable[..., TestClient]
) -> None:
    client = client_for()
    csrf = log_in(client)
    assert f'value="{desk.report_id}"' in client.get("/admin").text
    client.post("/admin/article-reports/resolved",
                data={"csrf": csrf, "report_ids": str(desk.report_id)})
    with engine.connect() as conn:
        status = conn.execute(select(article_reports.c.status)).scalar_one()
    assert status == "resolved"
    assert _audit(engine)[0] == ("moderator:mod", "article_report.resolve",
                                 f"article_reports:{desk.report_id}")
    page = client.get("/admin")
    assert "Aucun signalement d&#39;article en attente." in page.text
    client.post("/admin/article-reports/dismissed",
                data={"csrf": csrf, "report_ids": f"{desk.report_id},x,"})
    assert "Ces signalements étaient déjà clos." in client.get("/admin").text


def test_sources_page_and_its_forms(
    engine: Engine, desk: Desk, client_for: Callable[..., TestClient]
) -> None:
    client = client_for()
    csrf = log_in(client)
    page = client.get("/admin/sources")
    assert page.status_code == 200
    for heading in ("Dernier succès", "Dernière erreur", "Prochaine vérification",
                    "Articles par jour"):
        assert heading in html.unescape(page.text), heading
    assert 'id="source-gazette"' in page.text

    answer = client.post("/admin/sources/add", data={
        "csrf": csrf, "name": "Le Phare du Soir", "feed_url": "https://phare.example/rss",
        "lang": "fr"})
    assert answer.headers["location"] == "/admin/sources"
    with engine.connect() as conn:
        added = conn.execute(select(sources.c.slug, sources.c.lang, sources.c.enabled).where(
            sources.c.feed_url == "https://phare.example/rss")).one()
    assert tuple(added) == ("le-phare-du-soir", "fr", True)
    assert _audit(engine)[0] == ("moderator:mod", "source.add", "source:le-phare-du-soir")
    assert "La source est ajoutée." in client.get("/admin/sources").text

    for bad in ({"name": "X", "feed_url": "javascript:alert(1)"},
                {"name": "", "feed_url": "https://empty.example/rss"},
                {"name": "Gazette", "feed_url": "https://g.example/rss", "slug": "gazette"},
                {"name": "Y", "feed_url": "https://y.example/rss", "slug": "Bad Slug"}):
        client.post("/admin/sources/add", data={"csrf": csrf, **bad})
        assert "La source n&#39;a pas été ajoutée" in client.get("/admin/sources").text
    with engine.connect() as conn:
        assert conn.execute(select(sources.c.slug)).scalars().all() == [
            "gazette", "le-phare-du-soir"]

    client.post("/admin/sources/gazette/disable", data={"csrf": csrf})
    page = client.get("/admin/sources")
    assert 'action="/admin/sources/gazette/enable"' in page.text
    client.post("/admin/sources/gazette/enable", data={"csrf": csrf})
    client.post("/admin/sources/gazette/policy",
                data={"csrf": csrf, "text_policy": "excerpt", "excerpt_words": "35"})
    client.post("/admin/sources/gazette/policy",
                data={"csrf": csrf, "text_policy": "excerpt", "excerpt_words": "many"})
    assert "L&#39;extrait doit compter de 10 à 2000 mots." in client.get("/admin/sources").text
    client.post("/admin/sources/ghost/disable", data={"csrf": csrf})
    assert "Cette source n&#39;existe pas." in client.get("/admin/sources").text
    with engine.connect() as conn:
        row = conn.execute(select(sources.c.enabled, sources.c.text_policy,
                                  sources.c.excerpt_words)
                           .where(sources.c.slug == "gazette")).one()
    assert tuple(row) == (True, "excerpt", 35)
    actions = [a for _, a, _ in _audit(engine)]
    assert actions[:3] == ["source.policy", "source.enable", "source.disable"]


def test_audit_page_lists_actions(
    engine: Engine, desk: Desk, client_for: Callable[..., TestClient]
) -> None:
    client = client_for()
    csrf = log_in(client)
    client.post(f"/admin/images/{desk.image_id}/block", data={"csrf": csrf})
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert 'data-action="image.block"' in page.text
    assert 'data-action="admin.login"' in page.text
    assert "moderator:mod" in page.text
    assert page.text.index("image.block") < page.text.index("admin.login")  # newest first


def test_every_page_is_private_and_translated(
    engine: Engine, desk: Desk, client_for: Callable[..., TestClient]
) -> None:
    client = client_for()
    log_in(client)
    paths = ["/admin", "/admin/sources", "/admin/audit", "/admin/admin.css",
             f"/admin/images/{desk.image_id}/320.jpg", "/admin/images/777/320.jpg"]
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["cache-control"] == "private, no-store", path
    assert client_for().get("/admin/login").headers["cache-control"] == "private, no-store"
    assert "File de modération" in client.get("/admin").text
    english = client.get("/admin?lang=en")
    assert "Moderation queue" in english.text
    assert "Audit log" in client.get("/admin/audit").text  # the choice is remembered
    arabic = client.get("/admin/sources?lang=ar")
    assert 'dir="rtl"' in arabic.text and "إضافة مصدر" in arabic.text
    spanish = client_for().get("/admin/login", headers={"Accept-Language": "es"})
    assert "Iniciar sesión" in spanish.text
