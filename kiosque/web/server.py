"""Several web server processes on one port, with the kernel sharing connections out.

Why not ``uvicorn --workers``: its processes share one listening socket, and asyncio
accepts every pending connection in whichever process wakes first. A reverse proxy's
handful of keep-alive connections (or a load generator's) can then all land in one
process while the others idle: measured with 16 connections and two workers, all 16
went to one process in one run of three, and throughput fell to a single core's. Here
each process binds its own socket with ``SO_REUSEPORT`` and the kernel spreads new
connections among them by hash, so every process gets its share.

Each process builds its own app from a picklable factory (a module-level function, or
a ``functools.partial`` of one), since apps, engines and caches are per process. The
site only reads: the scheduler, the one writer, stays in the parent (see ``cli.serve``).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import socket
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

AppFactory = Callable[[], Any]
_STOP_GRACE_S = 10.0


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket that other processes may bind to the same address."""
    if not hasattr(socket, "SO_REUSEPORT"):
        raise OSError("several web workers need SO_REUSEPORT (Linux, BSD, macOS)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(factory: AppFactory, host: str, port: int) -> None:
    """One web process: its own app, its own socket, uvicorn until SIGINT or SIGTERM."""
    import uvicorn

    sock = reuseport_socket(host, port)
    config = uvicorn.Config(factory(), log_level="warning", access_log=False,
                            timeout_graceful_shutdown=3)
    uvicorn.Server(config).run(sockets=[sock])


class WebWorkers:
    """``count`` web processes serving ``factory``'s app on ``host:port``."""

    def __init__(self, factory: AppFactory, host: str, port: int, count: int) -> None:
        if count < 1:
            raise ValueError("at least one web worker")
        self.factory, self.host, self.port, self.count = factory, host, port, count
        self._ctx = multiprocessing.get_context("spawn")
        self.processes: list[multiprocessing.process.BaseProcess] = []

    def start(self) -> None:
        # bind once here first: a taken port is reported now, not by every child
        reuseport_socket(self.host, self.port).close()
        for n in range(self.count):
            proc = self._ctx.Process(target=_worker, args=(self.factory, self.host, self.port),
                                     name=f"kiosque-web-{n}", daemon=False)
            proc.start()
            self.processes.append(proc)

    def alive(self) -> int:
        return sum(p.is_alive() for p in self.processes)

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        """Until a connection to the port succeeds (some process listens)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError("every web worker exited at start-up")
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"no web worker listened on {self.host}:{self.port}")

    def stop(self) -> None:
        """SIGTERM (uvicorn's graceful stop), then SIGKILL whatever is still there."""
        for proc in self.processes:
            if proc.is_alive() and proc.pid is not None:
                with contextlib.suppress(OSError):  # it exited meanwhile
                    proc.terminate()
        deadline = time.monotonic() + _STOP_GRACE_S
        for proc in self.processes:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                log.warning("web worker %s did not stop in time; killing it", proc.name)
                proc.kill()
                proc.join(2)
        self.processes.clear()

    def __enter__(self) -> WebWorkers:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
