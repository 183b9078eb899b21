"""HTTP/1.1 on the wire, for a client that only sends GETs: pure functions, no I/O.

Why our own: with connection reuse fixed, a page fetch still spent most of its CPU in
the general-purpose stack under httpx (httpcore's pool and state machines, h11's event
objects and header validation, anyio's locks), about 0.5 ms per request on loopback,
as much as all of kiosque's enrichment of the article. A GET-only client needs little
of it: write one request, read a status line and headers, frame the body by
Content-Length, chunked coding or connection close. What it must still get right is
here, with limits on everything a hostile server controls (header block, chunk-size
lines, trailers) and strict framing (conflicting lengths are an error, not a guess).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

MAX_HEAD_BYTES = 64 * 1024  # status line plus headers; larger is not a server we read
MAX_LINE_BYTES = 8 * 1024  # one chunk-size line (extensions included) or trailer line
MAX_TRAILER_BYTES = 64 * 1024
NO_BODY_STATUSES = frozenset({204, 304})


class ProtocolViolation(Exception):
    """The server broke HTTP/1.1 framing or a limit; the connection cannot be trusted."""


class Framing(Enum):
    """How the end of a response body is found."""

    NONE = "none"  # 1xx, 204, 304: no body at all
    LENGTH = "length"  # Content-Length bytes
    CHUNKED = "chunked"  # chunked transfer coding
    CLOSE = "close"  # until the server closes the connection (never reusable)


@dataclass(slots=True)
class Head:
    """A response's status line and headers (names lower-cased, repeats joined)."""

    version: str
    status: int
    reason: str
    headers: dict[str, str]

    @property
    def keep_alive(self) -> bool:
        """Whether the server lets the connection carry another request afterwards."""
        tokens = {t.strip().lower() for t in self.headers.get("connection", "").split(",")}
        if self.version == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens


def request_bytes(target: bytes, host: bytes, headers: dict[str, str]) -> bytes:
    """One GET request: request line, Host first, then ``headers`` as given.

    Header values come from settings and from validators a server sent earlier; the
    caller vets the latter (printable ASCII), and a line break here would be a bug, so
    it raises instead of writing a second request onto the wire.
    """
    lines = [b"GET " + target + b" HTTP/1.1", b"Host: " + host]
    for name, value in headers.items():
        line = f"{name}: {value}".encode("latin-1")
        if b"\r" in line or b"\n" in line:
            raise ValueError(f"header {name!r} holds a line break")
        lines.append(line)
    lines.append(b"\r\n")
    return b"\r\n".join(lines)


def head_end(buffer: bytes | bytearray) -> tuple[int, int] | None:
    """Where the header block ends: (end of its last line, start of the body), or None.

    Lines end in CRLF; a bare LF is accepted too, as every browser does.
    """
    crlf = buffer.find(b"\r\n\r\n")
    lf = buffer.find(b"\n\n")
    if lf >= 0 and (crlf < 0 or lf < crlf):
        return lf, lf + 2
    if crlf >= 0:
        return crlf, crlf + 4
    return None


def _text(raw: bytes) -> str:
    """A header value as text: ASCII as is; else UTF-8 when valid, Latin-1 otherwise."""
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def parse_head(block: bytes) -> Head:
    """Status line and headers of one response (``block`` without its blank line).

    Lenient where browsers are (bare LF, folded lines, a missing reason, a header line
    without a colon is skipped) and strict where a wrong guess would corrupt framing.
    """
    lines = block.replace(b"\r\n", b"\n").split(b"\n")
    status_line = lines[0]
    parts = status_line.split(None, 2)
    if len(parts) < 2 or parts[0] not in (b"HTTP/1.1", b"HTTP/1.0") \
            or len(parts[1]) != 3 or not parts[1].isdigit():
        shown = status_line[:80].decode("latin-1")
        raise ProtocolViolation(f"the server did not answer in HTTP/1.x ({shown!r})")
    status = int(parts[1])
    if status < 100:
        raise ProtocolViolation(f"status {status} does not exist")
    reason = _text(parts[2].strip()) if len(parts) > 2 else ""
    headers: dict[str, str] = {}
    last = ""
    for line in lines[1:]:
        if line[:1] in (b" ", b"\t"):  # obsolete line folding: continues the last value
            if last:
                headers[last] = f"{headers[last]} {_text(line.strip())}".strip()
            continue
        name, colon, value = line.partition(b":")
        name = name.strip()
        if not colon or not name or b" " in name:
            last = ""
            continue
        key = _text(name).lower()
        text = _text(value.strip())
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
        last = key
    return Head(parts[0].decode("ascii"), status, reason, headers)


