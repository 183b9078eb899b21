"""Helpers shared by the ingestion benchmarks (bench/ingest.py, bench/poll.py).

Why a separate process for every server: both benchmarks report kiosque's own CPU time,
and a server living in a thread of the measuring process would bill its work to us.
The server runs in a spawned child that sends back its port(s) through a pipe and
serves until told to stop.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

STOP = "stop"
SERVER_START_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class Span:
    """Wall and process CPU seconds spent between two points."""

    wall_s: float
    cpu_s: float


@contextmanager
def measured() -> Iterator[list[Span]]:
    """Time a block; the span is appended to the yielded list when the block ends.

    Process CPU (all threads of this process) is what counts here: the servers run in
    other processes, so their CPU is not billed to kiosque.
    """
    box: list[Span] = []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    try:
        yield box
    finally:
        box.append(Span(time.perf_counter() - wall0, time.process_time() - cpu0))


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of another live process (Linux /proc): what worker
    processes spent, which ``time.process_time`` in their parent does not see."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mb() -> float:
    """Current resident set size, read from /proc (0.0 where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


class ServerProcess:
    """A server in a spawned child process; ``ports`` is what the child sent back.

    ``target(conn, *args)`` must bind, ``conn.send(ports)``, then block on
    ``conn.recv()`` and shut down when it returns (or the pipe closes).
    """

    def __init__(self, target: Callable[..., None], *args: Any) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=target, args=(child, *args), daemon=True)
        self._proc.start()
        child.close()
        if not self._conn.poll(SERVER_START_TIMEOUT_S):
            self.stop()
            raise RuntimeError("the benchmark server did not start")
        try:
            self.ports: list[int] = list(self._conn.recv())
        except EOFError as exc:
            self.stop()
            raise RuntimeError("the benchmark server died while starting") from exc

    @property
    def pid(self) -> int | None:
        return self._proc.pid

    def stop(self) -> None:
        with suppress(OSError, ValueError):
            self._conn.send(STOP)
        self._proc.join(timeout=15)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=5)
        self._conn.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_for_stop(conn: Connection) -> None:
    """Block the child until the parent says stop or goes away."""
    with suppress(EOFError, OSError):
        conn.recv()


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"
