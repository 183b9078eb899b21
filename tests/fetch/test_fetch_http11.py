"""HTTP/1.1 wire rules of our client, as pure functions: heads, framing, chunked coding.

Why here and not only end to end: a framing mistake reads the next response as this
one's body (or waits forever for a body that never comes); each rule is pinned with the
input that would break it.
"""

from __future__ import annotations

import pytest

from kiosque.fetch.http11 import (
    MAX_LINE_BYTES,
    MAX_TRAILER_BYTES,
    ChunkedReader,
    Framing,
    Head,
    ProtocolViolation,
    framing,
    head_end,
    parse_head,
    request_bytes,
)


def test_request_puts_host_first_and_ends_with_a_blank_line() -> None:
    wire = request_bytes(b"/a?b=1", b"news.example:8080", {"User-Agent": "kiosque/1",
                                                           "Accept": "*/*"})
    assert wire == (b"GET /a?b=1 HTTP/1.1\r\nHost: news.example:8080\r\n"
                    b"User-Agent: kiosque/1\r\nAccept: */*\r\n\r\n")


def test_request_refuses_a_header_that_would_smuggle_a_line() -> None:
    with pytest.raises(ValueError, match="line break"):
        request_bytes(b"/", b"h", {"If-None-Match": '"x"\r\nX-Evil: 1'})


@pytest.mark.parametrize(("raw", "expected"), [
    (b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody", (21, 25)),
    (b"HTTP/1.1 200 OK\nA: b\n\nbody", (20, 22)),
    (b"HTTP/1.1 200 OK\r\nA: b\r\n", None),
    (b"HTTP/1.1 200 OK\r\n\r\n\n\nbody", (15, 19)),  # a body may begin with blank lines
])
def test_head_end_finds_the_blank_line(raw: bytes, expected: tuple[int, int] | None) -> None:
    assert head_end(raw) == expected


def test_head_names_are_lower_case_and_repeats_are_joined() -> None:
    head = parse_head(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                      b"Cache-Control: max-age=60\r\ncache-control: public\r\n"
                      b"X-Folded: one\r\n  two\r\nno colon here\r\nBad Name: x")
    assert (head.version, head.status, head.reason) == ("HTTP/1.1", 200, "OK")
    assert head.headers == {"content-type": "text/html",
                            "cache-control": "max-age=60, public",
                            "x-folded": "one two"}


def test_head_reads_any_reason_and_non_ascii_values() -> None:
    head = parse_head("HTTP/1.0 404\r\nLocation: /é\r\nX-Old: caf\xe9".encode("latin-1")
                      .replace(b"/\xe9", "/é".encode()))
    assert (head.status, head.reason) == (404, "")
    assert head.headers["location"] == "/é"  # UTF-8 when it is valid
    assert head.headers["x-old"] == "café"  # else Latin-1


@pytest.mark.parametrize("status_line", [
    b"<html><body>hello</body></html>", b"HTTP/2 200", b"HTTP/1.1 2000 OK",
    b"HTTP/1.1 abc OK", b"HTTP/1.1 099 Low", b"ICY 200 OK",
])
def test_what_is_not_an_http_1_status_line_is_refused(status_line: bytes) -> None:
    with pytest.raises(ProtocolViolation):
        parse_head(status_line + b"\r\nA: b")


def _head(status: int = 200, **headers: str) -> Head:
    return Head("HTTP/1.1", status,
                "", {k.replace("_", "-"): v for k, v in headers.items()})


@pytest.mark.parametrize(("head", "expected"), [
    (_head(content_length="12"), (Framing.LENGTH, 12)),
    (_head(content_length="12, 12"), (Framing.LENGTH, 12)),
    (_head(transfer_encoding="chunked", content_length="5"), (Framing.CHUNKED, 0)),
    (_head(transfer_encoding="gzip, Chunked"), (Framing.CHUNKED, 0)),
    (_head(transfer_encoding="chunked, gzip"), (Framing.CLOSE, 0)),
    (_head(), (Framing.CLOSE, 0)),
    (_head(304, content_length="999"), (Framing.NONE, 0)),
    (_head(204), (Framing.NONE, 0)),
])
def test_framing(head: Head, expected: tuple[Framing, int]) -> None:
    assert framing(head) == expected


@pytest.mark.parametrize("value", ["12, 13", "-1", "0x10", "1e3", "", "١٢"])
def test_a_content_length_that_is_not_one_number_is_an_error(value: str) -> None:
    with pytest.raises(ProtocolViolation, match="Content-Length"):
        framing(_head(content_length=value))


@pytest.mark.parametrize(("version", "connection", "reusable"), [
    ("HTTP/1.1", "", True), ("HTTP/1.1", "Close", False), ("HTTP/1.1", "keep-alive", True),
    ("HTTP/1.0", "", False), ("HTTP/1.0", "Keep-Alive", True),
])
def test_keep_alive(version: str, connection: str, reusable: bool) -> None:
    headers = {"connection": connection} if connection else {}
    assert Head(version, 200, "OK", headers).keep_alive is reusable


CHUNKED = (b"5;name=value\r\nhello\r\n"
           b"7\r\n, world\r\n"
           b"A\r\n and more.\r\n"
           b"0\r\nX-Trailer: yes\r\n\r\n")


def test_chunked_body_whole_or_byte_by_byte_gives_the_same_payload() -> None:
    whole = ChunkedReader()
    assert b"".join(whole.feed(CHUNKED + b"NEXT")) == b"hello, world and more."
    assert whole.done and whole.rest == b"NEXT"
    trickle = ChunkedReader()
    payload = b"".join(b"".join(trickle.feed(bytes([byte]))) for byte in CHUNKED)
    assert payload == b"hello, world and more." and trickle.done and trickle.rest == b""


def test_chunked_accepts_bare_lf_line_ends() -> None:
    reader = ChunkedReader()
    assert b"".join(reader.feed(b"3\nabc\n0\n\n")) == b"abc" and reader.done


@pytest.mark.parametrize(("wire", "message"), [
    (b"zz\r\nabc\r\n", "chunk size"),
    (b"\r\n", "chunk size"),
    (b"-3\r\nabc\r\n", "chunk size"),
    (b"11111111111111111\r\n", "chunk size"),  # 17 hex digits: absurd, and refused
    (b"3\r\nabcdef\r\n", "longer than"),
    (b"1" * (MAX_LINE_BYTES + 2), "too long"),
    (b"0\r\n" + b"X-T: y\r\n" * (MAX_TRAILER_BYTES // 8 + 1), "trailers"),
])
def test_broken_chunked_coding_is_an_error(wire: bytes, message: str) -> None:
    with pytest.raises(ProtocolViolation, match=message):
        ChunkedReader().feed(wire)
