"""Real HTTP servers on 127.0.0.1 (ephemeral ports) that tests script route by route.

Each route is a function that writes the raw response itself, so tests can send what
real publishers send: trickles, endless chunked bodies, gzip bombs, broken encodings.
The server notes when each request started and ended, which is how pacing is measured.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kiosque.config import Settings

Route = Callable[["Handler"], None]


@dataclass
class Seen:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    seen: Seen

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        """A complete response with Content-Length.

        The request counts as ended before the first byte leaves: once the client holds
        the response it may read the log, and must not find this request still open.
        """
        self.seen.ended = time.monotonic()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        owner = self.server.owner
        seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()},
                    time.monotonic())
        self.seen = seen
        with owner.lock:
            owner.log.append(seen)
        route = owner.routes.get(self.path.split("?")[0])
        try:
            if route is None:
                self.send(404, b"not here", {"Content-Type": "text/plain"})
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            seen.ended = seen.ended or time.monotonic()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up mid-response are part of the tests, not failures."""


class LocalServer:
    """A scripted publisher on its own port (so its own host:port for politeness)."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Seen] = []
        self.lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.owner = self
        self.scheme = "http"
        if tls is not None:  # serve HTTPS (the handshake runs in accept)
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def route(self, path: str, status: int = 200, body: bytes = b"",
              headers: dict[str, str] | None = None) -> None:
        """A fixed response at ``path``."""
        self.routes[path] = lambda h: h.send(status, body, headers)

    def hits(self, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.log if s.path.split("?")[0] == path]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def local_settings(**changes: Any) -> Settings:
    """Settings that can reach the local servers, with short limits to keep tests fast."""
    base: dict[str, Any] = {
        "allowed_hosts": ["127.0.0.1"],
        "per_host_delay_s": 0.0,
        "connect_timeout_s": 2.0,
        "read_timeout_s": 2.0,
        "total_timeout_s": 5.0,
        "max_body_bytes": 1_000_000,
        "max_redirects": 5,
    }
    base.update(changes)
    return Settings(**base)