def framing(head: Head) -> tuple[Framing, int]:
    """How to read the body of a response to a GET, and its length when declared.

    Transfer-Encoding wins over Content-Length (RFC 9112 6.3); a coding other than
    chunked last means the body runs to the connection's close. Content-Length must be
    one number (repeats allowed only when equal): anything else is an error, since a
    wrong guess would read the next response as this one's body.
    """
    if head.status < 200 or head.status in NO_BODY_STATUSES:
        return Framing.NONE, 0
    coding = head.headers.get("transfer-encoding")
    if coding is not None:
        last = coding.split(",")[-1].strip().lower()
        return (Framing.CHUNKED, 0) if last == "chunked" else (Framing.CLOSE, 0)
    declared = head.headers.get("content-length")
    if declared is None:
        return Framing.CLOSE, 0
    values = {v.strip() for v in declared.split(",")}
    if len(values) != 1:
        raise ProtocolViolation(f"conflicting Content-Length values {declared!r}")
    value = values.pop()
    if not value.isdigit() or not value.isascii():
        raise ProtocolViolation(f"Content-Length {declared!r} is not a number")
    return Framing.LENGTH, int(value)


class ChunkedReader:
    """Undoes chunked transfer coding incrementally, whatever the network's cuts.

    ``feed`` takes bytes as they arrive and returns the payload found in them; once the
    last chunk and the trailers are read, ``done`` is set and ``rest`` holds whatever
    followed (a server that sends more than one response's worth).
    """

    __slots__ = ("_buffer", "_left", "_state", "_trailer_bytes", "done", "rest")

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._left = 0  # payload bytes still due in the current chunk
        self._state = "size"  # size -> data -> data_end -> size ...; trailers at the end
        self._trailer_bytes = 0
        self.done = False
        self.rest = b""

    def feed(self, data: bytes) -> list[bytes]:
        out: list[bytes] = []
        if self.done:
            self.rest += data
            return out
        buffer = self._buffer
        buffer += data
        pos = 0
        while pos < len(buffer):
            if self._state == "data":
                take = min(self._left, len(buffer) - pos)
                out.append(bytes(buffer[pos:pos + take]))
                pos += take
                self._left -= take
                if self._left == 0:
                    self._state = "data_end"
                continue
            end = buffer.find(b"\n", pos)
            if end < 0:
                if len(buffer) - pos > MAX_LINE_BYTES:
                    raise ProtocolViolation("a chunked-coding line is too long")
                break
            line = bytes(buffer[pos:end]).rstrip(b"\r")
            pos = end + 1
            if self._state == "size":
                self._size_line(line)
            elif self._state == "data_end":
                if line:
                    raise ProtocolViolation("a chunk is longer than its declared size")
                self._state = "size"
            else:  # trailers, until an empty line
                self._trailer_bytes += len(line) + 2
                if self._trailer_bytes > MAX_TRAILER_BYTES:
                    raise ProtocolViolation("the chunked trailers are too long")
                if not line:
                    self.done = True
                    self.rest = bytes(buffer[pos:])
                    pos = len(buffer)
                    break
        del buffer[:pos]
        return out

    def _size_line(self, line: bytes) -> None:
        size_text = line.split(b";", 1)[0].strip()
        if not size_text or len(size_text) > 16 \
                or any(c not in b"0123456789abcdefABCDEF" for c in size_text):
            shown = line[:40].decode("latin-1")
            raise ProtocolViolation(f"bad chunk size line {shown!r}")
        size = int(size_text, 16)
        if size == 0:
            self._state = "trailers"
        else:
            self._left = size
            self._state = "data"
