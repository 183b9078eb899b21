"""Several web processes on one port: every process gets connections, all stop together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosque.web.server import WebWorkers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pid_app() -> Any:
    """A tiny ASGI app that answers with the id of the process that served it."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": str(os.getpid()).encode()})

    return app


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(p) for p in found]


def test_every_web_process_gets_connections_and_all_stop() -> None:
    port = _free_port()
    with WebWorkers(pid_app, "127.0.0.1", port, 2) as web:
        web.wait_ready()
        pids = set()
        for _ in range(40):  # a new connection each time: the kernel picks the socket
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                pids.add(client.get("/").text)
        assert len(pids) == 2  # 40 connections on one of two sockets: odds 2**-39
        assert {str(p.pid) for p in web.processes} == pids
        procs = list(web.processes)
    assert not any(p.is_alive() for p in procs)
    with socket.socket() as sock:  # the port is free again
        sock.bind(("127.0.0.1", port))


def test_a_taken_port_is_reported_before_any_process_starts() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        web = WebWorkers(pid_app, "127.0.0.1", taken.getsockname()[1], 2)
        with pytest.raises(OSError):
            web.start()
        assert web.processes == []


@pytest.mark.parametrize("count", [1, 2])
def test_serve_from_the_installed_command_stops_cleanly(tmp_path: Path, count: int) -> None:
    """`kiosque serve --web-workers N`: the site answers, SIGINT stops every process and
    says so, without a traceback or click's "Aborted!"."""
    port = _free_port()
    env = {**os.environ,
           "KIOSQUE_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
           "KIOSQUE_DATA_DIR": str(tmp_path), "KIOSQUE_CONFIG": str(tmp_path / "none.toml")}
    kiosque = Path(sys.executable).parent / "kiosque"
    proc = subprocess.Popen(
        [str(kiosque), "serve", "--no-scheduler", "--web-workers", str(count),
         "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline and status != 200 and proc.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/fr/", timeout=5).status_code
            except httpx.HTTPError:
                time.sleep(0.2)
        assert status == 200, proc.stderr.read() if proc.poll() is not None else "no answer"
        children = _children(proc.pid)
        assert len(children) >= (count if count > 1 else 0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert ("2 web processes" in out) == (count == 2)
    assert "kiosque stopped" in out
    assert "Traceback" not in err and "Aborted" not in err
    time.sleep(0.5)
    assert not [c for c in children if Path(f"/proc/{c}").exists()
                and "zombie" not in Path(f"/proc/{c}/status").read_text()]
