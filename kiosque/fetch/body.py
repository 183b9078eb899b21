"""Read a response body under a size budget, decoding as it streams.

The budget applies to the DECODED size, since that is what ends up in memory and in the
parsers. A declared Content-Length above the budget is refused before reading anything;
an endless or lying body is cut as soon as it passes the budget.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosque.fetch.decoding import decoders_for
from kiosque.fetch.transport import Reply


@dataclass(slots=True)
class Body:
    """What was read: the bytes, and whether reading stopped at the budget."""

    data: bytes
    truncated: bool


def declared_length(response: Reply) -> int | None:
    """Content-Length of a response when it is a plain, encoded-as-is number."""
    raw = response.headers.get("content-length")
    if raw is None or response.headers.get("content-encoding") \
            or "transfer-encoding" in response.headers:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


async def read_body(response: Reply, max_bytes: int, *,
                    head_only: bool = False) -> Body:
    """Stream, decode and collect at most ``max_bytes`` decoded bytes of ``response``.

    ``truncated`` is True when more was there: the caller reports ``too_large`` and may
    still look at the first ``max_bytes`` (robots.txt rules say to parse the head of an
    oversized file). A declared oversized body is refused unread, unless ``head_only``
    asks for its first ``max_bytes`` anyway (error pages, kept for the operator).
    """
    length = declared_length(response)
    if length is not None and length > max_bytes and not head_only:
        return Body(b"", truncated=True)
    encoding = "" if response.decoded else response.headers.get("content-encoding", "")
    chain = decoders_for(encoding)
    parts: list[bytes] = []
    size = 0

    def push(data: bytes, final: bool) -> bool:
        """Run ``data`` through the decoders; False once the budget is exceeded."""
        nonlocal size
        for decoder in chain:
            room = max_bytes - size
            data = decoder.feed(data, room) if data else b""
            if final:
                data += decoder.flush(room)
        if data:
            size += len(data)
            parts.append(data)
        return size <= max_bytes

    async for chunk in response.raw_chunks():
        if not push(chunk, final=False):
            break
    else:
        push(b"", final=True)
    data = b"".join(parts)
    if size > max_bytes:
        return Body(data[:max_bytes], truncated=True)
    return Body(data, truncated=False)


async def drain(response: Reply, max_bytes: int) -> None:
    """Read and drop a body we do not want (a 304's or a redirect's), up to ``max_bytes``.

    Why: a connection goes back to the pool only once its response was read to the
    end; closing a response unread closes the socket, and the next request to the host
    pays a new TCP (and TLS) handshake. A 304 has no body, so this costs one read;
    a redirect page larger than ``max_bytes`` is left unread and its connection dropped.
    """
    seen = 0
    async for chunk in response.raw_chunks():
        seen += len(chunk)
        if seen > max_bytes:
            return
