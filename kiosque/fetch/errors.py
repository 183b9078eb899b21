"""The one exception the fetch chain uses internally to stop early.

Every concern (guard, robots, pacing, size limits) raises ``FetchFailure`` with a short
code and a readable sentence; ``Fetcher.get`` turns it into a ``FetchResult`` so callers
never see an exception for a network or publisher problem.
"""

from __future__ import annotations


class FetchFailure(Exception):
    """A fetch that cannot succeed, with the code and sentence reported to the caller."""

    def __init__(self, code: str, detail: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.retry_after_s = retry_after_s


class NetworkError(Exception):
    """A failure under HTTP semantics: connecting, a socket, or the wire format.

    Raised by the transports and named by the client (one ``FetchFailure`` code each).
    ``early`` marks failures before any byte of a response arrived, the only ones where
    trying the request again is safe and worth it.
    """

    early = False

    def __init__(self, message: str, *, early: bool | None = None) -> None:
        super().__init__(message)
        if early is not None:
            self.early = early


class ConnectFailed(NetworkError):
    """No connection: refused, unreachable, name unknown, or the TLS handshake failed."""

    early = True


class ConnectTimedOut(NetworkError):
    """The connection (TCP and TLS) took longer than the connect timeout."""


class ReadTimedOut(NetworkError):
    """The server sent nothing for longer than the read timeout."""


class WriteTimedOut(NetworkError):
    """The server did not take the request for longer than the read timeout."""


class ConnectionBroken(NetworkError):
    """The connection closed or broke; ``early`` when no response had begun."""


class ProtocolBroken(NetworkError):
    """The server broke HTTP/1.x (bad status line, framing or limits)."""


class Unsupported(NetworkError):
    """A URL the transport cannot fetch (a scheme other than http and https)."""
