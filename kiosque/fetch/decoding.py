"""Content-Encoding decoders that never produce more than they are allowed to.

httpx's own decoders inflate a whole network chunk at once, so 64 KiB of a gzip bomb can
become 60 MiB in memory before any size check runs. These decoders take an output
budget and stop inflating as soon as it is spent, which lets the body reader refuse a
bomb after holding at most ``max_bytes`` (plus one small step) of it.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli  # type: ignore[import-untyped]  # no stubs; lead may add to mypy overrides

from kiosque.fetch.errors import FetchFailure

ACCEPT_ENCODING = "gzip, deflate, br"
_STEP = 64 * 1024  # largest slice of output produced per inflate call


class Decoder(Protocol):
    """Turns encoded bytes into decoded bytes, at most ``limit`` of them per call."""

    def feed(self, data: bytes, limit: int) -> bytes: ...

    def flush(self, limit: int) -> bytes: ...


class IdentityDecoder:
    """No encoding: bytes pass through (the caller still counts them)."""

    def feed(self, data: bytes, limit: int) -> bytes:
        return data

    def flush(self, limit: int) -> bytes:
        return b""


class ZlibDecoder:
    """gzip or deflate; deflate may arrive with or without its zlib header."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        self._first = True

    def _inflate(self, data: bytes, limit: int) -> bytes:
        out: list[bytes] = []
        produced = 0
        pending = data
        while True:
            room = max(1, min(_STEP, limit + 1 - produced))
            try:
                piece = self._obj.decompress(pending, room)
            except zlib.error as exc:
                if self._first and not self._gzip:
                    # Some servers send raw deflate without the zlib wrapper.
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    return self._inflate(data, limit)
                raise FetchFailure("decode", f"The body is not valid {self._name()} "
                                   f"data ({exc}).") from exc
            self._first = False
            out.append(piece)
            produced += len(piece)
            pending = self._obj.unconsumed_tail
            if produced > limit or not pending:
                break
        return b"".join(out)

    def _name(self) -> str:
        return "gzip" if self._gzip else "deflate"

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._obj.eof:
            return b""  # trailing garbage after the stream: ignore, as browsers do
        return self._inflate(data, limit)

    def flush(self, limit: int) -> bytes:
        if self._obj.eof:
            return b""
        return self._inflate(b"", limit)


class BrotliDecoder:
    """Brotli, using the output buffer limit of brotli >= 1.2."""

    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        out: list[bytes] = []
        produced = 0
        try:
            piece = self._obj.process(data, output_buffer_limit=min(_STEP, limit + 1))
            out.append(piece)
            produced += len(piece)
            while produced <= limit and not self._obj.can_accept_more_data():
                piece = self._obj.process(b"", output_buffer_limit=min(_STEP, limit + 1))
                if not piece:
                    break
                out.append(piece)
                produced += len(piece)
        except brotli.error as exc:
            raise FetchFailure("decode", f"The body is not valid brotli data ({exc}).") from exc
        return b"".join(out)

    def flush(self, limit: int) -> bytes:
        return self.feed(b"", limit)


def decoders_for(content_encoding: str) -> list[Decoder]:
    """The decoders to apply, outermost encoding first (headers list them innermost first)."""
    names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
    chain: list[Decoder] = []
    for name in reversed(names):
        if name in ("identity", ""):
            continue
        if name in ("gzip", "x-gzip"):
            chain.append(ZlibDecoder(gzip=True))
        elif name == "deflate":
            chain.append(ZlibDecoder(gzip=False))
        elif name == "br":
            chain.append(BrotliDecoder())
        else:
            raise FetchFailure("decode", f"The server used the content encoding {name!r}, "
                               "which kiosque does not decode.")
    return chain or [IdentityDecoder()]
