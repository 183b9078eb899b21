"""Anonymous reader identity, address hashing, same-origin and redirect checks."""

from __future__ import annotations

import stat
from pathlib import Path

from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, Response
from starlette.testclient import TestClient

from kiosque.config import Settings
from kiosque.web.readers import (
    READER_COOKIE,
    SECRET_FILE,
    hash_address,
    is_same_origin,
    load_secret,
    pop_flash,
    reader_identity,
    safe_next,
    set_flash,
)


def test_secret_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path / "fresh"))
    first = load_secret(settings)
    path = tmp_path / "fresh" / SECRET_FILE
    assert len(first) >= 32 and path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(Settings(data_dir=str(tmp_path / "fresh"))) == first
    assert load_secret(Settings(data_dir=str(tmp_path / "other"))) != first
    assert load_secret(Settings(secret_key="configured", data_dir=str(tmp_path))) == "configured"


def test_address_hash_is_keyed_and_groups_ipv6_by_64() -> None:
    a = hash_address("198.51.100.7", "k1")
    assert len(a) == 64 and "198" not in a
    assert a != hash_address("198.51.100.7", "k2")
    assert a != hash_address("198.51.100.8", "k1")
    assert hash_address("::ffff:198.51.100.7", "k1") == a
    assert hash_address("2001:db8:1:2::1", "k") == hash_address("2001:db8:1:2:ffff::9", "k")
    assert hash_address("2001:db8:1:2::1", "k") != hash_address("2001:db8:1:3::1", "k")
    assert hash_address("testclient", "k") == hash_address("testclient", "k")


def identity_app(settings: Settings) -> FastAPI:
    app = FastAPI()

    @app.get("/who")
    async def who(request: Request) -> Response:
        response = JSONResponse({})
        first = reader_identity(request, response, settings)
        assert reader_identity(request, response, settings) == first
        out = JSONResponse({"reader": first[0], "ip": first[1]})
        for name, value in response.raw_headers:
            if name == b"set-cookie":
                out.raw_headers.append((name, value))
        return out

    @app.get("/flash/set")
    async def flash_set(request: Request) -> Response:
        response = Response("ok")
        set_flash(request, response, settings, "Merci.", "counted")
        return response

    @app.get("/flash/pop")
    async def flash_pop(request: Request) -> Response:
        response = JSONResponse({})
        value = pop_flash(request, response, settings)
        out = JSONResponse({"flash": list(value) if value else None})
        out.raw_headers.extend(h for h in response.raw_headers if h[0] == b"set-cookie")
        return out

    return app


def test_reader_cookie_is_signed_and_stable(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path), secret_key="s" * 40)
    with TestClient(identity_app(settings), client=("198.51.100.7", 1)) as client:
        first = client.get("/who").json()
        assert len(first["reader"]) == 32
        assert client.cookies.get(READER_COOKIE)
        again = client.get("/who")
        assert again.json() == first
        assert READER_COOKIE not in again.cookies  # known readers get no new cookie
        client.cookies.set(READER_COOKIE, "forged-value")
        forged = client.get("/who").json()
        assert forged["reader"] != first["reader"]
        assert forged["ip"] == first["ip"]


def test_flash_is_read_once(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path), secret_key="f" * 40)
    with TestClient(identity_app(settings)) as client:
        assert client.get("/flash/pop").json() == {"flash": None}
        client.get("/flash/set")
        assert client.get("/flash/pop").json() == {"flash": ["Merci.", "counted"]}
        assert client.get("/flash/pop").json() == {"flash": None}


def fake_request(headers: dict[str, str], host: str = "news.example") -> Request:
    raw = [(b"host", host.encode())] + [
        (k.lower().encode(), v.encode()) for k, v in headers.items()
    ]
    scope = {
        "type": "http", "method": "POST", "path": "/images/1/report", "query_string": b"",
        "headers": raw, "scheme": "https", "server": (host, 443), "client": ("1.2.3.4", 1),
    }
    return Request(scope)


def test_same_origin_rules() -> None:
    settings = Settings()
    ok = [
        {"Origin": "https://news.example"},
        {"Referer": "https://news.example/article/1"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "https://news.example"},
        {"Sec-Fetch-Site": "same-origin"},
    ]
    refused = [
        {},
        {"Origin": "https://evil.example"},
        {"Origin": "https://news.example.evil.example"},
        {"Referer": "https://evil.example/news.example"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://news.example"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "null"},
    ]
    assert all(is_same_origin(fake_request(h), settings) for h in ok)
    assert not any(is_same_origin(fake_request(h), settings) for h in refused)
    behind_proxy = Settings(base_url="https://public.example")
    assert is_same_origin(fake_request({"Origin": "https://public.example"}, "internal:8000"),
                          behind_proxy)


def test_safe_next() -> None:
    request, settings = fake_request({}), Settings()
    assert safe_next("/a/b?c=1#d", request, settings) == "/a/b?c=1#d"
    assert safe_next("https://news.example/x?y=2", request, settings) == "/x?y=2"
    for bad in ("https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x",
                "relative/path", "", None, "/ok\r\nSet-Cookie: x=1"):
        assert safe_next(bad, request, settings) == "/"
